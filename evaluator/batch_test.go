package evaluator_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/policy"
)

// TestConcurrentBatch checks EvaluateBatch against Evaluate, in order, on a
// grid large enough to spread over every worker (and runs under -race in
// CI).
func TestConcurrentBatch(t *testing.T) {
	admin, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"*","Resource":"*"},
		{"Sid":"NoIAMWrites","Effect":"Deny","Action":["iam:Create*","iam:Delete*","iam:Put*"],"Resource":"*"},
		{"Sid":"KMSOnlyWithMFA","Effect":"Deny","Action":"kms:*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}},
		{"Sid":"TagOnlyOwnTeam","Effect":"Deny","Action":"ec2:CreateTags","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestTag/team":"${aws:PrincipalTag/team}"}}}]}`))
	require.NoError(t, err)
	eng, err := evaluator.Compile(evaluator.PolicySet{Identity: []evaluator.Input{{ID: "admin", Policy: admin}}})
	require.NoError(t, err)
	var principals, resources []string
	for i := 0; i < 5; i++ {
		principals = append(principals, fmt.Sprintf("arn:aws:iam::111122223333:user/u%d", i))
		resources = append(resources, fmt.Sprintf("arn:aws:s3:::bucket-%d/k", i))
	}
	actions := []string{"s3:GetObject", "iam:CreateUser", "iam:GetUser", "kms:Decrypt", "ec2:CreateTags", "sts:GetCallerIdentity"}
	reqs := evaluator.Grid(principals, actions, resources, evaluator.Context{"aws:MultiFactorAuthPresent": evaluator.Single("true")})
	require.Len(t, reqs, 5*6*5)
	require.Equal(t, "arn:aws:iam::111122223333:user/u0", reqs[0].Principal)
	require.Equal(t, "iam:CreateUser", reqs[5].Action, "resources vary fastest")
	for round := 0; round < 20; round++ {
		got := eng.EvaluateBatch(reqs, evaluator.WithTrace())
		require.Len(t, got, len(reqs))
		for i, r := range got {
			if d := cmp.Diff(eng.Evaluate(reqs[i], evaluator.WithTrace()), r); d != "" {
				t.Fatalf("request %d: batch differs (-Evaluate +batch):\n%s", i, d)
			}
		}
	}
	require.Empty(t, eng.EvaluateBatch(nil))
}

// TestConcurrentVariables evaluates variable-bearing resources from many
// goroutines, with more distinct substitutions than a pattern caches, so
// that the race detector sees the pattern caches filled and read at once.
func TestConcurrentVariables(t *testing.T) {
	p := mustInput(t, "home", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",
		"Resource":"arn:aws:s3:::amzn-s3-demo-bucket/home/${aws:username}/*"}]}`)
	eng, err := evaluator.Compile(evaluator.PolicySet{Identity: []evaluator.Input{p}})
	require.NoError(t, err)
	var reqs []evaluator.Request
	var want []evaluator.Decision
	for i := 0; i < 600; i++ {
		user := fmt.Sprintf("user%d", i)
		own := fmt.Sprintf("arn:aws:s3:::amzn-s3-demo-bucket/home/%s/k", user)
		other := fmt.Sprintf("arn:aws:s3:::amzn-s3-demo-bucket/home/user%d/k", i+1)
		// ${aws:username} is the caller's user name (docs/semantics.md §7): its own home only.
		reqs = append(reqs, evaluator.Request{Principal: "arn:aws:iam::111122223333:user/" + user, Action: "s3:GetObject", Resource: own},
			evaluator.Request{Principal: "arn:aws:iam::111122223333:user/" + user, Action: "s3:GetObject", Resource: other})
		want = append(want, evaluator.Allowed, evaluator.ImplicitDeny)
	}
	for round := 0; round < 3; round++ {
		for i, r := range eng.EvaluateBatch(reqs) {
			require.Equal(t, want[i], r.Decision, "request %d", i)
		}
	}
}

func mustInput(t *testing.T, id, src string) evaluator.Input {
	t.Helper()
	p, err := policy.Parse([]byte(src), policy.WithSource(id))
	require.NoError(t, err)
	return evaluator.Input{ID: id, Policy: p}
}
