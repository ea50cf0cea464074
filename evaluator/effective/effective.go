package effective

import (
	"sort"
	"strings"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/policy/catalog"
)

// Request asks what a principal can do: every catalog action (or those of
// some services) on one resource.
type Request struct {
	// Principal and SessionIssuer are as in evaluator.Request.
	Principal, SessionIssuer string
	// Resource is the resource ARN, or "*" (the default) for every action
	// whatever its resource. With an ARN, only the actions whose resource
	// types can apply to it are listed (docs/semantics.md §5.1 note).
	Resource string
	// ResourceAccount and Context are as in evaluator.Request, for every
	// action.
	ResourceAccount string
	Context         evaluator.Context
	// Services limits the report to these service prefixes; nil means all.
	Services []string
}

// Entry is the decision on one action.
type Entry struct {
	// Action is the action's full name, e.g. "s3:GetObject".
	Action      string
	AccessLevel catalog.AccessLevel
	Decision    evaluator.Decision
	// Conditional reports that the decision rests on conditions whose keys
	// the request did not give: with them, it could differ ("allowed if
	// ...", or "allowed unless ..." for a conditional Deny).
	// ConditionKeys lists those keys, sorted.
	Conditional   bool
	ConditionKeys []string
	// Matched are the deciding statements, as in evaluator.Result.Matched.
	Matched []evaluator.StatementRef
}

// Report is the decision of every action a Request covers, sorted by
// action name, case-insensitively.
type Report struct {
	Principal, Resource string
	// Catalog names the action catalog the report used.
	Catalog string
	Entries []Entry
}

// Evaluate evaluates every catalog action the request covers with e. Each
// entry is exactly what e.Evaluate decides for that action, resource and
// context.
func Evaluate(e *evaluator.Engine, req Request) Report {
	if req.Resource == "" {
		req.Resource = "*"
	}
	out := Report{Principal: req.Principal, Resource: req.Resource, Catalog: catalog.Source()}
	var only map[string]bool
	if req.Services != nil {
		only = map[string]bool{}
		for _, p := range req.Services {
			only[strings.ToLower(p)] = true
		}
	}
	r := evaluator.Request{Principal: req.Principal, SessionIssuer: req.SessionIssuer, Resource: req.Resource,
		ResourceAccount: req.ResourceAccount, Context: req.Context}
	all := catalog.All() // sorted by Key, the order of the report
	out.Entries = make([]Entry, 0, len(all))
	var types []*catalog.ResourceType // the ARN's, found once
	if req.Resource != "*" {
		types = catalog.ResourceTypesFor(req.Resource)
	}
	for _, a := range all {
		if only != nil && !only[a.Key()[:len(a.Service)]] {
			continue
		}
		if req.Resource != "*" && !a.ActsOn(types) {
			continue
		}
		// The catalog's key is the action in lower case: the engine need
		// not lower (nor cache) it.
		r.Action = a.Key()
		res := e.Evaluate(r, evaluator.WithoutLayers())
		out.Entries = append(out.Entries, Entry{
			Action: a.FullName(), AccessLevel: a.AccessLevel(), Decision: res.Decision,
			Conditional: len(res.MissingContext) > 0, ConditionKeys: res.MissingContext, Matched: res.Matched,
		})
	}
	return out
}

// actionLess orders action names case-insensitively, as reports sort them.
func actionLess(a, b string) bool { return strings.ToLower(a) < strings.ToLower(b) }

// Lookup returns the entry of an action (case-insensitive).
func (ef *Report) Lookup(action string) (Entry, bool) {
	i := sort.Search(len(ef.Entries), func(i int) bool { return !actionLess(ef.Entries[i].Action, action) })
	if i < len(ef.Entries) && strings.EqualFold(ef.Entries[i].Action, action) {
		return ef.Entries[i], true
	}
	return Entry{}, false
}

// Change is an action whose decision differs between two reports.
type Change struct {
	Action      string
	AccessLevel catalog.AccessLevel
	// Before and After are the entries of the two reports; an action that
	// one report does not list has the zero entry there (ImplicitDeny).
	Before, After Entry
}

// Gained reports whether the change opens access: allowed now, not before.
func (c Change) Gained() bool {
	return c.After.Decision == evaluator.Allowed && c.Before.Decision != evaluator.Allowed
}

// Lost reports whether the change removes access.
func (c Change) Lost() bool {
	return c.Before.Decision == evaluator.Allowed && c.After.Decision != evaluator.Allowed
}

// Diff returns the actions whose decision or conditionality differs
// between two reports, sorted by action: what a session loses against its
// role (before: the role, after: the session), or what a policy change
// adds.
func Diff(before, after Report) []Change {
	var out []Change
	i, j := 0, 0
	for i < len(before.Entries) || j < len(after.Entries) {
		var c Change
		switch {
		case j == len(after.Entries) || (i < len(before.Entries) && actionLess(before.Entries[i].Action, after.Entries[j].Action)):
			c = Change{Action: before.Entries[i].Action, AccessLevel: before.Entries[i].AccessLevel, Before: before.Entries[i]}
			i++
		case i == len(before.Entries) || actionLess(after.Entries[j].Action, before.Entries[i].Action):
			c = Change{Action: after.Entries[j].Action, AccessLevel: after.Entries[j].AccessLevel, After: after.Entries[j]}
			j++
		default:
			c = Change{Action: before.Entries[i].Action, AccessLevel: before.Entries[i].AccessLevel, Before: before.Entries[i], After: after.Entries[j]}
			i++
			j++
		}
		if c.Before.Decision != c.After.Decision || c.Before.Conditional != c.After.Conditional {
			out = append(out, c)
		}
	}
	return out
}
