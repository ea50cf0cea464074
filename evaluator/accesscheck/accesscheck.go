package accesscheck

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/policy"
)

// PolicyType is the kind of policy a check reads, as Access Analyzer
// names it.
type PolicyType string

// The policy types of the checks.
const (
	// IdentityPolicy is a policy attached to an IAM user or role: the
	// principal is the one it is attached to.
	IdentityPolicy PolicyType = "IDENTITY_POLICY"
	// ResourcePolicy is a resource-based policy: its Principal elements
	// say whom it grants.
	ResourcePolicy PolicyType = "RESOURCE_POLICY"
)

// ParsePolicyType reads IDENTITY_POLICY or RESOURCE_POLICY.
func ParsePolicyType(s string) (PolicyType, error) {
	switch t := PolicyType(s); t {
	case IdentityPolicy, ResourcePolicy:
		return t, nil
	}
	return "", fmt.Errorf("policy type %q: want IDENTITY_POLICY or RESOURCE_POLICY", s)
}

// Verdict is PASS or FAIL.
type Verdict string

// The verdicts.
const (
	Pass Verdict = "PASS"
	Fail Verdict = "FAIL"
)

// Reason is one statement responsible for a FAIL, as Access Analyzer
// reports it.
type Reason struct {
	// Description says what the statement does wrong.
	Description string `json:"description"`
	// StatementIndex is the statement's index in its policy, from 0.
	StatementIndex int `json:"statementIndex"`
	// StatementID is the statement's Sid, if it has one.
	StatementID string `json:"statementId,omitempty"`
}

// Result is the answer of a check: Access Analyzer's response (result,
// message, reasons) plus counterexamples, requests that prove a FAIL.
type Result struct {
	// Result is PASS or FAIL.
	Result Verdict `json:"result"`
	// Message says what the result means, as Access Analyzer's does.
	Message string `json:"message"`
	// Reasons are the statements responsible for a FAIL (of the new
	// policy, for CheckNoNewAccess); empty for a PASS.
	Reasons []Reason `json:"reasons"`
	// Counterexamples are concrete requests, each verified with the
	// engine: allowed under the new policy and not under the existing one
	// (CheckNoNewAccess), allowed for a listed action and resource
	// (CheckAccessNotGranted), allowed for an anonymous caller or a
	// foreign account's principal (CheckNoPublicAccess).
	Counterexamples []Counterexample `json:"counterexamples,omitempty"`
	// Evaluations counts the requests evaluated to decide.
	Evaluations int `json:"-"`
}

// Counterexample is one request that proves a FAIL.
type Counterexample struct {
	// Principal is the caller's ARN, a service principal, or "anonymous".
	Principal string `json:"principal"`
	// SessionIssuer is, for a role session, the role's ARN (with its
	// path), when the check knows it.
	SessionIssuer string `json:"sessionIssuer,omitempty"`
	// Action is a real catalog action (or, for a service the catalog does
	// not know, an action the policy names).
	Action string `json:"action"`
	// Resource is a concrete ARN, without wildcards, or "*".
	Resource string `json:"resource"`
	// ResourceAccount is the resource's owner account, when the check
	// knows it.
	ResourceAccount string `json:"resourceAccount,omitempty"`
	// Context holds the condition keys the request must carry; keys not
	// listed are absent (or derived from the principal).
	Context evaluator.Context `json:"context,omitempty"`
}

// Request returns the counterexample as an evaluator request.
func (c Counterexample) Request() evaluator.Request {
	return evaluator.Request{Principal: c.Principal, SessionIssuer: c.SessionIssuer, Action: c.Action, Resource: c.Resource,
		ResourceAccount: c.ResourceAccount, Context: c.Context}
}

// MarshalJSON writes the context as key: value (a string for a
// single-valued key, an array for a multi-valued one).
func (c Counterexample) MarshalJSON() ([]byte, error) {
	ctx := map[string]any{}
	for k, v := range c.Context {
		if v.Multi {
			vs := v.Values
			if vs == nil {
				vs = []string{}
			}
			ctx[k] = vs
		} else if len(v.Values) == 1 {
			ctx[k] = v.Values[0]
		}
	}
	type out struct {
		Principal       string         `json:"principal"`
		SessionIssuer   string         `json:"sessionIssuer,omitempty"`
		Action          string         `json:"action"`
		Resource        string         `json:"resource"`
		ResourceAccount string         `json:"resourceAccount,omitempty"`
		Context         map[string]any `json:"context"`
	}
	return json.Marshal(out{c.Principal, c.SessionIssuer, c.Action, c.Resource, c.ResourceAccount, ctx})
}

// Option configures a check.
type Option func(*config)

type config struct {
	// pinsFrom, when set, is the policy whose fixed values pin callers in
	// CheckNoPublicAccess (a slice's own pins are not the policy's).
	pinsFrom  *policy.Policy
	deadline  time.Time
	timeout   time.Duration
	owner     string
	maxEvals  int
	maxStates int
	maxCE     int
	// issuer is the session issuer of CheckNoNewAccessSets' principal.
	issuer string
	// tags, when not nil, are the principal's tags (lower-case
	// aws:principaltag/KEY → value): every aws:PrincipalTag key a
	// condition reads takes its tag's value, or is absent.
	tags map[string]string
	// scope, when set, limits CheckNoNewAccessSets to resources of one
	// account and to (or away from) some ARN patterns.
	scope *resourceScope
}

// resourceScope limits the resources a whole-set comparison considers:
// those of Account (every request's ResourceAccount) that match one of In
// (when In is not empty) and none of Out. The patterns are ARN-mode
// patterns; they split the resource classes, so the limit is exact.
// Actions, when set, limits the actions the same way.
type resourceScope struct {
	Account string
	In, Out []string
	// Actions, when not empty, are the only actions considered.
	Actions []string
}

