package accesscheck

import (
	"fmt"
	"slices"
	"strings"

	"github.com/iamsim/iamsim/arn"
	"github.com/iamsim/iamsim/policy"
)

// ownerOf returns the account that owns the resource of the policies: the
// given one, else the account of the first Resource ARN that has one, else
// DefaultAccount.
func ownerOf(owner string, ps ...*policy.Policy) (string, error) {
	if owner != "" {
		if !arn.IsAccountID(owner) {
			return "", fmt.Errorf("resource owner %q: want 12 digits", owner)
		}
		return owner, nil
	}
	for _, p := range ps {
		for _, st := range p.Statements {
			for _, r := range st.Resource {
				if a, err := arn.Parse(r); err == nil && arn.IsAccountID(a.Account) {
					return a.Account, nil
				}
			}
		}
	}
	return DefaultAccount, nil
}

// foreignAccount returns an account neither owner nor in named.
func foreignAccount(owner string, named map[string]bool) string {
	for _, a := range []string{"444455556666", "777788889999", "123456789012", "210987654321"} {
		if a != owner && !named[a] {
			return a
		}
	}
	for i := 100000000000; ; i++ {
		a := fmt.Sprint(i)
		if a != owner && !named[a] {
			return a
		}
	}
}

// namedPrincipals collects what the policies' Principal and NotPrincipal
// elements and principal condition keys name.
type namedPrincipals struct {
	accounts map[string]bool
	arns     []string
	services []string
	fed      []string
}

func collectNamed(ps ...*policy.Policy) namedPrincipals {
	n := namedPrincipals{accounts: map[string]bool{}}
	for _, p := range ps {
		for _, st := range p.Statements {
			for _, pr := range []*policy.Principals{st.Principal, st.NotPrincipal} {
				if pr == nil {
					continue
				}
				for _, a := range pr.AWS {
					switch {
					case a == "*":
					case arn.IsAccountID(a):
						n.accounts[a] = true
					default:
						if x, err := arn.Parse(a); err == nil {
							n.accounts[x.Account] = true
							n.arns = append(n.arns, a)
						}
					}
				}
				n.services = append(n.services, pr.Service...)
				n.fed = append(n.fed, pr.Federated...)
			}
			for _, c := range st.Conditions {
				switch strings.ToLower(c.Key) {
				case "aws:principalaccount":
					for _, v := range c.Values {
						if arn.IsAccountID(v) {
							n.accounts[v] = true
						}
					}
				case "aws:principalarn":
					for _, v := range c.Values {
						if x, err := arn.Parse(v); err == nil {
							n.accounts[x.Account] = true
							n.arns = append(n.arns, v)
						}
					}
				case "aws:principalservicename":
					n.services = append(n.services, c.Values...)
				}
			}
		}
	}
	return n
}

// accountPrincipals returns a caller of each kind in account a.
func accountPrincipals(a string) []string {
	return []string{
		"arn:aws:iam::" + a + ":root",
		"arn:aws:iam::" + a + ":user/iamsim-user",
		"arn:aws:sts::" + a + ":assumed-role/iamsim-role/iamsim-session",
		"arn:aws:sts::" + a + ":federated-user/iamsim-federated",
	}
}

// resourcePrincipals returns the callers a resource policy is tried for:
// every principal the policies name (and a session of each role named),
// a caller of each kind in every account named, in the owner account and
// in a foreign one, every service and identity provider named, a service
// no policy names, and anonymous. With public, only callers outside the
// owner account that the policies do not name: anonymous, the foreign
// account's, and services.
func resourcePrincipals(owner string, public bool, ps ...*policy.Policy) ([]string, error) {
	owner, err := ownerOf(owner, ps...)
	if err != nil {
		return nil, err
	}
	n := collectNamed(ps...)
	foreign := foreignAccount(owner, n.accounts)
	var out []string
	if public {
		out = append(out, "anonymous")
		out = append(out, accountPrincipals(foreign)...)
		return out, nil
	}
	out = append(out, accountPrincipals(owner)...)
	out = append(out, accountPrincipals(foreign)...)
	accts := make([]string, 0, len(n.accounts))
	for a := range n.accounts {
		accts = append(accts, a)
	}
	slices.Sort(accts)
	for _, a := range accts {
		if a != owner {
			out = append(out, accountPrincipals(a)...)
		}
	}
	for _, a := range n.arns {
		x, _ := arn.Parse(a)
		out = append(out, a)
		if x.Service == "iam" && strings.HasPrefix(x.Resource, "role/") {
			name := x.Resource[strings.LastIndexByte(x.Resource, '/')+1:]
			out = append(out, "arn:"+x.Partition+":sts::"+x.Account+":assumed-role/"+name+"/iamsim-session")
		}
	}
	out = append(out, n.services...)
	out = append(out, n.fed...)
	out = append(out, "iamsim-unnamed.amazonaws.com", "anonymous")
	slices.Sort(out)
	return slices.Compact(out), nil
}
