package accesscheck

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/iamsim/iamsim/arn"
	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/snapshot"
	"github.com/iamsim/iamsim/policy"
	"github.com/iamsim/iamsim/policy/catalog"
)

// SnapshotResult is the answer of CheckNoNewAccessSnapshots: every
// principal that gains access, each with its FAIL result.
type SnapshotResult struct {
	// Result is PASS when no principal gains access (and every compared
	// principal was decided), FAIL when one does.
	Result Verdict `json:"result"`
	// Message says what the result means.
	Message string `json:"message"`
	// Principals are the principals that gain access, sorted by ARN.
	Principals []PrincipalResult `json:"principals"`
	// Undecided are the principals whose comparison could not be decided
	// (only beside a FAIL: without one, the check returns an error).
	Undecided []UndecidedPrincipal `json:"undecided,omitempty"`
	// Compared counts the principals compared (those whose policies
	// changed); the others were skipped as unchanged.
	Compared int `json:"-"`
}

// PrincipalResult is one principal that gains access.
type PrincipalResult struct {
	// Principal is the user's or role's ARN (a role is evaluated as a
	// session of it).
	Principal string `json:"principal"`
	// Result is the FAIL of CheckNoNewAccessSets for the principal, with
	// its verified counterexamples (those of every resource compared).
	Result *Result `json:"result"`
}

// UndecidedPrincipal is one principal whose comparison failed.
type UndecidedPrincipal struct {
	// Principal is the user's or role's ARN.
	Principal string `json:"principal"`
	// Error says why (it wraps ErrTooComplex or ErrUnsupported when a
	// limit or the fragment stopped the check).
	Error string `json:"error"`
}

