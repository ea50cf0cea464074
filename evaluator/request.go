package evaluator

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/iamsim/iamsim/arn"
)

// Request is one API call to evaluate.
type Request struct {
	// Principal is the caller: an ARN (arn:aws:iam::A:user/..., arn:aws:iam::A:role/...,
	// arn:aws:sts::A:assumed-role/ROLE/SESSION, arn:aws:sts::A:federated-user/NAME,
	// arn:aws:iam::A:root), a service principal such as "sns.amazonaws.com",
	// an identity provider as a trust policy names it under "Federated"
	// (arn:aws:iam::A:saml-provider/NAME, arn:aws:iam::A:oidc-provider/HOST,
	// or a host such as "accounts.google.com") for AssumeRoleWithSAML and
	// AssumeRoleWithWebIdentity, or "anonymous" for an unsigned request.
	Principal string
	// SessionIssuer is, for an assumed-role session, the ARN of the role
	// (with its path; default arn:aws:iam::A:role/ROLE from the session ARN),
	// and for a federated-user session the ARN of the IAM user or root user
	// that called GetFederationToken. It is what a resource-based policy
	// naming the role or user matches (docs/semantics.md §1.4, class entity). A role whose
	// path starts with /aws-service-role/ is a service-linked role.
	SessionIssuer string
	// Action is "service:Operation", without wildcards.
	Action string
	// Resource is the ARN of the resource, or "*" for actions without one.
	Resource string
	// ResourceAccount is the account that owns the resource. When empty it
	// is the account field of Resource, else the principal's account.
	ResourceAccount string
	// Context holds the request's condition keys. Principal-derived keys
	// (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType,
	// aws:username, aws:userid, aws:PrincipalIsAWSService,
	// aws:PrincipalServiceName) are filled from the principal unless set
	// here. A key AWS puts in every request of the caller but whose value
	// the principal does not tell (the unique ID in an IAM user's or role
	// session's aws:userid) is present with an unknown value: Null sees it,
	// comparisons with it are reported in Result.MissingContext, and a
	// statement that depends on it is resolved against the caller (an Allow
	// is not counted, a Deny is). Set it here to settle it.
	Context Context
}

// Context maps condition-key names to values. Key names compare
// case-insensitively, as AWS compares them.
type Context map[string]Value

// Value is the value of one context key.
type Value struct {
	// Values holds the value(s) as text; typed operators (Numeric, Date, IP,
	// Bool, Binary) convert them when comparing.
	Values []string
	// Multi marks a multi-valued key (aws:TagKeys, aws:PrincipalOrgPaths, ...),
	// even when it holds one value or none.
	Multi bool
}

// Single returns a single-valued Value.
func Single(v string) Value { return Value{Values: []string{v}} }

// Multi returns a multi-valued Value.
func Multi(vs ...string) Value { return Value{Values: vs, Multi: true} }

// Lookup returns the value of key, comparing names case-insensitively. When
// several names differ only in case, the one that sorts first wins; Validate
// rejects such contexts.
func (c Context) Lookup(key string) (Value, bool) {
	if v, ok := c[key]; ok {
		return v, true
	}
	found, best := false, ""
	for k := range c {
		if strings.EqualFold(k, key) && (!found || k < best) {
			found, best = true, k
		}
	}
	if !found {
		return Value{}, false
	}
	return c[best], true
}

// Validate reports names that differ only in case and single-valued keys
// that hold other than one value.
func (c Context) Validate() error {
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	seen := map[string]string{}
	for _, k := range keys {
		if k == "" {
			return fmt.Errorf("context: empty key name")
		}
		if prev, ok := seen[strings.ToLower(k)]; ok {
			return fmt.Errorf("context: keys %q and %q differ only in case", prev, k)
		}
		seen[strings.ToLower(k)] = k
		if v := c[k]; !v.Multi && len(v.Values) != 1 {
			return fmt.Errorf("context: single-valued key %q has %d values (mark it Multi)", k, len(v.Values))
		}
	}
	return nil
}

