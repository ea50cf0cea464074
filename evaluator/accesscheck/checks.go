package accesscheck

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/iamsim/iamsim/arn"
	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/policy"
	"github.com/iamsim/iamsim/policy/catalog"
)

// The principals of an identity policy's requests: an IAM user and a role
// session of DefaultAccount.
const (
	identityUser    = "arn:aws:iam::" + DefaultAccount + ":user/iamsim-principal"
	identitySession = "arn:aws:sts::" + DefaultAccount + ":assumed-role/iamsim-role/iamsim-session"
)

// collector gathers counterexamples and the statements behind them.
type collector struct {
	max     int
	ces     []Counterexample
	classes map[string]int // action class -> index in ces
	full    []bool         // ces[i] is also allowed by a full evaluation
	cls     []actionClass  // the class of ces[i]
	reasons []Reason
	seen    map[string]bool
}

func newCollector(max int) *collector {
	return &collector{max: max, classes: map[string]int{}, seen: map[string]bool{}}
}

// add records req, found under action class cls, and the statements
// (refs) responsible: one counterexample per action class, up to max,
// preferring one a full evaluation also allows (full).
func (c *collector) add(cls actionClass, req evaluator.Request, refs []evaluator.StatementRef, full bool, describe func(evaluator.StatementRef) string) {
	for _, r := range refs {
		if k := fmt.Sprintf("%s#%d", r.PolicyID, r.Index); !c.seen[k] {
			c.seen[k] = true
			c.reasons = append(c.reasons, Reason{Description: describe(r), StatementIndex: r.Index, StatementID: r.Sid})
		}
	}
	ce := Counterexample{Principal: req.Principal, SessionIssuer: req.SessionIssuer, Action: req.Action, Resource: req.Resource,
		ResourceAccount: req.ResourceAccount, Context: maps.Clone(req.Context)}
	if i, ok := c.classes[cls.action]; ok {
		if full && !c.full[i] {
			c.ces[i], c.full[i] = ce, true
		}
		return
	}
	if len(c.ces) < c.max {
		c.classes[cls.action] = len(c.ces)
		c.ces = append(c.ces, ce)
		c.full = append(c.full, full)
		c.cls = append(c.cls, cls)
	}
}

// fitAction replaces the action of counterexample i by another of its
// class that acts on its resource (by the catalog's resource types), when
// the rewritten request still proves the same thing.
func (c *collector) fitAction(i int, ok func(Counterexample) bool) {
	ce := c.ces[i]
	if a, known := catalog.Lookup(ce.Action); !known || a.AppliesTo(ce.Resource) || c.cls[i].members == nil {
		return
	}
	for _, m := range *c.cls[i].members {
		a, known := catalog.Lookup(m)
		if !known || !a.AppliesTo(ce.Resource) {
			continue
		}
		alt := ce
		alt.Action = m
		if ok(alt) {
			c.ces[i] = alt
		}
		return
	}
}

// identityPrincipals returns the callers an identity policy is tried for:
// an IAM user, and when a condition reads a principal key a role session
// too (a role session has no aws:username, say).
func identityPrincipals(ps ...*policy.Policy) []string {
	for _, p := range ps {
		for _, st := range p.Statements {
			for _, c := range st.Conditions {
				if principalKeys[strings.ToLower(c.Key)] {
					return []string{identityUser, identitySession}
				}
			}
		}
	}
	return []string{identityUser}
}

