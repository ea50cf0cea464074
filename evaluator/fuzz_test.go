package evaluator_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/policy"
)

// fuzzOperators lists every operator name the table allows plus a few it
// does not, so the fuzzer reaches both compile paths.
func fuzzOperators() []string {
	var names []string
	for _, b := range policy.BaseOperators() {
		for _, q := range []string{"", "ForAllValues:", "ForAnyValue:"} {
			for _, ie := range []string{"", "IfExists"} {
				names = append(names, q+b.Name+ie)
			}
		}
	}
	return append(names, "StringEqual", "stringequals", "ForSomeValues:StringLike")
}

// FuzzCondition builds a one-statement policy from a random operator, key and
// value and a request with a random value for the key. Compile either
// succeeds or fails with coded errors; Evaluate never panics; the indexed
// and unindexed paths agree; a request satisfying nothing is never allowed
// by a Deny-only policy.
func FuzzCondition(f *testing.F) {
	ops := fuzzOperators()
	f.Add(uint16(0), "aws:PrincipalTag/team", "blue", "blue", false, true)
	f.Add(uint16(40), "aws:TagKeys", "key1*", "key2:audit", true, false)
	f.Add(uint16(120), "aws:SourceIp", "203.0.113.0/24", "2001:db8::1", false, true)
	f.Add(uint16(75), "aws:CurrentTime", "2020-01-01T00:00:00Z", "1700000000", false, true)
	f.Add(uint16(6), "s3:prefix", "home/${aws:username}/*", "home/alice/x", false, true)
	f.Add(uint16(150), "aws:SourceArn", "arn:aws:sns:*:111122223333:t*", "arn:aws:sns:us-east-1:111122223333:topic", false, false)
	f.Fuzz(func(t *testing.T, opIdx uint16, key, pval, rval string, multi, present bool) {
		op := ops[int(opIdx)%len(ops)]
		doc, _ := json.Marshal(map[string]any{
			"Version": "2012-10-17",
			"Statement": []any{
				map[string]any{"Effect": "Allow", "Action": "s3:*", "Resource": "*",
					"Condition": map[string]any{op: map[string]any{key: []string{pval, "x"}}}},
				map[string]any{"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*",
					"Condition": map[string]any{op: map[string]any{key: pval}}},
			},
		})
		p, err := policy.Parse(doc)
		if err != nil {
			if len(policy.AsErrors(err)) == 0 {
				t.Fatalf("uncoded parse error: %v", err)
			}
			return
		}
		eng, err := evaluator.Compile(evaluator.PolicySet{Identity: []evaluator.Input{{ID: "fuzz", Policy: p}}})
		if err != nil {
			var pe *policy.Error
			if !errors.As(err, &pe) {
				t.Fatalf("uncoded compile error: %v", err)
			}
			return
		}
		req := evaluator.Request{Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}
		if present {
			v := evaluator.Single(rval)
			if multi {
				v = evaluator.Multi(rval, "y")
			}
			req.Context = evaluator.Context{key: v}
		}
		if req.Validate() != nil {
			return
		}
		for _, action := range []string{"s3:GetObject", "s3:DeleteBucket"} {
			req.Action = action
			got := eng.Evaluate(req, evaluator.WithTrace())
			want := eng.Evaluate(req, evaluator.WithoutIndex(), evaluator.WithTrace())
			if d := cmp.Diff(want, got); d != "" {
				t.Fatalf("%s: indexed and unindexed differ (-unindexed +indexed):\n%s", action, d)
			}
			if got.Decision == evaluator.Allowed && len(got.Matched) == 0 {
				t.Fatalf("%s: allowed without a matched statement", action)
			}
			_ = fmt.Sprint(got.Trace)
		}
	})
}
