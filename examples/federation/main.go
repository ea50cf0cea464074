// Command federation shows GetFederationToken: the IAM user alice
// federates carol. Without a session policy carol can do nothing; with one
// she can do what both alice's policies and the session policy allow; and a
// bucket policy that names her federated-user ARN grants her access
// directly, whatever the session policy says.
//
//	go run ./examples/federation
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
	alicePolicy = `{"Version": "2012-10-17", "Statement": [
  {"Sid": "Federate", "Effect": "Allow", "Action": "sts:GetFederationToken", "Resource": "*"},
  {"Sid": "AliceReadsWrites", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::amzn-s3-demo-bucket/*"}]}`
	sessionPolicy = `{"Version": "2012-10-17", "Statement": [
  {"Sid": "SessionReads", "Effect": "Allow", "Action": ["s3:GetObject", "s3:DeleteObject"], "Resource": "*"}]}`
	// The bucket productionapp names carol's federated-user ARN.
	bucketPolicy = `{"Version": "2012-10-17", "Statement": [
  {"Sid": "CarolManagesObjects", "Effect": "Allow",
   "Principal": {"AWS": "arn:aws:sts::111122223333:federated-user/carol"},
   "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Resource": "arn:aws:s3:::productionapp/*"}]}`
)

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer) error {
	alice := sts.Caller{
		Principal: "arn:aws:iam::111122223333:user/alice",
		Policies:  evaluator.PolicySet{Identity: []evaluator.Input{show.Policy("alice-policy", alicePolicy)}},
	}
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	requests := []struct{ action, resource string }{
		{"s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/report.csv"},
		{"s3:PutObject", "arn:aws:s3:::amzn-s3-demo-bucket/report.csv"},
		{"s3:DeleteObject", "arn:aws:s3:::amzn-s3-demo-bucket/report.csv"},
		{"s3:DeleteObject", "arn:aws:s3:::productionapp/report.csv"},
	}
	for _, c := range []struct{ what, policy string }{
		{"without a session policy", ""},
		{"with a session policy", sessionPolicy},
	} {
		s, err := sts.GetFederationToken(sts.GetFederationTokenInput{
			Caller: alice, Name: "carol", Policy: c.policy, Now: now,
		})
		show.Call(w, "GetFederationToken "+c.what, s, err)
		if err != nil {
			return err
		}
		// amzn-s3-demo-bucket has no bucket policy; productionapp has one.
		withBucket, err := s.WithResourcePolicy(show.Policy("productionapp-policy", bucketPolicy))
		if err != nil {
			return err
		}
		for i, rq := range requests {
			eval := s.Evaluate
			if i == len(requests)-1 {
				eval = withBucket.Evaluate
			}
			r, err := eval(evaluator.Request{Action: rq.action, Resource: rq.resource})
			show.Decision(w, rq.action, rq.resource, r, err)
		}
	}
	return nil
}
