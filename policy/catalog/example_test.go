package catalog_test

import (
	"fmt"

	"github.com/iamsim/iamsim/policy/catalog"
)

// Expand shows what an Action pattern covers (SPEC 10 row 44).
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
