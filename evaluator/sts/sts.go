package sts

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/iamsim/iamsim/arn"
	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/policy"
)

// The STS operations that create sessions, as Session.API names them.
const (
	APIAssumeRole                = "AssumeRole"
	APIAssumeRoleWithSAML        = "AssumeRoleWithSAML"
	APIAssumeRoleWithWebIdentity = "AssumeRoleWithWebIdentity"
	APIGetFederationToken        = "GetFederationToken"
)

// Limits of the STS parameters (AWS STS API reference: AssumeRole,
// GetFederationToken, PolicyDescriptorType, Tag).
const (
	MinSessionDuration         = 900 * time.Second   // the shortest session any STS call issues
	DefaultRoleSessionDuration = time.Hour           // AssumeRole* without DurationSeconds, and a role's default MaxSessionDuration
	MaxRoleSessionDuration     = 12 * time.Hour      // the largest MaxSessionDuration a role can have
	RoleChainingMaxDuration    = time.Hour           // a session assumed with another role session's credentials
	DefaultFederationDuration  = 12 * time.Hour      // GetFederationToken without DurationSeconds
	MaxFederationDuration      = 36 * time.Hour      // GetFederationToken called by an IAM user
	MaxRootFederationDuration  = time.Hour           // GetFederationToken called by the root user
	MaxSessionPolicyARNs       = 10                  // managed session policies one call may pass
	MaxSessionPolicyPlaintext  = policy.QuotaSession // characters of the inline policy and the managed policy ARNs together
	MaxSessionTags             = 50                  // session tags one call may pass
	MaxTagKeyLength            = 128
	MaxTagValueLength          = 256
)

const principalTagPrefix = "aws:PrincipalTag/"

// Tag is a principal tag of a role or user, or a session tag passed to an
// STS call.
type Tag struct {
	Key, Value string
}

// Error is a simulated STS call's refusal, shaped like the error AWS STS
// returns: an AWS error code, the API parameter at fault, and for an
// AccessDenied decided by policies, the evaluation that refused, with its
// trace. errors.Is matches it against ErrValidation, ErrAccessDenied, ... by
// code, and against an Error with a Parameter by code and parameter.
type Error struct {
	// Code is the AWS error code: ValidationError, MalformedPolicyDocument,
	// PackedPolicyTooLarge, AccessDenied, ExpiredToken or NoSuchEntity (a
	// PolicyArns entry that names no policy given).
	Code string
	// Parameter names the STS request parameter at fault (RoleSessionName,
	// DurationSeconds, PolicyArns, Policy, Tags, ...); "" when none is.
	Parameter string
	// Message says what is wrong.
	Message string
	// Result is, for an AccessDenied that a policy evaluation decided, that
	// evaluation, traced.
	Result *evaluator.Result
	// Err is the underlying problem, such as the policy.Errors of a
	// malformed session policy.
	Err error
}

// Error renders "CODE: message" and, for a policy decision, the decision.
func (e *Error) Error() string {
	s := e.Code
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying problem.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same code and, when
// target names a parameter, the same parameter.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && (t.Parameter == "" || t.Parameter == e.Parameter)
}

// Sentinels for errors.Is, one per STS error code the simulation returns.
var (
	ErrValidation              = &Error{Code: "ValidationError"}
	ErrMalformedPolicyDocument = &Error{Code: "MalformedPolicyDocument"}
	ErrPackedPolicyTooLarge    = &Error{Code: "PackedPolicyTooLarge"}
	ErrAccessDenied            = &Error{Code: "AccessDenied"}
	ErrExpiredToken            = &Error{Code: "ExpiredToken"}
	ErrNoSuchEntity            = &Error{Code: "NoSuchEntity"}
)

func validationError(param, format string, args ...any) *Error {
	return &Error{Code: ErrValidation.Code, Parameter: param, Message: fmt.Sprintf(format, args...)}
}

// Role is an IAM role as STS sees it when a session assumes it.
type Role struct {
	// ARN is the role's ARN with its path: arn:aws:iam::ACCOUNT:role/PATH/NAME.
	ARN string
	// ID is the role's unique ID (AROA...), optional. With it a session's
	// aws:userid is "ID:session-name", as AWS reports it.
	ID string
	// TrustPolicy is the role's trust policy; it must allow the call.
	TrustPolicy *evaluator.Input
	// Policies holds what the role's sessions are subject to: Identity (the
	// role's inline and managed policies), PermissionsBoundary, and the org
	// facts of the role's account (SCPs, RCPs, ManagementAccount,
	// OrgAccounts). Session and Resource must be empty: the call supplies
	// the session policies, and each request its resource policy.
	Policies evaluator.PolicySet
	// MaxSessionDuration is the role's maximum session duration, from 1 to
	// 12 hours; zero means the default of 1 hour.
	MaxSessionDuration time.Duration
	// Tags are the role's tags: its sessions' principal tags
	// (aws:PrincipalTag/KEY), unless a session tag of the same key
	// overrides one.
	Tags []Tag
	// Context holds further keys every session of the role carries, such as
	// aws:PrincipalOrgID or aws:PrincipalOrgPaths.
	Context evaluator.Context
}

