package sts

import (
	"fmt"
	"strconv"
	"time"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/policy"
)

// Session is the temporary security credentials an STS call returned, and
// what they can do. Its requests are decided with effective permissions =
// identity ∩ boundary ∩ session policies, plus what a resource-based policy
// grants the session, its role or the federating user (docs/semantics.md §2.3). A Session
// is immutable and safe for concurrent use.
type Session struct {
	// API is the STS operation that made the session (APIAssumeRole, ...).
	API string
	// ARN is the session's ARN: arn:aws:sts::ACCOUNT:assumed-role/ROLE/NAME
	// or arn:aws:sts::ACCOUNT:federated-user/NAME.
	ARN string
	// Issuer is the role's ARN, or the ARN of the IAM user (or root user)
	// that called GetFederationToken.
	Issuer string
	// Name is the role session name or the federated user's name.
	Name string
	// AssumedRoleID is "ROLE-ID:NAME" for a role session whose role ID is
	// known, and FederatedUserId "ACCOUNT:NAME" for a federated user: the
	// session's aws:userid.
	AssumedRoleID string
	// IssuedAt and Expiration bound the credentials: a request at or after
	// Expiration is refused with ExpiredToken.
	IssuedAt, Expiration time.Time
	// Policies holds every policy the session's requests are subject to but
	// the resource-based policy: the role's (or federating user's) identity
	// policies and boundary, the session policies (the inline one first, then
	// the managed ones in PolicyArns order), and the org facts.
	Policies evaluator.PolicySet
	// Context holds the keys the session adds to each of its requests:
	// aws:PrincipalTag/KEY, aws:SourceIdentity, aws:TokenIssueTime,
	// aws:MultiFactorAuthPresent, aws:userid when known, and the role's own
	// Context. A request's own keys take precedence.
	Context evaluator.Context
	// Tags are the session's principal tags, sorted by key: the role's tags
	// with session tags (and tags inherited through role chaining) in place
	// of those with the same key.
	Tags []Tag
	// TransitiveTagKeys are the tag keys that persist if the session
	// assumes another role.
	TransitiveTagKeys []string
	// SourceIdentity is the session's source identity, kept through role
	// chaining.
	SourceIdentity string
	// Chained reports whether a role session assumed this one (role
	// chaining, at most one hour).
	Chained bool

	engine *evaluator.Engine
	opts   []evaluator.Option
}

// AsCaller returns the session as the caller of a further AssumeRole (role
// chaining): its policies, context, transitive tags and source identity go
// with it.
func (s *Session) AsCaller() Caller {
	ctx := make(evaluator.Context, len(s.Context))
	for k, v := range s.Context {
		ctx[k] = v
	}
	return Caller{Principal: s.ARN, SessionIssuer: s.Issuer, Policies: s.Policies, Context: ctx, session: s}
}

// Evaluate decides a request made with the session's credentials when no
// resource-based policy bears on it. See SessionEngine.Evaluate.
func (s *Session) Evaluate(req evaluator.Request, opts ...evaluator.EvalOption) (evaluator.Result, error) {
	if s == nil {
		return evaluator.Result{}, errNilSession
	}
	if s.engine == nil {
		return evaluator.Result{}, errNoSession
	}
	return s.evaluate(s.engine, req, opts)
}

// Check is Evaluate, under the name evaluator.Engine gives the same
// signature: a Session, a SessionEngine and an Engine can stand for each
// other (as evaltest's assertions take any of them).
func (s *Session) Check(req evaluator.Request, opts ...evaluator.EvalOption) (evaluator.Result, error) {
	return s.Evaluate(req, opts...)
}

// WithResourcePolicy adds the resource-based policy of the resource the
// session's requests target (a bucket policy, a key policy, another role's
// trust policy, ...) to the session's policies, as compiled when the session
// was made; only rp is compiled.
func (s *Session) WithResourcePolicy(rp evaluator.Input) (*SessionEngine, error) {
	if s.engine == nil {
		return nil, errNoSession
	}
	// Only the resource policy is new: the session's own policies were
	// compiled when the session was made.
	e, err := s.engine.WithResourcePolicy(rp, s.opts...)
	if err != nil {
		return nil, err
	}
	return &SessionEngine{s: s, e: e}, nil
}