// CheckNoNewAccessSnapshots reports every principal of after (users, and
// roles evaluated as sessions of them as WhoCan does) that can make some
// request it could not make in before, with verified counterexamples. A
// principal absent from before had no access there: any request it can
// make is new. A principal of before absent from after is not reported
// (losing access is not new access).
//
// Each principal is compared with CheckNoNewAccessSets, on its real policy
// set on each side (Snapshot.PolicySet: identity policies, boundary, its
// account's SCP levels and the resource account's RCP levels), in several
// parts that together cover every resource:
//
//   - resources of the principal's account without a loaded resource
//     policy (the sets with no resource policy);
//   - each resource with a loaded policy on either side (a bucket with its
//     objects), in the account of its ARN (else, for an S3 bucket, the
//     principal's), with that side's policy as the resource policy;
//   - each role's ARN with that side's trust policy, for the actions a
//     trust policy governs (sts:AssumeRole*, sts:TagSession,
//     sts:SetSourceIdentity; the first part covers the role's ARN for the
//     other actions), unless neither trust policy has an Allow statement
//     whose Principal could be the principal ("*", a pattern, its account
//     or an ARN of its account, or NotPrincipal): those actions need the
//     trust policy to allow.
//
// Resources of other accounts are left out when neither side's policy
// could name the principal's account (no cross-account request is allowed
// without the resource's policy). A part whose two policy
// sets are the same documents (same pointers, or the same JSON text) is
// skipped: only principals and resources whose policies changed cost a
// check, and a check costs up to the limits of CheckNoNewAccessSets (the
// options apply to each part).
//
// The snapshot lists every principal tag: a condition on aws:PrincipalTag
// reads the principal's tag (the one of the new snapshot), or none. When a
// principal's tags changed and a policy it is compared under reads a
// principal tag, the principal is undecided (one request cannot carry both
// sides' tags). Policy variables naming a principal tag are not fixed (set
// freely, the same on both sides: a FAIL may then need another value).
//
// A principal whose comparison errs (a limit hit, a construct outside the
// decided fragment) is never a PASS: when another principal gains access
// the result is a FAIL listing it under Undecided; otherwise the check
// returns an error naming every undecided principal (wrapping theirs).
func CheckNoNewAccessSnapshots(before, after *snapshot.Snapshot, opts ...Option) (*SnapshotResult, error) {
	if before == nil || after == nil {
		return nil, errors.New("check-no-new-access: give both snapshots")
	}
	for _, s := range []*snapshot.Snapshot{before, after} {
		if err := s.Prepare(); err != nil {
			return nil, err
		}
	}
	keys := newDocKeys()
	// Resources with a loaded policy on either side, and the patterns that
	// take them out of the principal's own part.
	resources := slices.Concat(before.ResourceARNs(), after.ResourceARNs())
	slices.Sort(resources)
	resources = slices.Compact(resources)
	var out []string
	for _, r := range resources {
		if strings.ContainsAny(r, "*?") {
			// A scope is a pattern: the key must be one resource.
			return nil, fmt.Errorf("check-no-new-access: resource policy of %q: a wildcard in the resource's ARN: %w", r, ErrUnsupported)
		}
		out = append(out, scopeOf(r)...)
	}
	var roles []string
	for _, s := range []*snapshot.Snapshot{before, after} {
		for _, p := range s.Principals() {
			if p.Type == snapshot.Role {
				roles = append(roles, p.ARN)
			}
		}
	}
	slices.Sort(roles)
	roles = slices.Compact(roles)

	res := &SnapshotResult{Principals: []PrincipalResult{}}
	var undecidedErrs []error
	for _, p := range after.Principals() {
		pb, existed := before.Principal(p.ARN)
		caller, issuer := p.Caller("")
		type part struct {
			scope      resourceScope
			resB, resA *evaluator.Input
		}
		setFor := func(s *snapshot.Snapshot, acct string, res *evaluator.Input, exists bool) evaluator.PolicySet {
			if !exists {
				return evaluator.PolicySet{} // no principal, no access
			}
			set, err := s.PolicySet(p.ARN, acct)
			if err != nil {
				return evaluator.PolicySet{}
			}
			set.Resource = res
			return set
		}
		parts := []part{{scope: resourceScope{Account: p.Account, Out: out}}}
		for _, r := range resources {
			acct := resourceAccountOf(r, p.Account)
			rb, _ := before.ResourcePolicy(r)
			ra, _ := after.ResourcePolicy(r)
			if acct != p.Account && !mayName(rb, p.Account) && !mayName(ra, p.Account) {
				continue // cross-account, and neither side's policy can allow the principal
			}
			parts = append(parts, part{scope: resourceScope{Account: acct, In: scopeOf(r)}, resB: rb, resA: ra})
		}
		for _, r := range roles {
			var tb, ta *evaluator.Input
			if q, ok := before.Principal(r); ok {
				tb = q.Trust
			}
			if q, ok := after.Principal(r); ok {
				ta = q.Trust
			}
			if !mayName(tb, p.Account) && !mayName(ta, p.Account) {
				continue // neither side's trust policy can allow the principal
			}
			parts = append(parts, part{scope: resourceScope{Account: resourceAccountOf(r, p.Account), In: []string{r}, Actions: trustActions()}, resB: tb, resA: ta})
		}
		tagsChanged := existed && !maps.Equal(pb.Tags, p.Tags)
		var merged *Result
		var perr error
		compared := false
		for _, pt := range parts {
			sb := setFor(before, pt.scope.Account, pt.resB, existed)
			sa := setFor(after, pt.scope.Account, pt.resA, true)
			if tagsChanged && (keys.readsPrincipalTag(sb) || keys.readsPrincipalTag(sa)) {
				// One request carries one set of tags: the two sides'
				// tags cannot both be the principal's.
				perr = fmt.Errorf("its tags changed and a policy it is compared under reads aws:PrincipalTag: %w", ErrUnsupported)
				break
			}
			if existed && keys.set(sb) == keys.set(sa) {
				continue // the same documents, and tags that matter the same: no new access
			}
			compared = true
			o := append(slices.Clone(opts), withScope(pt.scope), withPrincipalTags(p.TagContext()))
			if issuer != "" {
				o = append(o, withSessionIssuer(issuer))
			}
			r, err := CheckNoNewAccessSets(sb, sa, caller, o...)
			if err != nil {
				what := "resources of its account without a resource policy"
				if len(pt.scope.In) > 0 {
					what = pt.scope.In[0]
				}
				perr = fmt.Errorf("%s: %w", what, err)
				break
			}
			if r.Result == Fail {
				merged = mergeResults(merged, r)
			}
		}
		if compared {
			res.Compared++
		}
		if perr != nil {
			res.Undecided = append(res.Undecided, UndecidedPrincipal{Principal: p.ARN, Error: perr.Error()})
			undecidedErrs = append(undecidedErrs, fmt.Errorf("%s %s: %w", p.Type, p.ARN, perr))
			continue
		}
		if merged != nil {
			res.Principals = append(res.Principals, PrincipalResult{Principal: p.ARN, Result: merged})
		}
	}
	switch {
	case len(res.Principals) > 0:
		res.Result = Fail
		res.Message = fmt.Sprintf("The new snapshot grants %d principal(s) new access.", len(res.Principals))
		if len(res.Undecided) > 0 {
			res.Message += fmt.Sprintf(" %d principal(s) could not be decided.", len(res.Undecided))
		}
		return res, nil
	case len(undecidedErrs) > 0:
		return nil, fmt.Errorf("check-no-new-access: cannot decide every principal: %w", errors.Join(undecidedErrs...))
	}
	res.Result, res.Message = Pass, "The new snapshot does not grant any principal new access."
	return res, nil
}

// mergeResults joins the FAILs of one principal's parts.
func mergeResults(into, r *Result) *Result {
	if into == nil {
		c := *r
		c.Message = "The new snapshot grants the principal new access."
		return &c
	}
	into.Evaluations += r.Evaluations
	for _, x := range r.Reasons {
		if !slices.Contains(into.Reasons, x) {
			into.Reasons = append(into.Reasons, x)
		}
	}
	into.Counterexamples = append(into.Counterexamples, r.Counterexamples...)
	return into
}

