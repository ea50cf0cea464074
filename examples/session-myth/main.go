// Command session-myth disproves "a session policy grants new
// permissions". alice may only read objects. She assumes the role Uploader,
// which may write them, passing a session policy that allows s3:PutObject:
// her upload works, because the role allows it. The same session policy on
// the role Reader, which may only read, grants nothing: the upload is
// denied.
//
//	go run ./examples/session-myth
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
	object = "arn:aws:s3:::amzn-s3-demo-bucket/upload.csv"

	alicePolicy = `{"Version": "2012-10-17", "Statement": [
  {"Sid": "AliceReads", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
  {"Sid": "AliceAssumes", "Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::111122223333:role/*"}]}`
	uploaderPolicy = `{"Version": "2012-10-17", "Statement": [
  {"Sid": "UploaderWrites", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]}`
	readerPolicy = `{"Version": "2012-10-17", "Statement": [
  {"Sid": "ReaderReads", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}`
	// Both roles trust the account: alice's own policy must allow AssumeRole.
	trustPolicy = `{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]}`
	sessionPolicy = `{"Version": "2012-10-17", "Statement": [
  {"Sid": "SessionPut", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]}`
)

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer) error {
	alice := show.Policy("alice-policy", alicePolicy)
	// alice herself.
	eng, err := evaluator.Compile(evaluator.PolicySet{Identity: []evaluator.Input{alice}})
	if err != nil {
		return err
	}
	r := eng.Evaluate(evaluator.Request{Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:PutObject", Resource: object})
	io.WriteString(w, "alice with her own credentials\n")
	show.Decision(w, "s3:PutObject", object, r, nil)

	trust := show.Policy("trust-policy", trustPolicy)
	for _, role := range []struct{ name, policy string }{{"Uploader", uploaderPolicy}, {"Reader", readerPolicy}} {
		s, err := sts.AssumeRole(sts.AssumeRoleInput{
			Caller: sts.Caller{Principal: "arn:aws:iam::111122223333:user/alice",
				Policies: evaluator.PolicySet{Identity: []evaluator.Input{alice}}},
			Role: sts.Role{
				ARN: "arn:aws:iam::111122223333:role/" + role.name, TrustPolicy: &trust,
				Policies: evaluator.PolicySet{Identity: []evaluator.Input{show.Policy(role.name+"-policy", role.policy)}},
			},
			RoleSessionName: "alice",
			Policy:          sessionPolicy,
			Now:             time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC),
		})
		show.Call(w, "AssumeRole "+role.name, s, err)
		if err != nil {
			return err
		}
		r, err := s.Evaluate(evaluator.Request{Action: "s3:PutObject", Resource: object})
		show.Decision(w, "s3:PutObject", object, r, err)
	}
	return nil
}
