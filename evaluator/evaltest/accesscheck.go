package evaltest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/accesscheck"
	"github.com/iamsim/iamsim/policy"
)

// NoNewAccess asserts that after allows nothing before does not, as IAM
// Access Analyzer's CheckNoNewAccess decides it for policies of type typ
// (accesscheck.IdentityPolicy or accesscheck.ResourcePolicy). On failure
// it reports the statements that grant new access and counterexample
// requests, each verified with the engine; a policy the check cannot
// decide exactly fails the test too (t.Errorf). It returns the result, nil
// when the check could not decide.
func NoNewAccess(t testing.TB, before, after *policy.Policy, typ accesscheck.PolicyType, opts ...accesscheck.Option) *accesscheck.Result {
	t.Helper()
	res, err := accesscheck.CheckNoNewAccess(before, after, typ, opts...)
	return reportCheck(t, "NoNewAccess", res, err)
}

// NoNewAccessForPrincipal asserts that principal can do nothing under the
// policy set after that it could not under before (the full evaluation:
// identity policies, boundary, session policies, resource policy, SCPs,
// RCPs), with counterexamples on failure (see accesscheck.CheckNoNewAccessSets).
func NoNewAccessForPrincipal(t testing.TB, before, after evaluator.PolicySet, principal string, opts ...accesscheck.Option) *accesscheck.Result {
	t.Helper()
	res, err := accesscheck.CheckNoNewAccessSets(before, after, principal, opts...)
	return reportCheck(t, "NoNewAccessForPrincipal", res, err)
}

// AccessNotGranted asserts that p can never allow one of actions on one of
// resources (on any resource when resources is empty), whatever the
// condition values, as CheckAccessNotGranted decides it.
func AccessNotGranted(t testing.TB, p *policy.Policy, typ accesscheck.PolicyType, actions, resources []string, opts ...accesscheck.Option) *accesscheck.Result {
	t.Helper()
	res, err := accesscheck.CheckAccessNotGranted(p, []accesscheck.Access{{Actions: actions, Resources: resources}}, typ, opts...)
	return reportCheck(t, "AccessNotGranted", res, err)
}

// NoPublicAccess asserts that the resource policy p grants no public
// access to a resource of resourceType (AWS::S3::Bucket, AWS::KMS::Key,
// ...), as CheckNoPublicAccess decides it.
func NoPublicAccess(t testing.TB, p *policy.Policy, resourceType string, opts ...accesscheck.Option) *accesscheck.Result {
	t.Helper()
	res, err := accesscheck.CheckNoPublicAccess(p, resourceType, opts...)
	return reportCheck(t, "NoPublicAccess", res, err)
}

func reportCheck(t testing.TB, name string, res *accesscheck.Result, err error) *accesscheck.Result {
	t.Helper()
	if err != nil {
		t.Errorf("%s: cannot decide: %v", name, err)
		return nil
	}
	if res.Result == accesscheck.Pass {
		return res
	}
	t.Errorf("%s: %s", name, FormatCheck(res))
	return res
}

// FormatCheck renders a check's result for a test failure: the verdict
// and message, each reason, and each counterexample request.
func FormatCheck(res *accesscheck.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", res.Result, res.Message)
	for _, r := range res.Reasons {
		fmt.Fprintf(&b, "\n  reason: %s", r.Description)
		if r.StatementID != "" {
			fmt.Fprintf(&b, " (Sid %s)", r.StatementID)
		}
	}
	for _, ce := range res.Counterexamples {
		fmt.Fprintf(&b, "\n  counterexample: principal %s, action %s, resource %s", ce.Principal, ce.Action, ce.Resource)
		if ce.ResourceAccount != "" {
			fmt.Fprintf(&b, " (account %s)", ce.ResourceAccount)
		}
		keys := make([]string, 0, len(ce.Context))
		for k := range ce.Context {
			keys = append(keys, k)
		}
		sortStrings(keys)
		for _, k := range keys {
			v := ce.Context[k]
			if v.Multi {
				fmt.Fprintf(&b, ", %s=%q", k, v.Values)
			} else {
				fmt.Fprintf(&b, ", %s=%q", k, strings.Join(v.Values, ""))
			}
		}
	}
	return b.String()
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
