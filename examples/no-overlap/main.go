// Command no-overlap shows that a session can do only what the role and
// the session policy both allow: a role with full S3 and full EC2 access,
// assumed with a session policy of full S3 access, cannot describe EC2
// instances; assumed with a session policy of full RDS access, it can do
// nothing at all. The role's trust policy requires MFA to assume it.
//
//	go run ./examples/no-overlap
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
	rolePolicy = `{"Version": "2012-10-17", "Statement": [
  {"Sid": "S3Full", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
  {"Sid": "EC2Full", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}`
	// Only alice, and only when she signs the call with MFA.
	trustPolicy = `{"Version": "2012-10-17", "Statement": [
  {"Sid": "AliceWithMFA", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"},
   "Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}`
	s3Session = `{"Version": "2012-10-17", "Statement": [
  {"Sid": "SessionS3", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}`
	rdsSession = `{"Version": "2012-10-17", "Statement": [
  {"Sid": "SessionRDS", "Effect": "Allow", "Action": "rds:*", "Resource": "*"}]}`
)

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer) error {
	trust := show.Policy("trust-policy", trustPolicy)
	in := sts.AssumeRoleInput{
		Caller: sts.Caller{Principal: "arn:aws:iam::111122223333:user/alice"},
		Role: sts.Role{
			ARN: "arn:aws:iam::111122223333:role/Operations", TrustPolicy: &trust,
			Policies: evaluator.PolicySet{Identity: []evaluator.Input{show.Policy("Operations-policy", rolePolicy)}},
		},
		RoleSessionName: "without-mfa",
		Now:             time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC),
	}
	// Without MFA the trust policy refuses.
	s, err := sts.AssumeRole(in)
	show.Call(w, "AssumeRole without MFA", s, err)

	in.SerialNumber, in.TokenCode = "arn:aws:iam::111122223333:mfa/alice", "123456"
	requests := []struct{ action, resource string }{
		{"s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/report.csv"},
		{"ec2:DescribeInstances", "*"},
		{"rds:DescribeDBInstances", "*"},
	}
	for _, c := range []struct{ name, policy string }{{"s3-session", s3Session}, {"rds-session", rdsSession}} {
		in.RoleSessionName, in.Policy = c.name, c.policy
		s, err := sts.AssumeRole(in)
		show.Call(w, "AssumeRole with MFA, "+c.name, s, err)
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
