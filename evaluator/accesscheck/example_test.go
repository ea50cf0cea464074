package accesscheck_test

import (
	"fmt"

	"github.com/iamsim/iamsim/evaluator/accesscheck"
	"github.com/iamsim/iamsim/policy"
)

// Removing a condition grants new access: the check says which statement
// and proves it with a request.
func ExampleCheckNoNewAccess() {
	existing, _ := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*",
		"Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`))
	changed, _ := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow",
		"Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}`))
	res, err := accesscheck.CheckNoNewAccess(existing, changed, accesscheck.IdentityPolicy)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Result, res.Reasons[0].StatementID)
	ce := res.Counterexamples[0]
	fmt.Println(ce.Action, ce.Resource, ce.Context)
	// Output:
	// FAIL Read
	// s3:GetObject arn:aws:s3:::reports/iamsim map[]
}

// A bucket policy pinned to an organization is not public; the same grant
// to everyone is.
func ExampleCheckNoPublicAccess() {
	pinned, _ := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",
		"Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*",
		"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}]}`))
	open, _ := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*",
		"Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/*"}]}`))
	for _, p := range []*policy.Policy{pinned, open} {
		res, err := accesscheck.CheckNoPublicAccess(p, "AWS::S3::Bucket")
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Print(res.Result)
		if len(res.Counterexamples) > 0 {
			fmt.Print(" ", res.Counterexamples[0].Principal)
		}
		fmt.Println()
	}
	// Output:
	// PASS
	// FAIL anonymous
}
