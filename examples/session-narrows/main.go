// Command session-narrows shows the product's main job: a role with s3:* on
// every resource is assumed with a session policy that allows only
// s3:GetObject in one bucket. The session can read that bucket and nothing
// else; a session of the same role without a session policy keeps all of
// the role's permissions.
//
//	go run ./examples/session-narrows
package main

import (
	"io"
	"log"
	"os"
	"time"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/sts"
	"github.com/iamsim/iamsim/examples/internal/show"
)

const (
	// The role S3Access may do anything in S3.
	rolePolicy = `{"Version": "2012-10-17", "Statement": [
  {"Sid": "S3FullAccess", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}`
	// Its trust policy lets the user alice assume it.
	trustPolicy = `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "sts:AssumeRole"}]}`
	// The session policy alice passes: read one bucket only.
	sessionPolicy = `{"Version": "2012-10-17", "Statement": [
  {"Sid": "ReadExampleBucket", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}]}`
)

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer) error {
	trust := show.Policy("trust-policy", trustPolicy)
	role := sts.Role{
		ARN:         "arn:aws:iam::111122223333:role/S3Access",
		TrustPolicy: &trust,
		Policies:    evaluator.PolicySet{Identity: []evaluator.Input{show.Policy("S3Access-policy", rolePolicy)}},
	}
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	requests := []struct{ action, resource string }{
		{"s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/report.csv"},
		{"s3:PutObject", "arn:aws:s3:::amzn-s3-demo-bucket/report.csv"},
		{"s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket2/report.csv"},
		{"s3:ListBucket", "arn:aws:s3:::amzn-s3-demo-bucket"},
	}
	for _, c := range []struct{ name, policy string }{
		{"with-session-policy", sessionPolicy},
		{"without-session-policy", ""},
	} {
		s, err := sts.AssumeRole(sts.AssumeRoleInput{
			Caller:          sts.Caller{Principal: "arn:aws:iam::111122223333:user/alice"},
			Role:            role,
			RoleSessionName: c.name,
			Policy:          c.policy,
			Now:             now,
		})
		show.Call(w, "AssumeRole "+c.name, s, err)
		if err != nil {
			return err
		}
		for _, rq := range requests {
			r, err := s.Evaluate(evaluator.Request{Action: rq.action, Resource: rq.resource})
			show.Decision(w, rq.action, rq.resource, r, err)
		}
	}
	return nil
}
