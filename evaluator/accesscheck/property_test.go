package accesscheck

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/iamsim/iamsim/evaluator"
)

// randomPolicy builds a small identity policy from pools of actions,
// resources and conditions whose classes a tiny universe of requests
// exercises.
func randomPolicy(r *rand.Rand, vars bool) string {
	actions := []string{"s3:GetObject", "s3:Get*", "s3:*", "s3:PutObject", "sqs:SendMessage", "*", "s3:?etObject"}
	resources := []string{"*", "arn:aws:s3:::b/*", "arn:aws:s3:::b/a*", "arn:aws:s3:::b/a?", "arn:aws:s3:::c/*", "arn:aws:s3:::b*", "arn:aws:s3:::b*/x"}
	if vars {
		resources = append(resources, "arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/${aws:username}*", "arn:aws:s3:::${aws:username}/*")
	}
	conds := []string{
		`"StringEquals":{"x:k":"x"}`, `"StringLike":{"x:k":"x*"}`, `"StringNotEquals":{"x:k":"y"}`,
		`"StringEqualsIfExists":{"x:k":"x"}`, `"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}`,
		`"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}`, `"NumericLessThan":{"x:n":"5"}`,
		`"NumericGreaterThanEquals":{"x:n":"5"}`, `"Null":{"x:k":"true"}`,
	}
	if vars {
		conds = append(conds, `"StringLike":{"x:k":"${aws:username}*"}`, `"StringEquals":{"x:k":"${aws:username}"}`, `"StringNotEquals":{"x:k":"${aws:username}"}`)
	}
	pick := func(pool []string, n int) string {
		var out []string
		for range n {
			out = append(out, `"`+pool[r.IntN(len(pool))]+`"`)
		}
		return "[" + strings.Join(out, ",") + "]"
	}
	var stmts []string
	for range 1 + r.IntN(3) {
		effect := "Allow"
		if r.IntN(4) == 0 {
			effect = "Deny"
		}
		act := `"Action":` + pick(actions, 1+r.IntN(2))
		if r.IntN(6) == 0 {
			act = `"NotAction":` + pick(actions, 1)
		}
		res := `"Resource":` + pick(resources, 1+r.IntN(2))
		if r.IntN(8) == 0 {
			res = `"NotResource":` + pick(resources, 1)
		}
		cond := ""
		if n := r.IntN(3); n > 0 {
			var cs []string
			seen := map[string]bool{}
			for range n {
				c := conds[r.IntN(len(conds))]
				op := c[:strings.Index(c, ":")]
				if !seen[op] {
					seen[op] = true
					cs = append(cs, c)
				}
			}
			cond = `,"Condition":{` + strings.Join(cs, ",") + `}`
		}
		stmts = append(stmts, fmt.Sprintf(`{"Effect":%q,%s,%s%s}`, effect, act, res, cond))
	}
	return doc(stmts...)
}

// TestPropertyNoFalsePass compares CheckNoNewAccess with brute force over
// a tiny universe of requests: whenever brute force finds a request
// allowed under NEW and not under OLD, the checker must FAIL; whenever
// the checker FAILs, its counterexamples verify (checked inside).
func TestPropertyNoFalsePass(t *testing.T) {
	t.Run("constants", func(t *testing.T) { propertyNoFalsePass(t, false) })
	t.Run("variables", func(t *testing.T) { propertyNoFalsePass(t, true) })
}

func propertyNoFalsePass(t *testing.T, vars bool) {
	n := 300
	if vars {
		n = 120
	}
	if testing.Short() {
		n = 30
	}
	r := rand.New(rand.NewPCG(18, 2026))
	if vars {
		r = rand.New(rand.NewPCG(19, 2026))
	}
	actions := []string{"s3:GetObject", "s3:GetBucketPolicy", "s3:PutObject", "s3:ListBucket", "sqs:SendMessage", "iam:CreateUser", "ec2:RunInstances"}
	resources := []string{"*", "arn:aws:s3:::b/x", "arn:aws:s3:::b/abc", "arn:aws:s3:::b/a", "arn:aws:s3:::b/ab", "arn:aws:s3:::c/x", "arn:aws:s3:::bx/y", "arn:aws:s3:::bx/x", "arn:aws:s3:::b", "arn:aws:sqs:us-east-1:111122223333:q",
		"arn:aws:s3:::b/u/x", "arn:aws:s3:::b/ux", "arn:aws:s3:::u/x", "arn:aws:s3:::b/v/x"}
	kVals := []string{"", "x", "xy", "y", "u", "ux"}
	uVals := []string{"", "u", "x"}
	if !vars {
		uVals = []string{""}
	}
	ipVals := []string{"", "10.1.2.3", "11.0.0.0"}
	nVals := []string{"", "3", "5", "7"}
	fails, passes, undecided := 0, 0, 0
	for i := range n {
		oldText, newText := randomPolicy(r, vars), randomPolicy(r, vars)
		oldP, newP := mustParse(t, oldText), mustParse(t, newText)
		res, err := CheckNoNewAccess(oldP, newP, IdentityPolicy)
		if err != nil {
			if vars && errors.Is(err, ErrUnsupported) {
				undecided++
				continue
			}
			t.Fatalf("pair %d: %v\nold %s\nnew %s", i, err, oldText, newText)
		}
		var witness *evaluator.Request
		newAllows, oldAllows := independentEngine(t, newP, IdentityPolicy), independentEngine(t, oldP, IdentityPolicy)
	search:
		for _, a := range actions {
			for _, rs := range resources {
				for _, k := range kVals {
					for _, ip := range ipVals {
						for _, nv := range nVals {
							for _, uv := range uVals {
								ctx := evaluator.Context{}
								if uv != "" {
									ctx["aws:username"] = evaluator.Single(uv)
								}
								if k != "" {
									ctx["x:k"] = evaluator.Single(k)
								}
								if ip != "" {
									ctx["aws:SourceIp"] = evaluator.Single(ip)
								}
								if nv != "" {
									ctx["x:n"] = evaluator.Single(nv)
								}
								req := evaluator.Request{Principal: identityUser, Action: a, Resource: rs, Context: ctx}
								if newAllows(req) && !oldAllows(req) {
									witness = &req
									break search
								}
							}
						}
					}
				}
			}
		}
		if witness != nil && res.Result != Fail {
			t.Fatalf("pair %d: false PASS: brute force found %+v\nold %s\nnew %s", i, *witness, oldText, newText)
		}
		if res.Result == Fail {
			fails++
			for _, ce := range res.Counterexamples {
				if !independentAllows(t, newP, IdentityPolicy, ce.Request()) || independentAllows(t, oldP, IdentityPolicy, ce.Request()) {
					t.Fatalf("pair %d: counterexample %+v does not verify", i, ce)
				}
			}
		} else {
			passes++
		}
	}
	t.Logf("%d pairs: %d FAIL, %d PASS, %d undecided (policy variables)", n, fails, passes, undecided)
}
