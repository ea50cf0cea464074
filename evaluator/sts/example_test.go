package sts_test

import (
	"errors"
	"fmt"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/sts"
	"github.com/iamsim/iamsim/policy"
)

func must(p *policy.Policy, err error) *policy.Policy {
	if err != nil {
		panic(err)
	}
	return p
}

// alice assumes a role with full S3 access and passes a session policy that
// allows only reading one bucket (IUG access_policies.md, "Session
// policies"); bob, whom the trust policy does not name, is refused.
func ExampleAssumeRole() {
	trust := evaluator.Input{ID: "trust", Policy: must(policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole"}]}`)))}
	role := sts.Role{
		ARN:         "arn:aws:iam::111122223333:role/S3Access",
		TrustPolicy: &trust,
		Policies: evaluator.PolicySet{Identity: []evaluator.Input{{ID: "role", Policy: must(policy.Parse([]byte(
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)))}}},
	}
	in := sts.AssumeRoleInput{
		Caller:          sts.Caller{Principal: "arn:aws:iam::111122223333:user/alice"},
		Role:            role,
		RoleSessionName: "report-job",
		Policy:          `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}]}`,
	}
	s, err := sts.AssumeRole(in)
	if err != nil {
		panic(err)
	}
	fmt.Println(s.ARN)
	for _, action := range []string{"s3:GetObject", "s3:PutObject"} {
		r, _ := s.Evaluate(evaluator.Request{Action: action, Resource: "arn:aws:s3:::amzn-s3-demo-bucket/k"})
		fmt.Println(action, r.Decision)
	}

	in.Caller.Principal = "arn:aws:iam::111122223333:user/bob"
	_, err = sts.AssumeRole(in)
	fmt.Println(errors.Is(err, sts.ErrAccessDenied))
	// Output:
	// arn:aws:sts::111122223333:assumed-role/S3Access/report-job
	// s3:GetObject allowed
	// s3:PutObject implicitDeny
	// true
}

// The app role may use all of S3, its permissions boundary stops deletes,
// and alice's session policy allows only reading: the session can do only
// what the role's policies, the boundary and the session policy all allow
// (IUG access_policies.md, "Session policies", and
// access_policies_boundaries.md). A bucket policy that names the session
// grants it directly, beyond the session policy.
func Example_boundaryAndSessionPolicy() {
	parse := func(id, src string) evaluator.Input {
		return evaluator.Input{ID: id, Policy: must(policy.Parse([]byte(src), policy.WithSource(id)))}
	}
	trust := parse("trust", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole"}]}`)
	boundary := parse("boundary", `{"Version":"2012-10-17","Statement":[{"Sid":"NoDeletes","Effect":"Allow",
		"Action":["s3:Get*","s3:Put*","s3:List*"],"Resource":"*"}]}`)
	s, err := sts.AssumeRole(sts.AssumeRoleInput{
		Caller: sts.Caller{Principal: "arn:aws:iam::111122223333:user/alice"},
		Role: sts.Role{
			ARN:         "arn:aws:iam::111122223333:role/app",
			TrustPolicy: &trust,
			Policies: evaluator.PolicySet{
				Identity:            []evaluator.Input{parse("role", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)},
				PermissionsBoundary: &boundary,
			},
		},
		RoleSessionName: "alice",
		Policy:          `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:DeleteObject"],"Resource":"*"}]}`,
	})
	if err != nil {
		panic(err)
	}
	obj := "arn:aws:s3:::example-bucket/report.csv"
	for _, action := range []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"} {
		r, err := s.Evaluate(evaluator.Request{Action: action, Resource: obj})
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: %s (decided by %s)\n", action, r.Decision, r.DecidedBy)
	}

	bucket := parse("bucket", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/app/alice"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::example-bucket/*"}]}`)
	se, err := s.WithResourcePolicy(bucket)
	if err != nil {
		panic(err)
	}
	r, _ := se.Evaluate(evaluator.Request{Action: "s3:PutObject", Resource: obj})
	fmt.Println("s3:PutObject with the bucket policy:", r.Decision)
	// Output:
	// s3:GetObject: allowed (decided by identity)
	// s3:PutObject: implicitDeny (decided by session)
	// s3:DeleteObject: implicitDeny (decided by boundary)
	// s3:PutObject with the bucket policy: allowed
}
