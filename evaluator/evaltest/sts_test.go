package evaltest_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/evaluator/evaltest"
)

const stsHeader = `
defaults:
  action: s3:GetObject
  resource: arn:aws:s3:::b/k
  identityPolicies: [{Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:*", Resource: "*"}]}]
  assumeRole: &alice
    caller: {principal: "arn:aws:iam::111111111111:user/alice"}
    roleArn: arn:aws:iam::111111111111:role/app
    trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "arn:aws:iam::111111111111:user/alice"}, Action: "sts:AssumeRole"}]}
    roleSessionName: s1
cases:
`

func TestSessionCaseFileErrors(t *testing.T) {
	tests := []struct{ name, cases, want string }{
		{"unknown assumeRole field", `
  - {name: c, expect: allowed, assumeRole: {<<: *alice, roleSesionName: x}}`, `unknown assumeRole field "roleSesionName"`},
		{"two STS calls", `
  - {name: c, expect: allowed, getFederationToken: {caller: {principal: "arn:aws:iam::111111111111:user/alice"}, name: carol}}`, "a case makes one STS call"},
		{"principal with an STS call", `
  - {name: c, expect: allowed, principal: "arn:aws:iam::111111111111:user/alice"}`, "principal comes from the assumeRole call"},
		{"expectError and expect", `
  - {name: c, expect: allowed, expectError: AccessDenied}`, "either an STS error or a decision"},
		{"expectError without a call", `
  - {name: c, assumeRole: null, principal: "arn:aws:iam::111111111111:user/alice", expectError: AccessDenied}`, "expectError needs an STS call"},
		{"expectError with an unknown field", `
  - {name: c, expectError: {code: AccessDenied, param: Policy}}`, `unknown expectError field "param"`},
		{"missing trust policy", `
  - {name: c, expect: allowed, assumeRole: {caller: {principal: "arn:aws:iam::111111111111:user/alice"}, roleArn: "arn:aws:iam::111111111111:role/app", roleSessionName: s1}}`, "missing trustPolicy"},
		{"a duration that is not a number", `
  - {name: c, expect: allowed, assumeRole: {<<: *alice, durationSeconds: one-hour}}`, "durationSeconds must be a whole number"},
		{"caller policies in a federation call", `
  - {name: c, expect: allowed, assumeRole: null, getFederationToken: {caller: {principal: "arn:aws:iam::111111111111:user/alice", identityPolicies: []}, name: carol}}`, `unknown getFederationToken.caller field "identityPolicies"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := evaltest.Load("cases.yaml", []byte(stsHeader+tc.cases))
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestSessionCaseOutcomes(t *testing.T) {
	f, err := evaltest.Load("cases.yaml", []byte(stsHeader+`
  - name: passes
    expect: allowed
  - name: expects an error the call does not raise
    expectError: AccessDenied
  - name: expects another error than the call raises
    assumeRole: {<<: *alice, durationSeconds: 100}
    expectError: {code: ValidationError, parameter: RoleSessionName}
  - name: expects a decision but the call is refused
    assumeRole: {<<: *alice, roleSessionName: x}
    expect: allowed
`))
	require.NoError(t, err)
	require.Len(t, f.Cases, 4)
	var got []string
	for _, c := range f.Cases {
		o := c.Run()
		got = append(got, c.Want()+" -> "+strings.SplitN(o.Got(), ":", 2)[0])
		if c.Name == "passes" {
			require.True(t, o.Pass(), o.Report())
			continue
		}
		require.False(t, o.Pass())
		require.NotEmpty(t, o.Report())
	}
	require.Equal(t, []string{
		"allowed -> allowed",
		"AccessDenied -> no error",
		"ValidationError -> ValidationError",
		"allowed -> error",
	}, got)
	o := f.Cases[2].Run()
	require.Contains(t, o.Problem, "want STS error ValidationError (RoleSessionName), got ValidationError (DurationSeconds)")
}

// TestSessionCaseNullDropsDefault: null in an STS block's scalar field
// drops the value a merge brought in, as null does elsewhere in case files.
func TestSessionCaseNullDropsDefault(t *testing.T) {
	f, err := evaltest.Load("cases.yaml", []byte(stsHeader+`
  - name: the merged duration is too short
    assumeRole: &short {<<: *alice, durationSeconds: 100}
    expectError: {code: ValidationError, parameter: DurationSeconds}
  - name: null drops it
    assumeRole: {<<: *short, durationSeconds: null}
    expect: allowed
`))
	require.NoError(t, err)
	for _, c := range f.Cases {
		o := c.Run()
		require.True(t, o.Pass(), o.Report())
	}
}
