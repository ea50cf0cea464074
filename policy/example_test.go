package policy_test

import (
	"errors"
	"fmt"

	"github.com/iamsim/iamsim/policy"
)

func ExampleParse() {
	src := []byte(`{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "ReadReports",
    "Effect": "Allow",
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::example-bucket/reports/*"
  }]
}`)
	p, err := policy.Parse(src, policy.WithSource("reports.json"))
	if err != nil {
		fmt.Println(err)
		return
	}
	st := p.Statements[0]
	fmt.Println(st.Sid, st.Effect, st.Action, "at", st.Span.Start)
	// Output:
	// ReadReports Allow [s3:GetObject] at reports.json:3:17
}

func ExampleParse_errors() {
	src := []byte(`{
  "Version": "2012-10-17",
  "Statement": {
    "Effect": "allow",
    "Action": ["s3:GetObject", "s3"],
    "resource": "*"
  }
}`)
	_, err := policy.Parse(src, policy.WithSource("bad.json"))
	fmt.Println(err)
	fmt.Println("invalid action:", errors.Is(err, policy.CodeInvalidAction))
	// Output:
	// bad.json:4:15: invalid_effect: Effect "allow" is not "Allow" or "Deny" (Effect is case-sensitive)
	// bad.json:5:32: invalid_action: action "s3" is not "*" or of the form "service:ActionName"
	// bad.json:6:5: element_case: element "resource" must be written "Resource" (element names are case-sensitive)
	// invalid action: true
}

func ExampleValidate() {
	p, _ := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}}`))
	fmt.Println(policy.Validate(p, policy.Resource))
	fmt.Println(policy.Validate(p, policy.Session))
	// Output:
	// <nil>
	// 1:37: element_not_allowed: session policy: the Principal element is not allowed
}

// AWS managed policies break rules IAM holds customers to: this Resource,
// from AmazonTimestreamInfluxDBServiceRolePolicy, has a variable before the
// ARN's fifth colon. Parsed as AWS managed (its ARN says so) it is accepted.
func ExampleParseAs() {
	src := []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt",
  "Resource":"arn:*:kms:*:${aws:PrincipalAccount}:key/*"}]}`)
	_, err := policy.Parse(src)
	fmt.Println("customer:", errors.Is(err, policy.CodeInvalidVariable))
	prov := policy.ProvenanceOf("arn:aws:iam::aws:policy/aws-service-role/AmazonTimestreamInfluxDBServiceRolePolicy")
	p, err := policy.Parse(src, policy.ParseAs(prov))
	if err == nil {
		err = policy.Validate(p, policy.Identity, policy.ValidateAs(prov))
	}
	fmt.Println(prov, err)
	// Output:
	// customer: true
	// aws-managed <nil>
}
