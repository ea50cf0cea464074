package snapshot

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"

	"github.com/iamsim/iamsim/policy"
	"github.com/iamsim/iamsim/policy/awsmanaged"
)

// maxManagedSize bounds the decompressed size of an AWS managed policies
// file.
const maxManagedSize = 64 << 20

// awsManagedEntry is one policy of an AWS managed policies file.
type awsManagedEntry struct {
	ARN       string `json:"arn"`
	VersionID string `json:"versionId"`
	Document  string `json:"document"`
}

// LoadAWSManagedFile loads AWS managed policies (see LoadAWSManaged).
func (s *Snapshot) LoadAWSManagedFile(path string) error {
	src, err := policy.ReadFile(path)
	if err != nil {
		return err
	}
	return s.LoadAWSManaged(src, path)
}

// LoadAWSManaged loads AWS managed policies for authorization details that
// attach one their Policies list does not hold (a listing made with a
// --filter that leaves AWSManagedPolicy out, say). Without it, such a
// policy is taken from those built into iamsim (package awsmanaged,
// awsmanaged.Source); LoadAWSManaged replaces them: a JSON object mapping
// each policy's name to {"arn", "versionId", "document"}, gzip-compressed
// or not, as policy/awsmanaged/aws-managed-policies.json.gz holds them.
// Load it before the authorization details; a policy a file's Policies
// list holds is always used before it. Documents are parsed when first
// attached.
func (s *Snapshot) LoadAWSManaged(src []byte, name string) error {
	if s.prepared {
		return errors.New("snapshot: LoadAWSManaged after the first query")
	}
	if bytes.HasPrefix(src, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(bytes.NewReader(src))
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		dec, err := io.ReadAll(io.LimitReader(zr, maxManagedSize+1))
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if len(dec) > maxManagedSize {
			return fmt.Errorf("%s: more than %d bytes decompressed", name, maxManagedSize)
		}
		src = dec
	}
	var m map[string]awsManagedEntry
	if err := decodeStrict(src, &m, name); err != nil {
		return err
	}
	if s.fallback == nil {
		s.fallback = map[string]awsManagedEntry{}
	}
	for n, e := range m {
		if policy.ProvenanceOf(e.ARN) != policy.AWSManaged {
			return fmt.Errorf("%s: /%s: %q is not an AWS managed policy ARN", name, n, e.ARN)
		}
		s.fallback[e.ARN] = e
	}
	return nil
}

// fallbackPolicy returns the AWS managed policy arn from the policies
// LoadAWSManaged loaded, parsed once.
func (s *Snapshot) fallbackPolicy(arn string) (*policy.Policy, bool, error) {
	e, ok := s.fallback[arn]
	if !ok && s.fallback == nil {
		// Nothing loaded: the AWS managed policies built into iamsim
		// (package awsmanaged), the same documents in every account.
		var p awsmanaged.Policy
		if p, ok = awsmanaged.Lookup(arn); ok {
			e = awsManagedEntry{ARN: p.ARN, VersionID: p.VersionID, Document: p.Document}
		}
	}
	if !ok {
		return nil, false, nil
	}
	key := e.ARN + "@" + e.VersionID
	if p, ok := s.awsManaged[key]; ok {
		return p, true, nil
	}
	p, err := policy.Parse([]byte(e.Document), policy.WithSource(arn), policy.ParseAs(policy.AWSManaged))
	if err != nil {
		return nil, true, err
	}
	s.awsManaged[key] = p
	return p, true, nil
}
