package evaluator

import (
	"sort"
	"strings"

	"github.com/iamsim/iamsim/policy/catalog"
)

// EffectiveRequest asks what a principal can do: every catalog action (or
// those of some services) on one resource.
type EffectiveRequest struct {
	// Principal and SessionIssuer are as in Request.
	Principal, SessionIssuer string
	// Resource is the resource ARN, or "*" (the default) for every action
	// whatever its resource. With an ARN, only the actions whose resource
	// types can apply to it are listed (SPEC 5.1 note).
	Resource string
	// ResourceAccount and Context are as in Request, for every action.
	ResourceAccount string
	Context         Context
	// Services limits the report to these service prefixes; nil means all.
	Services []string
}

// EffectiveEntry is the decision on one action.
type EffectiveEntry struct {
	// Action is the action's full name, e.g. "s3:GetObject".
	Action      string
	AccessLevel catalog.AccessLevel
	Decision    Decision
	// Conditional reports that the decision rests on conditions whose keys
	// the request did not give: with them, it could differ ("allowed if
	// ...", or "allowed unless ..." for a conditional Deny).
	// ConditionKeys lists those keys, sorted.
	Conditional   bool
	ConditionKeys []string
	// Matched are the deciding statements, as in Result.Matched.
	Matched []StatementRef
}

// Effective is the decision of every action an EffectiveRequest covers,
// sorted by action name, case-insensitively.
type Effective struct {
	Principal, Resource string
	// Catalog names the action catalog the report used.
	Catalog string
	Entries []EffectiveEntry
}

// Effective evaluates every catalog action the request covers. Each entry
// is exactly what Evaluate decides for that action, resource and context.
func (e *Engine) Effective(req EffectiveRequest) Effective {
	if req.Resource == "" {
		req.Resource = "*"
	}
	out := Effective{Principal: req.Principal, Resource: req.Resource, Catalog: catalog.Source()}
	var only map[string]bool
	if req.Services != nil {
		only = map[string]bool{}
		for _, p := range req.Services {
			only[strings.ToLower(p)] = true
		}
	}
	r := Request{Principal: req.Principal, SessionIssuer: req.SessionIssuer, Resource: req.Resource,
		ResourceAccount: req.ResourceAccount, Context: req.Context}
	all := catalog.All() // sorted by Key, the order of the report
	out.Entries = make([]EffectiveEntry, 0, len(all))
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
		r.Action = a.FullName()
		res := e.evaluateKey(&r, a.Key())
		out.Entries = append(out.Entries, EffectiveEntry{
			Action: r.Action, AccessLevel: a.AccessLevel(), Decision: res.Decision,
			Conditional: len(res.MissingContext) > 0, ConditionKeys: res.MissingContext, Matched: res.Matched,
		})
	}
	return out
}

// actionLess orders action names case-insensitively, as reports sort them.
func actionLess(a, b string) bool { return strings.ToLower(a) < strings.ToLower(b) }

// Lookup returns the entry of an action (case-insensitive).
func (ef *Effective) Lookup(action string) (EffectiveEntry, bool) {
	i := sort.Search(len(ef.Entries), func(i int) bool { return !actionLess(ef.Entries[i].Action, action) })
	if i < len(ef.Entries) && strings.EqualFold(ef.Entries[i].Action, action) {
		return ef.Entries[i], true
	}
	return EffectiveEntry{}, false
}

// EffectiveChange is an action whose decision differs between two reports.
type EffectiveChange struct {
	Action      string
	AccessLevel catalog.AccessLevel
	// Before and After are the entries of the two reports; an action that
	// one report does not list has the zero entry there (ImplicitDeny).
	Before, After EffectiveEntry
}

// Gained reports whether the change opens access: allowed now, not before.
func (c EffectiveChange) Gained() bool {
	return c.After.Decision == Allowed && c.Before.Decision != Allowed
}

// Lost reports whether the change removes access.
func (c EffectiveChange) Lost() bool {
	return c.Before.Decision == Allowed && c.After.Decision != Allowed
}

// DiffEffective returns the actions whose decision or conditionality differs
// between two reports, sorted by action: what a session loses against its
// role (before: the role, after: the session), or what a policy change
// adds.
func DiffEffective(before, after Effective) []EffectiveChange {
	var out []EffectiveChange
	i, j := 0, 0
	for i < len(before.Entries) || j < len(after.Entries) {
		var c EffectiveChange
		switch {
		case j == len(after.Entries) || (i < len(before.Entries) && actionLess(before.Entries[i].Action, after.Entries[j].Action)):
			c = EffectiveChange{Action: before.Entries[i].Action, AccessLevel: before.Entries[i].AccessLevel, Before: before.Entries[i]}
			i++
		case i == len(before.Entries) || actionLess(after.Entries[j].Action, before.Entries[i].Action):
			c = EffectiveChange{Action: after.Entries[j].Action, AccessLevel: after.Entries[j].AccessLevel, After: after.Entries[j]}
			j++
		default:
			c = EffectiveChange{Action: before.Entries[i].Action, AccessLevel: before.Entries[i].AccessLevel, Before: before.Entries[i], After: after.Entries[j]}
			i++
			j++
		}
		if c.Before.Decision != c.After.Decision || c.Before.Conditional != c.After.Conditional {
			out = append(out, c)
		}
	}
	return out
}
