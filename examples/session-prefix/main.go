// Command session-prefix shows a session policy narrowing a role to one
// S3 prefix while the role's KMS permission, limited to the bucket's key,
// still bounds what the session can do with keys: the session policy
// allows kms:Decrypt and kms:GenerateDataKey on every key, but only the
// bucket's key is usable, because the role allows no other.
//
//	go run ./examples/session-prefix
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
	bucketKey = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	otherKey  = "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321"

	// The role ProjectData may read and write the projects/ prefix and use
	// the bucket's key.
	rolePolicy = `{"Version": "2012-10-17", "Statement": [
  {"Sid": "ProjectObjects", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
   "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/projects/*"},
  {"Sid": "BucketKey", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
   "Resource": "` + bucketKey + `"}]}`
	trustPolicy = `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "sts:AssumeRole"}]}`
	// The session policy: only projects/alpha/, and any key.
	sessionPolicy = `{"Version": "2012-10-17", "Statement": [
  {"Sid": "AlphaOnly", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
   "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/projects/alpha/*"},
  {"Sid": "AnyKey", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "*"}]}`
	// Both keys have the default key policy, which lets IAM policies of the
	// account grant access to the key.
	keyPolicy = `{"Version": "2012-10-17", "Statement": [
  {"Sid": "EnableIAMUserPermissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
   "Action": "kms:*", "Resource": "*"}]}`
)

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer) error {
	trust := show.Policy("trust-policy", trustPolicy)
	s, err := sts.AssumeRole(sts.AssumeRoleInput{
		Caller: sts.Caller{Principal: "arn:aws:iam::111122223333:user/alice"},
		Role: sts.Role{
			ARN: "arn:aws:iam::111122223333:role/ProjectData", TrustPolicy: &trust,
			Policies: evaluator.PolicySet{Identity: []evaluator.Input{show.Policy("ProjectData-policy", rolePolicy)}},
		},
		RoleSessionName: "alpha-job",
		Policy:          sessionPolicy,
		Now:             time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC),
	})
	show.Call(w, "AssumeRole", s, err)
	if err != nil {
		return err
	}
	for _, rq := range []struct{ action, resource string }{
		{"s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/projects/alpha/data.csv"},
		{"s3:PutObject", "arn:aws:s3:::amzn-s3-demo-bucket/projects/alpha/out.csv"},
		{"s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/projects/beta/data.csv"},
		{"s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/private/data.csv"},
	} {
		r, err := s.Evaluate(evaluator.Request{Action: rq.action, Resource: rq.resource})
		show.Decision(w, rq.action, rq.resource, r, err)
	}
	// Each key is its own resource, with its own key policy.
	for _, key := range []string{bucketKey, otherKey} {
		ke, err := s.WithResourcePolicy(show.Policy("key-policy", keyPolicy))
		if err != nil {
			return err
		}
		for _, action := range []string{"kms:Decrypt", "kms:GenerateDataKey"} {
			r, err := ke.Evaluate(evaluator.Request{Action: action, Resource: key})
			show.Decision(w, action, key, r, err)
		}
	}
	return nil
}
