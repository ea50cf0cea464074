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