// trustActions are the catalog's actions a role's trust policy governs
// (the engine's and Snapshot.ResourcePolicyFor's rule): sts:AssumeRole*,
// sts:TagSession and sts:SetSourceIdentity.
var trustActions = sync.OnceValue(func() []string {
	var out []string
	for _, a := range catalog.All() {
		k := a.Key()
		if strings.HasPrefix(k, "sts:assumerole") || k == "sts:tagsession" || k == "sts:setsourceidentity" {
			out = append(out, a.FullName())
		}
	}
	return out
})

// mayName reports whether rp (a trust or resource policy; nil: none) has
// an Allow statement that could apply to a principal of account acct: one
// with NotPrincipal, or whose Principal is "*", a wildcard pattern, the
// account or an ARN of it. The actions a trust policy governs need it to
// allow (in any account), and so does every cross-account request: when
// neither side's policy may, the part is skipped.
func mayName(rp *evaluator.Input, acct string) bool {
	if rp == nil || rp.Policy == nil {
		return false
	}
	for _, st := range rp.Policy.Statements {
		if st.Effect != policy.Allow {
			continue
		}
		if st.NotPrincipal != nil || st.Principal == nil || st.Principal.Wildcard {
			return true
		}
		for _, a := range st.Principal.AWS {
			if a == acct || strings.ContainsAny(a, "*?") || strings.Contains(a, ":"+acct+":") {
				return true
			}
		}
	}
	return false
}

// scopeOf returns the ARN patterns a loaded resource policy governs: the
// resource, and an S3 bucket's objects (whatever the ARN's region and
// account say, as Snapshot.ResourcePolicyFor reads them).
func scopeOf(r string) []string {
	a, err := arn.Parse(r)
	if err == nil && a.Service == "s3" && !strings.Contains(a.Resource, "/") {
		// Snapshot.ResourcePolicyFor reads an S3 ARN's partition and
		// bucket only.
		b := "arn:" + a.Partition + ":s3:*:*:" + a.Resource
		return []string{b, b + "/*"}
	}
	return []string{r}
}

// resourceAccountOf returns the account of resource r: its ARN's, else
// (an S3 bucket) the principal's, as who-can assumes.
func resourceAccountOf(r, principalAccount string) string {
	if a, err := arn.Parse(r); err == nil && arn.IsAccountID(a.Account) {
		return a.Account
	}
	return principalAccount
}

// readsPrincipalTag reports whether a policy of set reads a principal tag
// (a condition key or a policy variable).
func (k *docKeys) readsPrincipalTag(set evaluator.PolicySet) bool {
	ps, _ := setPolicies(set, "")
	for _, p := range ps {
		if t := k.doc(p); t == "" || strings.Contains(strings.ToLower(t), "aws:principaltag/") {
			return true
		}
	}
	return false
}

// docKeys gives policy sets a key that is equal for the same documents,
// whether the pointers are the same or the texts are: each document
// stands for a number, the same for the same JSON text.
type docKeys struct {
	byPtr  map[*policy.Policy]int
	byText map[string]int
	text   map[*policy.Policy]string
}

func newDocKeys() *docKeys {
	return &docKeys{byPtr: map[*policy.Policy]int{}, byText: map[string]int{}, text: map[*policy.Policy]string{}}
}

// id returns p's number (0 for none; a document that cannot be written
// gets a number of its own).
func (k *docKeys) id(p *policy.Policy) int {
	if p == nil {
		return 0
	}
	if n, ok := k.byPtr[p]; ok {
		return n
	}
	t := k.doc(p)
	n, ok := k.byText[t]
	if !ok || t == "" {
		n = len(k.byPtr) + len(k.byText) + 1
		if t != "" {
			k.byText[t] = n
		}
	}
	k.byPtr[p] = n
	return n
}

// doc returns p's JSON text ("" when it cannot be written).
func (k *docKeys) doc(p *policy.Policy) string {
	if t, ok := k.text[p]; ok {
		return t
	}
	b, err := json.Marshal(p)
	t := string(b)
	if err != nil {
		t = ""
	}
	k.text[p] = t
	return t
}

// set returns set's key: every input's id, flags and document, layer by
// layer, and the organization's facts.
func (k *docKeys) set(set evaluator.PolicySet) string {
	var b strings.Builder
	in := func(tag string, x evaluator.Input) {
		// Text bears only on size quotas, checked when the snapshot is
		// prepared: its length is enough.
		fmt.Fprintf(&b, "%s\x00%s\x00%t\x00%t\x00%d\x00%d\x01", tag, x.ID, x.Managed, x.AWSManaged, len(x.Text), k.id(x.Policy))
	}
	for _, x := range set.Identity {
		in("I", x)
	}
	if set.PermissionsBoundary != nil {
		in("B", *set.PermissionsBoundary)
	}
	for _, x := range set.Session {
		in("S", x)
	}
	if set.Resource != nil {
		in("R", *set.Resource)
	}
	for l, level := range set.SCPs {
		for _, x := range level {
			in(fmt.Sprint("SCP", l), x)
		}
	}
	for l, level := range set.RCPs {
		for _, x := range level {
			in(fmt.Sprint("RCP", l), x)
		}
	}
	fmt.Fprintf(&b, "M\x00%s\x00%v", set.ManagementAccount, set.OrgAccounts)
	return b.String()
}