// withScope limits CheckNoNewAccessSets to the resources of sc.
func withScope(sc resourceScope) Option { return func(c *config) { c.scope = &sc } }

// withPrincipalTags fixes the principal's tags (a snapshot lists them
// all): the aws:PrincipalTag keys conditions read are no longer free.
func withPrincipalTags(ctx evaluator.Context) Option {
	return func(c *config) {
		c.tags = map[string]string{}
		for k, v := range ctx {
			if len(v.Values) == 1 && !v.Multi {
				c.tags[strings.ToLower(k)] = v.Values[0]
			}
		}
	}
}

// withSessionIssuer names the role of CheckNoNewAccessSets' principal when
// it is a role session.
func withSessionIssuer(role string) Option { return func(c *config) { c.issuer = role } }

// DefaultMaxEvaluations bounds the requests a check evaluates before it
// gives up with an error (never with a PASS it cannot prove).
const DefaultMaxEvaluations = 2_000_000

// WithResourceOwner sets the account that owns the resource a resource
// policy is attached to (default: the account of the policy's resource
// ARN, else 111122223333).
func WithResourceOwner(account string) Option { return func(c *config) { c.owner = account } }

// WithMaxEvaluations replaces DefaultMaxEvaluations.
func WithMaxEvaluations(n int) Option { return func(c *config) { c.maxEvals = n } }

// DefaultTimeout bounds the time a check takes before it gives up with an
// error wrapping ErrTooComplex.
const DefaultTimeout = 60 * time.Second

// WithTimeout replaces DefaultTimeout.
func WithTimeout(d time.Duration) Option { return func(c *config) { c.timeout = d } }

// withDeadline makes the nested checks of one call share its deadline.
func withDeadline(t time.Time) Option { return func(c *config) { c.deadline = t } }

// WithMaxCounterexamples bounds the counterexamples returned (default 5).
func WithMaxCounterexamples(n int) Option { return func(c *config) { c.maxCE = n } }

func configOf(opts []Option) config {
	c := config{maxEvals: DefaultMaxEvaluations, maxStates: 100_000, maxCE: 5, timeout: DefaultTimeout}
	for _, o := range opts {
		o(&c)
	}
	if c.deadline.IsZero() {
		c.deadline = time.Now().Add(c.timeout)
	}
	return c
}

// ErrTooComplex marks a check that hit a limit (evaluations, automaton
// states, time) before it could decide.
var ErrTooComplex = errors.New("policy too complex to decide exactly")

// timeUp reports, as an error wrapping ErrTooComplex, that the deadline
// passed.
func (c *config) timeUp() error {
	if time.Now().After(c.deadline) {
		return fmt.Errorf("%w: time limit %v reached", ErrTooComplex, c.timeout)
	}
	return nil
}

// ErrUnsupported marks a policy construct outside the fragment the checks
// decide exactly.
var ErrUnsupported = errors.New("outside the exactly decided fragment")

// DefaultAccount is the account of the principal an identity policy is
// attached to, and of a resource whose owner is unknown: AWS's
// documentation account.
const DefaultAccount = "111122223333"

// Access is one entry of CheckAccessNotGranted's list: actions, and
// optionally the resources they must not be granted on.
type Access struct {
	// Actions are service:Action names without wildcards.
	Actions []string `json:"actions"`
	// Resources are ARNs without wildcards.
	Resources []string `json:"resources,omitempty"`
}

// side is one policy, compiled, with the layer whose verdict is its own.
type side struct {
	pol   *policy.Policy
	eng   *evaluator.Engine
	layer evaluator.Layer
	id    string
	// err is set by the first evaluation that met a key of unknown value
	// (unknownConsulted): the check must fail with it, never PASS.
	err error
}

func newSide(p *policy.Policy, typ PolicyType, id string) (*side, error) {
	if p == nil {
		return nil, errors.New("no policy document")
	}
	// Managed: a check reads the document, not where it is stored, so no
	// inline size quota applies.
	in := evaluator.Input{ID: id, Policy: p, Managed: true}
	s := &side{pol: p, id: id}
	var err error
	if typ == IdentityPolicy {
		s.layer = evaluator.LayerIdentity
		s.eng, err = evaluator.Compile(evaluator.PolicySet{Identity: []evaluator.Input{in}})
	} else {
		s.layer = evaluator.LayerResource
		s.eng, err = evaluator.Compile(evaluator.PolicySet{Resource: &in})
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

// allows reports whether the policy alone allows req (an Allow applies and
// no Deny does) and, if so, the Allow statements that apply.
func (s *side) allows(req evaluator.Request) (bool, []evaluator.StatementRef) {
	ok, refs, _ := s.decide(req)
	return ok, refs
}

// decide is allows, and also whether a full evaluation with only this
// policy allows req (what iamsim eval with the one policy answers: a KMS
// key, a role trust, a cross-account caller may need more).
func (s *side) decide(req evaluator.Request) (ok bool, refs []evaluator.StatementRef, full bool) {
	res := s.eng.Evaluate(req)
	if k := unknownConsulted(req, &res); k != "" && s.err == nil {
		s.err = errUnknownConsulted(req, k)
	}
	lr, found := res.Layer(s.layer)
	if !found || lr.Decision != evaluator.Allowed {
		return false, nil, false
	}
	return true, lr.Matched, res.Decision == evaluator.Allowed
}

// sortReasons orders reasons by statement index and drops duplicates.
func sortReasons(rs []Reason) []Reason {
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].StatementIndex < rs[j].StatementIndex })
	return slices.CompactFunc(rs, func(a, b Reason) bool { return a.StatementIndex == b.StatementIndex })
}

func lower(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = strings.ToLower(s)
	}
	return out
}
