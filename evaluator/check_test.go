package evaluator_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/evaluator"
)

// TestCheck: Check reports what Request.Validate finds, where Evaluate
// denies implicitly, and otherwise decides as Evaluate does.
func TestCheck(t *testing.T) {
	eng, err := evaluator.Compile(evaluator.PolicySet{Identity: []evaluator.Input{mustInput(t, "all",
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)}})
	require.NoError(t, err)
	ok := evaluator.Request{Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:GetObject", Resource: "*"}
	r, err := eng.Check(ok)
	require.NoError(t, err)
	assert.Equal(t, eng.Evaluate(ok), r)
	for _, bad := range []evaluator.Request{
		{Action: "s3:GetObject", Resource: "*"},
		{Principal: ok.Principal, Action: "s3:Get*", Resource: "*"},
		{Principal: ok.Principal, Action: "s3:GetObject", Resource: "bucket/key"},
	} {
		_, err := eng.Check(bad)
		assert.Error(t, err, "%+v", bad)
		assert.Equal(t, evaluator.ImplicitDeny, eng.Evaluate(bad).Decision)
	}
	_, err = (*evaluator.Engine)(nil).Check(ok)
	assert.Error(t, err)
}

// TestParsePrincipalKinds checks the public view of each kind of caller.
func TestParsePrincipalKinds(t *testing.T) {
	for _, tc := range []struct {
		in, issuer string
		want       evaluator.Principal
	}{
		{"arn:aws:iam::111122223333:root", "", evaluator.Principal{Kind: evaluator.PrincipalRoot, Partition: "aws", Account: "111122223333"}},
		{"arn:aws:iam::111122223333:user/alice", "", evaluator.Principal{Kind: evaluator.PrincipalUser, Partition: "aws", Account: "111122223333"}},
		{"arn:aws-cn:sts::111122223333:assumed-role/app/s1", "arn:aws-cn:iam::111122223333:role/app", evaluator.Principal{Kind: evaluator.PrincipalRoleSession, Partition: "aws-cn", Account: "111122223333"}},
		{"arn:aws:sts::111122223333:federated-user/bob", "", evaluator.Principal{Kind: evaluator.PrincipalFederatedUser, Partition: "aws", Account: "111122223333"}},
		{"sns.amazonaws.com", "", evaluator.Principal{Kind: evaluator.PrincipalService}},
		{"accounts.google.com", "", evaluator.Principal{Kind: evaluator.PrincipalIdentityProvider}},
		{"arn:aws:iam::111122223333:saml-provider/corp", "", evaluator.Principal{Kind: evaluator.PrincipalIdentityProvider}},
		{"anonymous", "", evaluator.Principal{Kind: evaluator.PrincipalAnonymous}},
	} {
		got, err := evaluator.ParsePrincipal(tc.in, tc.issuer)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
	for _, bad := range []string{"", "alice", "arn:aws:iam::1:user/alice"} {
		_, err := evaluator.ParsePrincipal(bad, "")
		assert.Error(t, err, bad)
	}
	assert.Equal(t, "identityProvider", evaluator.PrincipalIdentityProvider.String())
}
