package evaluator_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/policy"
)

// gen builds random policy sets and requests from a small vocabulary, so
// that statements often apply. Seeds are fixed: a failure reproduces.
type gen struct{ r *rand.Rand }

func (g gen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }
func (g gen) chance(p float64) bool    { return g.r.Float64() < p }

const (
	propAlice   = "arn:aws:iam::111111111111:user/alice"
	propSession = "arn:aws:sts::111111111111:assumed-role/app/s1"
	propRoot    = "arn:aws:iam::111111111111:root"
)

func (g gen) statement(resourceBased bool, effect string) string {
	if effect == "" {
		effect = "Allow"
		if g.chance(0.25) {
			effect = "Deny"
		}
	}
	var parts []string
	parts = append(parts, fmt.Sprintf(`"Effect":%q`, effect))
	if resourceBased {
		parts = append(parts, `"Principal":`+g.pick(`"*"`, `{"AWS":"`+propAlice+`"}`, `{"AWS":"`+propSession+`"}`,
			`{"AWS":"arn:aws:iam::111111111111:role/app"}`, `{"AWS":"111111111111"}`))
	}
	actions := []string{`"s3:GetObject"`, `"s3:PutObject"`, `"s3:*"`, `"ec2:RunInstances"`, `"ec2:*"`, `"*"`, `"iam:Get*"`, `"s3:Get*"`}
	key := "Action"
	if g.chance(0.2) {
		key = "NotAction"
	}
	parts = append(parts, fmt.Sprintf(`%q:[%s]`, key, g.pick(actions...)))
	key = "Resource"
	if g.chance(0.1) {
		key = "NotResource"
	}
	parts = append(parts, fmt.Sprintf(`%q:[%s]`, key, g.pick(`"*"`, `"arn:aws:s3:::b/*"`, `"arn:aws:s3:::c/*"`, `"arn:aws:s3:::b/k"`)))
	if g.chance(0.3) {
		parts = append(parts, `"Condition":`+g.pick(
			`{"StringEquals":{"aws:PrincipalTag/team":"blue"}}`,
			`{"StringNotEquals":{"aws:PrincipalTag/team":"blue"}}`,
			`{"Bool":{"aws:MultiFactorAuthPresent":"true"}}`,
			`{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}`))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func (g gen) policy(resourceBased bool) string {
	n := 1 + g.r.IntN(3)
	var sts []string
	for i := 0; i < n; i++ {
		sts = append(sts, g.statement(resourceBased, ""))
	}
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(sts, ",") + `]}`
}

// propSet is a policy set as JSON texts, so that a variant can be made by
// changing one field.
type propSet struct {
	identity           []string
	boundary, resource string
	session            []string
	scps               [][]string
}

func (g gen) set() propSet {
	var s propSet
	for i := g.r.IntN(3); i > 0; i-- {
		s.identity = append(s.identity, g.policy(false))
	}
	if g.chance(0.3) {
		s.boundary = g.policy(false)
	}
	if g.chance(0.3) {
		s.session = []string{g.policy(false)}
	}
	if g.chance(0.5) {
		s.resource = g.policy(true)
	}
	if g.chance(0.3) {
		s.scps = [][]string{{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`}, {g.policy(false)}}
	}
	return s
}

func (g gen) request() evaluator.Request {
	req := evaluator.Request{
		Principal: g.pick(propAlice, propSession, propSession, propRoot),
		Action:    g.pick("s3:GetObject", "s3:PutObject", "ec2:RunInstances", "iam:GetUser"),
		Resource:  g.pick("arn:aws:s3:::b/k", "arn:aws:s3:::c/k", "*"),
		Context:   evaluator.Context{},
	}
	if g.chance(0.5) {
		req.Context["aws:PrincipalTag/team"] = evaluator.Single(g.pick("blue", "red"))
	}
	if g.chance(0.5) {
		req.Context["aws:MultiFactorAuthPresent"] = evaluator.Single(g.pick("true", "false"))
	}
	return req
}

func (s propSet) compile(t *testing.T) *evaluator.Engine {
	t.Helper()
	in := func(id, src string) evaluator.Input {
		p, err := policy.Parse([]byte(src), policy.WithSource(id))
		require.NoError(t, err, src)
		return evaluator.Input{ID: id, Policy: p}
	}
	var set evaluator.PolicySet
	for i, src := range s.identity {
		set.Identity = append(set.Identity, in(fmt.Sprintf("id%d", i), src))
	}
	if s.boundary != "" {
		b := in("boundary", s.boundary)
		set.PermissionsBoundary = &b
	}
	for i, src := range s.session {
		set.Session = append(set.Session, in(fmt.Sprintf("session%d", i), src))
	}
	if s.resource != "" {
		r := in("resource", s.resource)
		set.Resource = &r
	}
	for l, lv := range s.scps {
		var level []evaluator.Input
		for i, src := range lv {
			level = append(level, in(fmt.Sprintf("scp%d.%d", l, i), src))
		}
		set.SCPs = append(set.SCPs, level)
	}
	eng, err := evaluator.Compile(set)
	require.NoError(t, err)
	return eng
}

// addDeny returns src with one more statement, a random Deny.
func (g gen) addDeny(src string, resourceBased bool) string {
	if src == "" {
		return `{"Version":"2012-10-17","Statement":[` + g.statement(resourceBased, "Deny") + `]}`
	}
	return strings.TrimSuffix(src, "]}") + "," + g.statement(resourceBased, "Deny") + "]}"
}

// TestProperties checks rules that hold for every policy set (docs/semantics.md §1, 2):
// session policies and boundaries only narrow; a Deny never widens; an
// applicable unconditional Deny always decides; the index changes nothing.
func TestProperties(t *testing.T) {
	const rounds = 1500
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			g := gen{rand.New(rand.NewPCG(seed, seed*7919))}
			var into evaluator.Result // reused across rounds, fresh every 7th
			for i := 0; i < rounds; i++ {
				s, req := g.set(), g.request()
				base := s.compile(t).Evaluate(req)
				where := fmt.Sprintf("round %d: %+v %s %s %v", i, s, req.Principal, req.Action, req.Resource)

				// EvaluateInto into a Result of earlier rounds agrees.
				if i%7 == 0 {
					into = evaluator.Result{}
				}
				s.compile(t).EvaluateInto(&into, req)
				if d := cmp.Diff(base, into, cmpopts.EquateEmpty()); d != "" {
					t.Fatalf("%s: EvaluateInto differs (-Evaluate +EvaluateInto):\n%s", where, d)
				}

				// The decision-only path agrees.
				if d, l := s.compile(t).Decide(req); d != base.Decision || l != base.DecidedBy {
					t.Fatalf("%s: Decide gives %s by %s, Evaluate %s by %s", where, d, l, base.Decision, base.DecidedBy)
				}
				// The unindexed reference path agrees.
				if d := cmp.Diff(base, s.compile(t).Evaluate(req, evaluator.WithoutIndex())); d != "" {
					t.Fatalf("%s: index differs (-indexed +unindexed):\n%s", where, d)
				}
				// Session policies never allow a role session more than the
				// session would have without any (they are a union among
				// themselves, but intersect with everything else).
				if req.Principal == propSession {
					with, without := s, s
					with.session = append(append([]string(nil), s.session...), g.policy(false))
					without.session = nil
					if with.compile(t).Evaluate(req).Decision == evaluator.Allowed && without.compile(t).Evaluate(req).Decision != evaluator.Allowed {
						t.Fatalf("%s: session policies %v allowed what the session without them may not do", where, with.session)
					}
				}
				// Adding (or replacing nothing with) a boundary never allows more.
				if s.boundary == "" {
					v := s
					v.boundary = g.policy(false)
					if base.Decision != evaluator.Allowed && v.compile(t).Evaluate(req).Decision == evaluator.Allowed {
						t.Fatalf("%s: adding boundary %s allowed it", where, v.boundary)
					}
				}
				// Adding a Deny statement anywhere never allows more, nor lifts
				// an explicit deny.
				v := s
				switch g.r.IntN(3) {
				case 0:
					v.identity = append([]string(nil), s.identity...)
					if len(v.identity) == 0 {
						v.identity = []string{g.addDeny("", false)}
					} else {
						v.identity[0] = g.addDeny(v.identity[0], false)
					}
				case 1:
					v.resource = g.addDeny(s.resource, true)
				default:
					v.boundary = g.addDeny(s.boundary, false)
				}
				got := v.compile(t).Evaluate(req).Decision
				if (base.Decision != evaluator.Allowed && got == evaluator.Allowed) ||
					(base.Decision == evaluator.ExplicitDeny && got != evaluator.ExplicitDeny) {
					t.Fatalf("%s: adding a Deny turned %s into %s", where, base.Decision, got)
				}
				// An applicable, unconditional Deny decides.
				v = s
				v.resource = g.addDenyAll(s.resource)
				if d := v.compile(t).Evaluate(req).Decision; d != evaluator.ExplicitDeny {
					t.Fatalf("%s: a resource-policy Deny of everything to everyone gave %s", where, d)
				}
			}
		})
	}
}

func (g gen) addDenyAll(src string) string {
	deny := `{"Sid":"DenyAll","Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}`
	if src == "" {
		return `{"Version":"2012-10-17","Statement":[` + deny + `]}`
	}
	return strings.TrimSuffix(src, "]}") + "," + deny + "]}"
}
