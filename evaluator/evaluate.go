package evaluator

import (
	"errors"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/iamsim/iamsim/arn"
)

// EvalOption configures one Evaluate call. Options are flags, combined
// without allocating.
type EvalOption uint8

const (
	optTrace    EvalOption = 1 << iota
	optNoIndex             // WithoutIndex
	optNoLayers            // WithoutLayers
	// optDecisionOnly keeps no statement references: Decide's path.
	optDecisionOnly
	optUnknownPessimistic // WithUnknownContext(UnknownPessimistic)
	optUnknownOptimistic  // WithUnknownContext(UnknownOptimistic)
	optTagsComplete       // WithPrincipalTagsComplete
)

// UnknownMode says how WithUnknownContext resolves a statement that rests
// on a condition key whose value is unknown.
type UnknownMode uint8

const (
	// UnknownPessimistic resolves against the caller, as Evaluate always
	// does for keys of unknown value: an Allow resting on an unknown key is
	// not counted and a Deny is. An Allowed decision then holds whatever
	// values the unknown keys take.
	UnknownPessimistic UnknownMode = iota + 1
	// UnknownOptimistic resolves for the caller: an Allow resting on an
	// unknown key is counted and a Deny is not. An ImplicitDeny or
	// ExplicitDeny decision then holds whatever values the unknown keys
	// take; an Allowed one holds for some values at most.
	UnknownOptimistic
)

// String returns "pessimistic" or "optimistic".
func (m UnknownMode) String() string {
	switch m {
	case UnknownPessimistic:
		return "pessimistic"
	case UnknownOptimistic:
		return "optimistic"
	}
	return "UnknownMode(" + itoa(int(m)) + ")"
}

// WithUnknownContext makes every condition key the request's context does
// not give, and that is not derived from the principal, unknown rather than
// absent: it may be absent or hold any values, so Null, IfExists and every
// comparison on it are unknown, and so is a Resource ARN or a condition
// value holding a policy variable on it. Principal-derived keys
// (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType, aws:username,
// aws:userid, aws:PrincipalIsAWSService, aws:PrincipalServiceName,
// aws:PrincipalServiceNamesList) keep their derived state. Statements
// resting on an unknown key are resolved as mode says, and the keys are
// reported in Result.MissingContext. Evaluating a request once with each
// mode bounds its decision: Allowed with UnknownPessimistic means allowed
// whatever the unknown keys hold; not Allowed with UnknownOptimistic means
// allowed for none of their values.
func WithUnknownContext(mode UnknownMode) EvalOption {
	switch mode {
	case UnknownPessimistic:
		return optUnknownPessimistic
	case UnknownOptimistic:
		return optUnknownOptimistic
	}
	return 0
}

// WithPrincipalTagsComplete says the request's context lists every tag of
// the principal as aws:PrincipalTag/KEY: with WithUnknownContext, an
// aws:PrincipalTag key the context does not give is then absent, not
// unknown (as for a principal of an account snapshot, which lists every
// tag).
func WithPrincipalTagsComplete() EvalOption { return optTagsComplete }

// optionsOf combines opts into one set of flags.
func optionsOf(opts []EvalOption) EvalOption {
	var all EvalOption
	for _, o := range opts {
		all |= o
	}
	return all
}

// WithTrace records every statement considered and why it applied or not in
// Result.Trace. Without it, tracing costs nothing.
func WithTrace() EvalOption { return optTrace }

// WithoutLayers leaves Result.Layers empty, saving its allocation, for
// callers that evaluate many requests and keep only the decision, the
// deciding statements and the missing context (as effective reports do).
func WithoutLayers() EvalOption { return optNoLayers }

// WithoutIndex makes Evaluate consider every statement of every policy
// instead of only those indexed under the action's service. It is the
// reference path the index is tested against; results are identical.
func WithoutIndex() EvalOption { return optNoIndex }

