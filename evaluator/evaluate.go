package evaluator

import (
	"sort"
	"strings"
	"sync"
)

// EvalOption configures one Evaluate call. Options are flags, combined
// without allocating.
type EvalOption uint8

const (
	optTrace EvalOption = 1 << iota
	optNoIndex
	optNoLayers // leave Result.Layers empty (the effective report's path)
	optDecisionOnly
)

type evalConfig struct {
	trace, noIndex, noLayers bool
	// decisionOnly keeps no statement references: Decide's path.
	decisionOnly bool
}

func configOf(opts []EvalOption) evalConfig {
	var all EvalOption
	for _, o := range opts {
		all |= o
	}
	return evalConfig{trace: all&optTrace != 0, noIndex: all&optNoIndex != 0, noLayers: all&optNoLayers != 0,
		decisionOnly: all&optDecisionOnly != 0}
}

// WithTrace records every statement considered and why it applied or not in
// Result.Trace. Without it, tracing costs nothing.
func WithTrace() EvalOption { return optTrace }

// WithoutIndex makes Evaluate consider every statement of every policy
// instead of only those indexed under the action's service. It is the
// reference path the index is tested against; results are identical.
func WithoutIndex() EvalOption { return optNoIndex }

// layerScan is what one pass over a layer's statements found.
type layerScan struct {
	denies []StatementRef
	allows []StatementRef
	// nDeny and nAllow count them; in decision-only evaluations the
	// slices stay empty and only the counts are kept.
	nDeny, nAllow int
	class         MatchClass // resource layer: best principal match among the allows
}

// evaluation is the state of one Evaluate call. Evaluations are pooled:
// nothing of one may be kept in a Result (see finish).
type evaluation struct {
	e       *Engine
	reqv    Request
	req     *Request // &reqv
	p       principal
	action  string // lower case
	service string // lower case
	view    view
	cfg     evalConfig
	trace   *Trace
	missing []string
	// noteMissing is ev.addMissing, made once per pooled evaluation (a
	// method value made at each call would allocate).
	noteMissing func(string)
	// hasBoundary is true when a permissions boundary applies to the caller.
	hasBoundary bool
}

var evalPool = sync.Pool{New: func() any { return new(evaluation) }}

// newEvaluation takes an evaluation from the pool, set up for req.
func newEvaluation(e *Engine, req *Request, cfg evalConfig) *evaluation {
	ev := evalPool.Get().(*evaluation)
	*ev = evaluation{e: e, reqv: *req, cfg: cfg, missing: ev.missing[:0], noteMissing: ev.noteMissing}
	ev.req = &ev.reqv
	if ev.noteMissing == nil {
		ev.noteMissing = ev.addMissing
	}
	if cfg.trace {
		ev.trace = &Trace{}
	}
	return ev
}

// finish completes res with what only the evaluation knows and returns the
// evaluation to the pool.
func (ev *evaluation) finish(res *Result) {
	if len(ev.missing) > 0 {
		sort.Strings(ev.missing)
		res.MissingContext = append([]string(nil), compactStrings(ev.missing)...)
	}
	if ev.trace != nil {
		res.Trace = ev.trace
		ev.trace.Decision, ev.trace.DecidedBy = res.Decision, res.DecidedBy
	}
	*ev = evaluation{missing: ev.missing[:0], noteMissing: ev.noteMissing}
	evalPool.Put(ev)
}

// Evaluate decides req against the engine's policies following AWS's
// evaluation flowchart (SPEC 1.8). It never fails: a malformed request is
// denied implicitly (see Request.Validate).
func (e *Engine) Evaluate(req Request, opts ...EvalOption) Result {
	ev := newEvaluation(e, &req, configOf(opts))
	res := ev.run()
	ev.finish(&res)
	return res
}

