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