// Validate checks that the request is well formed: a principal the engine
// understands, an action of the form service:name without wildcards, a
// resource, and a valid context. Evaluate itself never fails: it denies a
// request whose principal, action or resource Validate would refuse
// implicitly, without reading any policy; callers that take requests from
// users should call Validate first, to report the problem.
func (r Request) Validate() error {
	if _, err := ParsePrincipal(r.Principal, r.SessionIssuer); err != nil {
		return err
	}
	if err := r.shapeProblem(); err != nil {
		return err
	}
	return r.Context.Validate()
}

// shapeProblem checks the action, resource and resource account: the
// checks of Validate that Evaluate also makes, because they cost nothing.
func (r *Request) shapeProblem() error {
	svc, name, ok := strings.Cut(r.Action, ":")
	if !ok || svc == "" || name == "" || strings.ContainsAny(r.Action, "*? ") {
		return fmt.Errorf("action %q: want service:Operation without wildcards", r.Action)
	}
	if r.Resource == "" {
		return fmt.Errorf("resource: empty (use \"*\" for actions without a resource)")
	}
	if r.Resource != "*" && !strings.HasPrefix(r.Resource, "arn:") {
		return fmt.Errorf("resource %q: want an ARN or \"*\"", r.Resource)
	}
	if r.ResourceAccount != "" && !arn.IsAccountID(r.ResourceAccount) {
		return fmt.Errorf("resource account %q: want 12 digits", r.ResourceAccount)
	}
	return nil
}

// principalKind classifies the caller (docs/semantics.md §0.3).
type principalKind uint8

const (
	principalInvalid principalKind = iota
	principalRoot
	principalUser
	principalRoleSession
	principalFederatedUser
	principalService
	principalAnonymous
)

// principal is the caller taken apart. Every string is a substring of the
// request's strings or a constant, so parsing does not allocate.
type principal struct {
	kind      principalKind
	partition string
	arn       string // the caller's own ARN (session ARN for sessions); "" for services and anonymous
	account   string
	// issuer is the role ARN for role sessions and the federating user's ARN
	// for federated users ("" when unknown).
	issuer string
	// roleName and sessionName are set for role sessions; for a session given
	// as a role ARN, sessionName is "".
	roleName, sessionName string
	userName              string // IAM user name (last path element)
	fedName               string // federated user name
	service               string // service principal name
	// rootFederated marks a federated user whose session the account's root
	// user made with GetFederationToken: its identity side is the root
	// user's full access, narrowed by the session policies.
	rootFederated bool
	// provider marks a principalService that is an identity provider (a
	// SAML or OIDC provider ARN, or a web identity provider's name), the
	// caller of AssumeRoleWithSAML and AssumeRoleWithWebIdentity: a trust
	// policy names it under "Federated", and it is not an AWS service.
	provider      bool
	serviceLinked bool
	problem       string // why kind is principalInvalid
}

// webIdentityProviders are the web identity providers a trust policy names
// by name under "Federated" (IUG reference_policies_elements_principal,
// reference_policies_iam-condition-keys, web identity keys); every other
// provider is named by its OIDC provider ARN.
var webIdentityProviders = map[string]bool{
	"cognito-identity.amazonaws.com": true, "accounts.google.com": true,
	"graph.facebook.com": true, "www.amazon.com": true,
}

// splitARN splits an ARN into partition, service, account and resource
// without allocating.
func splitARN(s string) (partition, service, region, account, resource string, ok bool) {
	rest, ok := strings.CutPrefix(s, "arn:")
	if !ok {
		return
	}
	var parts [4]string
	for i := range parts {
		var found bool
		parts[i], rest, found = strings.Cut(rest, ":")
		if !found {
			return "", "", "", "", "", false
		}
	}
	return parts[0], parts[1], parts[2], parts[3], rest, true
}

