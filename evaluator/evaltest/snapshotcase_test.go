package evaltest_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/evaltest"
)

// snapshotDir copies evaluator/snapshot's test account into a temporary
// directory beside a case file, src.
func snapshotDir(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"account.json", "resource-policies.json", "org.json", "full-access.json"} {
		b, err := os.ReadFile(filepath.Join("..", "snapshot", "testdata", f))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), b, 0o600))
	}
	p := filepath.Join(dir, "cases.yaml")
	require.NoError(t, os.WriteFile(p, []byte(src), 0o600))
	return p
}

// TestSnapshotCases: cases naming a snapshot principal. The expectations
// are reasoned in evaluator/snapshot's TestWhoCan: carol's managed policy
// allows reading and deleting reports for team blue, her tag; the role app
// needs aws:SourceVpc vpc-1; the account's SCP (org.json) denies
// DeleteObject; bob may assume the role app by its trust policy.
func TestSnapshotCases(t *testing.T) {
	p := snapshotDir(t, `
defaults:
  snapshot: {file: account.json, resourcePolicies: resource-policies.json}
  principal: arn:aws:iam::111122223333:user/carol
  source: "derived: see TestSnapshotCases"
cases:
  - {name: carol reads, action: s3:GetObject, resource: "arn:aws:s3:::reports/a", expect: allowed}
  - {name: carol deletes, action: s3:DeleteObject, resource: "arn:aws:s3:::reports/a", expect: allowed}
  - name: carol cannot delete under the SCP
    snapshot: {file: account.json, org: org.json}
    action: s3:DeleteObject
    resource: "arn:aws:s3:::reports/a"
    expect: explicitDeny
  - name: carol's tag overridden by the context
    context: {"aws:PrincipalTag/team": red}
    action: s3:GetObject
    resource: "arn:aws:s3:::reports/a"
    expect: implicitDeny
  - {name: app without the VPC, principal: "arn:aws:iam::111122223333:role/service/app", action: s3:PutObject, resource: "arn:aws:s3:::reports/a", expect: implicitDeny}
  - {name: app in the VPC, principal: "arn:aws:iam::111122223333:role/service/app", action: s3:PutObject, resource: "arn:aws:s3:::reports/a", context: {aws:SourceVpc: vpc-1}, expect: allowed}
  - {name: bob assumes app, principal: "arn:aws:iam::111122223333:user/staff/bob", action: sts:AssumeRole, resource: "arn:aws:iam::111122223333:role/service/app", expect: allowed}
`)
	f, err := evaltest.LoadFile(p)
	require.NoError(t, err)
	require.Len(t, f.Cases, 7)
	require.Equal(t, "arn:aws:sts::111122223333:assumed-role/app/who-can", f.Cases[4].Request.Principal)
	for _, c := range f.Cases {
		r, err := c.Evaluate()
		require.NoError(t, err)
		require.Equal(t, c.Expect, r.Decision, c.Name)
	}
	evaltest.RunFile(t, p)
	_ = evaluator.Allowed
}

func TestSnapshotCaseErrors(t *testing.T) {
	tests := []struct{ name, cases, want string }{
		{"with identity policies", `{name: x, snapshot: {file: account.json}, principal: "arn:aws:iam::111122223333:user/carol", identityPolicies: [], action: s3:GetObject, expect: allowed}`, "identityPolicies cannot be given"},
		{"unknown principal", `{name: x, snapshot: {file: account.json}, principal: "arn:aws:iam::111122223333:user/zed", action: s3:GetObject, expect: allowed}`, "no user or role"},
		{"missing file", `{name: x, snapshot: {file: nope.json}, principal: "arn:aws:iam::111122223333:user/carol", action: s3:GetObject, expect: allowed}`, "nope.json"},
		{"unknown field", `{name: x, snapshot: {file: account.json, rp: x}, principal: "arn:aws:iam::111122223333:user/carol", action: s3:GetObject, expect: allowed}`, "rp"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := snapshotDir(t, "cases:\n  - "+tc.cases+"\n")
			f, err := evaltest.LoadFile(p)
			if err == nil {
				require.NotEmpty(t, f.Invalid)
				err = f.Invalid[0]
			}
			require.ErrorContains(t, err, tc.want)
		})
	}
}
