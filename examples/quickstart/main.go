// Command quickstart shows iamsim's main job on a bundled scenario: a role
// with full S3 access is assumed with a session policy that allows only
// reading one bucket, and a bucket policy names one session directly. It
// prints what the session can and cannot do, and why.
//
//	go run ./examples/quickstart
package main

import (
	"fmt"
	"io"
	"log"
	"os"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/policy"
)

const (
	// The role's identity policy: everything in S3.
	rolePolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "S3FullAccess", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}
  ]
}`
	// The session policy passed to sts:AssumeRole: read one bucket only.
	sessionPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "ReadReports", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
     "Resource": ["arn:aws:s3:::example-reports", "arn:aws:s3:::example-reports/*"]}
  ]
}`
	// The bucket policy of example-audit names one session directly.
	bucketPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "AuditJobWrites", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:sts::111122223333:assumed-role/S3Access/audit-job"},
     "Action": "s3:PutObject", "Resource": "arn:aws:s3:::example-audit/*"}
  ]
}`
)

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func parse(name, src string) evaluator.Input {
	p, err := policy.Parse([]byte(src), policy.WithSource(name))
	if err != nil {
		log.Fatal(err)
	}
	return evaluator.Input{ID: name, Policy: p}
}

func run(w io.Writer) error {
	bucket := parse("bucket-policy", bucketPolicy)
	eng, err := evaluator.Compile(evaluator.PolicySet{
		Identity: []evaluator.Input{parse("role-policy", rolePolicy)},
		Session:  []evaluator.Input{parse("session-policy", sessionPolicy)},
		Resource: &bucket,
	})
	if err != nil {
		return err
	}
	requests := []struct {
		who, action, resource string
	}{
		{"report-job", "s3:GetObject", "arn:aws:s3:::example-reports/2026/q3.csv"},
		{"report-job", "s3:PutObject", "arn:aws:s3:::example-reports/2026/q3.csv"},
		{"report-job", "s3:PutObject", "arn:aws:s3:::example-audit/log.txt"},
		{"audit-job", "s3:PutObject", "arn:aws:s3:::example-audit/log.txt"},
	}
	for _, rq := range requests {
		r := eng.Evaluate(evaluator.Request{
			Principal: "arn:aws:sts::111122223333:assumed-role/S3Access/" + rq.who,
			Action:    rq.action,
			Resource:  rq.resource,
		})
		fmt.Fprintf(w, "%-10s %-12s %-45s %s", rq.who, rq.action, rq.resource, r.Decision)
		switch {
		case r.Decision == evaluator.Allowed:
			fmt.Fprintf(w, " (by %s", r.DecidedBy)
			for _, m := range r.Matched {
				fmt.Fprintf(w, ", %s", m.Name())
			}
			fmt.Fprintln(w, ")")
		default:
			fmt.Fprintf(w, " (no allow in the %s layer)\n", r.DecidedBy)
		}
	}
	return nil
}
