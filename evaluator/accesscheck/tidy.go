package accesscheck

import (
	"maps"
	"strings"

	"github.com/iamsim/iamsim/arn"
	"github.com/iamsim/iamsim/evaluator"
)

// tidyPrincipal moves principal keys an identity-policy counterexample
// sets in its context (aws:username, aws:PrincipalArn,
// aws:PrincipalAccount) into its principal, when the request so rewritten
// still proves the same thing (ok reports it); otherwise it returns ce
// unchanged. A counterexample then names the caller by ARN and leaves
// principal-derived keys to the principal, where it can.
func tidyPrincipal(ce Counterexample, ok func(Counterexample) bool) Counterexample {
	out := ce
	out.Context = maps.Clone(ce.Context)
	changed := false
	take := func(key string) (string, bool) {
		for k, v := range out.Context {
			if strings.EqualFold(k, key) && !v.Multi && len(v.Values) == 1 {
				delete(out.Context, k)
				return v.Values[0], true
			}
		}
		return "", false
	}
	acct := DefaultAccount
	if a, found := take("aws:PrincipalAccount"); found {
		if !arn.IsAccountID(a) {
			return ce
		}
		acct, changed = a, true
		out.Principal = "arn:aws:iam::" + acct + ":user/iamsim-principal"
	}
	if name, found := take("aws:username"); found {
		if name == "" || strings.ContainsAny(name, ":/ ") {
			return ce
		}
		out.Principal, changed = "arn:aws:iam::"+acct+":user/"+name, true
	}
	if pa, found := take("aws:PrincipalArn"); found {
		if _, err := evaluator.ParsePrincipal(pa, ""); err != nil || !strings.HasPrefix(pa, "arn:") {
			return ce
		}
		out.Principal, changed = pa, true
	}
	if !changed {
		return ce
	}
	if len(out.Context) == 0 {
		out.Context = nil
	}
	if out.Request().Validate() != nil || !ok(out) {
		return ce
	}
	return out
}

// alignPrincipal moves an identity-policy counterexample's caller into
// the partition and account of its resource, when the resource ARN names
// them and the rewritten request still proves the same thing: the policy
// can be attached to a principal of any account, and a same-account
// request needs no resource policy, so the counterexample then also
// verifies with a plain evaluation of the identity policy (iamsim eval).
func alignPrincipal(ce Counterexample, ok func(Counterexample) bool) Counterexample {
	res, err := arn.Parse(ce.Resource)
	if err != nil || !arn.IsAccountID(res.Account) {
		return ce
	}
	pr, err := arn.Parse(ce.Principal)
	if err != nil || (pr.Account == res.Account && pr.Partition == res.Partition) {
		return ce
	}
	pr.Account, pr.Partition = res.Account, res.Partition
	out := ce
	out.Principal = pr.String()
	if out.Request().Validate() != nil || !ok(out) {
		return ce
	}
	return out
}
