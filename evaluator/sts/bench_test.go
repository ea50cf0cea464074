package sts_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/sts"
	"github.com/iamsim/iamsim/policy"
)

// benchInput reads a workload policy of testdata/bench.
func benchInput(tb testing.TB, name string) evaluator.Input {
	tb.Helper()
	path := filepath.Join("..", "..", "testdata", "bench", name)
	p, err := policy.ParseFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return evaluator.Input{ID: strings.TrimSuffix(name, ".json"), Policy: p}
}

// sessionInput is an AssumeRole call with a trust policy naming the caller,
// the layered set's identity policies and boundary for the role, and an
// inline session policy.
func sessionInput(tb testing.TB) sts.AssumeRoleInput {
	b := benchInput(tb, "layered/boundary.json")
	set := evaluator.PolicySet{Identity: []evaluator.Input{benchInput(tb, "layered/identity.json")}, PermissionsBoundary: &b}
	tp, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"AWS":"arn:aws:iam::111111111111:user/alice"},"Action":["sts:AssumeRole","sts:TagSession"]}]}`))
	if err != nil {
		tb.Fatal(err)
	}
	trust := evaluator.Input{ID: "trust", Policy: tp}
	return sts.AssumeRoleInput{
		Caller:          sts.Caller{Principal: "arn:aws:iam::111111111111:user/alice"},
		Role:            sts.Role{ARN: "arn:aws:iam::111111111111:role/app", TrustPolicy: &trust, Policies: evaluator.PolicySet{Identity: set.Identity, PermissionsBoundary: set.PermissionsBoundary}},
		RoleSessionName: "bench",
		Policy:          `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::reports/*"}]}`,
		Tags:            []sts.Tag{{Key: "team", Value: "blue"}},
	}
}

// BenchmarkAssumeRole measures one simulated AssumeRole: validation, trust
// evaluation (traced, as refusals explain themselves) and compiling the
// session's policies.
func BenchmarkAssumeRole(b *testing.B) {
	in := sessionInput(b)
	b.ReportAllocs()
	for b.Loop() {
		s, err := sts.AssumeRole(in)
		if err != nil || s.ARN != "arn:aws:sts::111111111111:assumed-role/app/bench" {
			b.Fatalf("AssumeRole: %v", err)
		}
	}
}

// BenchmarkSessionEvaluate measures one request of a session: the session's
// context is merged into the request's, then the compiled engine decides.
func BenchmarkSessionEvaluate(b *testing.B) {
	s, err := sts.AssumeRole(sessionInput(b))
	if err != nil {
		b.Fatal(err)
	}
	req := evaluator.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/2026/q3.csv"}
	b.ReportAllocs()
	for b.Loop() {
		r, err := s.Evaluate(req)
		if err != nil || r.Decision != evaluator.Allowed {
			b.Fatalf("got %v, %v", r.Decision, err)
		}
	}
}