func parsePrincipal(s, issuer string) principal {
	switch {
	case s == "":
		return principal{problem: "empty"}
	case s == "anonymous":
		return principal{kind: principalAnonymous}
	case !strings.HasPrefix(s, "arn:"):
		if strings.ContainsAny(s, ":/* ") || !strings.Contains(s, ".") {
			return principal{problem: "want an ARN, a service principal such as sns.amazonaws.com, or \"anonymous\""}
		}
		return principal{kind: principalService, service: s, provider: webIdentityProviders[strings.ToLower(s)]}
	}
	part, svc, _, acct, res, ok := splitARN(s)
	if !ok || !arn.IsAccountID(acct) {
		return principal{problem: "malformed ARN or account"}
	}
	if svc == "iam" && (strings.HasPrefix(res, "saml-provider/") || strings.HasPrefix(res, "oidc-provider/")) {
		// An identity provider, the caller of AssumeRoleWithSAML and
		// AssumeRoleWithWebIdentity: like a service, only a trust policy
		// naming it under "Federated" can grant it anything.
		if issuer != "" {
			return principal{problem: "a session issuer only applies to role and federated-user sessions"}
		}
		return principal{kind: principalService, service: s, partition: part, provider: true}
	}
	p := principal{arn: s, partition: part, account: acct, issuer: issuer}
	switch {
	case svc == "iam" && res == "root":
		p.kind = principalRoot
	case svc == "iam" && strings.HasPrefix(res, "user/"):
		p.kind = principalUser
		p.userName = res[strings.LastIndexByte(res, '/')+1:]
	case svc == "iam" && strings.HasPrefix(res, "role/"):
		// A role given as the caller stands for one of its sessions whose
		// session name is unknown.
		p.kind = principalRoleSession
		p.roleName = res[strings.LastIndexByte(res, '/')+1:]
		if p.issuer == "" {
			p.issuer = s
		}
		p.arn = ""
	case svc == "sts" && strings.HasPrefix(res, "assumed-role/"):
		role, sess, ok := strings.Cut(res[len("assumed-role/"):], "/")
		if !ok || role == "" || sess == "" {
			return principal{problem: "want arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION"}
		}
		p.kind, p.roleName, p.sessionName = principalRoleSession, role, sess
	case svc == "sts" && strings.HasPrefix(res, "federated-user/"):
		p.kind, p.fedName = principalFederatedUser, res[len("federated-user/"):]
		if p.fedName == "" {
			return principal{problem: "empty federated user name"}
		}
	default:
		return principal{problem: "not a user, role, root, assumed-role session or federated user ARN"}
	}
	if p.kind == principalRoleSession {
		if p.issuer != "" {
			_, isvc, _, iacct, ires, ok := splitARN(p.issuer)
			if !ok || isvc != "iam" || iacct != acct || !strings.HasPrefix(ires, "role/") ||
				ires[strings.LastIndexByte(ires, '/')+1:] != p.roleName {
				return principal{problem: fmt.Sprintf("session issuer %q is not the role of this session", issuer)}
			}
			p.serviceLinked = strings.HasPrefix(ires, "role/aws-service-role/")
		}
		p.serviceLinked = p.serviceLinked || strings.HasPrefix(p.roleName, "AWSServiceRoleFor")
	}
	if p.kind == principalFederatedUser && p.issuer != "" {
		_, isvc, _, iacct, ires, ok := splitARN(p.issuer)
		if !ok || isvc != "iam" || iacct != acct || (ires != "root" && !strings.HasPrefix(ires, "user/")) {
			return principal{problem: fmt.Sprintf("session issuer %q is not an IAM user or root user of the federated user's account", issuer)}
		}
		p.rootFederated = ires == "root"
	}
	if p.kind != principalRoleSession && p.kind != principalFederatedUser && issuer != "" {
		return principal{problem: "a session issuer only applies to role and federated-user sessions"}
	}
	return p
}

