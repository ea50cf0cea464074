package sts_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/sts"
	"github.com/iamsim/iamsim/policy"
)

func mustInput(t *testing.T, id, src string) evaluator.Input {
	t.Helper()
	p, err := policy.Parse([]byte(src), policy.WithSource(id))
	require.NoError(t, err)
	return evaluator.Input{ID: id, Policy: p}
}

var issued = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// chainSetup: alice assumes ops with session tags, one of them transitive;
// the ops session then assumes app (role chaining).
func chainSetup(t *testing.T) (sts.Role, *sts.Session) {
	t.Helper()
	trustAlice := mustInput(t, "trust-ops", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},
		"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]}]}`)
	ops := sts.Role{
		ARN: "arn:aws:iam::111122223333:role/ops", TrustPolicy: &trustAlice,
		Policies: evaluator.PolicySet{Identity: []evaluator.Input{mustInput(t, "ops-policy",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`)}},
	}
	s, err := sts.AssumeRole(sts.AssumeRoleInput{
		Caller:            sts.Caller{Principal: "arn:aws:iam::111122223333:user/alice"},
		Role:              ops,
		RoleSessionName:   "alice",
		Tags:              []sts.Tag{{Key: "Project", Value: "blue"}, {Key: "CostCenter", Value: "12345"}},
		TransitiveTagKeys: []string{"Project"},
		SourceIdentity:    "alice",
		Now:               issued,
	})
	require.NoError(t, err)
	trustOps := mustInput(t, "trust-app", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"AWS":"arn:aws:iam::111122223333:role/ops"},
		"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]}]}`)
	app := sts.Role{
		ARN: "arn:aws:iam::111122223333:role/app", TrustPolicy: &trustOps, MaxSessionDuration: 12 * time.Hour,
		Policies: evaluator.PolicySet{Identity: []evaluator.Input{mustInput(t, "app-policy",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",
			"Resource":"arn:aws:s3:::example-bucket/${aws:PrincipalTag/Project}/*"}]}`)}},
	}
	return app, s
}

func TestAssumeRoleSession(t *testing.T) {
	_, s := chainSetup(t)
	want := &sts.Session{
		API: sts.APIAssumeRole, ARN: "arn:aws:sts::111122223333:assumed-role/ops/alice",
		Issuer: "arn:aws:iam::111122223333:role/ops", Name: "alice",
		IssuedAt: issued, Expiration: issued.Add(time.Hour),
		Tags:              []sts.Tag{{Key: "CostCenter", Value: "12345"}, {Key: "Project", Value: "blue"}},
		TransitiveTagKeys: []string{"Project"}, SourceIdentity: "alice",
		Context: evaluator.Context{
			"aws:PrincipalTag/CostCenter": evaluator.Single("12345"),
			"aws:PrincipalTag/Project":    evaluator.Single("blue"),
			"aws:SourceIdentity":          evaluator.Single("alice"),
			"aws:TokenIssueTime":          evaluator.Single("2026-11-25T10:00:00Z"),
			"aws:MultiFactorAuthPresent":  evaluator.Single("false"),
		},
	}
	got := *s
	got.Policies = evaluator.PolicySet{}
	if d := cmp.Diff(want, &got, cmp.AllowUnexported(sts.Session{}), cmp.FilterPath(func(p cmp.Path) bool {
		return p.Last().String() == ".engine" || p.Last().String() == ".opts"
	}, cmp.Ignore())); d != "" {
		t.Errorf("session (-want +got):\n%s", d)
	}
	require.Len(t, s.Policies.Identity, 1)
	require.Empty(t, s.Policies.Session)
}

func TestRoleChaining(t *testing.T) {
	app, ops := chainSetup(t)
	in := sts.AssumeRoleInput{Caller: ops.AsCaller(), Role: app, RoleSessionName: "deploy", Now: issued.Add(time.Minute)}

	s, err := sts.AssumeRole(in)
	require.NoError(t, err)
	require.True(t, s.Chained)
	// The transitive tag and the source identity pass on; CostCenter does not.
	require.Equal(t, []sts.Tag{{Key: "Project", Value: "blue"}}, s.Tags)
	require.Equal(t, []string{"Project"}, s.TransitiveTagKeys)
	require.Equal(t, "alice", s.SourceIdentity)
	r, err := s.Evaluate(evaluator.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::example-bucket/blue/k"})
	require.NoError(t, err)
	require.Equal(t, evaluator.Allowed, r.Decision)

	t.Run("a chained session is at most one hour", func(t *testing.T) {
		in := in
		in.DurationSeconds = 3601
		_, err := sts.AssumeRole(in)
		require.ErrorIs(t, err, &sts.Error{Code: "ValidationError", Parameter: "DurationSeconds"})
	})
	t.Run("a transitive tag cannot be overridden", func(t *testing.T) {
		in := in
		in.Tags = []sts.Tag{{Key: "project", Value: "red"}}
		_, err := sts.AssumeRole(in)
		require.ErrorIs(t, err, &sts.Error{Code: "ValidationError", Parameter: "Tags"})
	})
	t.Run("the source identity cannot be changed", func(t *testing.T) {
		in := in
		in.SourceIdentity = "mallory"
		_, err := sts.AssumeRole(in)
		require.ErrorIs(t, err, sts.ErrAccessDenied)
	})
	// IUG id_credentials_temp_control-access_monitor: "the source identity
	// in the request persists from the first assumed role session.
	// Therefore, both the aws:SourceIdentity and sts:SourceIdentity keys are
	// present in the request context", and in role chaining "permissions
	// for sts:SetSourceIdentity are required ... in the role trust policy of
	// the target role. Otherwise, the assume role operation will fail."
	t.Run("the inherited source identity is sts:SourceIdentity of the chained call", func(t *testing.T) {
		in := in
		trust := mustInput(t, "trust-app", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Principal":{"AWS":"arn:aws:iam::111122223333:role/ops"},"Action":["sts:AssumeRole","sts:SetSourceIdentity"],
			"Condition":{"StringEquals":{"sts:SourceIdentity":"alice"}}}]}`)
		in.Role.TrustPolicy = &trust
		_, err := sts.AssumeRole(in)
		require.NoError(t, err)
	})
	t.Run("an inherited source identity needs sts:SetSourceIdentity", func(t *testing.T) {
		in := in
		trust := mustInput(t, "trust-app", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Principal":{"AWS":"arn:aws:iam::111122223333:role/ops"},"Action":"sts:AssumeRole"}]}`)
		in.Role.TrustPolicy = &trust
		_, err := sts.AssumeRole(in)
		require.ErrorIs(t, err, sts.ErrAccessDenied)
	})
	t.Run("an expired session cannot assume a role", func(t *testing.T) {
		in := in
		in.Now = issued.Add(time.Hour)
		_, err := sts.AssumeRole(in)
		require.ErrorIs(t, err, sts.ErrExpiredToken)
	})
}

func TestAccessDeniedExplains(t *testing.T) {
	trust := mustInput(t, "trust", `{"Version":"2012-10-17","Statement":[{"Sid":"OnlyBob","Effect":"Allow",
		"Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"sts:AssumeRole"}]}`)
	_, err := sts.AssumeRole(sts.AssumeRoleInput{
		Caller:          sts.Caller{Principal: "arn:aws:iam::111122223333:user/alice"},
		Role:            sts.Role{ARN: "arn:aws:iam::111122223333:role/app", TrustPolicy: &trust},
		RoleSessionName: "s1", Now: issued,
	})
	var se *sts.Error
	require.ErrorAs(t, err, &se)
	require.Equal(t, "AccessDenied", se.Code)
	require.NotNil(t, se.Result)
	require.Equal(t, evaluator.ImplicitDeny, se.Result.Decision)
	require.Equal(t, evaluator.LayerResource, se.Result.DecidedBy)
	require.NotNil(t, se.Result.Trace, "the refusal carries its trace")
	require.Contains(t, se.Error(), "arn:aws:iam::111122223333:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role/app")
	require.False(t, errors.Is(err, sts.ErrValidation))
}

func TestMalformedSessionPolicyKeepsPolicyErrors(t *testing.T) {
	trust := mustInput(t, "trust", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole"}]}`)
	_, err := sts.AssumeRole(sts.AssumeRoleInput{
		Caller:          sts.Caller{Principal: "arn:aws:iam::111122223333:user/alice"},
		Role:            sts.Role{ARN: "arn:aws:iam::111122223333:role/app", TrustPolicy: &trust},
		RoleSessionName: "s1", Now: issued,
		Policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`,
	})
	require.ErrorIs(t, err, sts.ErrMalformedPolicyDocument)
	require.ErrorIs(t, err, policy.CodeElementNotAllowed, "the policy's own coded error is kept")
	require.Equal(t, []policy.Code{policy.CodeElementNotAllowed}, policy.AsErrors(err).Codes())
}

func TestSessionRequests(t *testing.T) {
	trust := mustInput(t, "trust", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole"}]}`)
	s, err := sts.AssumeRole(sts.AssumeRoleInput{
		Caller: sts.Caller{Principal: "arn:aws:iam::111122223333:user/alice"},
		Role: sts.Role{ARN: "arn:aws:iam::111122223333:role/app", TrustPolicy: &trust,
			Policies: evaluator.PolicySet{Identity: []evaluator.Input{mustInput(t, "role",
				`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*","Resource":"*"}]}`)}}},
		RoleSessionName: "s1", Now: issued,
		Policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`,
	})
	require.NoError(t, err)

	t.Run("another principal is refused", func(t *testing.T) {
		_, err := s.Evaluate(evaluator.Request{Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:GetObject", Resource: "*"})
		require.Error(t, err)
	})
	t.Run("no identity allow, no resource policy", func(t *testing.T) {
		r, err := s.Evaluate(evaluator.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::example-bucket/k"})
		require.NoError(t, err)
		require.Equal(t, evaluator.ImplicitDeny, r.Decision)
		require.Equal(t, evaluator.LayerIdentity, r.DecidedBy)
	})
	t.Run("a bucket policy naming the session grants directly", func(t *testing.T) {
		se, err := s.WithResourcePolicy(mustInput(t, "bucket", `{"Version":"2012-10-17","Statement":[{"Sid":"Direct","Effect":"Allow",
			"Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/app/s1"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::example-bucket/*"}]}`))
		require.NoError(t, err)
		r, err := se.Evaluate(evaluator.Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::example-bucket/k"})
		require.NoError(t, err)
		require.Equal(t, evaluator.Allowed, r.Decision)
		require.Equal(t, evaluator.LayerResource, r.DecidedBy)
	})
	t.Run("a request's own context wins over the session's", func(t *testing.T) {
		se, err := s.WithResourcePolicy(mustInput(t, "bucket", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
			"Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`))
		require.NoError(t, err)
		r, err := se.Evaluate(evaluator.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::example-bucket/k"})
		require.NoError(t, err)
		require.Equal(t, evaluator.ImplicitDeny, r.Decision, "the session's own aws:MultiFactorAuthPresent is false")
		r, err = se.Evaluate(evaluator.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::example-bucket/k",
			Context: evaluator.Context{"aws:multifactorauthpresent": evaluator.Single("true")}})
		require.NoError(t, err)
		require.Equal(t, evaluator.Allowed, r.Decision)
	})
	t.Run("a malformed request time is an error", func(t *testing.T) {
		_, err := s.Evaluate(evaluator.Request{Action: "s3:GetObject", Resource: "*",
			Context: evaluator.Context{"aws:CurrentTime": evaluator.Single("yesterday")}})
		require.Error(t, err)
	})
	t.Run("a zero Session is refused, not a panic", func(t *testing.T) {
		_, err := (&sts.Session{}).Evaluate(evaluator.Request{Action: "s3:GetObject", Resource: "*"})
		require.Error(t, err)
	})
}

func TestSetupErrors(t *testing.T) {
	trust := mustInput(t, "trust", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole"}]}`)
	base := sts.AssumeRoleInput{
		Caller:          sts.Caller{Principal: "arn:aws:iam::111122223333:user/alice"},
		Role:            sts.Role{ARN: "arn:aws:iam::111122223333:role/app", TrustPolicy: &trust},
		RoleSessionName: "s1", Now: issued,
	}
	tests := []struct {
		name   string
		change func(*sts.AssumeRoleInput)
	}{
		{"role ARN that is not a role", func(in *sts.AssumeRoleInput) { in.Role.ARN = "arn:aws:iam::111122223333:user/app" }},
		{"no trust policy", func(in *sts.AssumeRoleInput) { in.Role.TrustPolicy = nil }},
		{"max session duration over 12 hours", func(in *sts.AssumeRoleInput) { in.Role.MaxSessionDuration = 13 * time.Hour }},
		{"role with session policies", func(in *sts.AssumeRoleInput) {
			in.Role.Policies.Session = []evaluator.Input{trust}
		}},
		{"caller that is no principal", func(in *sts.AssumeRoleInput) { in.Caller.Principal = "alice" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := base
			tc.change(&in)
			_, err := sts.AssumeRole(in)
			require.Error(t, err)
			var se *sts.Error
			require.False(t, errors.As(err, &se), "a setup problem is not an STS refusal: %v", err)
		})
	}
	_, err := sts.AssumeRole(base)
	require.NoError(t, err, "the base input is valid")
}

// MFA given to a chained AssumeRole counts for that call, though the calling
// session's own credentials carry aws:MultiFactorAuthPresent=false
// (IUG id_credentials_mfa_configure-api-require: AssumeRole takes
// SerialNumber and TokenCode; its credentials carry no MFA information).
func TestChainedCallWithMFA(t *testing.T) {
	app, ops := chainSetup(t)
	mfaTrust := mustInput(t, "trust-app", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"AWS":"arn:aws:iam::111122223333:role/ops"},"Action":["sts:AssumeRole","sts:SetSourceIdentity"],
		"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`)
	app.TrustPolicy = &mfaTrust
	in := sts.AssumeRoleInput{Caller: ops.AsCaller(), Role: app, RoleSessionName: "deploy", Now: issued}
	_, err := sts.AssumeRole(in)
	require.ErrorIs(t, err, sts.ErrAccessDenied, "the calling session carries no MFA")
	in.SerialNumber, in.TokenCode = "arn:aws:iam::111122223333:mfa/alice", "123456"
	_, err = sts.AssumeRole(in)
	require.NoError(t, err)
}

// TestSessionRefusesMalformedRequests: a session reports a request no
// caller could make instead of deciding it.
func TestSessionRefusesMalformedRequests(t *testing.T) {
	_, s := chainSetup(t)
	for _, req := range []evaluator.Request{
		{Action: "s3:Get*", Resource: "*"},
		{Action: "GetObject", Resource: "*"},
		{Action: "s3:GetObject", Resource: "bucket/key"},
	} {
		_, err := s.Evaluate(req)
		require.Error(t, err, "%+v", req)
	}
	_, err := s.Evaluate(evaluator.Request{Action: "s3:GetObject", Resource: "*"})
	require.NoError(t, err)
}