// SessionEngine is a Session compiled with the resource-based policy of the
// resource its requests target. It is immutable and safe for concurrent use.
type SessionEngine struct {
	s *Session
	e *evaluator.Engine
}

// Evaluate decides a request made with the session's credentials.
//
// The request's Principal and SessionIssuer may be left empty; they are the
// session's (and must be, if given). The session's Context keys are added
// unless the request sets them. The request's time is its aws:CurrentTime
// key, by default the session's IssuedAt; a request at or after the
// session's Expiration is refused with an *Error of code ExpiredToken,
// not evaluated. A federated-user session cannot call IAM or STS (except
// sts:GetCallerIdentity): such a request is denied implicitly at the
// session layer. iam:PassRole, a permission checked during another
// service's call rather than an IAM operation, is evaluated as usual.
func (se *SessionEngine) Evaluate(req evaluator.Request, opts ...evaluator.EvalOption) (evaluator.Result, error) {
	if se == nil {
		return evaluator.Result{}, errNilSession
	}
	return se.s.evaluate(se.e, req, opts)
}

// Check is Evaluate (see Session.Check).
func (se *SessionEngine) Check(req evaluator.Request, opts ...evaluator.EvalOption) (evaluator.Result, error) {
	return se.Evaluate(req, opts...)
}

// Session returns the session whose credentials make the requests.
func (se *SessionEngine) Session() *Session { return se.s }

func (s *Session) evaluate(eng *evaluator.Engine, req evaluator.Request, opts []evaluator.EvalOption) (evaluator.Result, error) {
	if req.Principal == "" {
		req.Principal = s.ARN
	} else if req.Principal != s.ARN {
		return evaluator.Result{}, fmt.Errorf("request principal %q is not the session %s", req.Principal, s.ARN)
	}
	if req.SessionIssuer == "" {
		req.SessionIssuer = s.Issuer
	} else if req.SessionIssuer != s.Issuer {
		return evaluator.Result{}, fmt.Errorf("request session issuer %q is not the session's issuer %s", req.SessionIssuer, s.Issuer)
	}
	ctx := make(evaluator.Context, len(req.Context)+len(s.Context)+2)
	for k, v := range req.Context {
		ctx[k] = v
	}
	for k, v := range s.Context {
		if _, ok := req.Context.Lookup(k); !ok {
			ctx[k] = v
		}
	}
	at := s.IssuedAt
	if v, ok := ctx.Lookup("aws:CurrentTime"); ok {
		if len(v.Values) != 1 {
			return evaluator.Result{}, fmt.Errorf("aws:CurrentTime: want one value")
		}
		t, ok := policy.ParseDate(v.Values[0])
		if !ok {
			return evaluator.Result{}, fmt.Errorf("aws:CurrentTime %q is not a date", v.Values[0])
		}
		at = t
	} else {
		ctx["aws:CurrentTime"] = evaluator.Single(at.Format(time.RFC3339))
	}
	if _, ok := ctx.Lookup("aws:EpochTime"); !ok {
		ctx["aws:EpochTime"] = evaluator.Single(strconv.FormatInt(at.Unix(), 10))
	}
	if !at.Before(s.Expiration) {
		return evaluator.Result{}, &Error{Code: ErrExpiredToken.Code,
			Message: fmt.Sprintf("the security token of %s expired at %s; the request is at %s", s.ARN, s.Expiration.Format(time.RFC3339), at.UTC().Format(time.RFC3339))}
	}
	// Report a malformed action, resource or context rather than deny it
	// silently. The session's own context is well formed, so only the
	// request's shape and the caller's context are checked, not the merged
	// context (which would cost allocations on every request).
	shape := evaluator.Request{Principal: req.Principal, SessionIssuer: req.SessionIssuer,
		Action: req.Action, Resource: req.Resource, ResourceAccount: req.ResourceAccount, Context: req.Context}
	if err := shape.Validate(); err != nil {
		return evaluator.Result{}, err
	}
	req.Context = ctx
	// A federated user's IAM and STS calls are refused by the engine
	// itself (stsRefused), after the deny sweep.
	return eng.Evaluate(req, opts...), nil
}
