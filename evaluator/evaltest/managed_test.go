package evaltest_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/evaluator/evaltest"
	"github.com/iamsim/iamsim/policy"
)

// TestAWSManagedReference checks {file: path, awsManaged: true}: the policy
// is parsed and compiled as AWS managed, so the variable before the fifth
// colon of AmazonTimestreamInfluxDBServiceRolePolicy is accepted; without
// the mark it is a customer's policy and refused; other keys are refused.
func TestAWSManagedReference(t *testing.T) {
	const path = "../../testdata/cases/managed/x.yaml" // relative file paths start there
	const head = `
defaults:
  principal: arn:aws:sts::111122223333:assumed-role/r/s
  action: kms:Decrypt
  resource: arn:aws:kms:us-east-1:111122223333:key/abc
  expect: implicitDeny
  source: "derived: test"
cases:
  - name: c
    identityPolicies: [`
	load := func(ref string) (*evaltest.File, error) {
		return evaltest.Load(path, []byte(head+ref+"]\n"))
	}
	f, err := load(`{file: ../../policies/AmazonTimestreamInfluxDBServiceRolePolicy.json, awsManaged: true}`)
	require.NoError(t, err)
	in := f.Cases[0].Policies.Identity[0]
	require.True(t, in.AWSManaged)
	require.Equal(t, "AmazonTimestreamInfluxDBServiceRolePolicy", in.ID)

	_, err = load(`{file: ../../policies/AmazonTimestreamInfluxDBServiceRolePolicy.json}`)
	require.ErrorIs(t, err, policy.CodeInvalidVariable, "a customer's policy")
	_, err = load(`{file: ../../policies/AmazonTimestreamInfluxDBServiceRolePolicy.json, awsManaged: false}`)
	require.ErrorIs(t, err, policy.CodeInvalidVariable, "awsManaged: false is a customer's policy")

	for _, tc := range []struct{ ref, want string }{
		{`{file: ../../policies/allow-all.json, awsManged: true}`, `unknown identityPolicies[0] policy reference field "awsManged"`},
		{`{file: ../../policies/allow-all.json, awsManaged: "true"}`, "awsManaged must be true or false"},
		{`{file: ../../policies/allow-all.json, awsManaged: [true]}`, "awsManaged must be true or false"},
		{`{awsManaged: true}`, "missing identityPolicies[0].file"},
		{`{file: [a.json]}`, "identityPolicies[0].file must be a string"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			_, err := load(tc.ref)
			require.ErrorContains(t, err, tc.want)
		})
	}
	// A customer's policy marked AWS managed loads as before.
	f, err = load(`{file: ../../policies/allow-all.json, awsManaged: true}`)
	require.NoError(t, err)
	require.True(t, f.Cases[0].Policies.Identity[0].AWSManaged)
}
