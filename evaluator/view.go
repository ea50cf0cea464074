package evaluator

import "strings"

// view answers condition-key and policy-variable look-ups for one request:
// the request's own context first, then the keys derived from the principal.
type view struct {
	req *Request
	p   *principal
	// unknownHit is set when a look-up met a key whose value is unknown
	// (keyUnknown), and unknownKey names it: the caller of a match resets
	// unknownHit and reads both after.
	unknownHit bool
	unknownKey string
	// unknownCtx is WithUnknownContext: a key neither in the context nor
	// derived from the principal is keyMaybe; tagsComplete excepts
	// aws:PrincipalTag keys (WithPrincipalTagsComplete).
	unknownCtx   bool
	tagsComplete bool
}

// keyState says whether a key is in the request context.
type keyState uint8

const (
	keyAbsent  keyState = iota
	keyPresent          // in the context with the values returned
	// keyUnknown marks a key AWS puts in every request of this caller but
	// whose value iamsim cannot know: the unique ID in aws:userid of an IAM
	// user or a role session given by ARN, and the principal keys of a
	// service principal, which the global condition keys page says are in
	// every (signed) request but for which it documents no value. The key
	// counts as present for Null and for the IfExists test; any comparison
	// with its value is unknown (see tri) and reported as missing context.
	keyUnknown
	// keyMaybe marks a key that may be absent or hold any values
	// (WithUnknownContext): every test of it, Null and IfExists included,
	// is unknown.
	keyMaybe
)

// principalKeys are the keys derived returns a state for: whether they are
// in a request is known from the principal.
var principalKeys = []string{"aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalType", "aws:username",
	"aws:userid", "aws:PrincipalIsAWSService", "aws:PrincipalServiceName", "aws:PrincipalServiceNamesList"}

// known reports whether a key absent from the context and not derived is
// known to be absent: always, unless WithUnknownContext is on.
func (v *view) known(key string) bool {
	if !v.unknownCtx {
		return true
	}
	for _, k := range principalKeys {
		if strings.EqualFold(k, key) {
			return true
		}
	}
	const tag = "aws:principaltag/"
	return v.tagsComplete && len(key) > len(tag) && strings.EqualFold(key[:len(tag)], tag)
}

// derived returns the principal-derived value of key (docs/semantics.md §7), following
// the Availability line of each key on the current global condition keys
// page (IUG reference_policies_condition-keys):
//
//   - aws:PrincipalArn: every signed request; not anonymous ones. The
//     role's ARN for a role session. No value is documented for a service
//     principal (unknown); an identity provider's AssumeRoleWithSAML or
//     AssumeRoleWithWebIdentity call is unsigned (absent).
//   - aws:PrincipalAccount, aws:PrincipalType, aws:userid: every request,
//     including anonymous ones (account and user ID "anonymous", type
//     "Anonymous"). aws:userid is the account ID for the root user,
//     ACCOUNT:NAME for a federated user, and a unique ID (AIDA... of a
//     user, AROA...:SESSION of a role session) that only the request
//     context can supply. Unknown for service principals and identity
//     providers.
//   - aws:username: IAM users only.
//   - aws:PrincipalIsAWSService: every signed request made with AWS
//     credentials: true for a service principal, false for users, roles
//     and root; absent for anonymous requests and for an identity
//     provider's unsigned STS call.
//   - aws:PrincipalServiceName: service principals only.
//   - aws:PrincipalServiceNamesList: service principals only; every name of
//     the service's Regional instance, which iamsim cannot know (unknown).
func (v *view) derived(key string) (string, keyState) {
	p := v.p
	switch {
	case strings.EqualFold(key, "aws:PrincipalArn"):
		if s := p.principalARN(); s != "" {
			return s, keyPresent
		}
		if p.kind == principalService && !p.provider {
			return "", keyUnknown
		}
	case strings.EqualFold(key, "aws:PrincipalAccount"):
		switch {
		case p.kind == principalAnonymous:
			return "anonymous", keyPresent
		case p.kind == principalService:
			return "", keyUnknown
		case p.account != "":
			return p.account, keyPresent
		}
	case strings.EqualFold(key, "aws:PrincipalType"):
		if t := p.principalType(); t != "" {
			return t, keyPresent
		}
		if p.kind == principalService {
			return "", keyUnknown
		}
	case strings.EqualFold(key, "aws:username"):
		if p.kind == principalUser {
			return p.userName, keyPresent
		}
	case strings.EqualFold(key, "aws:userid"):
		switch p.kind {
		case principalRoot:
			return p.account, keyPresent
		case principalAnonymous:
			return "anonymous", keyPresent
		case principalFederatedUser:
			return p.account + ":" + p.fedName, keyPresent
		case principalUser, principalRoleSession, principalService:
			return "", keyUnknown
		}
	case strings.EqualFold(key, "aws:PrincipalIsAWSService"):
		switch {
		case p.kind == principalService && !p.provider:
			return "true", keyPresent
		case p.kind == principalRoot, p.kind == principalUser, p.isSession():
			return "false", keyPresent
		}
	case strings.EqualFold(key, "aws:PrincipalServiceName"):
		if p.kind == principalService && !p.provider {
			return p.service, keyPresent
		}
	case strings.EqualFold(key, "aws:PrincipalServiceNamesList"):
		if p.kind == principalService && !p.provider {
			return "", keyUnknown
		}
	}
	return "", keyAbsent
}

// Lookup returns the value of a single-valued key, for policy variables
// (arn.Resolver). Multi-valued keys are never variables (docs/semantics.md §7). A key
// whose value is unknown resolves to nothing and sets unknownHit.
func (v *view) Lookup(key string) (string, bool) {
	if val, ok := v.req.Context.Lookup(key); ok {
		if val.Multi || len(val.Values) != 1 {
			return "", false
		}
		return val.Values[0], true
	}
	s, st := v.derived(key)
	if st == keyAbsent && !v.known(key) {
		st = keyMaybe
	}
	if st == keyUnknown || st == keyMaybe {
		v.unknownHit, v.unknownKey = true, key
	}
	return s, st == keyPresent
}

// Values returns every value of key, whether it is multi-valued and whether
// it is in the request, for condition operators.
func (v *view) Values(key string) (values []string, multi bool, st keyState) {
	if val, ok := v.req.Context.Lookup(key); ok {
		return val.Values, val.Multi, keyPresent
	}
	s, st := v.derived(key)
	if st == keyPresent {
		return []string{s}, false, keyPresent
	}
	if st == keyAbsent && !v.known(key) {
		st = keyMaybe
	}
	return nil, false, st
}