// layerScan is what one pass over a layer's statements found: its
// applicable Deny and Allow statements, as spans of the evaluation's
// denied and allowed lists.
type layerScan struct {
	deny, allow refSpan
	class       MatchClass // resource layer: best principal match among the allows
}

// refSpan is a run of ev.denied or ev.allowed: n statements from lo. In
// decision-only evaluations nothing is recorded and only n counts.
type refSpan struct{ lo, n int }

// evaluation is the state of one Evaluate call. Evaluations are pooled:
// nothing of one may be kept in a Result (see fill and release).
type evaluation struct {
	e       *Engine
	reqv    Request
	req     *Request // &reqv
	p       principal
	action  string // lower case
	service string // lower case
	view    view
	cfg     EvalOption
	trace   *Trace
	missing []string
	// noteMissing is ev.addMissing, made once per pooled evaluation (a
	// method value made at each call would allocate).
	noteMissing func(string)
	// hasBoundary is true when a permissions boundary applies to the caller.
	hasBoundary bool

	// What run found, for fill to turn into a Result: the statements that
	// applied (pooled lists, spans in scans), which layers applied, the
	// first failing SCP and RCP levels, and which layers' statements make
	// Result.Matched (their denies with matchDeny, else their allows).
	denied, allowed []*StatementRef
	scans           [numLayers]layerScan
	applied         [numLayers]bool
	rcpFail         int
	scpFail         int
	matchMask       uint8
	matchDeny       bool
}

var evalPool = sync.Pool{New: func() any { return new(evaluation) }}

// newEvaluation takes an evaluation from the pool, set up for req.
func newEvaluation(e *Engine, req *Request, cfg EvalOption) *evaluation {
	ev := evalPool.Get().(*evaluation)
	*ev = evaluation{e: e, reqv: *req, cfg: cfg, missing: ev.missing[:0], noteMissing: ev.noteMissing,
		denied: ev.denied[:0], allowed: ev.allowed[:0]}
	ev.req = &ev.reqv
	if ev.noteMissing == nil {
		ev.noteMissing = ev.addMissing
	}
	if cfg&optTrace != 0 {
		ev.trace = &Trace{}
	}
	return ev
}

// release returns the evaluation to the pool, keeping its buffers but no
// reference to the engine or the request.
func (ev *evaluation) release() {
	clear(ev.denied)
	clear(ev.allowed)
	*ev = evaluation{missing: ev.missing[:0], noteMissing: ev.noteMissing, denied: ev.denied[:0], allowed: ev.allowed[:0]}
	evalPool.Put(ev)
}

// Evaluate decides req against the engine's policies following AWS's
// evaluation flowchart (docs/semantics.md §1.8). It never fails: a malformed request is
// denied implicitly (see Request.Validate).
func (e *Engine) Evaluate(req Request, opts ...EvalOption) Result {
	var res Result
	e.EvaluateInto(&res, req, opts...)
	return res
}

// Check is Evaluate for a request that may be malformed: it reports the
// problem Request.Validate finds instead of denying the request. Its
// signature is that of sts.Session.Evaluate, so that an Engine and a
// session can stand for each other (as evaltest's assertions take either).
// A nil Engine is an error.
func (e *Engine) Check(req Request, opts ...EvalOption) (Result, error) {
	if e == nil {
		return Result{}, errors.New("evaluator: nil *Engine")
	}
	if err := req.Validate(); err != nil {
		return Result{}, err
	}
	return e.Evaluate(req, opts...), nil
}

// EvaluateInto is Evaluate writing its result into *dst, whose slices
// (Matched, MissingContext, Layers and each layer's Matched) it reuses
// when their capacity allows: evaluating many requests into one Result
// allocates nothing once the slices have grown to fit. Everything dst held
// before is overwritten; copy what you want to keep. A reused slice may
// come back empty rather than nil.
func (e *Engine) EvaluateInto(dst *Result, req Request, opts ...EvalOption) {
	ev := newEvaluation(e, &req, optionsOf(opts))
	ev.fill(dst, ev.run())
	ev.release()
}