// PrincipalKind is the kind of caller a request's Principal names.
type PrincipalKind uint8

// The kinds of principal ParsePrincipal tells apart.
const (
	// PrincipalInvalid is a principal the engine does not understand: its
	// requests are denied implicitly.
	PrincipalInvalid PrincipalKind = iota
	// PrincipalRoot is an account's root user (arn:aws:iam::ACCOUNT:root).
	PrincipalRoot
	// PrincipalUser is an IAM user.
	PrincipalUser
	// PrincipalRoleSession is a role session (an assumed-role ARN), or a
	// role's ARN standing for one of its sessions.
	PrincipalRoleSession
	// PrincipalFederatedUser is a federated-user session
	// (GetFederationToken).
	PrincipalFederatedUser
	// PrincipalService is an AWS service principal, such as
	// sns.amazonaws.com.
	PrincipalService
	// PrincipalIdentityProvider is a SAML or OIDC provider's ARN, or a web
	// identity provider's name (accounts.google.com, ...): the caller of
	// AssumeRoleWithSAML and AssumeRoleWithWebIdentity.
	PrincipalIdentityProvider
	// PrincipalAnonymous is "anonymous", an unsigned request.
	PrincipalAnonymous
)

var principalKindNames = [...]string{"invalid", "root", "user", "roleSession", "federatedUser", "service", "identityProvider", "anonymous"}

// String returns the kind's name: "root", "user", "roleSession", ...
func (k PrincipalKind) String() string {
	if int(k) < len(principalKindNames) {
		return principalKindNames[k]
	}
	return "PrincipalKind(" + strconv.Itoa(int(k)) + ")"
}

// Principal is a request's principal taken apart.
type Principal struct {
	Kind PrincipalKind
	// Partition is the partition of the principal's ARN ("" for a service,
	// a web identity provider or anonymous).
	Partition string
	// Account is the principal's account ("" for a service, an identity
	// provider or anonymous).
	Account string
}

// ParsePrincipal takes apart a request's Principal and SessionIssuer as
// Evaluate does. It fails, as Request.Validate does, for a principal
// Evaluate would deny without reading any policy.
func ParsePrincipal(principal, sessionIssuer string) (Principal, error) {
	p := parsePrincipal(principal, sessionIssuer)
	out := Principal{Partition: p.partition, Account: p.account}
	switch p.kind {
	case principalInvalid:
		return Principal{}, fmt.Errorf("principal %q: %s", principal, p.problem)
	case principalRoot:
		out.Kind = PrincipalRoot
	case principalUser:
		out.Kind = PrincipalUser
	case principalRoleSession:
		out.Kind = PrincipalRoleSession
	case principalFederatedUser:
		out.Kind = PrincipalFederatedUser
	case principalService:
		out.Kind = PrincipalService
		if p.provider {
			out.Kind, out.Partition = PrincipalIdentityProvider, ""
		}
	case principalAnonymous:
		out.Kind = PrincipalAnonymous
	}
	return out, nil
}

// isSession reports whether the caller holds temporary session credentials.
func (p *principal) isSession() bool {
	return p.kind == principalRoleSession || p.kind == principalFederatedUser
}

// principalType is the value of aws:PrincipalType.
func (p *principal) principalType() string {
	switch p.kind {
	case principalRoot:
		return "Account"
	case principalUser:
		return "User"
	case principalRoleSession:
		return "AssumedRole"
	case principalFederatedUser:
		return "FederatedUser"
	case principalAnonymous:
		return "Anonymous"
	}
	return ""
}

// principalARN is the value of aws:PrincipalArn: the role ARN for role
// sessions (docs/semantics.md §7), the caller's ARN otherwise; "" when absent.
func (p *principal) principalARN() string {
	if p.kind == principalRoleSession {
		if p.issuer != "" {
			return p.issuer
		}
		return "arn:" + p.partition + ":iam::" + p.account + ":role/" + p.roleName
	}
	return p.arn
}
