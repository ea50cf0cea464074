package evaluator

import (
	"strings"

	"github.com/iamsim/iamsim/arn"
	"github.com/iamsim/iamsim/policy"
)

// principalMatcher is a compiled Principal or NotPrincipal element.
type principalMatcher struct {
	wildcard  bool
	accounts  []string // account IDs, from "A" or arn:P:iam::A:root
	arns      []string // user, role, assumed-role and federated-user ARNs
	services  []string // Service entries: AWS service principals
	federated []string // Federated entries: identity providers
	canonical []string
}

func compilePrincipals(ps *policy.Principals) *principalMatcher {
	m := &principalMatcher{wildcard: ps.Wildcard}
	for _, a := range ps.AWS {
		switch {
		case a == "*":
			m.wildcard = true
		case arn.IsAccountID(a):
			m.accounts = append(m.accounts, a)
		default:
			if _, svc, _, acct, res, ok := splitARN(a); ok && svc == "iam" && res == "root" {
				m.accounts = append(m.accounts, acct)
			} else {
				m.arns = append(m.arns, a)
			}
		}
	}
	m.services, m.federated = ps.Service, ps.Federated
	m.canonical = ps.CanonicalUser
	return m
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// servicesFor returns the entries that can name p, a service principal or
// an identity provider: an AWS service is named under "Service", an
// identity provider under "Federated", and neither under the other.
func (m *principalMatcher) servicesFor(p *principal) []string {
	if p.provider {
		return m.federated
	}
	return m.services
}

// namesRole reports whether the matcher names the role of a role session.
// With a known issuer ARN the comparison is exact; without one, a role ARN of
// the session's account whose last path element is the role name matches.
func (m *principalMatcher) namesRole(p *principal) bool {
	if p.issuer != "" {
		return contains(m.arns, p.issuer)
	}
	for _, a := range m.arns {
		if _, svc, _, acct, res, ok := splitARN(a); ok && svc == "iam" && acct == p.account &&
			strings.HasPrefix(res, "role/") && res[strings.LastIndexByte(res, '/')+1:] == p.roleName {
			return true
		}
	}
	return false
}

// class returns how the matcher matches the caller (docs/semantics.md §1.4 and 5.3).
func (m *principalMatcher) class(p *principal) MatchClass {
	if m.wildcard {
		return MatchDirect
	}
	switch p.kind {
	case principalService:
		if contains(m.servicesFor(p), p.service) {
			return MatchService
		}
	case principalRoot:
		if contains(m.accounts, p.account) {
			return MatchRoot
		}
	case principalUser:
		if contains(m.arns, p.arn) {
			return MatchDirect
		}
	case principalRoleSession:
		if p.arn != "" && contains(m.arns, p.arn) {
			return MatchDirect
		}
		if m.namesRole(p) {
			return MatchEntity
		}
	case principalFederatedUser:
		if contains(m.arns, p.arn) {
			return MatchDirect
		}
		if p.issuer != "" && contains(m.arns, p.issuer) {
			return MatchEntity
		}
	}
	if p.account != "" && contains(m.accounts, p.account) {
		return MatchAccount
	}
	return MatchNone
}

// exempts reports whether a NotPrincipal list exempts the caller from a Deny
// statement. docs/semantics.md §5.3 [choice]: AWS may check the account, then the role,
// then the session, so a caller is exempt only when every one of those that
// applies to it is listed. A caller with a permissions boundary is never
// exempt (current NotPrincipal and boundaries pages).
func (m *principalMatcher) exempts(p *principal, hasBoundary bool) bool {
	if hasBoundary {
		return false
	}
	if m.wildcard {
		return true
	}
	switch p.kind {
	case principalService:
		return contains(m.servicesFor(p), p.service)
	case principalRoot:
		return contains(m.accounts, p.account)
	case principalUser:
		return contains(m.arns, p.arn) && contains(m.accounts, p.account)
	case principalRoleSession:
		return (p.arn == "" || contains(m.arns, p.arn)) && m.namesRole(p) && contains(m.accounts, p.account)
	case principalFederatedUser:
		return contains(m.arns, p.arn) && contains(m.accounts, p.account)
	}
	return false
}
