// Package policytests shows how a repository tests its own IAM policies
// with iamsim: case files run as subtests, a table-driven Go test, and
// statement coverage.
//
//	go test ./...                 # passes
//	go test -tags failing ./...   # shows how a failing case reads
package policytests

import (
	"os"
	"testing"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/evaltest"
	"github.com/iamsim/iamsim/policy"
)

// TestCaseFiles runs every case file under cases/ and requires every
// statement of their policies to be exercised.
func TestCaseFiles(t *testing.T) {
	cov := evaltest.NewCoverage()
	evaltest.RunDir(t, "cases", evaltest.WithCoverage(cov))
	t.Log(cov.Report())
	cov.Require(t, 100)
}

func load(t *testing.T, path string) evaluator.Input {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := policy.Parse(src, policy.WithSource(path))
	if err != nil {
		t.Fatal(err)
	}
	return evaluator.Input{ID: path, Policy: p}
}

// TestSupportRole checks the same design as a table.
func TestSupportRole(t *testing.T) {
	eng, err := evaluator.Compile(evaluator.PolicySet{Identity: []evaluator.Input{load(t, "policies/support-role.json")}})
	if err != nil {
		t.Fatal(err)
	}
	session := "arn:aws:sts::111122223333:assumed-role/Support/s1"
	for _, tc := range []struct {
		name, action, resource string
		want                   evaluator.Decision
	}{
		{"lists tickets", "s3:ListBucket", "arn:aws:s3:::amzn-s3-demo-tickets", evaluator.Allowed},
		{"reads a ticket", "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-tickets/t-1.json", evaluator.Allowed},
		{"cannot read other buckets", "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/k", evaluator.ImplicitDeny},
		{"never touches IAM", "iam:PassRole", "arn:aws:iam::111122223333:role/Admin", evaluator.ExplicitDeny},
	} {
		t.Run(tc.name, func(t *testing.T) {
			evaltest.Decides(t, eng, evaluator.Request{Principal: session, Action: tc.action, Resource: tc.resource}, tc.want)
		})
	}
}