// Decide returns only the decision on req and the layer that made it, as
// Evaluate would: no statement references, layer results or trace are
// built, so a decision costs no allocation. Use it in hot loops; use
// Evaluate to explain.
func (e *Engine) Decide(req Request) (Decision, Layer) {
	ev := newEvaluation(e, &req, evalConfig{noLayers: true, decisionOnly: true})
	res := ev.run()
	*ev = evaluation{missing: ev.missing[:0], noteMissing: ev.noteMissing}
	evalPool.Put(ev)
	return res.Decision, res.DecidedBy
}

// maxLowerCache bounds the engine's cache of lower-cased action names.
const maxLowerCache = 4096

// lowerAction returns the action in lower case, from the engine's cache
// when it has seen the action before (a decision then allocates nothing).
func (e *Engine) lowerAction(action string) string {
	if v, ok := e.lower.Load(action); ok {
		return v.(string)
	}
	l := strings.ToLower(action)
	if e.lowerN.Load() < maxLowerCache {
		if _, loaded := e.lower.LoadOrStore(action, l); !loaded {
			e.lowerN.Add(1)
		}
	}
	return l
}

// evaluateKey is Evaluate without options for an action already in lower
// case, as the catalog keys its actions: the effective report's path.
func (e *Engine) evaluateKey(req *Request, key string) Result {
	ev := newEvaluation(e, req, evalConfig{noLayers: true})
	ev.action = key
	res := ev.run()
	ev.finish(&res)
	return res
}

func compactStrings(s []string) []string {
	out := s[:0]
	for i, x := range s {
		if i == 0 || !strings.EqualFold(x, s[i-1]) {
			out = append(out, x)
		}
	}
	return out
}

func (ev *evaluation) note(format string, args ...any) {
	if ev.trace != nil {
		ev.trace.notef(format, args...)
	}
}

