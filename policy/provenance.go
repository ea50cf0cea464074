package policy

import (
	"fmt"
	"strings"
)

// Provenance says who wrote a policy, which decides the authoring rules it
// is held to. IAM enforces its quotas and its authoring rules (policy
// variables only after a Resource ARN's fifth colon) when it stores a
// policy a customer wrote; the AWS managed policies AWS ships break both
// (docs/semantics.md §4.4), and AWS evaluates them all the same. The zero value is
// Customer.
type Provenance uint8

// The provenances.
const (
	// Customer is a policy a customer wrote (inline or customer managed),
	// held to every rule IAM enforces when it stores one.
	Customer Provenance = iota
	// AWSManaged is an AWS managed policy (arn:aws:iam::aws:policy/...),
	// written by AWS: no size quota applies, and Resource ARNs may hold
	// policy variables in any part, substituted before the ARN is cut into
	// parts (arn.WithVariablesAnywhere).
	AWSManaged
)

// String returns "customer" or "aws-managed".
func (p Provenance) String() string {
	if p == AWSManaged {
		return "aws-managed"
	}
	if p == Customer {
		return "customer"
	}
	return fmt.Sprintf("Provenance(%d)", uint8(p))
}

// ProvenanceOf returns AWSManaged when id is the ARN of an AWS managed
// policy, arn:PARTITION:iam::aws:policy/NAME (aws, aws-cn, aws-us-gov and
// the other aws partitions), and Customer otherwise.
func ProvenanceOf(id string) Provenance {
	rest, ok := strings.CutPrefix(id, "arn:aws")
	if !ok {
		return Customer
	}
	part, rest, ok := strings.Cut(rest, ":")
	if !ok || (part != "" && !isPartitionSuffix(part)) {
		return Customer
	}
	if name, ok := strings.CutPrefix(rest, "iam::aws:policy/"); ok && name != "" && !strings.HasSuffix(name, "/") {
		return AWSManaged
	}
	return Customer
}

// isPartitionSuffix reports whether s can follow "aws" in a partition name:
// "-" and lower-case letters, digits and hyphens ("-cn", "-us-gov", "-iso-b").
func isPartitionSuffix(s string) bool {
	if len(s) < 2 || s[0] != '-' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// ParseAs tells Parse who wrote the document. With AWSManaged, Resource ARNs
// may hold policy variables before their fifth colon. The default is
// Customer.
func ParseAs(p Provenance) ParseOption { return func(c *parseConfig) { c.provenance = p } }

// ValidateAs tells Validate who wrote the policy. With AWSManaged, no size
// quota applies and Resource ARNs may hold policy variables before their
// fifth colon. The default is Customer, held to both.
func ValidateAs(p Provenance) ValidateOption { return func(c *validateConfig) { c.provenance = p } }
