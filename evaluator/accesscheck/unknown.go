package accesscheck

import (
	"fmt"
	"slices"
	"strings"

	"github.com/iamsim/iamsim/evaluator"
)

// unknownKeys returns (lower case) the keys of unknown value of a caller:
// keys AWS puts in every request of the caller but whose value the engine
// cannot derive from the principal (docs/semantics.md §7, the engine's
// keyUnknown). The unique ID in aws:userid of an IAM user or a role
// session; aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType,
// aws:userid and aws:PrincipalServiceNamesList of a service principal;
// aws:PrincipalAccount, aws:PrincipalType and aws:userid of an identity
// provider. A plain evaluation never counts an Allow that rests on one, so
// the checks give them values in every witness request (dimGroups) and
// treat a result that still consulted one as unsupported
// (unknownConsulted). TestUnknownKeysMatchEngine keeps the list in step
// with the engine.
func unknownKeys(principal string) []string {
	p, err := evaluator.ParsePrincipal(principal, "")
	if err != nil {
		return nil
	}
	switch p.Kind {
	case evaluator.PrincipalUser, evaluator.PrincipalRoleSession:
		return []string{"aws:userid"}
	case evaluator.PrincipalService:
		return []string{"aws:principalaccount", "aws:principalarn", "aws:principalservicenameslist", "aws:principaltype", "aws:userid"}
	case evaluator.PrincipalIdentityProvider:
		return []string{"aws:principalaccount", "aws:principaltype", "aws:userid"}
	}
	return nil
}

// unknownConsulted returns the first key of unknown value of req's caller
// that res reports as missing context while req's context does not set
// it: the evaluation met an unknown value, so its verdict cannot be
// compared. It returns "" when there is none.
func unknownConsulted(req evaluator.Request, res *evaluator.Result) string {
	if len(res.MissingContext) == 0 {
		return ""
	}
	unk := unknownKeys(req.Principal)
	for _, m := range res.MissingContext {
		k := strings.ToLower(m)
		if !slices.Contains(unk, k) {
			continue
		}
		if _, set := req.Context.Lookup(m); !set {
			return m
		}
	}
	return ""
}

// errUnknownConsulted is the error of a check whose evaluation of req met
// key, a key of unknown value: never a PASS it cannot prove.
func errUnknownConsulted(req evaluator.Request, key string) error {
	return fmt.Errorf("request %s %s %s: condition key %s has a value the check cannot know: %w",
		req.Principal, req.Action, req.Resource, key, ErrUnsupported)
}
