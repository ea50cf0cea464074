package accesscheck

import (
	"math/rand/v2"
	"testing"

	"github.com/iamsim/iamsim/evaluator"
)

// TestPropertySets compares CheckNoNewAccessSets with brute force for
// random identity policies, boundaries and SCPs of one user.
func TestPropertySets(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 2026))
	scps := []string{
		doc(`{"Effect":"Allow","Action":"*","Resource":"*"}`),
		doc(`{"Effect":"Allow","Action":"*","Resource":"*"}`, `{"Effect":"Deny","Action":"s3:PutObject","Resource":"*"}`),
		doc(`{"Effect":"Allow","Action":["s3:*","sqs:*"],"Resource":"*"}`),
		doc(`{"Effect":"Allow","Action":"*","Resource":"*"}`, `{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"x:k":"x"}}}`),
	}
	const user = "arn:aws:iam::111122223333:user/alice"
	randomSet := func() evaluator.PolicySet {
		set := evaluator.PolicySet{Identity: []evaluator.Input{in(t, "id", randomPolicy(r, false))}}
		if r.IntN(2) == 0 {
			set.PermissionsBoundary = &evaluator.Input{ID: "pb", Policy: mustParse(t, randomPolicy(r, false))}
		}
		if r.IntN(2) == 0 {
			set.SCPs = [][]evaluator.Input{{in(t, "scp", scps[r.IntN(len(scps))])}}
		}
		return set
	}
	actions := []string{"s3:GetObject", "s3:PutObject", "s3:ListBucket", "sqs:SendMessage", "iam:CreateUser"}
	resources := []string{"*", "arn:aws:s3:::b/x", "arn:aws:s3:::b/abc", "arn:aws:s3:::b/a", "arn:aws:s3:::c/x", "arn:aws:s3:::bx/x", "arn:aws:s3:::b"}
	kVals := []string{"", "x", "y"}
	ipVals := []string{"", "10.1.2.3", "11.0.0.0"}
	nVals := []string{"", "3", "7"}
	n := 20
	if testing.Short() {
		n = 8
	}
	fails := 0
	for i := range n {
		before, after := randomSet(), randomSet()
		res, err := CheckNoNewAccessSets(before, after, user)
		if err != nil {
			t.Fatalf("pair %d: %v", i, err)
		}
		b, _ := evaluator.Compile(before)
		a, _ := evaluator.Compile(after)
		var witness *evaluator.Request
	search:
		for _, act := range actions {
			for _, rs := range resources {
				for _, k := range kVals {
					for _, ip := range ipVals {
						for _, nv := range nVals {
							ctx := evaluator.Context{}
							if k != "" {
								ctx["x:k"] = evaluator.Single(k)
							}
							if ip != "" {
								ctx["aws:SourceIp"] = evaluator.Single(ip)
							}
							if nv != "" {
								ctx["x:n"] = evaluator.Single(nv)
							}
							req := evaluator.Request{Principal: user, Action: act, Resource: rs, Context: ctx, ResourceAccount: "111122223333"}
							if a.Evaluate(req).Decision == evaluator.Allowed && b.Evaluate(req).Decision != evaluator.Allowed {
								witness = &req
								break search
							}
						}
					}
				}
			}
		}
		if witness != nil && res.Result != Fail {
			t.Fatalf("pair %d: false PASS: brute force found %+v", i, *witness)
		}
		if res.Result == Fail {
			fails++
		}
	}
	t.Logf("%d pairs: %d FAIL", n, fails)
}
