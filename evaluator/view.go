package evaluator

import "strings"

// view answers condition-key and policy-variable look-ups for one request:
// the request's own context first, then the keys derived from the principal.
type view struct {
	req *Request
	p   *principal
}

// derived returns the principal-derived value of key (SPEC 7), if any.
func (v *view) derived(key string) (string, bool) {
	p := v.p
	switch {
	case strings.EqualFold(key, "aws:PrincipalArn"):
		if s := p.principalARN(); s != "" {
			return s, true
		}
	case strings.EqualFold(key, "aws:PrincipalAccount"):
		if p.account != "" {
			return p.account, true
		}
	case strings.EqualFold(key, "aws:PrincipalType"):
		if t := p.principalType(); t != "" {
			return t, true
		}
	case strings.EqualFold(key, "aws:username"):
		if p.kind == principalUser {
			return p.userName, true
		}
	case strings.EqualFold(key, "aws:userid"):
		switch p.kind {
		case principalRoot:
			return p.account, true
		case principalAnonymous:
			return "anonymous", true
		case principalFederatedUser:
			return p.account + ":" + p.fedName, true
		}
	case strings.EqualFold(key, "aws:PrincipalIsAWSService"):
		if p.kind == principalService && !p.provider {
			return "true", true
		}
		return "false", true
	case strings.EqualFold(key, "aws:PrincipalServiceName"):
		if p.kind == principalService && !p.provider {
			return p.service, true
		}
	}
	return "", false
}

// Lookup returns the value of a single-valued key, for policy variables
// (arn.Resolver). Multi-valued keys are never variables (SPEC 7).
func (v *view) Lookup(key string) (string, bool) {
	if val, ok := v.req.Context.Lookup(key); ok {
		if val.Multi || len(val.Values) != 1 {
			return "", false
		}
		return val.Values[0], true
	}
	return v.derived(key)
}

// Values returns every value of key and whether it is multi-valued, for
// condition operators.
func (v *view) Values(key string) (values []string, multi, ok bool) {
	if val, ok := v.req.Context.Lookup(key); ok {
		return val.Values, val.Multi, true
	}
	if s, ok := v.derived(key); ok {
		return []string{s}, false, true
	}
	return nil, false, false
}
