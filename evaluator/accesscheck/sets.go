package accesscheck

import (
	"fmt"
	"strings"

	"github.com/iamsim/iamsim/arn"
	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/policy"
)

// setPolicies returns every policy of a set, with a name for errors.
func setPolicies(set evaluator.PolicySet, what string) ([]*policy.Policy, []string) {
	var ps []*policy.Policy
	var names []string
	add := func(in evaluator.Input, name string) {
		if in.Policy != nil {
			ps = append(ps, in.Policy)
			names = append(names, what+" "+name)
		}
	}
	for i, in := range set.Identity {
		add(in, fmt.Sprintf("identity policy %d", i))
	}
	if set.PermissionsBoundary != nil {
		add(*set.PermissionsBoundary, "permissions boundary")
	}
	for i, in := range set.Session {
		add(in, fmt.Sprintf("session policy %d", i))
	}
	if set.Resource != nil {
		add(*set.Resource, "resource policy")
	}
	for l, level := range set.SCPs {
		for i, in := range level {
			add(in, fmt.Sprintf("SCP %d of level %d", i, l))
		}
	}
	for l, level := range set.RCPs {
		for i, in := range level {
			add(in, fmt.Sprintf("RCP %d of level %d", i, l))
		}
	}
	return ps, names
}

// CheckNoNewAccessSets reports whether principal can do anything under
// the policy set after that it could not under before: the full
// evaluation (identity policies, permissions boundary, session policies,
// resource policy, SCPs and RCPs) decides each request, where
// CheckNoNewAccess compares two documents on their own. Principal keys
// (aws:PrincipalArn, ...) are the principal's. Reasons name the
// statements of after that allow a counterexample, with their policy id in
// the description. As with CheckNoNewAccess, a construct outside the
// decided fragment, or a limit hit, is an error, never a PASS.
func CheckNoNewAccessSets(before, after evaluator.PolicySet, principal string, opts ...Option) (*Result, error) {
	cfg := configOf(opts)
	pr, err := evaluator.ParsePrincipal(principal, cfg.issuer)
	if err != nil {
		return nil, err
	}
	if pr.Account == "" {
		return nil, fmt.Errorf("principal %q: want a principal of an account (user, role session, root, federated user)", principal)
	}
	oldE, err := evaluator.Compile(before)
	if err != nil {
		return nil, fmt.Errorf("before: %w", err)
	}
	newE, err := evaluator.Compile(after)
	if err != nil {
		return nil, fmt.Errorf("after: %w", err)
	}
	part := pr.Partition
	sp := &space{cfg: cfg, typ: IdentityPolicy, fixedPrincipal: true, principals: []string{principal},
		resourceAccount: pr.Account,
		// The engine's own distinctions between resources: an ARN or not,
		// the principal's partition or another, a role (whose trust policy
		// must allow sts:AssumeRole*), a service-linked role, a KMS key
		// (whose key policy must allow).
		splitARN: []string{"arn:*:*:*:*:*", "arn:" + part + ":*:*:*:*", "arn:*:iam:*:*:role/*",
			"arn:*:iam:*:*:role/aws-service-role/*", "arn:*:kms:*:*:key/*"},
		// and between actions: the service (SCPs and RCPs govern by
		// service), and each IAM, STS and KMS action on its own.
		splitAction: func(la string) string {
			svc, _, _ := strings.Cut(la, ":")
			if svc == "iam" || svc == "sts" || svc == "kms" {
				return la
			}
			return svc
		},
		sessionIssuer: cfg.issuer,
	}
	if sc := cfg.scope; sc != nil {
		if sc.Account != "" {
			sp.resourceAccount = sc.Account
		}
		for _, list := range []struct {
			pats []string
			dst  *[]arn.Pattern
		}{{sc.In, &sp.scopeIn}, {sc.Out, &sp.scopeOut}} {
			for _, s := range list.pats {
				p, err := arn.CompilePattern(s, arn.WithMode(arn.ARNMode), arn.WithoutVariables())
				if err != nil {
					return nil, fmt.Errorf("resource scope %q: %w", s, err)
				}
				*list.dst = append(*list.dst, p)
				sp.splitARN = append(sp.splitARN, s)
			}
		}
	}
	for _, set := range []struct {
		s    evaluator.PolicySet
		what string
	}{{before, "before"}, {after, "after"}} {
		ps, names := setPolicies(set.s, set.what)
		for i, p := range ps {
			if err := sp.addPolicy(p, names[i]); err != nil {
				return nil, err
			}
		}
	}
	col := newCollector(cfg.maxCE)
	var unknownErr error // the first evaluation that met a key of unknown value
	allowed := func(e *evaluator.Engine, req evaluator.Request) (bool, []evaluator.StatementRef) {
		r := e.Evaluate(req)
		if k := unknownConsulted(req, &r); k != "" && unknownErr == nil {
			unknownErr = errUnknownConsulted(req, k)
		}
		return r.Decision == evaluator.Allowed, r.Matched
	}
	describe := func(r evaluator.StatementRef) string {
		return fmt.Sprintf("New access in the statement with index: %d of policy %s.", r.Index, r.PolicyID)
	}
	var actions []string // nil: every action
	if cfg.scope != nil && len(cfg.scope.Actions) > 0 {
		actions = cfg.scope.Actions
	}
	err = sp.enumerate(sp.actionClasses(actions), nil, func(cls actionClass, req evaluator.Request) bool {
		ok, refs := allowed(newE, req)
		if !ok {
			return false
		}
		if old, _ := allowed(oldE, req); old {
			return false
		}
		col.add(cls, req, refs, true, describe)
		return false
	})
	if err != nil {
		return nil, err
	}
	if unknownErr != nil {
		return nil, unknownErr
	}
	res := &Result{Evaluations: sp.evals, Reasons: []Reason{}}
	if len(col.ces) == 0 {
		res.Result, res.Message = Pass, "The modified policy set does not grant the principal new access."
		return res, nil
	}
	vOld, err := evaluator.Compile(before)
	if err != nil {
		return nil, err
	}
	vNew, err := evaluator.Compile(after)
	if err != nil {
		return nil, err
	}
	for _, ce := range col.ces {
		req := ce.Request()
		if err := req.Validate(); err != nil {
			return nil, fmt.Errorf("internal error: counterexample %+v is not a valid request: %v", ce, err)
		}
		if vNew.Evaluate(req).Decision != evaluator.Allowed || vOld.Evaluate(req).Decision == evaluator.Allowed {
			return nil, fmt.Errorf("internal error: counterexample %+v does not verify", ce)
		}
	}
	res.Result, res.Message = Fail, "The modified policy set grants the principal new access."
	res.Reasons, res.Counterexamples = col.reasons, col.ces
	return res, nil
}
