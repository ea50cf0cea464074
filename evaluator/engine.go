package evaluator

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/iamsim/iamsim/arn"
	"github.com/iamsim/iamsim/policy"
	"github.com/iamsim/iamsim/policy/catalog"
)

// Input is one policy of a PolicySet with the id that results and traces
// use to name it.
type Input struct {
	ID     string
	Policy *policy.Policy
	// Managed marks a managed policy (customer or AWS managed). IAM held it
	// to its quota when it stored it, so Compile does not apply the inline
	// quota of the layer: a managed session policy, named by ARN in an STS
	// call, is not bound by the 2,048-character inline session quota.
	Managed bool
	// AWSManaged marks an AWS managed policy, written by AWS rather than a
	// customer. It is also inferred when ID is an AWS managed policy ARN
	// (arn:aws:iam::aws:policy/..., or another aws partition's; see
	// policy.ProvenanceOf). Compile then applies no size quota and lets
	// Resource ARNs hold policy variables in any part, as AWS ships and
	// evaluates such policies (policy.ValidateAs, arn.WithVariablesAnywhere).
	// The policy must then have been parsed with policy.ParseAs too, if it
	// has such variables.
	AWSManaged bool
	// Text is the text Policy was parsed from, if any. The layer's size
	// quota is then measured on it as AWS measures it (see
	// policy.WithText); without it, on Policy's compact JSON.
	Text []byte
}

// PolicySet is every policy that can bear on the requests of one principal
// against one resource.
type PolicySet struct {
	// Identity holds the identity-based policies: for an IAM user its inline
	// and managed policies and those of its groups; for a role (and its
	// sessions) the role's; for a federated user the federating user's.
	Identity []Input
	// PermissionsBoundary is the user's or role's boundary, if it has one.
	PermissionsBoundary *Input
	// Session holds the session policies (inline and managed) of a role or
	// federated-user session. Empty means the session was created without
	// session policies.
	Session []Input
	// Resource is the resource-based policy of the target resource. When the
	// request's resource is an IAM role and the action is sts:AssumeRole*,
	// sts:TagSession or sts:SetSourceIdentity it is that role's trust policy;
	// when the resource is a KMS key it is the key policy. Both must allow
	// even within one account (docs/semantics.md §3.3).
	Resource *Input
	// SCPs holds the service control policies of the principal's account,
	// one slice per org level: the root, each OU on the path, the account.
	// Giving SCPs means the principal's account is a member account.
	SCPs [][]Input
	// RCPs holds the resource control policies of the resource's account,
	// one slice per org level. Giving RCPs means the resource's account is a
	// member account.
	RCPs [][]Input
	// ManagementAccount, when set, is the organization's management account:
	// SCPs never apply to its principals, RCPs never to its resources.
	ManagementAccount string
	// OrgAccounts, when set, lists the member accounts the SCPs and RCPs
	// belong to: SCPs then apply only when the principal's account is listed,
	// RCPs only when the resource's account is. When empty, SCPs apply to
	// every principal's account and RCPs to every resource's account.
	OrgAccounts []string
}

// Option configures Compile.
type Option func(*compileConfig)

type compileConfig struct {
	rcpServices    []string
	rcpServicesSet bool // WithRCPServices was given (even with no prefix)
	validate       []policy.ValidateOption
}

// DefaultRCPServices returns the service prefixes whose resources RCPs
// govern unless WithRCPServices says otherwise: the catalog's list
// (catalog.RCPServices, generated from LIVE orgs_manage_policies_rcps.html,
// "List of AWS services that support RCPs"), sorted. The slice is the
// caller's.
func DefaultRCPServices() []string { return catalog.RCPServices() }

// defaultRCPSet is DefaultRCPServices as a set, built once and shared,
// read-only, by every engine: Compile looks it up only for a set with RCPs,
// so an engine without RCPs never loads the catalog, and evaluation only
// reads the map.
var defaultRCPSet = sync.OnceValue(func() map[string]bool { return rcpSet(catalog.RCPServices()) })

func rcpSet(prefixes []string) map[string]bool {
	m := make(map[string]bool, len(prefixes))
	for _, s := range prefixes {
		m[strings.ToLower(s)] = true
	}
	return m
}

// WithRCPServices replaces DefaultRCPServices: RCPs then govern only
// requests whose action's service prefix is listed (none, when called
// without prefixes).
func WithRCPServices(prefixes ...string) Option {
	return func(c *compileConfig) { c.rcpServices, c.rcpServicesSet = prefixes, true }
}