// fill writes core, the decision run returned, and what the evaluation
// found into dst, reusing dst's slices where they are big enough and
// otherwise carving all that is missing from one new array. Matched and
// each layer's list are separate arrays, so that reusing one never
// overwrites another.
func (ev *evaluation) fill(dst *Result, core Result) {
	// The layers that apply, and what each reports.
	var out [numLayers]LayerResult
	var spans [numLayers]refSpan
	var denies [numLayers]bool
	nl := 0
	for l := LayerRCP; l < numLayers && ev.cfg&optNoLayers == 0; l++ {
		if !ev.applied[l] {
			continue
		}
		s := &ev.scans[l]
		lr := LayerResult{Layer: l, Decision: ImplicitDeny, Class: s.class, FailedLevel: -1}
		spans[nl] = s.allow
		switch {
		case s.deny.n > 0:
			lr.Decision, spans[nl], denies[nl] = ExplicitDeny, s.deny, true
		case l == LayerRCP && ev.rcpFail < 0, l == LayerSCP && ev.scpFail < 0:
			lr.Decision = Allowed
		case l == LayerRCP:
			lr.FailedLevel = ev.rcpFail
		case l == LayerSCP:
			lr.FailedLevel = ev.scpFail
		case l == LayerSession && len(ev.e.session) == 0 && ev.p.kind == principalRoleSession:
			lr.Decision = Allowed // a role session without session policies is not limited
		case s.allow.n > 0:
			lr.Decision = Allowed
		}
		out[nl] = lr
		nl++
	}
	nMatched := 0
	for l := LayerRCP; l < numLayers; l++ {
		if ev.matchMask&(1<<l) != 0 {
			nMatched += ev.span(l, ev.matchDeny).n
		}
	}
	// The layers' old lists, to reuse.
	oldLayers := dst.Layers[:cap(dst.Layers)]
	var reuse [numLayers][]StatementRef
	for i := 0; i < nl && i < len(oldLayers); i++ {
		reuse[i] = oldLayers[i].Matched
	}
	// Room: what dst's slices cannot hold comes from one new array.
	need := 0
	if cap(dst.Matched) < nMatched {
		need += nMatched
	}
	for i := 0; i < nl; i++ {
		if cap(reuse[i]) < spans[i].n {
			need += spans[i].n
		}
	}
	var spare []StatementRef
	if need > 0 {
		spare = make([]StatementRef, need)
	}
	take := func(old []StatementRef, n int) []StatementRef {
		if cap(old) >= n {
			return old[:n]
		}
		s := spare[:n:n]
		spare = spare[n:]
		return s
	}

	matched := take(dst.Matched, nMatched)
	k := 0
	for l := LayerRCP; l < numLayers; l++ {
		if ev.matchMask&(1<<l) != 0 {
			k += ev.copyRefs(matched[k:], ev.span(l, ev.matchDeny), ev.matchDeny)
		}
	}
	var layers []LayerResult
	if nl > 0 {
		if cap(dst.Layers) >= nl {
			layers = dst.Layers[:nl]
		} else {
			layers = make([]LayerResult, nl)
		}
		for i := 0; i < nl; i++ {
			out[i].Matched = take(reuse[i], spans[i].n)
			ev.copyRefs(out[i].Matched, spans[i], denies[i])
			layers[i] = out[i]
		}
	} else {
		layers = dst.Layers[:0]
	}

	missing := dst.MissingContext[:0]
	if len(ev.missing) > 0 {
		sort.Strings(ev.missing)
		missing = append(missing, compactStrings(ev.missing)...)
	}
	var trace *Trace
	if ev.trace != nil {
		trace = ev.trace
		trace.Decision, trace.DecidedBy = core.Decision, core.DecidedBy
	}
	*dst = Result{Decision: core.Decision, DecidedBy: core.DecidedBy, Matched: matched, MissingContext: missing,
		Layers: layers, CrossAccount: core.CrossAccount, Trace: trace}
}

