package arn

import (
	"fmt"
	"strings"
)

// ARN is an Amazon Resource Name taken apart:
// arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE.
type ARN struct {
	Partition string // aws, aws-cn, aws-us-gov, ...
	Service   string // s3, iam, sts, ...
	Region    string // empty for global services
	Account   string // empty for some resources, such as S3 buckets
	// Resource is everything after the fifth colon; it may itself hold ':'
	// and '/' (for example "function:my-fn:PROD" or "user/path/name").
	Resource string
}

// Error is a malformed ARN or ARN pattern.
type Error struct {
	Input   string
	Offset  int // byte offset of the problem in Input
	Message string
}

// Error returns "arn: MESSAGE at offset N in INPUT".
func (e *Error) Error() string {
	return fmt.Sprintf("arn: %s at offset %d in %q", e.Message, e.Offset, e.Input)
}

// Parse parses an ARN. It must start with "arn:" and have at least five
// colons; the partition, service and resource must not be empty.
func Parse(s string) (ARN, error) {
	parts, err := split(s)
	if err != nil {
		return ARN{}, err
	}
	a := ARN{Partition: parts[1], Service: parts[2], Region: parts[3], Account: parts[4], Resource: parts[5]}
	switch {
	case a.Partition == "":
		return ARN{}, &Error{Input: s, Offset: 4, Message: "empty partition"}
	case a.Service == "":
		return ARN{}, &Error{Input: s, Offset: 5 + len(a.Partition), Message: "empty service"}
	case a.Resource == "":
		return ARN{}, &Error{Input: s, Offset: len(s), Message: "empty resource"}
	}
	return a, nil
}

// split cuts s into its six colon-separated parts, the last keeping its
// colons.
func split(s string) ([]string, error) {
	if !strings.HasPrefix(s, "arn:") {
		return nil, &Error{Input: s, Offset: 0, Message: `does not start with "arn:"`}
	}
	parts := strings.SplitN(s, ":", 6)
	if len(parts) < 6 {
		return nil, &Error{Input: s, Offset: len(s), Message: fmt.Sprintf("has %d of the 5 colons an ARN needs", len(parts)-1)}
	}
	return parts, nil
}

// IsAccountID reports whether s is an AWS account ID: exactly 12 digits.
func IsAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// String returns the ARN in its text form; Parse(a.String()) gives a back.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}