func (ev *evaluation) run() Result {
	req, e := ev.req, ev.e
	if strings.EqualFold(req.Action, "sts:GetCallerIdentity") {
		ev.note("sts:GetCallerIdentity needs no permission and cannot be denied (SPEC 3.5)")
		return Result{Decision: Allowed}
	}
	ev.p = parsePrincipal(req.Principal, req.SessionIssuer)
	p := &ev.p
	if p.kind == principalInvalid {
		if ev.trace != nil {
			ev.note("principal %q is not understood (%s): implicit deny", req.Principal, p.problem)
		}
		return Result{}
	}
	if ev.action == "" {
		ev.action = e.lowerAction(req.Action)
	}
	ev.service, _, _ = strings.Cut(ev.action, ":")
	ev.view = view{req: req, p: p}

	resAcct := req.ResourceAccount
	if resAcct == "" {
		if _, _, _, acct, _, ok := splitARN(req.Resource); ok && isAccountID(acct) {
			resAcct = acct
		} else {
			resAcct = p.account
		}
	}
	cross := p.account != "" && resAcct != "" && p.account != resAcct
	if ev.trace != nil {
		ev.note("principal %s (%s), action %s, resource %s in account %s", req.Principal, p.principalType(), req.Action, req.Resource, resAcct)
	}
	if cross {
		if ev.trace != nil {
			ev.note("cross-account: principal account %s, resource account %s; both sides must allow (SPEC 3.2)", p.account, resAcct)
		}
	}

	inOrg := func(acct string) bool {
		return acct != "" && acct != e.mgmt && (len(e.orgAccounts) == 0 || contains(e.orgAccounts, acct))
	}
	scpApplies := len(e.scps) > 0 && inOrg(p.account) && !p.serviceLinked &&
		(p.kind == principalRoot || p.kind == principalUser || p.isSession())
	rcpApplies := len(e.rcps) > 0 && inOrg(resAcct) && e.rcpServices[ev.service] && !p.serviceLinked &&
		ev.action != "kms:retiregrant"
	identityApplies := p.kind == principalUser || p.isSession()
	ev.hasBoundary = e.boundary != nil && identityApplies
	sessionApplies := p.isSession()
	needsRBP := resourcePolicyRequired(ev.action, req.Resource)

	res := Result{CrossAccount: cross}
	var layers [numLayers]layerScan
	var rcpFail, scpFail int = -1, -1
	if rcpApplies {
		layers[LayerRCP], rcpFail = ev.scanLevels(LayerRCP, e.rcps)
	} else if len(e.rcps) > 0 {
		if ev.trace != nil {
			ev.note("RCPs do not apply (resource account %s not a member, service %q not governed by RCPs, or service-linked role)", resAcct, ev.service)
		}
	}
	if scpApplies {
		layers[LayerSCP], scpFail = ev.scanLevels(LayerSCP, e.scps)
	} else if len(e.scps) > 0 {
		if ev.trace != nil {
			ev.note("SCPs do not apply (principal not in a member account, service-linked role, or a service/anonymous caller)")
		}
	}
	if e.resource != nil {
		layers[LayerResource] = ev.scan(LayerResource, []*compiledPolicy{e.resource})
	}
	if identityApplies {
		layers[LayerIdentity] = ev.scan(LayerIdentity, e.identity)
	}
	if ev.hasBoundary {
		layers[LayerPermissionsBoundary] = ev.scan(LayerPermissionsBoundary, []*compiledPolicy{e.boundary})
	}
	if sessionApplies {
		layers[LayerSession] = ev.scan(LayerSession, e.session)
	}

	// Record the layers that apply.
	applies := [numLayers]bool{
		LayerRCP: rcpApplies, LayerSCP: scpApplies, LayerResource: e.resource != nil,
		LayerIdentity: identityApplies, LayerPermissionsBoundary: ev.hasBoundary, LayerSession: sessionApplies,
	}
	if !ev.cfg.noLayers {
		res.Layers = make([]LayerResult, 0, numLayers)
	}
	for l := LayerRCP; l < numLayers && !ev.cfg.noLayers; l++ {
		if !applies[l] {
			continue
		}
		s := &layers[l]
		lr := LayerResult{Layer: l, Decision: ImplicitDeny, Matched: s.allows, Class: s.class, FailedLevel: -1}
		switch {
		case s.nDeny > 0:
			lr.Decision, lr.Matched = ExplicitDeny, s.denies
		case l == LayerRCP && rcpFail < 0, l == LayerSCP && scpFail < 0:
			lr.Decision = Allowed
		case l == LayerRCP:
			lr.FailedLevel = rcpFail
		case l == LayerSCP:
			lr.FailedLevel = scpFail
		case l == LayerSession && len(e.session) == 0 && p.kind == principalRoleSession:
			lr.Decision = Allowed // a role session without session policies is not limited
		case s.nAllow > 0:
			lr.Decision = Allowed
		}
		res.Layers = append(res.Layers, lr)
	}

	// Step 1: the deny sweep over every applicable layer.
	denied := false
	for l := LayerRCP; l < numLayers; l++ {
		if layers[l].nDeny > 0 {
			if !denied {
				res.DecidedBy = l
			}
			denied = true
			res.Matched = appendRefs(res.Matched, layers[l].denies)
		}
	}
	if denied {
		res.Decision = ExplicitDeny
		if ev.trace != nil {
			ev.note("explicit deny by %s", res.DecidedBy)
		}
		return res
	}
	implicit := func(l Layer, why string) Result {
		if ev.trace != nil {
			ev.note("implicit deny at %s: %s", l, why)
		}
		res.Decision, res.DecidedBy = ImplicitDeny, l
		return res
	}
	allowed := func(l Layer, why string, matched ...[]StatementRef) Result {
		if ev.trace != nil {
			ev.note("allowed: %s", why)
		}
		res.Decision, res.DecidedBy = Allowed, l
		for _, m := range matched {
			res.Matched = appendRefs(res.Matched, m)
		}
		return res
	}
	// Steps 2 and 3: RCPs of the resource's account, SCPs of the principal's.
	if rcpApplies && rcpFail >= 0 {
		if ev.trace != nil {
			return implicit(LayerRCP, "no applicable Allow at RCP level "+itoa(rcpFail))
		}
		return implicit(LayerRCP, "")
	}
	if scpApplies && scpFail >= 0 {
		if ev.trace != nil {
			return implicit(LayerSCP, "no applicable Allow at SCP level "+itoa(scpFail))
		}
		return implicit(LayerSCP, "")
	}
	rbp := &layers[LayerResource]
	id, bd, ss := &layers[LayerIdentity], &layers[LayerPermissionsBoundary], &layers[LayerSession]
	// principalSide checks what the principal's own policies must allow
	// (identity unless substituted, boundary, session policies).
	principalSide := func(idOK bool, final Layer, extra []StatementRef) Result {
		switch {
		case p.kind == principalService || p.kind == principalAnonymous:
			// Services and anonymous callers have no policies of their own;
			// only a resource-based policy can grant (checked by the caller).
			return implicit(LayerResource, "no resource-based policy grants this caller")
		case p.kind == principalRoot:
			return allowed(final, "the root user has full access unless denied", extra)
		case !idOK:
			return implicit(LayerIdentity, "no identity-based policy allows the action")
		case ev.hasBoundary && bd.nAllow == 0:
			return implicit(LayerPermissionsBoundary, "the permissions boundary does not allow the action")
		case sessionApplies && len(e.session) > 0 && ss.nAllow == 0:
			return implicit(LayerSession, "no session policy allows the action")
		case sessionApplies && len(e.session) == 0 && p.kind == principalFederatedUser:
			return implicit(LayerSession, "a federated-user session without session policies has no permissions")
		}
		if final == LayerNone {
			final = LayerIdentity
		}
		return allowed(final, "every layer that had to allow did", extra, id.allows, bd.allows, ss.allows)
	}

	if cross {
		// SPEC 3.2: the resource side must allow, and the principal side on
		// its own; a resource-policy grant never substitutes for the
		// principal's identity policies.
		if rbp.class == MatchNone {
			return implicit(LayerResource, "cross-account access needs the resource-based policy to allow the caller")
		}
		if p.kind == principalService || p.kind == principalAnonymous {
			return allowed(LayerResource, "the resource-based policy grants the caller", rbp.allows)
		}
		return principalSide(id.nAllow > 0, LayerNone, rbp.allows)
	}

	// Same account (SPEC 1.4-1.7).
	if needsRBP && rbp.class == MatchNone {
		return implicit(LayerResource, "a role trust policy or KMS key policy must allow the caller, even in the same account (SPEC 3.3)")
	}
	switch rbp.class {
	case MatchDirect, MatchRoot, MatchService:
		why := ""
		if ev.trace != nil {
			why = "the resource-based policy names the caller (" + rbp.class.String() + " match); identity, boundary and session policies do not limit it"
		}
		return allowed(LayerResource, why, rbp.allows)
	}
	if p.kind == principalService || p.kind == principalAnonymous {
		return implicit(LayerResource, "no resource-based policy grants this caller")
	}
	if p.kind == principalRoot {
		return allowed(LayerNone, "the root user has full access unless denied")
	}
	var extra []StatementRef
	if rbp.class == MatchEntity {
		extra = rbp.allows
	}
	return principalSide(id.nAllow > 0 || rbp.class == MatchEntity, LayerNone, extra)
}