// span returns the denies or the allows layer l recorded.
func (ev *evaluation) span(l Layer, deny bool) refSpan {
	if deny {
		return ev.scans[l].deny
	}
	return ev.scans[l].allow
}

// copyRefs copies the statements of sp into dst and returns their number.
func (ev *evaluation) copyRefs(dst []StatementRef, sp refSpan, deny bool) int {
	src := ev.allowed
	if deny {
		src = ev.denied
	}
	for i, r := range src[sp.lo : sp.lo+sp.n] {
		dst[i] = *r
	}
	return sp.n
}

// Decide returns only the decision on req and the layer that made it, as
// Evaluate would: no statement references, layer results or trace are
// built, so a decision costs no allocation. Use it in hot loops; use
// Evaluate to explain.
func (e *Engine) Decide(req Request) (Decision, Layer) {
	ev := newEvaluation(e, &req, optNoLayers|optDecisionOnly)
	res := ev.run()
	ev.release()
	return res.Decision, res.DecidedBy
}

// maxLowerCache bounds the engine's cache of lower-cased action names.
const maxLowerCache = 4096

// lowerAction returns the action in lower case, from the engine's cache
// when it has seen the action before (a decision then allocates nothing).
func (e *Engine) lowerAction(action string) string {
	if isLowerASCII(action) {
		return action // already lower case, as the catalog's keys are
	}
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

// isLowerASCII reports whether s is ASCII without upper-case letters, so
// that strings.ToLower(s) == s.
func isLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || ('A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
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
		ev.note("sts:GetCallerIdentity needs no permission and cannot be denied (docs/semantics.md §3.5)")
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
	// Fail closed: a malformed request (an action with wildcards, no
	// resource, ...) is no request AWS would decide; it is denied without
	// reading any policy.
	if err := req.shapeProblem(); err != nil {
		if ev.trace != nil {
			ev.note("malformed request: %v: implicit deny", err)
		}
		return Result{}
	}
	ev.action = e.lowerAction(req.Action)
	ev.service, _, _ = strings.Cut(ev.action, ":")
	ev.view = view{req: req, p: p, unknownCtx: ev.cfg&(optUnknownPessimistic|optUnknownOptimistic) != 0,
		tagsComplete: ev.cfg&optTagsComplete != 0}

	resPart, resSvc, _, arnAcct, resRest, resIsARN := splitARN(req.Resource)
	resAcct := req.ResourceAccount
	if resAcct == "" {
		if resIsARN && arn.IsAccountID(arnAcct) {
			resAcct = arnAcct
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
			ev.note("cross-account: principal account %s, resource account %s; both sides must allow (docs/semantics.md §3.2)", p.account, resAcct)
		}
	}

	inOrg := func(acct string) bool {
		if acct == "" || acct == e.mgmt {
			return false
		}
		if len(e.orgAccounts) == 0 {
			return true
		}
		_, ok := slices.BinarySearch(e.orgAccounts, acct)
		return ok
	}
	scpApplies := len(e.scps) > 0 && inOrg(p.account) && !p.serviceLinked &&
		(p.kind == principalRoot || p.kind == principalUser || p.isSession())
	needsRBP := resIsARN && resourcePolicyRequired(ev.action, resSvc, resRest)
	// RCPs do not restrict an AWS service assuming its service-linked role:
	// "the service-linked role's trust policy is also not impacted by RCPs"
	// (LIVE orgs_manage_policies_rcps.html, "Resources and entities not
	// restricted by RCPs").
	slrTrust := needsRBP && resSvc == "iam" && p.kind == principalService && !p.provider && serviceLinkedRoleOf(resRest, p.service)
	// Given RCPs make the resource's account a member account; when that
	// account cannot be known (an S3 ARN has none, and an anonymous or
	// service caller has none either), they apply: failing closed.
	rcpApplies := len(e.rcps) > 0 && (resAcct == "" || inOrg(resAcct)) && e.rcpServices[ev.service] && !p.serviceLinked &&
		!slrTrust && ev.action != "kms:retiregrant"
	identityApplies := p.kind == principalUser || p.isSession()
	ev.hasBoundary = e.boundary != nil && identityApplies
	sessionApplies := p.isSession()

	res := Result{CrossAccount: cross}
	layers := &ev.scans
	rcpFail, scpFail := -1, -1
	if rcpApplies {
		layers[LayerRCP], rcpFail = ev.scanLevels(LayerRCP, e.rcps)
	} else if len(e.rcps) > 0 {
		if ev.trace != nil {
			ev.note("RCPs do not apply (resource account %s not a member, service %q not governed by RCPs, a service-linked role's call, or a service assuming its service-linked role)", resAcct, ev.service)
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

	// Record the layers that apply, for fill.
	ev.applied = [numLayers]bool{
		LayerRCP: rcpApplies, LayerSCP: scpApplies, LayerResource: e.resource != nil,
		LayerIdentity: identityApplies, LayerPermissionsBoundary: ev.hasBoundary, LayerSession: sessionApplies,
	}
	ev.rcpFail, ev.scpFail = rcpFail, scpFail

	// Step 1: the deny sweep over every applicable layer.
	denied := false
	for l := LayerRCP; l < numLayers; l++ {
		if layers[l].deny.n > 0 {
			if !denied {
				res.DecidedBy = l
			}
			denied = true
			ev.matchMask |= 1 << l
		}
	}
	if denied {
		ev.matchDeny = true
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
	// allowed decides Allowed; the allows of the layers in mask make
	// Result.Matched.
	allowed := func(l Layer, why string, mask uint8) Result {
		if ev.trace != nil {
			ev.note("allowed: %s", why)
		}
		res.Decision, res.DecidedBy = Allowed, l
		ev.matchMask = mask
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
	// STS calls some callers cannot make at all (docs/semantics.md §2.1, 3.5).
	if why := stsRefused(p, ev.action); why != "" {
		l := LayerIdentity
		if p.kind == principalFederatedUser {
			l = LayerSession
		}
		return implicit(l, why)
	}
	// docs/semantics.md §3.1: access never crosses partitions (aws, aws-cn, aws-us-gov).
	if resIsARN && p.partition != "" && resPart != p.partition && p.kind != principalService {
		return implicit(LayerResource, "the caller's partition "+p.partition+" is not the resource's "+resPart+": access cannot cross partitions")
	}
	rbp := &layers[LayerResource]
	id, bd, ss := &layers[LayerIdentity], &layers[LayerPermissionsBoundary], &layers[LayerSession]
	// A federated user made by the root user has the root user's full
	// access on its identity side, narrowed by its session policies.
	idAllows := id.allow.n > 0 || p.rootFederated
	// principalSide checks what the principal's own policies must allow
	// (identity unless substituted, boundary, session policies).
	principalSide := func(idOK bool, final Layer, extra uint8) Result {
		switch {
		case p.kind == principalService || p.kind == principalAnonymous:
			// Services and anonymous callers have no policies of their own;
			// only a resource-based policy can grant (checked by the caller).
			return implicit(LayerResource, "no resource-based policy grants this caller")
		case p.kind == principalRoot:
			return allowed(final, "the root user has full access unless denied", extra)
		case !idOK:
			return implicit(LayerIdentity, "no identity-based policy allows the action")
		case ev.hasBoundary && bd.allow.n == 0:
			return implicit(LayerPermissionsBoundary, "the permissions boundary does not allow the action")
		case sessionApplies && len(e.session) > 0 && ss.allow.n == 0:
			return implicit(LayerSession, "no session policy allows the action")
		case sessionApplies && len(e.session) == 0 && p.kind == principalFederatedUser:
			return implicit(LayerSession, "a federated-user session without session policies has no permissions")
		}
		if final == LayerNone {
			final = LayerIdentity
		}
		return allowed(final, "every layer that had to allow did", extra|1<<LayerIdentity|1<<LayerPermissionsBoundary|1<<LayerSession)
	}

	if cross {
		// docs/semantics.md §3.2: the resource side must allow, and the principal side on
		// its own; a resource-policy grant never substitutes for the
		// principal's identity policies.
		if rbp.class == MatchNone {
			return implicit(LayerResource, "cross-account access needs the resource-based policy to allow the caller")
		}
		if p.kind == principalService || p.kind == principalAnonymous {
			return allowed(LayerResource, "the resource-based policy grants the caller", 1<<LayerResource)
		}
		return principalSide(idAllows, LayerNone, 1<<LayerResource)
	}

	// Same account (docs/semantics.md §1.4-1.7).
	if needsRBP && rbp.class == MatchNone {
		return implicit(LayerResource, "a role trust policy or KMS key policy must allow the caller, even in the same account (docs/semantics.md §3.3)")
	}
	switch rbp.class {
	case MatchDirect, MatchRoot, MatchService:
		why := ""
		if ev.trace != nil {
			why = "the resource-based policy names the caller (" + rbp.class.String() + " match); identity, boundary and session policies do not limit it"
		}
		return allowed(LayerResource, why, 1<<LayerResource)
	}
	if p.kind == principalService || p.kind == principalAnonymous {
		return implicit(LayerResource, "no resource-based policy grants this caller")
	}
	if p.kind == principalRoot {
		return allowed(LayerNone, "the root user has full access unless denied", 0)
	}
	var extra uint8
	if rbp.class == MatchEntity {
		extra = 1 << LayerResource
	}
	return principalSide(idAllows || rbp.class == MatchEntity, LayerNone, extra)
}

// stsRefused returns why the caller cannot make the STS call action at all,
// whatever the policies say, or "": the root user cannot call AssumeRole;
// GetFederationToken and GetSessionToken take an IAM user's or the root
// user's long-term credentials; a federated user can call no IAM API and no
// STS API but GetCallerIdentity (docs/semantics.md §2.1 and 3.5;
// IUG:id_credentials_temp_request.md, "Comparing your API options").
// iam:PassRole is no IAM API operation but a permission checked while the
// caller calls another service (IUG id_roles_use_passrole: "PassRole is not
// an API call. PassRole is a permission"), so a federated user's policies
// decide it.
func stsRefused(p *principal, action string) string {
	switch {
	case p.kind == principalFederatedUser && action != "iam:passrole" &&
		(strings.HasPrefix(action, "iam:") || strings.HasPrefix(action, "sts:")):
		return "a federated user cannot call IAM, nor STS except sts:GetCallerIdentity"
	case p.kind == principalRoot && action == "sts:assumerole":
		return "the root user cannot call sts:AssumeRole"
	case (action == "sts:getfederationtoken" || action == "sts:getsessiontoken") &&
		p.kind != principalUser && p.kind != principalRoot:
		return action + " is called with the long-term credentials of an IAM user or the root user"
	}
	return ""
}

// resourcePolicyRequired reports whether the request's resource is one whose
// own policy must allow even within an account: a role trust policy for
// sts:AssumeRole*, sts:TagSession and sts:SetSourceIdentity on an IAM role,
// and a KMS key policy for a KMS key (docs/semantics.md §3.3).
// svc and res are the service and resource parts of the resource's ARN.
func resourcePolicyRequired(action, svc, res string) bool {
	switch {
	case svc == "iam" && strings.HasPrefix(res, "role/"):
		return strings.HasPrefix(action, "sts:assumerole") || action == "sts:tagsession" || action == "sts:setsourceidentity"
	case svc == "kms" && strings.HasPrefix(res, "key/"):
		return true
	}
	return false
}

// serviceLinkedRoleOf reports whether res, the resource part of an IAM role
// ARN, names a service-linked role of service: their ARNs read
// role/aws-service-role/SERVICE-NAME.amazonaws.com/NAME (IUG
// using-service-linked-roles, reference_identifiers). A role whose path
// does not say which service it belongs to (a name starting
// AWSServiceRoleFor given without its path) is not counted: failing
// closed, the RCPs then apply.
func serviceLinkedRoleOf(res, service string) bool {
	rest, ok := strings.CutPrefix(res, "role/aws-service-role/")
	if !ok {
		return false
	}
	svc, _, ok := strings.Cut(rest, "/")
	return ok && strings.EqualFold(svc, service)
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
	all := ev.newScan()
	failed := -1
	for i, lv := range levels {
		s := ev.scan(l, lv)
		all.deny.n += s.deny.n
		all.allow.n += s.allow.n
		if s.allow.n == 0 && failed < 0 {
			failed = i
		}
	}
	return all, failed
}

// newScan starts a layer's scan at the ends of the denied and allowed lists.
func (ev *evaluation) newScan() layerScan {
	return layerScan{deny: refSpan{lo: len(ev.denied)}, allow: refSpan{lo: len(ev.allowed)}}
}

// scan finds the statements of a layer's policies that apply to the request.
func (ev *evaluation) scan(l Layer, pols []*compiledPolicy) layerScan {
	s := ev.newScan()
	for _, cp := range pols {
		if cp == nil {
			continue
		}
		if ev.cfg&optNoIndex != 0 {
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
		s.deny.n++
		if ev.cfg&optDecisionOnly == 0 {
			ev.denied = append(ev.denied, &cs.ref)
		}
		return
	}
	s.allow.n++
	if ev.cfg&optDecisionOnly == 0 {
		ev.allowed = append(ev.allowed, &cs.ref)
	}
	if class > s.class {
		s.class = class
	}
}

// applies reports whether a statement applies to the request (docs/semantics.md §0.4) and,
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
	// unknown is set when the statement's resource or a condition depends
	// on a value the request holds but iamsim cannot know (keyUnknown).
	unknown := false
	if !cs.anyResource {
		res := triFalse
		// The keys of unknown value the patterns met, reported as missing
		// context (as a condition on them is) only if no pattern decides
		// the match outright.
		var unknownKeys [4]string
		nUnknown := 0
		for i := range cs.resources {
			ev.view.unknownHit = false
			ok := cs.resources[i].Match(ev.req.Resource, &ev.view)
			if ev.view.unknownHit {
				if nUnknown < len(unknownKeys) {
					unknownKeys[nUnknown] = ev.view.unknownKey
					nUnknown++
				} else {
					ev.noteMissing(ev.view.unknownKey)
				}
				res = triUnknown
				continue
			}
			if ok {
				res = triTrue
				break
			}
		}
		switch {
		case res == triUnknown:
			for _, k := range unknownKeys[:nUnknown] {
				ev.noteMissing(k)
			}
			unknown = true
		case (res == triTrue) == cs.notResource:
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
		switch cs.conditions[i].eval(&ev.view, ev.noteMissing) {
		case triUnknown:
			unknown = true
		case triFalse:
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
	if unknown && ev.cfg&optUnknownOptimistic != 0 {
		// WithUnknownContext(UnknownOptimistic): resolved for the caller.
		if cs.deny {
			return false, MatchNone, "depends on a context value that is unknown: a Deny is not counted (optimistic bound)"
		}
		return true, class, "applies: it depends on a context value that is unknown, and an Allow is counted (optimistic bound)"
	}
	if unknown {
		// Nothing else rules the statement out, but whether it applies
		// depends on a value AWS knows and iamsim does not (the unique ID in
		// aws:userid, say). Fail closed: an Allow is not counted, since AWS
		// might not grant it, and a Deny is, since AWS might deny. The key
		// is in Result.MissingContext; supplying it settles the question.
		if cs.deny {
			return true, class, "applies: it depends on a context value iamsim cannot know, and a Deny is assumed to apply (fail closed)"
		}
		return false, MatchNone, "depends on a context value iamsim cannot know: an Allow is not counted (fail closed)"
	}
	return true, class, "applies"
}

func (ev *evaluation) addMissing(key string) { ev.missing = append(ev.missing, key) }
