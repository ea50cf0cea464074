package accesscheck

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/iamsim/iamsim/evaluator"
)

// randomResourcePolicy builds a small resource policy from pools of
// principals, actions and conditions.
func randomResourcePolicy(r *rand.Rand) string {
	principals := []string{`"*"`, `{"AWS":"*"}`, `{"AWS":"444455556666"}`, `{"AWS":"arn:aws:iam::111122223333:root"}`,
		`{"AWS":"arn:aws:iam::444455556666:role/r"}`, `{"AWS":"arn:aws:iam::777788889999:user/u"}`, `{"Service":"sns.amazonaws.com"}`,
		`{"AWS":["444455556666","777788889999"]}`}
	actions := []string{`"s3:GetObject"`, `"s3:*"`, `"s3:Put*"`, `"*"`}
	conds := []string{"", `,"Condition":{"StringEquals":{"aws:PrincipalAccount":"444455556666"}}`,
		`,"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}`, `,"Condition":{"StringNotEquals":{"aws:PrincipalType":"AssumedRole"}}`,
		`,"Condition":{"Bool":{"aws:PrincipalIsAWSService":"true"}}`, `,"Condition":{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::444455556666:role/r"}}`}
	var stmts []string
	for range 1 + r.IntN(3) {
		effect := "Allow"
		if r.IntN(4) == 0 {
			effect = "Deny"
		}
		pr := `"Principal":` + principals[r.IntN(len(principals))]
		if effect == "Deny" && r.IntN(3) == 0 {
			pr = `"NotPrincipal":` + principals[2+r.IntN(len(principals)-2)]
		}
		stmts = append(stmts, fmt.Sprintf(`{"Effect":%q,%s,"Action":%s,"Resource":"arn:aws:s3:::b/*"%s}`,
			effect, pr, actions[r.IntN(len(actions))], conds[r.IntN(len(conds))]))
	}
	return doc(stmts...)
}

// TestPropertyResourcePolicies compares CheckNoNewAccess on resource
// policies with brute force over a universe of callers.
func TestPropertyResourcePolicies(t *testing.T) {
	r := rand.New(rand.NewPCG(20, 2026))
	callers := []string{"anonymous", "sns.amazonaws.com", "sqs.amazonaws.com"}
	for _, a := range []string{"111122223333", "444455556666", "777788889999", "210987654321"} {
		callers = append(callers, accountPrincipals(a)...)
	}
	callers = append(callers, "arn:aws:sts::444455556666:assumed-role/r/s", "arn:aws:iam::444455556666:role/r", "arn:aws:iam::777788889999:user/u")
	orgs := []string{"", "o-1", "o-2"}
	actions := []string{"s3:GetObject", "s3:PutObject", "s3:ListBucket", "sqs:SendMessage"}
	n := 150
	if testing.Short() {
		n = 30
	}
	fails := 0
	for i := range n {
		oldText, newText := randomResourcePolicy(r), randomResourcePolicy(r)
		oldP, newP := mustParse(t, oldText), mustParse(t, newText)
		res, err := CheckNoNewAccess(oldP, newP, ResourcePolicy)
		if err != nil {
			t.Fatalf("pair %d: %v\nold %s\nnew %s", i, err, oldText, newText)
		}
		newAllows, oldAllows := independentEngine(t, newP, ResourcePolicy), independentEngine(t, oldP, ResourcePolicy)
		var witness *evaluator.Request
	search:
		for _, c := range callers {
			for _, a := range actions {
				for _, o := range orgs {
					req := evaluator.Request{Principal: c, Action: a, Resource: "arn:aws:s3:::b/k"}
					if o != "" {
						req.Context = evaluator.Context{"aws:PrincipalOrgID": evaluator.Single(o)}
					}
					if newAllows(req) && !oldAllows(req) {
						witness = &req
						break search
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
				if !newAllows(ce.Request()) || oldAllows(ce.Request()) {
					t.Fatalf("pair %d: counterexample %+v does not verify", i, ce)
				}
			}
		}
	}
	t.Logf("%d pairs: %d FAIL", n, fails)
}