// Caller is the principal that calls AssumeRole or GetFederationToken: an
// IAM user, a role session (role chaining), the root user
// (GetFederationToken only) or a service principal (AssumeRole only, as
// when lambda.amazonaws.com assumes a function's execution role).
type Caller struct {
	// Principal is the caller's ARN, or the service principal's name.
	Principal string
	// SessionIssuer is, for a role session, the role's ARN with its path
	// (see Request.SessionIssuer).
	SessionIssuer string
	// Policies holds the caller's own policies: its identity policies,
	// boundary and, for a session, session policies, with the org facts of
	// its account. Resource must be nil: the call's resource is the role
	// (its trust policy) or the federated user.
	Policies evaluator.PolicySet
	// Context is the request context of the STS call: aws:SourceIp,
	// aws:MultiFactorAuthPresent, the caller's aws:PrincipalTag/KEY, ...
	Context evaluator.Context

	session *Session // set by Session.AsCaller
}

// ManagedPolicies resolves the managed policy ARNs an STS call passes in
// PolicyArns: each ARN maps to the policy document it names. A policy of
// account "aws" (arn:aws:iam::aws:policy/...) is AWS managed: parse it with
// policy.ParseAs(policy.AWSManaged), and it is held to no customer rule.
type ManagedPolicies map[string]*policy.Policy

// AssumeRoleInput mirrors the parameters of STS AssumeRole, with the role
// and the caller it needs to decide offline.
type AssumeRoleInput struct {
	// Caller makes the call with its own credentials.
	Caller Caller
	// Role is the role to assume (the call's RoleArn is Role.ARN).
	Role Role
	// RoleSessionName names the session: 2 to 64 characters of letters,
	// digits and _+=,.@-.
	RoleSessionName string
	// Policy is the inline session policy as the caller passes it, JSON text.
	Policy string
	// PolicyArns names up to 10 managed session policies, each resolved in
	// ManagedPolicies.
	PolicyArns []string
	// ManagedPolicies holds the documents of the managed policies PolicyArns
	// may name.
	ManagedPolicies ManagedPolicies
	// DurationSeconds is the session's duration; zero means 3,600.
	DurationSeconds int
	// Tags are session tags: they become principal tags of the session and
	// need sts:TagSession.
	Tags []Tag
	// TransitiveTagKeys marks session tags that persist through role
	// chaining.
	TransitiveTagKeys []string
	// SourceIdentity is set on the session for good (needs
	// sts:SetSourceIdentity). A calling session's source identity carries
	// over to the new session, and a chained call then needs
	// sts:SetSourceIdentity too.
	SourceIdentity string
	// ExternalID is the sts:ExternalId a trust policy may require.
	ExternalID string
	// SerialNumber and TokenCode authenticate with MFA: the call counts as
	// made with MFA only when both are given. A SerialNumber alone is not an
	// error (a trust policy requiring MFA then refuses the call); a
	// TokenCode alone is a ValidationError.
	SerialNumber, TokenCode string
	// Now is the time of the call; zero means the current time. Nothing
	// else reads the clock: requests of the session default to this time.
	Now time.Time
	// Options are Compile options for every engine the call and the session
	// build (RCP services, validation options).
	Options []evaluator.Option
}

// AssumeRoleWithSAMLInput mirrors STS AssumeRoleWithSAML. The SAML
// assertion is given by its claims, as the trust policy sees them.
type AssumeRoleWithSAMLInput struct {
	// Role is the role to assume.
	Role Role
	// PrincipalArn is the SAML provider's ARN
	// (arn:aws:iam::ACCOUNT:saml-provider/NAME), as the trust policy names
	// it under "Federated".
	PrincipalArn string
	// RoleSessionName is the assertion's RoleSessionName attribute.
	RoleSessionName string
	// Claims are the assertion's keys the trust policy may test: saml:aud,
	// saml:sub, saml:sub_type, saml:iss, saml:namequalifier, ...
	Claims evaluator.Context
	// Policy, PolicyArns, ManagedPolicies, DurationSeconds, Tags (the
	// assertion's PrincipalTag attributes), TransitiveTagKeys,
	// SourceIdentity, Now and Options are as for AssumeRoleInput.
	Policy            string
	PolicyArns        []string
	ManagedPolicies   ManagedPolicies
	DurationSeconds   int
	Tags              []Tag
	TransitiveTagKeys []string
	SourceIdentity    string
	Now               time.Time
	Options           []evaluator.Option
}

// AssumeRoleWithWebIdentityInput mirrors STS AssumeRoleWithWebIdentity.
// The web identity token is given by its claims.
type AssumeRoleWithWebIdentityInput struct {
	// Role is the role to assume.
	Role Role
	// Provider is the identity provider as the trust policy names it under
	// "Federated": an OIDC provider's ARN
	// (arn:aws:iam::ACCOUNT:oidc-provider/HOST), or "accounts.google.com",
	// "cognito-identity.amazonaws.com", "graph.facebook.com", "www.amazon.com".
	Provider string
	// RoleSessionName names the session, as for AssumeRole.
	RoleSessionName string
	// Claims are the token's keys the trust policy may test, such as
	// accounts.google.com:aud or cognito-identity.amazonaws.com:amr.
	Claims evaluator.Context
	// Policy, PolicyArns, ManagedPolicies, DurationSeconds, Tags (the
	// token's session tags claim), TransitiveTagKeys, SourceIdentity, Now
	// and Options are as for AssumeRoleInput.
	Policy            string
	PolicyArns        []string
	ManagedPolicies   ManagedPolicies
	DurationSeconds   int
	Tags              []Tag
	TransitiveTagKeys []string
	SourceIdentity    string
	Now               time.Time
	Options           []evaluator.Option
}