// CheckNoNewAccess reports whether newPolicy allows any request that
// existing does not, as Access Analyzer's CheckNoNewAccess does: FAIL with
// the statements of newPolicy that grant the new access and counterexample
// requests, or PASS. For an identity policy the caller is the user or role
// it is attached to; for a resource policy every caller is considered
// (each principal either policy names, its account, the owner account, a
// foreign account, a service, anonymous). A construct outside the exactly
// decided fragment, or a limit hit, is an error, never a PASS.
func CheckNoNewAccess(existing, newPolicy *policy.Policy, typ PolicyType, opts ...Option) (*Result, error) {
	cfg := configOf(opts)
	if _, err := ParsePolicyType(string(typ)); err != nil {
		return nil, err
	}
	oldS, err := newSide(existing, typ, "existing")
	if err != nil {
		return nil, fmt.Errorf("existing policy: %w", err)
	}
	newS, err := newSide(newPolicy, typ, "new")
	if err != nil {
		return nil, fmt.Errorf("new policy: %w", err)
	}
	oldKeys, err := variableKeys(existing)
	if err != nil {
		return nil, fmt.Errorf("existing policy: %w", err)
	}
	newKeys, err := variableKeys(newPolicy)
	if err != nil {
		return nil, fmt.Errorf("new policy: %w", err)
	}
	if keys := mergeKeys(oldKeys, newKeys); len(keys) > 0 {
		return checkNoNewAccessVars(existing, newPolicy, typ, keys, opts)
	}
	sp := &space{cfg: cfg, typ: typ}
	if err := sp.addPolicy(existing, "existing policy"); err != nil {
		return nil, err
	}
	nOld := len(sp.stmts)
	if err := sp.addPolicy(newPolicy, "new policy"); err != nil {
		return nil, err
	}
	if typ == IdentityPolicy {
		sp.principals = identityPrincipals(existing, newPolicy)
	} else {
		sp.principals, err = resourcePrincipals(cfg.owner, false, existing, newPolicy)
		if err != nil {
			return nil, err
		}
	}
	col := newCollector(cfg.maxCE)
	skip := func(cls actionClass) bool {
		// Only a class where an Allow of the new policy applies can be new.
		for _, i := range cls.rel {
			if i >= nOld && newPolicy.Statements[i-nOld].Effect == policy.Allow {
				return false
			}
		}
		return true
	}
	describe := func(r evaluator.StatementRef) string {
		return fmt.Sprintf("New access in the statement with index: %d.", r.Index)
	}
	err = sp.enumerate(sp.actionClasses(nil), skip, func(cls actionClass, req evaluator.Request) bool {
		ok, refs, full := newS.decide(req)
		if !ok {
			return false
		}
		if old, _ := oldS.allows(req); old {
			return false
		}
		col.add(cls, req, refs, full, describe)
		return false
	})
	if err != nil {
		return nil, err
	}
	if err := cmp.Or(newS.err, oldS.err); err != nil {
		return nil, err
	}
	res := &Result{Evaluations: sp.evals, Reasons: []Reason{}}
	if len(col.ces) == 0 {
		if err := gciNewAccess(existing, newPolicy, typ, opts); err != nil {
			return nil, err
		}
		res.Result, res.Message = Pass, "The modified permissions do not grant new access compared to your existing policy."
		return res, nil
	}
	// Verify every counterexample on freshly compiled engines.
	vOld, err := newSide(existing, typ, "existing")
	if err != nil {
		return nil, err
	}
	vNew, err := newSide(newPolicy, typ, "new")
	if err != nil {
		return nil, err
	}
	for i, ce := range col.ces {
		if typ == IdentityPolicy {
			ok := func(c Counterexample) bool {
				return verify(c, vNew, true) == nil && verify(c, vOld, false) == nil
			}
			ce = alignPrincipal(tidyPrincipal(ce, ok), ok)
			col.ces[i] = ce
		}
		col.fitAction(i, func(c Counterexample) bool {
			return verify(c, vNew, true) == nil && verify(c, vOld, false) == nil
		})
		ce = col.ces[i]
		if err := verify(ce, vNew, true); err != nil {
			return nil, err
		}
		if err := verify(ce, vOld, false); err != nil {
			return nil, err
		}
	}
	res.Result, res.Message = Fail, "The modified permissions grant new access compared to your existing policy."
	res.Reasons, res.Counterexamples = sortReasons(col.reasons), col.ces
	return res, nil
}

func mergeKeys(a, b []string) []string {
	out := slices.Clone(a)
	for _, k := range b {
		if !slices.ContainsFunc(out, func(x string) bool { return strings.EqualFold(x, k) }) {
			out = append(out, k)
		}
	}
	return out
}

// verify re-checks a counterexample: a well-formed request that s allows
// (want true) or does not allow (want false).
func verify(ce Counterexample, s *side, want bool) error {
	req := ce.Request()
	if err := req.Validate(); err != nil {
		return fmt.Errorf("internal error: counterexample %+v is not a valid request: %v", ce, err)
	}
	if got, _ := s.allows(req); got != want {
		return fmt.Errorf("internal error: counterexample %+v does not verify: %s policy allows it: %v, want %v", ce, s.id, got, want)
	}
	return nil
}