// resourcePolicyRequired reports whether the request's resource is one whose
// own policy must allow even within an account: a role trust policy for
// sts:AssumeRole*, sts:TagSession and sts:SetSourceIdentity on an IAM role,
// and a KMS key policy for a KMS key (SPEC 3.3).
func resourcePolicyRequired(action, resource string) bool {
	_, svc, _, _, res, ok := splitARN(resource)
	if !ok {
		return false
	}
	switch {
	case svc == "iam" && strings.HasPrefix(res, "role/"):
		return strings.HasPrefix(action, "sts:assumerole") || action == "sts:tagsession" || action == "sts:setsourceidentity"
	case svc == "kms" && strings.HasPrefix(res, "key/"):
		return true
	}
	return false
}

func appendRefs(dst, src []StatementRef) []StatementRef {
	if len(src) == 0 {
		return dst
	}
	if dst == nil {
		return src[:len(src):len(src)]
	}
	return append(dst, src...)
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

// scanLevels scans SCP or RCP levels: every Deny anywhere counts, and each
// level must have an applicable Allow. It returns the first level without
// one, or -1.
func (ev *evaluation) scanLevels(l Layer, levels [][]*compiledPolicy) (layerScan, int) {
	var all layerScan
	failed := -1
	for i, lv := range levels {
		s := ev.scan(l, lv)
		all.denies = appendRefs(all.denies, s.denies)
		all.allows = appendRefs(all.allows, s.allows)
		all.nDeny += s.nDeny
		all.nAllow += s.nAllow
		if s.nAllow == 0 && failed < 0 {
			failed = i
		}
	}
	return all, failed
}

// scan finds the statements of a layer's policies that apply to the request.
func (ev *evaluation) scan(l Layer, pols []*compiledPolicy) layerScan {
	var s layerScan
	for _, cp := range pols {
		if cp == nil {
			continue
		}
		if ev.cfg.noIndex {
			for i := range cp.stmts {
				ev.consider(l, &cp.stmts[i], &s)
			}
			continue
		}
		// Merge the service's statements with the any-service statements in
		// statement order.
		a, b := cp.byService[ev.service], cp.anyService
		for len(a) > 0 || len(b) > 0 {
			var i int32
			if len(b) == 0 || (len(a) > 0 && a[0] < b[0]) {
				i, a = a[0], a[1:]
			} else {
				i, b = b[0], b[1:]
			}
			ev.consider(l, &cp.stmts[i], &s)
		}
	}
	return s
}

// consider tests one statement and records it in s when it applies.
func (ev *evaluation) consider(l Layer, cs *compiledStatement, s *layerScan) {
	ok, class, why := ev.applies(cs)
	if ev.trace != nil {
		ev.trace.statement(l, cs, ok, why)
	}
	if !ok {
		return
	}
	if cs.deny {
		s.nDeny++
		if !ev.cfg.decisionOnly {
			s.denies = appendRefs(s.denies, cs.self)
		}
		return
	}
	s.nAllow++
	if !ev.cfg.decisionOnly {
		s.allows = appendRefs(s.allows, cs.self)
	}
	if class > s.class {
		s.class = class
	}
}

// applies reports whether a statement applies to the request (SPEC 0.4) and,
// for an Allow with a Principal, how the principal matched.
func (ev *evaluation) applies(cs *compiledStatement) (bool, MatchClass, string) {
	matched := false
	for i := range cs.actions {
		if cs.actions[i].match(ev.action) {
			matched = true
			break
		}
	}
	if matched == cs.notAction {
		return false, MatchNone, "action does not match"
	}
	if !cs.anyResource {
		matched = false
		for i := range cs.resources {
			if cs.resources[i].Match(ev.req.Resource, &ev.view) {
				matched = true
				break
			}
		}
		if matched == cs.notResource {
			return false, MatchNone, "resource does not match"
		}
	}
	class := MatchNone
	if cs.principal != nil {
		if cs.notPrincipal {
			if cs.principal.exempts(&ev.p, ev.hasBoundary) {
				return false, MatchNone, "caller is exempted by NotPrincipal"
			}
		} else if class = cs.principal.class(&ev.p); class == MatchNone {
			return false, MatchNone, "principal does not match"
		}
	}
	for i := range cs.conditions {
		if !cs.conditions[i].eval(&ev.view, ev.noteMissing) {
			// The statement fails, but AWS reports every key its conditions
			// need that the request lacks (MissingContextValues).
			for j := i + 1; j < len(cs.conditions); j++ {
				cs.conditions[j].noteMissing(&ev.view, ev.noteMissing)
			}
			if ev.trace == nil {
				return false, MatchNone, ""
			}
			return false, MatchNone, "condition " + cs.conditions[i].describe() + " is false"
		}
	}
	return true, class, "applies"
}

func (ev *evaluation) addMissing(key string) { ev.missing = append(ev.missing, key) }