// GetFederationTokenInput mirrors STS GetFederationToken.
type GetFederationTokenInput struct {
	// Caller is the IAM user (or root user) that calls, with long-term
	// credentials.
	Caller Caller
	// Name is the federated user's name: 2 to 32 characters of letters,
	// digits and _+=,.@-.
	Name string
	// Policy and PolicyArns are the session policies. Without any, the
	// session has no permissions except what resource-based policies grant
	// its federated-user ARN.
	Policy          string
	PolicyArns      []string
	ManagedPolicies ManagedPolicies
	// DurationSeconds is from 900 to 129,600 (3,600 for the root user);
	// zero means 43,200.
	DurationSeconds int
	// Tags are session tags (they need sts:TagSession).
	Tags []Tag
	// Now and Options are as for AssumeRoleInput.
	Now     time.Time
	Options []evaluator.Option
}

// stsCall is one simulated call, whatever its API.
type stsCall struct {
	api        string
	caller     *Caller // AssumeRole, GetFederationToken
	role       *Role   // AssumeRole*
	provider   string  // AssumeRoleWithSAML, AssumeRoleWithWebIdentity
	claims     evaluator.Context
	name       string
	inline     string
	arns       []string
	managed    ManagedPolicies
	duration   int
	tags       []Tag
	transitive []string
	sourceID   string
	externalID string
	serial     string
	token      string
	now        time.Time
	opts       []evaluator.Option
	// p is the calling principal (a user, a role session, the root user, a
	// service or an identity provider), parsed once by checkSetup.
	p evaluator.Principal
}

// AssumeRole simulates STS AssumeRole. It validates the parameters as STS
// does, evaluates the role's trust policy (and for a caller of another
// account, the caller's own permission to sts:AssumeRole on the role) with
// the same engine as every request, and returns the session. A refusal is
// an *Error; a Role or Caller that cannot be simulated (an invalid role
// ARN, a role policy that does not compile) is another error.
func AssumeRole(in AssumeRoleInput) (*Session, error) {
	return (&stsCall{
		api: APIAssumeRole, caller: &in.Caller, role: &in.Role, name: in.RoleSessionName,
		inline: in.Policy, arns: in.PolicyArns, managed: in.ManagedPolicies, duration: in.DurationSeconds,
		tags: in.Tags, transitive: in.TransitiveTagKeys, sourceID: in.SourceIdentity,
		externalID: in.ExternalID, serial: in.SerialNumber, token: in.TokenCode, now: in.Now, opts: in.Options,
	}).run()
}

// AssumeRoleWithSAML simulates STS AssumeRoleWithSAML: the role's trust
// policy must allow the SAML provider, given the assertion's claims.
func AssumeRoleWithSAML(in AssumeRoleWithSAMLInput) (*Session, error) {
	return (&stsCall{
		api: APIAssumeRoleWithSAML, role: &in.Role, provider: in.PrincipalArn, claims: in.Claims,
		name: in.RoleSessionName, inline: in.Policy, arns: in.PolicyArns, managed: in.ManagedPolicies,
		duration: in.DurationSeconds, tags: in.Tags, transitive: in.TransitiveTagKeys,
		sourceID: in.SourceIdentity, now: in.Now, opts: in.Options,
	}).run()
}

// AssumeRoleWithWebIdentity simulates STS AssumeRoleWithWebIdentity: the
// role's trust policy must allow the identity provider, given the token's
// claims.
func AssumeRoleWithWebIdentity(in AssumeRoleWithWebIdentityInput) (*Session, error) {
	return (&stsCall{
		api: APIAssumeRoleWithWebIdentity, role: &in.Role, provider: in.Provider, claims: in.Claims,
		name: in.RoleSessionName, inline: in.Policy, arns: in.PolicyArns, managed: in.ManagedPolicies,
		duration: in.DurationSeconds, tags: in.Tags, transitive: in.TransitiveTagKeys,
		sourceID: in.SourceIdentity, now: in.Now, opts: in.Options,
	}).run()
}

// GetFederationToken simulates STS GetFederationToken: the caller's
// policies must allow sts:GetFederationToken on the federated user, and the
// session it returns can do only what both the caller's policies and the
// session policies allow, plus what resource-based policies grant the
// federated user directly.
func GetFederationToken(in GetFederationTokenInput) (*Session, error) {
	return (&stsCall{
		api: APIGetFederationToken, caller: &in.Caller, name: in.Name, inline: in.Policy,
		arns: in.PolicyArns, managed: in.ManagedPolicies, duration: in.DurationSeconds,
		tags: in.Tags, now: in.Now, opts: in.Options,
	}).run()
}