// WithValidateOptions passes options to policy.Validate for every policy.
func WithValidateOptions(opts ...policy.ValidateOption) Option {
	return func(c *compileConfig) { c.validate = append(c.validate, opts...) }
}

// Engine is a compiled PolicySet. It is immutable and safe for concurrent
// use by any number of goroutines.
type Engine struct {
	identity    []*compiledPolicy
	boundary    *compiledPolicy
	session     []*compiledPolicy
	resource    *compiledPolicy
	scps        [][]*compiledPolicy
	rcps        [][]*compiledPolicy
	mgmt        string
	orgAccounts []string // sorted
	// rcpServices holds the lower-case prefixes RCPs govern: the catalog's
	// list, read when the set has RCPs, or WithRCPServices's. It may be
	// shared with other engines: read only.
	rcpServices map[string]bool
	// lower caches lower-cased action names (see lowerAction).
	lower  sync.Map
	lowerN atomic.Int32
}

// WithResourcePolicy returns an engine that decides with e's policies and
// rp as the resource-based policy, in place of any e has. Only rp is
// compiled, with opts; e's compiled policies, immutable, are shared.
func (e *Engine) WithResourcePolicy(rp Input, opts ...Option) (*Engine, error) {
	r, err := Compile(PolicySet{Resource: &rp}, opts...)
	if err != nil {
		return nil, err
	}
	return &Engine{identity: e.identity, boundary: e.boundary, session: e.session, resource: r.resource,
		scps: e.scps, rcps: e.rcps, mgmt: e.mgmt, orgAccounts: e.orgAccounts, rcpServices: e.rcpServices}, nil
}

// ErrNotSupported marks policy content the engine cannot evaluate yet.
var ErrNotSupported = errors.New("not supported")

// CompileError is a problem found while compiling one policy of a set.
type CompileError struct {
	PolicyID string
	Layer    Layer
	Err      error
}

// Error renders the policy id, the layer and the problem.
func (e *CompileError) Error() string {
	return fmt.Sprintf("%s policy %q: %v", e.Layer, e.PolicyID, e.Err)
}

// Unwrap returns the underlying problem (a policy.Errors for validation
// problems).
func (e *CompileError) Unwrap() error { return e.Err }

// Compile validates every policy of the set for its layer, compiles every
// pattern once and indexes statements by service. Problems in several
// policies are all reported, joined.
func Compile(set PolicySet, opts ...Option) (*Engine, error) {
	var cfg compileConfig
	for _, o := range opts {
		o(&cfg)
	}
	return compileSet(set, &cfg, nil)
}