// CheckAccessNotGranted reports whether p can allow any of the listed
// actions (on one of the entry's resources, or on any resource when the
// entry lists none), for some values of the condition keys: FAIL with the
// statements that grant it and counterexamples, or PASS.
func CheckAccessNotGranted(p *policy.Policy, access []Access, typ PolicyType, opts ...Option) (*Result, error) {
	cfg := configOf(opts)
	if _, err := ParsePolicyType(string(typ)); err != nil {
		return nil, err
	}
	if len(access) == 0 {
		return nil, errors.New("access: at least one entry is required")
	}
	s, err := newSide(p, typ, "policy")
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	if keys, err := variableKeys(p); err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	} else if len(keys) > 0 {
		opts := append(slices.Clone(opts), withDeadline(cfg.deadline))
		res, err := decideOneWithVars(p, typ, keys, func(q *policy.Policy) (*Result, error) {
			return CheckAccessNotGranted(q, access, typ, opts...)
		})
		if err != nil || res.Result == Pass {
			return res, err
		}
		// Verify the slice's counterexamples on p itself.
		for _, ce := range res.Counterexamples {
			if err := verify(ce, s, true); err != nil {
				return nil, err
			}
		}
		return res, nil
	}
	col := newCollector(cfg.maxCE)
	evals := 0
	for ai, acc := range access {
		if len(acc.Actions) == 0 && len(acc.Resources) == 0 {
			return nil, fmt.Errorf("access[%d]: give actions, resources or both", ai)
		}
		for _, a := range acc.Actions {
			if _, _, ok := strings.Cut(a, ":"); !ok || strings.ContainsAny(a, "*? ") {
				return nil, fmt.Errorf("access[%d]: action %q: want service:Action without wildcards", ai, a)
			}
			if strings.EqualFold(a, "sts:GetCallerIdentity") {
				// Fail closed: the engine allows it without reading any
				// policy, so it cannot tell whether the document grants it.
				return nil, fmt.Errorf("access[%d]: sts:GetCallerIdentity needs no permission and is always allowed: %w", ai, ErrUnsupported)
			}
		}
		for _, r := range acc.Resources {
			if _, err := arn.Parse(r); err != nil || strings.ContainsAny(r, "*?") {
				return nil, fmt.Errorf("access[%d]: resource %q: want an ARN without wildcards", ai, r)
			}
		}
		sp := &space{cfg: cfg, typ: typ, extraRes: acc.Resources}
		sp.cfg.maxEvals = cfg.maxEvals - evals
		if err := sp.addPolicy(p, "policy"); err != nil {
			return nil, err
		}
		if typ == IdentityPolicy {
			sp.principals = identityPrincipals(p)
		} else if sp.principals, err = resourcePrincipals(cfg.owner, false, p); err != nil {
			return nil, err
		}
		var cands []string // nil: every action
		if len(acc.Actions) > 0 {
			cands = acc.Actions
		}
		skip := func(cls actionClass) bool {
			for _, i := range cls.rel {
				if p.Statements[i].Effect == policy.Allow {
					return false
				}
			}
			return true
		}
		err := sp.enumerate(sp.actionClasses(cands), skip, func(cls actionClass, req evaluator.Request) bool {
			if len(acc.Resources) > 0 && !slices.Contains(acc.Resources, req.Resource) {
				return false
			}
			ok, refs, full := s.decide(req)
			if ok {
				col.add(cls, req, refs, full, func(r evaluator.StatementRef) string {
					return fmt.Sprintf("One or more of the listed actions or resources in the statement with index: %d.", r.Index)
				})
			}
			return false
		})
		evals += sp.evals
		if err != nil {
			return nil, err
		}
		if s.err != nil {
			return nil, s.err
		}
	}
	res := &Result{Evaluations: evals, Reasons: []Reason{}}
	if len(col.ces) == 0 {
		res.Result, res.Message = Pass, "The policy document does not grant access to perform one or more of the listed actions or resources."
		return res, nil
	}
	v, err := newSide(p, typ, "policy")
	if err != nil {
		return nil, err
	}
	for i, ce := range col.ces {
		if typ == IdentityPolicy {
			ok := func(c Counterexample) bool { return verify(c, v, true) == nil }
			ce = alignPrincipal(tidyPrincipal(ce, ok), ok)
			col.ces[i] = ce
		}
		// The class's other members are candidates of the same entry.
		col.fitAction(i, func(c Counterexample) bool { return verify(c, v, true) == nil })
		ce = col.ces[i]
		if err := verify(ce, v, true); err != nil {
			return nil, err
		}
	}
	res.Result, res.Message = Fail, "The policy document grants access to perform one or more of the listed actions or resources."
	res.Reasons, res.Counterexamples = sortReasons(col.reasons), col.ces
	return res, nil
}