var (
	sessionNameRE = regexp.MustCompile(`^[\w+=,.@-]*$`)
	externalIDRE  = regexp.MustCompile(`^[\w+=,.@:/-]*$`)
	serialRE      = regexp.MustCompile(`^[\w+=/:,.@-]*$`)
	tokenCodeRE   = regexp.MustCompile(`^[0-9]{6}$`)
	tagKeyRE      = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$`)
	tagValueRE    = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
)

func (c *stsCall) run() (*Session, error) {
	if c.now.IsZero() {
		c.now = time.Now()
	}
	c.now = c.now.UTC().Truncate(time.Second)
	if err := c.checkSetup(); err != nil {
		return nil, err
	}
	dur, err := c.checkParameters()
	if err != nil {
		return nil, err
	}
	sessionPolicies, err := c.sessionPolicies()
	if err != nil {
		return nil, err
	}
	if err := c.authorize(); err != nil {
		return nil, err
	}
	return c.session(dur, sessionPolicies)
}

// checkSetup checks what the simulation needs that STS would know: the role
// and the caller.
func (c *stsCall) checkSetup() error {
	if r := c.role; r != nil {
		a, err := arn.Parse(r.ARN)
		if err != nil || a.Service != "iam" || !arn.IsAccountID(a.Account) || !strings.HasPrefix(a.Resource, "role/") || strings.HasSuffix(a.Resource, "/") {
			return fmt.Errorf("role ARN %q: want arn:aws:iam::ACCOUNT:role/NAME", r.ARN)
		}
		if r.TrustPolicy == nil || r.TrustPolicy.Policy == nil {
			return fmt.Errorf("role %s: no trust policy", r.ARN)
		}
		if err := r.TrustPolicy.Validate(policy.TrustPolicy, c.opts...); err != nil {
			return fmt.Errorf("role %s: trust policy: %w", r.ARN, err)
		}
		if m := r.MaxSessionDuration; m != 0 && (m < DefaultRoleSessionDuration || m > MaxRoleSessionDuration || m%time.Second != 0) {
			return fmt.Errorf("role %s: MaxSessionDuration %v: want whole seconds from 1h to 12h", r.ARN, m)
		}
		if len(r.Policies.Session) > 0 || r.Policies.Resource != nil {
			return fmt.Errorf("role %s: Policies.Session and Policies.Resource must be empty (the call and each request supply them)", r.ARN)
		}
		if err := r.Context.Validate(); err != nil {
			return fmt.Errorf("role %s: %w", r.ARN, err)
		}
	}
	if c.caller != nil {
		p, err := evaluator.ParsePrincipal(c.caller.Principal, c.caller.SessionIssuer)
		if err != nil {
			return fmt.Errorf("caller: %w", err)
		}
		c.p = p
		if c.caller.Policies.Resource != nil {
			return fmt.Errorf("caller %s: Policies.Resource must be nil (the call's resource policy is the role's trust policy)", c.caller.Principal)
		}
		if err := c.caller.Context.Validate(); err != nil {
			return fmt.Errorf("caller %s: %w", c.caller.Principal, err)
		}
	}
	if c.api == APIAssumeRoleWithSAML || c.api == APIAssumeRoleWithWebIdentity {
		p, err := evaluator.ParsePrincipal(c.provider, "")
		c.p = p
		if err != nil || p.Kind != evaluator.PrincipalIdentityProvider {
			return fmt.Errorf("identity provider %q: want a SAML or OIDC provider ARN, or cognito-identity.amazonaws.com, accounts.google.com, graph.facebook.com or www.amazon.com", c.provider)
		}
		if err := c.claims.Validate(); err != nil {
			return fmt.Errorf("claims: %w", err)
		}
	}
	return nil
}

// chained reports whether a role session calls AssumeRole (role chaining).
func (c *stsCall) chained() bool {
	return c.api == APIAssumeRole && c.p.Kind == evaluator.PrincipalRoleSession
}

// checkParameters validates the request parameters as STS does and returns
// the session's duration.
func (c *stsCall) checkParameters() (time.Duration, error) {
	nameParam, minName, maxName := "RoleSessionName", 2, 64
	if c.api == APIGetFederationToken {
		nameParam, maxName = "Name", 32
	}
	if n := utf8.RuneCountInString(c.name); n < minName || n > maxName {
		return 0, validationError(nameParam, "%s %q must be %d to %d characters long", nameParam, c.name, minName, maxName)
	}
	if !sessionNameRE.MatchString(c.name) {
		return 0, validationError(nameParam, "%s %q may hold only letters, digits and _+=,.@-", nameParam, c.name)
	}
	dur, err := c.checkDuration()
	if err != nil {
		return 0, err
	}
	if c.externalID != "" {
		if n := len(c.externalID); n < 2 || n > 1224 || !externalIDRE.MatchString(c.externalID) {
			return 0, validationError("ExternalId", "ExternalId must be 2 to 1,224 characters of letters, digits and _+=,.@:/-")
		}
	}
	// A SerialNumber without a TokenCode is not malformed: the call goes
	// on without MFA, and a trust policy that requires MFA refuses it with
	// AccessDenied ("If the role being assumed requires MFA and if the
	// TokenCode value is missing or expired, the AssumeRole call returns an
	// access denied error", STS AssumeRole, TokenCode).
	if c.token != "" && c.serial == "" {
		return 0, validationError("SerialNumber", "a TokenCode needs the SerialNumber of its MFA device")
	}
	if c.serial != "" {
		if n := len(c.serial); n < 9 || n > 256 || !serialRE.MatchString(c.serial) {
			return 0, validationError("SerialNumber", "SerialNumber must be 9 to 256 characters of letters, digits and _+=/:,.@-")
		}
	}
	if c.token != "" && !tokenCodeRE.MatchString(c.token) {
		return 0, validationError("TokenCode", "TokenCode must be six digits")
	}
	if c.sourceID != "" {
		if n := utf8.RuneCountInString(c.sourceID); n < 2 || n > 64 || !sessionNameRE.MatchString(c.sourceID) {
			return 0, validationError("SourceIdentity", "SourceIdentity must be 2 to 64 characters of letters, digits and _+=,.@-")
		}
		if strings.HasPrefix(strings.ToLower(c.sourceID), "aws:") {
			return 0, validationError("SourceIdentity", "SourceIdentity may not begin with the reserved prefix aws:")
		}
		if s := c.callerSession(); s != nil && s.SourceIdentity != "" && s.SourceIdentity != c.sourceID {
			return 0, &Error{Code: ErrAccessDenied.Code, Parameter: "SourceIdentity",
				Message: fmt.Sprintf("the calling session's source identity %q cannot be changed", s.SourceIdentity)}
		}
	}
	if err := c.checkTags(); err != nil {
		return 0, err
	}
	if len(c.arns) > MaxSessionPolicyARNs {
		return 0, validationError("PolicyArns", "%d managed session policies passed; at most %d are allowed", len(c.arns), MaxSessionPolicyARNs)
	}
	for i, a := range c.arns {
		if n := len(a); n < 20 || n > 2048 {
			return 0, validationError("PolicyArns", "PolicyArns[%d] %q must be 20 to 2,048 characters long", i, a)
		}
	}
	if c.inline != "" {
		if n := utf8.RuneCountInString(c.inline); n > MaxSessionPolicyPlaintext {
			return 0, validationError("Policy", "the session policy is %d characters long; at most %d are allowed", n, MaxSessionPolicyPlaintext)
		}
		// The parser checks the same characters; checking them here too
		// gives STS's ValidationError on Policy rather than a malformed
		// document. Invalid UTF-8 reads as U+FFFD, above U+00FF.
		for i, r := range c.inline {
			if !(r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xFF)) {
				return 0, validationError("Policy", "the session policy holds character %U at byte %d; only tab, LF, CR and U+0020 to U+00FF are allowed", r, i)
			}
		}
	}
	total := utf8.RuneCountInString(c.inline)
	for _, a := range c.arns {
		total += len(a)
	}
	if total > MaxSessionPolicyPlaintext {
		return 0, &Error{Code: ErrPackedPolicyTooLarge.Code, Parameter: "PolicyArns",
			Message: fmt.Sprintf("the inline session policy and the managed policy ARNs are %d characters together; at most %d are allowed", total, MaxSessionPolicyPlaintext)}
	}
	return dur, nil
}

// checkDuration validates DurationSeconds against the API's bounds. The
// number of seconds is checked before it becomes a time.Duration, which a
// huge number would overflow (2^55+3600 seconds is 3,600 seconds once
// multiplied out).
func (c *stsCall) checkDuration() (time.Duration, error) {
	maxSeconds := int(MaxRoleSessionDuration / time.Second)
	if c.api == APIGetFederationToken {
		maxSeconds = int(MaxFederationDuration / time.Second)
	}
	if c.duration != 0 && (c.duration < int(MinSessionDuration/time.Second) || c.duration > maxSeconds) {
		return 0, validationError("DurationSeconds", "DurationSeconds %d must be from %d to %d", c.duration, int(MinSessionDuration.Seconds()), maxSeconds)
	}
	d := time.Duration(c.duration) * time.Second
	if c.api == APIGetFederationToken {
		maxD := MaxFederationDuration
		if c.p.Kind == evaluator.PrincipalRoot {
			maxD = MaxRootFederationDuration
		}
		if c.duration == 0 {
			return min(DefaultFederationDuration, maxD), nil
		}
		if d < MinSessionDuration || d > MaxFederationDuration {
			return 0, validationError("DurationSeconds", "DurationSeconds %d must be from %d to %d", c.duration, int(MinSessionDuration.Seconds()), int(MaxFederationDuration.Seconds()))
		}
		return min(d, maxD), nil
	}
	roleMax := c.role.MaxSessionDuration
	if roleMax == 0 {
		roleMax = DefaultRoleSessionDuration
	}
	if c.duration == 0 {
		return DefaultRoleSessionDuration, nil
	}
	if d < MinSessionDuration || d > MaxRoleSessionDuration {
		return 0, validationError("DurationSeconds", "DurationSeconds %d must be from %d to %d", c.duration, int(MinSessionDuration.Seconds()), int(MaxRoleSessionDuration.Seconds()))
	}
	if c.chained() && d > RoleChainingMaxDuration {
		return 0, validationError("DurationSeconds", "DurationSeconds %d exceeds the 1 hour session limit for roles assumed by role chaining", c.duration)
	}
	if d > roleMax {
		return 0, validationError("DurationSeconds", "DurationSeconds %d exceeds the MaxSessionDuration of %d set for role %s", c.duration, int(roleMax.Seconds()), c.role.ARN)
	}
	return d, nil
}

func (c *stsCall) callerSession() *Session {
	if c.caller == nil {
		return nil
	}
	return c.caller.session
}

// checkTags validates session tags and transitive tag keys.
func (c *stsCall) checkTags() error {
	if len(c.tags) > MaxSessionTags {
		return validationError("Tags", "%d session tags passed; at most %d are allowed", len(c.tags), MaxSessionTags)
	}
	seen := map[string]string{}
	for i, t := range c.tags {
		if n := utf8.RuneCountInString(t.Key); n < 1 || n > MaxTagKeyLength || !tagKeyRE.MatchString(t.Key) {
			return validationError("Tags", "Tags[%d] key %q must be 1 to %d letters, digits, spaces or _.:/=+-@", i, t.Key, MaxTagKeyLength)
		}
		if n := utf8.RuneCountInString(t.Value); n > MaxTagValueLength || !tagValueRE.MatchString(t.Value) {
			return validationError("Tags", "Tags[%d] %q: the value must be at most %d letters, digits, spaces or _.:/=+-@", i, t.Key, MaxTagValueLength)
		}
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return validationError("Tags", "Tags[%d] key %q: the aws: prefix is reserved", i, t.Key)
		}
		lk := strings.ToLower(t.Key)
		if prev, dup := seen[lk]; dup {
			return validationError("Tags", "session tag keys %q and %q are the same key (tag keys are case-insensitive)", prev, t.Key)
		}
		seen[lk] = t.Key
	}
	if s := c.callerSession(); s != nil {
		for _, k := range s.TransitiveTagKeys {
			if prev, dup := seen[strings.ToLower(k)]; dup {
				return validationError("Tags", "session tag %q would override the calling session's transitive tag %q", prev, k)
			}
		}
	}
	if len(c.transitive) > MaxSessionTags {
		return validationError("TransitiveTagKeys", "%d transitive tag keys passed; at most %d are allowed", len(c.transitive), MaxSessionTags)
	}
	for _, k := range c.transitive {
		if _, ok := seen[strings.ToLower(k)]; !ok {
			return validationError("TransitiveTagKeys", "transitive tag key %q is not the key of a session tag passed in the call", k)
		}
	}
	return nil
}

// sessionPolicies parses the inline session policy and resolves the managed
// ones, in the order STS takes them: the inline policy, then PolicyArns.
func (c *stsCall) sessionPolicies() ([]evaluator.Input, error) {
	var out []evaluator.Input
	if c.inline != "" {
		text := []byte(c.inline)
		p, err := policy.Parse(text, policy.WithSource("Policy"))
		in := evaluator.Input{ID: "session-policy", Policy: p, Text: text}
		if err == nil {
			err = in.Validate(policy.Session, c.opts...)
		}
		if err != nil {
			return nil, &Error{Code: ErrMalformedPolicyDocument.Code, Parameter: "Policy", Message: "the inline session policy is not valid", Err: err}
		}
		out = append(out, in)
	}
	acct := c.policyAccount()
	for i, a := range c.arns {
		pa, err := arn.Parse(a)
		pacct := pa.Account
		if err != nil || pa.Service != "iam" || !strings.HasPrefix(pa.Resource, "policy/") || (pacct != "aws" && !arn.IsAccountID(pacct)) {
			return nil, validationError("PolicyArns", "PolicyArns[%d] %q is not a managed policy ARN (arn:aws:iam::ACCOUNT:policy/NAME)", i, a)
		}
		if pacct != "aws" && pacct != acct {
			return nil, validationError("PolicyArns", "PolicyArns[%d] %q: a customer managed session policy must be in account %s, the %s", i, a, acct, c.policyAccountOwner())
		}
		p, ok := c.managed[a]
		if !ok || p == nil {
			return nil, &Error{Code: ErrNoSuchEntity.Code, Parameter: "PolicyArns", Message: fmt.Sprintf("PolicyArns[%d]: policy %s does not exist (not in ManagedPolicies)", i, a)}
		}
		// A managed policy was held to its quota when IAM stored it; an AWS
		// managed one (account "aws") to none of the customer rules.
		in := evaluator.Input{ID: a, Policy: p, Managed: true, AWSManaged: pacct == "aws"}
		if err := in.Validate(policy.Session, c.opts...); err != nil {
			return nil, &Error{Code: ErrMalformedPolicyDocument.Code, Parameter: "PolicyArns", Message: fmt.Sprintf("PolicyArns[%d]: %s cannot be a session policy", i, a), Err: err}
		}
		out = append(out, in)
	}
	return out, nil
}

// policyAccount is the account whose customer managed policies a call may
// pass: the role's for AssumeRole*, the calling user's for
// GetFederationToken.
func (c *stsCall) policyAccount() string {
	if c.role != nil {
		a, _ := arn.Parse(c.role.ARN) // checked by checkSetup
		return a.Account
	}
	return c.p.Account
}

func (c *stsCall) policyAccountOwner() string {
	if c.role != nil {
		return "role's account"
	}
	return "calling user's account"
}

// authorize evaluates the permissions the call needs: the trust policy for
// AssumeRole*, the caller's policies for GetFederationToken, and
// sts:TagSession and sts:SetSourceIdentity when tags or a source identity
// are passed.
func (c *stsCall) authorize() error {
	switch c.api {
	case APIAssumeRole:
		switch c.p.Kind {
		case evaluator.PrincipalRoot:
			return &Error{Code: ErrAccessDenied.Code, Message: "roles may not be assumed by root accounts"}
		case evaluator.PrincipalAnonymous:
			return &Error{Code: ErrAccessDenied.Code, Message: "AssumeRole needs signed credentials"}
		case evaluator.PrincipalFederatedUser:
			return &Error{Code: ErrAccessDenied.Code, Message: "a federated-user session cannot call STS operations other than GetCallerIdentity"}
		}
	case APIGetFederationToken:
		if c.p.Kind != evaluator.PrincipalUser && c.p.Kind != evaluator.PrincipalRoot {
			return &Error{Code: ErrAccessDenied.Code, Message: "GetFederationToken must be called with the long-term credentials of an IAM user or the root user"}
		}
	}
	if s := c.callerSession(); s != nil && !c.now.Before(s.Expiration) {
		return &Error{Code: ErrExpiredToken.Code, Message: fmt.Sprintf("the calling session expired at %s", s.Expiration.Format(time.RFC3339))}
	}
	set, resource := c.callSet()
	eng, err := evaluator.Compile(set, c.opts...)
	if err != nil {
		return fmt.Errorf("%s: the caller's policies do not compile: %w", c.api, err)
	}
	ctx := c.callContext()
	check := func(action string) error {
		req := evaluator.Request{Principal: c.callerName(), Action: action, Resource: resource, Context: ctx}
		if c.caller != nil {
			req.SessionIssuer = c.caller.SessionIssuer
		}
		if d, _ := eng.Decide(req); d == evaluator.Allowed {
			return nil
		}
		r := eng.Evaluate(req, evaluator.WithTrace()) // traced, to explain the refusal
		who := req.Principal
		if c.caller == nil {
			who = "identity provider " + who
		}
		return &Error{Code: ErrAccessDenied.Code, Result: &r,
			Message: fmt.Sprintf("%s is not authorized to perform: %s on resource: %s (%s by %s)", who, action, resource, r.Decision, r.DecidedBy)}
	}
	if err := check("sts:" + c.api); err != nil {
		return err
	}
	if len(c.tags) > 0 {
		if err := check("sts:TagSession"); err != nil {
			return err
		}
	}
	// A source identity set now, or carried over from the calling session
	// in role chaining, needs sts:SetSourceIdentity ("When you assume a
	// role with another role, called role chaining, permissions for
	// sts:SetSourceIdentity are required", IUG
	// id_credentials_temp_control-access_monitor).
	if c.sourceIdentity() != "" {
		if err := check("sts:SetSourceIdentity"); err != nil {
			return err
		}
	}
	return nil
}

// sourceIdentity is the call's source identity: the one passed, or the one
// the calling session carries, which persists through role chaining.
func (c *stsCall) sourceIdentity() string {
	if c.sourceID != "" {
		return c.sourceID
	}
	if cs := c.callerSession(); cs != nil {
		return cs.SourceIdentity
	}
	return ""
}

func (c *stsCall) callerName() string {
	if c.caller != nil {
		return c.caller.Principal
	}
	return c.provider
}

// callSet returns the policy set that decides the call itself and the
// call's resource: the role (with its trust policy) or the federated user.
func (c *stsCall) callSet() (evaluator.PolicySet, string) {
	if c.role == nil {
		return c.caller.Policies, "arn:" + c.p.Partition + ":sts::" + c.p.Account + ":federated-user/" + c.name
	}
	trust := *c.role.TrustPolicy
	if trust.ID == "" {
		trust.ID = "trust-policy"
	}
	rp := c.role.Policies
	set := evaluator.PolicySet{Resource: &trust, RCPs: rp.RCPs, ManagementAccount: rp.ManagementAccount, OrgAccounts: rp.OrgAccounts}
	if cl := c.caller; cl != nil {
		cp := cl.Policies
		set.Identity, set.PermissionsBoundary, set.Session, set.SCPs = cp.Identity, cp.PermissionsBoundary, cp.Session, cp.SCPs
		if set.ManagementAccount == "" {
			set.ManagementAccount = cp.ManagementAccount
		}
		switch {
		case len(rp.RCPs) == 0:
			set.OrgAccounts = cp.OrgAccounts
		case len(cp.SCPs) > 0 && len(cp.OrgAccounts) > 0 && len(rp.OrgAccounts) > 0:
			set.OrgAccounts = append(append([]string(nil), rp.OrgAccounts...), cp.OrgAccounts...)
		}
	}
	return set, c.role.ARN
}

// callContext is the request context of the STS call: the caller's context
// (or the identity provider's claims), the time, and the keys the call's
// parameters set.
func (c *stsCall) callContext() evaluator.Context {
	ctx := evaluator.Context{}
	src := c.claims
	if c.caller != nil {
		src = c.caller.Context
	}
	for k, v := range src {
		ctx[k] = v
	}
	put := func(k string, v evaluator.Value) {
		if _, ok := ctx.Lookup(k); !ok {
			ctx[k] = v
		}
	}
	put("aws:CurrentTime", evaluator.Single(c.now.Format(time.RFC3339)))
	put("aws:EpochTime", evaluator.Single(strconv.FormatInt(c.now.Unix(), 10)))
	if c.role != nil {
		put("sts:RoleSessionName", evaluator.Single(c.name))
	}
	if c.externalID != "" {
		put("sts:ExternalId", evaluator.Single(c.externalID))
	}
	if sid := c.sourceIdentity(); sid != "" {
		put("sts:SourceIdentity", evaluator.Single(sid))
	}
	if c.serial != "" && c.token != "" {
		// MFA given to this call counts for this call, whatever the
		// caller's credentials carried.
		for _, k := range []string{"aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge"} {
			for ck := range ctx {
				if strings.EqualFold(ck, k) {
					delete(ctx, ck)
				}
			}
		}
		ctx["aws:MultiFactorAuthPresent"] = evaluator.Single("true")
		ctx["aws:MultiFactorAuthAge"] = evaluator.Single("0")
	}
	if len(c.tags) > 0 {
		keys := make([]string, 0, len(c.tags))
		for _, t := range c.tags {
			put("aws:RequestTag/"+t.Key, evaluator.Single(t.Value))
			keys = append(keys, t.Key)
		}
		put("aws:TagKeys", evaluator.Multi(keys...))
	}
	if len(c.transitive) > 0 {
		put("sts:TransitiveTagKeys", evaluator.Multi(c.transitive...))
	}
	return ctx
}

// session builds the session the call returns.
func (c *stsCall) session(dur time.Duration, sessionPolicies []evaluator.Input) (*Session, error) {
	s := &Session{
		API: c.api, Name: c.name, IssuedAt: c.now, Expiration: c.now.Add(dur),
		SourceIdentity: c.sourceIdentity(), Chained: c.chained(), opts: c.opts,
	}
	var base evaluator.PolicySet
	tags := map[string]Tag{} // lower-case key -> tag
	var order []string
	setTag := func(t Tag) {
		lk := strings.ToLower(t.Key)
		if _, ok := tags[lk]; !ok {
			order = append(order, lk)
		}
		tags[lk] = t
	}
	ctx := evaluator.Context{}
	if r := c.role; r != nil {
		a, _ := arn.Parse(r.ARN) // checked by checkSetup
		roleName := a.Resource[strings.LastIndexByte(a.Resource, '/')+1:]
		s.ARN = "arn:" + a.Partition + ":sts::" + a.Account + ":assumed-role/" + roleName + "/" + c.name
		s.Issuer = r.ARN
		if r.ID != "" {
			s.AssumedRoleID = r.ID + ":" + c.name
			ctx["aws:userid"] = evaluator.Single(s.AssumedRoleID)
		}
		base = r.Policies
		for k, v := range r.Context {
			ctx[k] = v
		}
		for _, t := range r.Tags {
			setTag(t)
		}
		if c.provider != "" && c.api == APIAssumeRoleWithWebIdentity {
			ctx["aws:FederatedProvider"] = evaluator.Single(c.provider)
		}
		// The claim keys AWS documents as available to the session's own
		// requests, not only to the trust policy.
		for k, v := range c.claims {
			if sessionClaimKey(c.api, k) {
				ctx[k] = v
			}
		}
	} else {
		s.ARN = "arn:" + c.p.Partition + ":sts::" + c.p.Account + ":federated-user/" + c.name
		s.Issuer = c.caller.Principal
		s.AssumedRoleID = c.p.Account + ":" + c.name
		base = c.caller.Policies
		// The user's own tags are the federated session's principal tags,
		// unless a session tag of the same key overrides one.
		for k, v := range c.caller.Context {
			if len(k) > len(principalTagPrefix) && strings.EqualFold(k[:len(principalTagPrefix)], principalTagPrefix) && len(v.Values) == 1 {
				setTag(Tag{Key: k[len(principalTagPrefix):], Value: v.Values[0]})
			}
		}
	}
	if cs := c.callerSession(); cs != nil {
		// Transitive session tags persist through role chaining.
		for _, k := range cs.TransitiveTagKeys {
			for _, t := range cs.Tags {
				if strings.EqualFold(t.Key, k) {
					setTag(t)
					s.TransitiveTagKeys = append(s.TransitiveTagKeys, t.Key)
				}
			}
		}
	}
	for _, t := range c.tags {
		setTag(t)
	}
	for _, k := range c.transitive {
		s.TransitiveTagKeys = append(s.TransitiveTagKeys, tags[strings.ToLower(k)].Key)
	}
	sort.Strings(order)
	for _, lk := range order {
		t := tags[lk]
		s.Tags = append(s.Tags, t)
		ctx[principalTagPrefix+t.Key] = evaluator.Single(t.Value)
	}
	if s.SourceIdentity != "" {
		ctx["aws:SourceIdentity"] = evaluator.Single(s.SourceIdentity)
	}
	ctx["aws:TokenIssueTime"] = evaluator.Single(c.now.Format(time.RFC3339))
	// Temporary credentials carry aws:MultiFactorAuthPresent, but those of
	// AssumeRole do not include MFA information: MFA is checked when the
	// role is assumed (IUG id_credentials_mfa_configure-api-require), and
	// the other calls take no MFA at all.
	ctx["aws:MultiFactorAuthPresent"] = evaluator.Single("false")
	s.Context = ctx
	base.Session = sessionPolicies
	base.Resource = nil // a session's requests name their resource policy (WithResourcePolicy)
	s.Policies = base
	eng, err := evaluator.Compile(base, c.opts...)
	if err != nil {
		return nil, fmt.Errorf("%s: the session's policies do not compile: %w", c.api, err)
	}
	s.engine = eng
	return s, nil
}

// sessionClaimKey reports whether a claim key of a SAML assertion or web
// identity token stays in the session's request context. SAML: saml:sub,
// saml:sub_type and saml:namequalifier ("In the permissions policy of a
// role for SAML federation ... you can include the following keys"). Web
// identity: the provider's amr, aud, sub, oaud, id, app_id and user_id keys
// ("additional condition keys are available when the temporary security
// credentials are used to make a request"); IUG
// reference_policies_iam-condition-keys.
func sessionClaimKey(api, key string) bool {
	lk := strings.ToLower(key)
	switch api {
	case APIAssumeRoleWithSAML:
		return lk == "saml:sub" || lk == "saml:sub_type" || lk == "saml:namequalifier"
	case APIAssumeRoleWithWebIdentity:
		i := strings.LastIndexByte(lk, ':')
		if i <= 0 || strings.HasPrefix(lk, "aws:") || strings.HasPrefix(lk, "sts:") {
			return false
		}
		switch lk[i+1:] {
		case "amr", "aud", "sub", "oaud", "id", "app_id", "user_id":
			return true
		}
	}
	return false
}

// errNoSession is returned by Session methods called on a Session not made
// by an STS call of this package.
var errNoSession = errors.New("sts: the Session was not made by AssumeRole, AssumeRoleWithSAML, AssumeRoleWithWebIdentity or GetFederationToken")

// errNilSession is returned by the methods of a nil *Session, such as the
// one a failed STS call returns.
var errNilSession = errors.New("sts: nil session (did the STS call that should make it fail?)")
