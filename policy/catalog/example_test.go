package catalog_test

import (
	"fmt"

	"github.com/iamsim/iamsim/policy"
	"github.com/iamsim/iamsim/policy/catalog"
)

// Expand shows what an Action pattern covers (docs/semantics.md §10 row 44).
func ExampleExpand() {
	for _, a := range catalog.Expand("iam:*AccessKey*") {
		fmt.Println(a.FullName(), a.AccessLevel())
	}
	// Output:
	// iam:CreateAccessKey Write
	// iam:DeleteAccessKey Write
	// iam:GetAccessKeyLastUsed Read
	// iam:ListAccessKeys List
	// iam:UpdateAccessKey Write
}

// CheckAction tells a misspelt action from a real one, with a suggestion.
func ExampleCheckAction() {
	fmt.Println(catalog.CheckAction("s3:DeleteObject"))
	fmt.Println(catalog.CheckAction("s3:DeleteObjct"))
	// Output:
	// <nil>
	// unknown action s3:DeleteObjct; did you mean s3:DeleteObject?
}

// Lint finds what a policy names but the catalog does not know: here a
// misspelt action, a resource of another service than the action's, and a
// condition key S3 does not have. Each warning points at its line.
func ExampleLint() {
	src := `{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": ["s3:GetObjct", "s3:PutObject"],
    "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/orders",
    "Condition": {"StringEquals": {"s3:x-amz-acll": "private"}}
  }]
}`
	p, err := policy.Parse([]byte(src), policy.WithSource("app.json"))
	if err != nil {
		panic(err)
	}
	for _, w := range catalog.Lint(p) {
		fmt.Println(w)
	}
	// Output:
	// app.json:5:16: warning: unknown_action: action "s3:GetObjct" is not a s3 action; did you mean "s3:GetObject"?
	// app.json:6:17: warning: resource_service_mismatch: resource "arn:aws:dynamodb:us-east-1:111122223333:table/orders" is a dynamodb resource, but the statement's actions (s3:PutObject) act on none
	// app.json:7:36: warning: unsupported_condition_key: condition key "s3:x-amz-acll" is supported by none of the statement's actions (s3:PutObject)
}
