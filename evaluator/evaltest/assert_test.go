package evaltest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/evaltest"
	"github.com/iamsim/iamsim/policy"
)

// recorder captures what the helpers report instead of failing the test.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func boundaryEngine(t *testing.T) *evaluator.Engine {
	id, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Sid":"Broad","Effect":"Allow","Action":["s3:*","iam:CreateUser"],"Resource":"*"},
		{"Sid":"NoDeletes","Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}`), policy.WithSource("alice.json"))
	require.NoError(t, err)
	bd, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`), policy.WithSource("boundary.json"))
	require.NoError(t, err)
	eng, err := evaluator.Compile(evaluator.PolicySet{
		Identity:            []evaluator.Input{{ID: "alice.json", Policy: id}},
		PermissionsBoundary: &evaluator.Input{ID: "boundary.json", Policy: bd},
	})
	require.NoError(t, err)
	return eng
}

// Expected decisions: IUG access_policies_boundaries.html (the boundary caps
// the identity policy) and reference_policies_evaluation-logic.html (an
// explicit deny wins).
func TestAssertions(t *testing.T) {
	eng := boundaryEngine(t)
	alice := "arn:aws:iam::111122223333:user/alice"
	get := evaluator.Request{Principal: alice, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}
	create := evaluator.Request{Principal: alice, Action: "iam:CreateUser", Resource: "*"}
	del := evaluator.Request{Principal: alice, Action: "s3:DeleteBucket", Resource: "arn:aws:s3:::b"}

	tests := []struct {
		name   string
		assert func(testing.TB) evaluator.Result
		fails  bool
	}{
		{"allowed inside the boundary", func(tb testing.TB) evaluator.Result { return evaltest.Allowed(tb, eng, get) }, false},
		{"allowed outside the boundary fails", func(tb testing.TB) evaluator.Result { return evaltest.Allowed(tb, eng, create) }, true},
		{"denied outside the boundary", func(tb testing.TB) evaluator.Result { return evaltest.Denied(tb, eng, create) }, false},
		{"implicitly denied outside the boundary", func(tb testing.TB) evaluator.Result { return evaltest.ImplicitlyDenied(tb, eng, create) }, false},
		{"explicitly denied outside the boundary fails", func(tb testing.TB) evaluator.Result { return evaltest.ExplicitlyDenied(tb, eng, create) }, true},
		{"explicitly denied by the Deny", func(tb testing.TB) evaluator.Result { return evaltest.ExplicitlyDenied(tb, eng, del) }, false},
		{"denied covers an explicit deny", func(tb testing.TB) evaluator.Result { return evaltest.Denied(tb, eng, del) }, false},
		{"decides", func(tb testing.TB) evaluator.Result { return evaltest.Decides(tb, eng, del, evaluator.ExplicitDeny) }, false},
		{"a nil engine fails", func(tb testing.TB) evaluator.Result { return evaltest.Allowed(tb, nil, get) }, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			tc.assert(rec)
			require.Equal(t, tc.fails, len(rec.errs) > 0, "%v", rec.errs)
		})
	}

	rec := &recorder{TB: t}
	evaltest.Allowed(rec, eng, create)
	require.Len(t, rec.errs, 1)
	msg := rec.errs[0]
	require.Contains(t, msg, "iam:CreateUser on *: want allowed, got implicitDeny (decided by boundary)")
	require.Contains(t, msg, "[identity] Allow alice.json[0] (Broad) at alice.json:1:38: applies", "the trace names the statement and its position")
}

// Table-driven, as the package documentation shows.
func TestTableDriven(t *testing.T) {
	eng := boundaryEngine(t)
	for _, tc := range []struct {
		name   string
		action string
		want   evaluator.Decision
	}{
		{"read objects", "s3:GetObject", evaluator.Allowed},
		{"create users", "iam:CreateUser", evaluator.ImplicitDeny},
		{"delete buckets", "s3:DeleteBucket", evaluator.ExplicitDeny},
	} {
		t.Run(tc.name, func(t *testing.T) {
			evaltest.Decides(t, eng, evaluator.Request{Principal: "arn:aws:iam::111122223333:user/alice", Action: tc.action, Resource: "*"}, tc.want)
		})
	}
}

func TestCoverage(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cases.yaml")
	require.NoError(t, os.WriteFile(path, []byte(`
defaults:
  principal: arn:aws:iam::111122223333:user/alice
  identityPolicies:
    - Version: "2012-10-17"
      Statement:
        - {Sid: ReadObjects, Effect: Allow, Action: s3:GetObject, Resource: "*"}
        - {Sid: NeverUsed, Effect: Allow, Action: ec2:RunInstances, Resource: "*"}
cases:
  - {name: read, action: s3:GetObject, expect: allowed}
  - {name: write, action: s3:PutObject, expect: implicitDeny}
`), 0o600))
	cov := evaltest.NewCoverage()
	evaltest.RunFile(t, path, evaltest.WithCoverage(cov))
	require.Equal(t, 50.0, cov.Percent())
	unc := cov.Uncovered()
	require.Len(t, unc, 1)
	require.Equal(t, "NeverUsed", unc[0].Sid)
	require.Equal(t, 8, unc[0].Line, "the statement's line in the case file")
	require.True(t, strings.HasPrefix(unc[0].String(), path+":8:"), unc[0].String())
	require.Contains(t, cov.Report(), "statement coverage: 50.0% (1 of 2 statements matched)")

	rec := &recorder{TB: t}
	cov.Require(rec, 80)
	require.Len(t, rec.errs, 1)
	require.Contains(t, rec.errs[0], "NeverUsed")
	rec = &recorder{TB: t}
	cov.Require(rec, 50)
	require.Empty(t, rec.errs)
}