// compileSet is Compile with cfg, taking each policy from c's cache when c
// is not nil.
func compileSet(set PolicySet, cfg *compileConfig, c *Compiler) (*Engine, error) {
	// A sorted copy, searched by halves: an organization may list
	// thousands of accounts.
	e := &Engine{mgmt: set.ManagementAccount, orgAccounts: slices.Compact(slices.Sorted(slices.Values(set.OrgAccounts)))}
	switch {
	case cfg.rcpServicesSet:
		e.rcpServices = rcpSet(cfg.rcpServices)
	case len(set.RCPs) > 0:
		e.rcpServices = defaultRCPSet()
	}
	var errs []error
	comp := func(in Input, layer Layer, kind policy.Kind, def string) *compiledPolicy {
		if in.ID == "" {
			in.ID = def
		}
		var cp *compiledPolicy
		var err error
		if c != nil {
			cp, err = c.policy(in, kind)
		} else {
			aws, vopts := in.validateOptions(cfg.validate)
			cp, err = compilePolicy(in, kind, aws, vopts)
		}
		if err != nil {
			errs = append(errs, &CompileError{PolicyID: in.ID, Layer: layer, Err: err})
		}
		return cp
	}
	for i, in := range set.Identity {
		e.identity = append(e.identity, comp(in, LayerIdentity, policy.Identity, fmt.Sprintf("identityPolicies[%d]", i)))
	}
	if set.PermissionsBoundary != nil {
		e.boundary = comp(*set.PermissionsBoundary, LayerPermissionsBoundary, policy.PermissionsBoundary, "permissionsBoundary")
	}
	for i, in := range set.Session {
		e.session = append(e.session, comp(in, LayerSession, policy.Session, fmt.Sprintf("sessionPolicies[%d]", i)))
	}
	if set.Resource != nil {
		e.resource = comp(*set.Resource, LayerResource, policy.Resource, "resourcePolicy")
	}
	for l, level := range set.SCPs {
		var lv []*compiledPolicy
		for i, in := range level {
			lv = append(lv, comp(in, LayerSCP, policy.SCP, fmt.Sprintf("scps[%d][%d]", l, i)))
		}
		e.scps = append(e.scps, lv)
	}
	for l, level := range set.RCPs {
		var lv []*compiledPolicy
		for i, in := range level {
			lv = append(lv, comp(in, LayerRCP, policy.RCP, fmt.Sprintf("rcps[%d][%d]", l, i)))
		}
		e.rcps = append(e.rcps, lv)
	}
	if set.ManagementAccount != "" && !arn.IsAccountID(set.ManagementAccount) {
		errs = append(errs, fmt.Errorf("management account %q: want 12 digits", set.ManagementAccount))
	}
	for _, a := range set.OrgAccounts {
		if !arn.IsAccountID(a) {
			errs = append(errs, fmt.Errorf("org account %q: want 12 digits", a))
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return e, nil
}

// Validate checks in.Policy as a policy of kind k, as Compile checks each
// policy of a set: with the policy.ValidateOption values among opts
// (WithValidateOptions), holding an AWS managed policy to no customer rule,
// a managed one to no inline quota, and measuring the quota of one with
// Text on that text.
func (in Input) Validate(k policy.Kind, opts ...Option) error {
	if in.Policy == nil {
		return errors.New("no policy document")
	}
	var cfg compileConfig
	for _, o := range opts {
		o(&cfg)
	}
	_, vopts := in.validateOptions(cfg.validate)
	return policy.Validate(in.Policy, k, vopts...)
}

// validateOptions adds to base the options in's provenance and text call
// for; aws reports an AWS managed policy.
func (in *Input) validateOptions(base []policy.ValidateOption) (aws bool, vopts []policy.ValidateOption) {
	vopts = base
	aws = in.AWSManaged || policy.ProvenanceOf(in.ID) == policy.AWSManaged
	switch {
	case aws:
		vopts = append(vopts[:len(vopts):len(vopts)], policy.ValidateAs(policy.AWSManaged))
	case in.Managed:
		vopts = append(vopts[:len(vopts):len(vopts)], policy.WithoutQuota())
	case in.Text != nil:
		vopts = append(vopts[:len(vopts):len(vopts)], policy.WithText(in.Text))
	}
	return aws, vopts
}

// compiledPolicy is one policy, ready to evaluate.
type compiledPolicy struct {
	id    string
	kind  policy.Kind
	stmts []compiledStatement
	// byService maps a lower-case service prefix to the indexes of the
	// statements whose Action names that service; anyService holds the
	// statements that can match any service (NotAction, "*", a wildcard in
	// the prefix). Both are sorted.
	byService  map[string][]int32
	anyService []int32
}

type compiledStatement struct {
	ref          StatementRef
	deny         bool
	notAction    bool
	actions      []actionMatcher
	notResource  bool
	anyResource  bool // no Resource/NotResource (resource-based policies: the attached resource)
	resources    []arn.Pattern
	principal    *principalMatcher // nil: the statement has no Principal element
	notPrincipal bool
	conditions   []conditionMatcher
}

// actionMatcher matches a lower-cased action name.
type actionMatcher struct {
	any   bool
	exact string // the lower-cased pattern
	// wild marks a pattern with * or ?, matched by arn.MatchWildcard
	// (nothing to compile).
	wild bool
}

func (m *actionMatcher) match(action string) bool {
	switch {
	case m.any:
		return true
	case m.wild:
		return arn.MatchWildcard(m.exact, action)
	}
	return m.exact == action
}

// compilePolicy validates and compiles one policy; aws marks an AWS managed
// one, whose Resource ARNs may hold variables in any part.
func compilePolicy(in Input, kind policy.Kind, aws bool, vopts []policy.ValidateOption) (*compiledPolicy, error) {
	if in.Policy == nil {
		return nil, errors.New("no policy document")
	}
	if err := policy.Validate(in.Policy, kind, vopts...); err != nil {
		return nil, err
	}
	p := in.Policy
	cp := &compiledPolicy{id: in.ID, kind: kind, byService: map[string][]int32{}, stmts: make([]compiledStatement, 0, len(p.Statements))}
	var patOpts []arn.Option
	if !p.VariablesEnabled() {
		patOpts = append(patOpts, arn.WithoutVariables())
	}
	if aws {
		patOpts = append(patOpts, arn.WithVariablesAnywhere())
	}
	var errs policy.Errors
	fail := func(st *policy.Statement, i int, code policy.Code, format string, args ...any) {
		errs = append(errs, &policy.Error{Code: code, Path: fmt.Sprintf("/Statement/%d", i), Pos: st.Span.Start, Message: fmt.Sprintf(format, args...)})
	}
	var services []string
	for i := range p.Statements {
		st := &p.Statements[i]
		cs := compiledStatement{
			ref:  StatementRef{PolicyID: in.ID, Kind: kind, Index: i, Sid: st.Sid, Span: st.Span},
			deny: st.Effect == policy.Deny,
		}
		acts := st.Action
		if st.NotAction != nil {
			cs.notAction, acts = true, st.NotAction
		}
		services = services[:0] // the services the statement's actions name, once each
		anySvc := cs.notAction
		cs.actions = make([]actionMatcher, 0, len(acts))
		for _, a := range acts {
			la := strings.ToLower(a)
			m := actionMatcher{exact: la}
			switch {
			case la == "*":
				m.any = true
				anySvc = true
			case strings.ContainsAny(la, "*?"):
				m.wild = true
			}
			svc, _, _ := strings.Cut(la, ":")
			if strings.ContainsAny(svc, "*?") {
				anySvc = true
			} else if !m.any && !slices.Contains(services, svc) {
				services = append(services, svc)
			}
			cs.actions = append(cs.actions, m)
		}
		res := st.Resource
		switch {
		case st.NotResource != nil:
			cs.notResource, res = true, st.NotResource
		case st.Resource == nil:
			cs.anyResource = true
		}
		if len(res) > 0 {
			cs.resources = make([]arn.Pattern, 0, len(res))
		}
		for _, r := range res {
			pat, err := arn.CompilePattern(r, patOpts...)
			if err != nil {
				fail(st, i, policy.CodeInvalidResource, "resource %q: %v", r, err)
				continue
			}
			cs.resources = append(cs.resources, pat)
		}
		if st.Principal != nil {
			cs.principal = compilePrincipals(st.Principal)
		} else if st.NotPrincipal != nil {
			cs.principal, cs.notPrincipal = compilePrincipals(st.NotPrincipal), true
		}
		for _, c := range st.Conditions {
			m, err := compileCondition(c, p.VariablesEnabled())
			if err != nil {
				errs = append(errs, &policy.Error{Code: codeOf(err), Path: fmt.Sprintf("/Statement/%d/Condition", i), Pos: c.Span.Start, Message: err.Error()})
				continue
			}
			cs.conditions = append(cs.conditions, m)
		}
		idx := int32(len(cp.stmts))
		cp.stmts = append(cp.stmts, cs)
		if anySvc {
			cp.anyService = append(cp.anyService, idx)
			continue
		}
		for _, svc := range services {
			cp.byService[svc] = append(cp.byService[svc], idx)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return cp, nil
}

// codeOf returns the policy.Code inside err, or CodeUnsupported.
func codeOf(err error) policy.Code {
	var pe *policy.Error
	if errors.As(err, &pe) {
		return pe.Code
	}
	return policy.CodeUnsupported
}

// WithResourceSide returns an engine that decides with e's principal-side
// policies (identity, permissions boundary, session policies, SCPs) and
// r's resource side (its resource-based policy, RCPs and the services RCPs
// govern), as if one PolicySet had held both. The organization facts
// (ManagementAccount, OrgAccounts) are e's when e has any, else r's; give
// both engines the same. Nothing is compiled: both engines' compiled
// policies, immutable, are shared, so that one compiled resource side
// serves many principals. A nil r adds nothing: the result is e.
func (e *Engine) WithResourceSide(r *Engine) *Engine {
	if r == nil {
		return e
	}
	mgmt, accts := e.mgmt, e.orgAccounts
	if mgmt == "" && len(accts) == 0 {
		mgmt, accts = r.mgmt, r.orgAccounts
	}
	return &Engine{identity: e.identity, boundary: e.boundary, session: e.session, scps: e.scps,
		resource: r.resource, rcps: r.rcps, rcpServices: r.rcpServices, mgmt: mgmt, orgAccounts: accts}
}
