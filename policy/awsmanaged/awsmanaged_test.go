package awsmanaged_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/policy"
	"github.com/iamsim/iamsim/policy/awsmanaged"
)

// wantPolicies is how many AWS managed policies the package version of
// Source ships (docs/semantics.md §4.4).
const wantPolicies = 1594

func TestAll(t *testing.T) {
	all, err := awsmanaged.All()
	require.NoError(t, err)
	require.Len(t, all, wantPolicies)
	for i, p := range all {
		require.Equal(t, policy.AWSManaged, policy.ProvenanceOf(p.ARN), p.ARN)
		require.NotEmpty(t, p.Document, p.Name)
		require.Regexp(t, `^v[0-9]+$`, p.VersionID, p.Name)
		if i > 0 {
			require.Less(t, all[i-1].Name, p.Name)
		}
		got, ok := awsmanaged.Lookup(p.ARN)
		require.True(t, ok, p.ARN)
		require.Equal(t, p, got)
	}
}

func TestLookup(t *testing.T) {
	// ReadOnlyAccess and AdministratorAccess are among AWS's job-function
	// policies (IAM User Guide, AWS managed policies for job functions).
	p, ok := awsmanaged.Lookup("arn:aws:iam::aws:policy/AdministratorAccess")
	require.True(t, ok)
	require.Equal(t, "AdministratorAccess", p.Name)
	doc, err := policy.Parse([]byte(p.Document), policy.ParseAs(policy.AWSManaged))
	require.NoError(t, err)
	require.Len(t, doc.Statements, 1)
	require.Equal(t, []string{"*"}, doc.Statements[0].Action)

	_, ok = awsmanaged.Lookup("arn:aws:iam::aws:policy/NoSuchPolicyAnywhere")
	require.False(t, ok)
	_, ok = awsmanaged.Lookup("arn:aws:iam::111122223333:policy/AdministratorAccess")
	require.False(t, ok)
}
