package accesscheck

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/iamsim/iamsim/policy"
)

// Policy variables (${aws:username} in a Resource or a condition value)
// tie a key's value to other dimensions, which the class construction does
// not split exactly. CheckNoNewAccess decides policies with variables in
// two sound steps:
//
//  1. Approximation: NEW is widened (an Allow's resource with a variable
//     becomes "*" or is dropped from a NotResource list, its conditions
//     with variables are dropped; a Deny with variables is disabled) and
//     OLD narrowed (an Allow with variables is disabled; a Deny's resource
//     with a variable becomes "*", its conditions with variables are
//     dropped). Neither has variables. If the widened NEW grants nothing
//     the narrowed OLD does not, NEW grants nothing OLD does not: PASS.
//  2. Slices: for a few values of each variable key (a fresh value, the
//     classes of the key's own conditions, words of the policies' literal
//     resources), both policies are decided exactly on the requests where
//     the keys have those values: each variable is replaced by its value
//     and every statement gets a StringEquals condition pinning the key.
//     A counterexample found there is verified on the real policies: FAIL.
//
// When neither step decides, the check returns an error wrapping
// ErrUnsupported: never a PASS it cannot prove.

// variableKeys returns the keys of the policy variables p uses where the
// engine substitutes them, and an error for ${*}, ${?} and ${$}.
func variableKeys(p *policy.Policy) ([]string, error) {
	if !p.VariablesEnabled() {
		return nil, nil
	}
	var keys []string
	add := func(s string) error {
		for {
			i := strings.Index(s, "${")
			if i < 0 {
				return nil
			}
			j := strings.IndexByte(s[i:], '}')
			if j < 0 {
				return nil
			}
			body := s[i+2 : i+j]
			if body == "*" || body == "?" || body == "$" {
				return fmt.Errorf("policy variable ${%s}: %w", body, ErrUnsupported)
			}
			k, _, _ := strings.Cut(body, ",")
			k = strings.TrimSpace(k)
			if !slices.ContainsFunc(keys, func(x string) bool { return strings.EqualFold(x, k) }) {
				keys = append(keys, k)
			}
			s = s[i+j+1:]
		}
	}
	for _, st := range p.Statements {
		for _, r := range append(slices.Clone(st.Resource), st.NotResource...) {
			if err := add(r); err != nil {
				return nil, err
			}
		}
		for _, c := range st.Conditions {
			op, ok := policy.LookupOperator(c.Operator)
			if !ok || !op.Variables {
				continue
			}
			for _, v := range c.Values {
				if err := add(v); err != nil {
					return nil, err
				}
			}
		}
	}
	return keys, nil
}

// stmtHasVars reports whether a statement holds a substituted variable.
func stmtHasVars(st *policy.Statement) bool {
	for _, r := range append(slices.Clone(st.Resource), st.NotResource...) {
		if strings.Contains(r, "${") {
			return true
		}
	}
	for _, c := range st.Conditions {
		if op, ok := policy.LookupOperator(c.Operator); ok && op.Variables && condHasVars(c) {
			return true
		}
	}
	return false
}

func condHasVars(c policy.Condition) bool {
	for _, v := range c.Values {
		if strings.Contains(v, "${") {
			return true
		}
	}
	return false
}

// placeholder is a statement that applies to no catalog action: it keeps
// the index of a statement that must not apply.
func placeholder(st policy.Statement, typ PolicyType) policy.Statement {
	out := policy.Statement{Sid: st.Sid, Effect: policy.Deny, Action: []string{"iamsim:NoSuchAction"}, Resource: []string{"*"}}
	if typ == ResourcePolicy {
		out.Principal = &policy.Principals{Wildcard: true}
	}
	return out
}

// approximate returns p without variables, widened (allowed requests a
// superset) or narrowed (a subset).
func approximate(p *policy.Policy, typ PolicyType, widen bool) *policy.Policy {
	out := &policy.Policy{Version: p.Version, ID: p.ID}
	for _, st := range p.Statements {
		if !stmtHasVars(&st) {
			out.Statements = append(out.Statements, st)
			continue
		}
		// An Allow widened, or a Deny when narrowing, matches more: drop
		// what holds variables. The others are disabled.
		if (st.Effect == policy.Allow) != widen {
			out.Statements = append(out.Statements, placeholder(st, typ))
			continue
		}
		w := st
		w.ActionSpans, w.ResourceSpans = nil, nil
		switch {
		case st.NotResource != nil:
			var keep []string
			for _, r := range st.NotResource {
				if !strings.Contains(r, "${") {
					keep = append(keep, r)
				}
			}
			w.NotResource = keep
			if len(keep) == 0 {
				w.NotResource, w.Resource = nil, []string{"*"}
			}
		case st.Resource != nil:
			// Cut at the first variable and end with '*': a final '*'
			// matches any run, colons included, so the pattern matches
			// every substitution of the variable (and more).
			w.Resource = make([]string, len(st.Resource))
			for i, r := range st.Resource {
				w.Resource[i] = widenPattern(r)
			}
		}
		w.Conditions = nil
		for _, c := range st.Conditions {
			op, ok := policy.LookupOperator(c.Operator)
			if ok && op.Variables && condHasVars(c) {
				if op.Type == policy.TypeString && op.Match == policy.MatchLike && !op.Negated {
					// StringLike: '*' matches anything, so the cut value
					// matches every substitution.
					c.Values = slices.Clone(c.Values)
					for i, v := range c.Values {
						c.Values[i] = widenPattern(v)
					}
					w.Conditions = append(w.Conditions, c)
				}
				continue // otherwise dropping the condition widens
			}
			w.Conditions = append(w.Conditions, c)
		}
		out.Statements = append(out.Statements, w)
	}
	return out
}

// stmtKey is a statement's text without positions, to find statements
// two policies share.
func stmtKey(st policy.Statement) string {
	st.Span, st.ActionSpans, st.ResourceSpans = policy.Span{}, nil, nil
	st.Conditions = slices.Clone(st.Conditions)
	for i := range st.Conditions {
		st.Conditions[i].Span = policy.Span{}
	}
	b, err := (&policy.Policy{Version: policy.Version2012, Statements: []policy.Statement{st}}).MarshalJSON()
	if err != nil {
		return fmt.Sprint(st)
	}
	return string(b)
}

// reduce drops statements the two policies share where that cannot hide
// new access: every shared Allow when every Deny of old is also in new,
// then every shared Deny (new minus old only shrinks when both deny the
// same). Only a PASS on the reduced pair is used: it proves PASS on the
// original pair.
func reduce(old, nw *policy.Policy, typ PolicyType) (*policy.Policy, *policy.Policy) {
	drop := func(a, b []policy.Statement, effect policy.Effect) ([]policy.Statement, []policy.Statement) {
		used := make([]bool, len(b))
		var ka []policy.Statement
		for _, sa := range a {
			found := false
			if sa.Effect == effect {
				k := stmtKey(sa)
				for j, sb := range b {
					if !used[j] && sb.Effect == effect && stmtKey(sb) == k {
						used[j], found = true, true
						break
					}
				}
			}
			if !found {
				ka = append(ka, sa)
			}
		}
		var kb []policy.Statement
		for j, sb := range b {
			if !used[j] {
				kb = append(kb, sb)
			}
		}
		return ka, kb
	}
	// A request new allows and old does not, under a shared Allow, must be
	// denied by old and not by new: impossible when every Deny of old is
	// also in new. Then shared Allows can go.
	newDenies := map[string]bool{}
	for _, st := range nw.Statements {
		if st.Effect == policy.Deny {
			newDenies[stmtKey(st)] = true
		}
	}
	oldDeniesInNew := true
	for _, st := range old.Statements {
		if st.Effect == policy.Deny && !newDenies[stmtKey(st)] {
			oldDeniesInNew = false
		}
	}
	os, ns := old.Statements, nw.Statements
	if oldDeniesInNew {
		os, ns = drop(os, ns, policy.Allow)
	}
	os, ns = drop(os, ns, policy.Deny)
	mk := func(p *policy.Policy, ss []policy.Statement) *policy.Policy {
		if len(ss) == 0 {
			ss = []policy.Statement{placeholder(policy.Statement{}, typ)}
		}
		return &policy.Policy{Version: p.Version, ID: p.ID, Statements: ss}
	}
	return mk(old, os), mk(nw, ns)
}

// widenPattern cuts s at its first policy variable and appends '*'.
func widenPattern(s string) string {
	if i := strings.Index(s, "${"); i >= 0 {
		return s[:i] + "*"
	}
	return s
}

// substitute replaces the variables of s by their values in vals (keys in
// lower case); a variable of a key not in vals is left as is.
func substitute(s string, vals map[string]string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		k, _, _ := strings.Cut(s[i+2:i+j], ",")
		v, ok := vals[strings.ToLower(strings.TrimSpace(k))]
		b.WriteString(s[:i])
		if ok {
			b.WriteString(v)
		} else {
			b.WriteString(s[i : i+j+1])
		}
		s = s[i+j+1:]
	}
}

// slice returns p restricted to the requests where each variable key has
// its value in vals (original spelling in names): variables replaced, each
// key pinned by StringEquals in every statement.
func slice(p *policy.Policy, typ PolicyType, names []string, vals map[string]string) *policy.Policy {
	out := &policy.Policy{Version: p.Version, ID: p.ID}
	for _, st := range p.Statements {
		w := st
		w.ActionSpans, w.ResourceSpans = nil, nil
		w.Resource, w.NotResource = subAll(st.Resource, vals), subAll(st.NotResource, vals)
		w.Conditions = nil
		for _, c := range st.Conditions {
			if op, ok := policy.LookupOperator(c.Operator); ok && op.Variables {
				c.Values = subAll(c.Values, vals)
			}
			w.Conditions = append(w.Conditions, c)
		}
		never := false
		for _, name := range names {
			v := vals[strings.ToLower(name)]
			i := slices.IndexFunc(w.Conditions, func(c policy.Condition) bool {
				return c.Operator == "StringEquals" && strings.EqualFold(c.Key, name)
			})
			if i < 0 {
				w.Conditions = append(w.Conditions, policy.Condition{Operator: "StringEquals", Key: name, Values: []string{v}})
				continue
			}
			if !slices.Contains(w.Conditions[i].Values, v) {
				never = true
				break
			}
			w.Conditions[i].Values = []string{v}
		}
		if never {
			w = placeholder(st, typ)
		}
		out.Statements = append(out.Statements, w)
	}
	return out
}

func subAll(ss []string, vals map[string]string) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = substitute(s, vals)
	}
	return out
}

// candidateValues returns the values tried for a variable key: a fresh
// one, the classes of the key's own conditions, and words of the
// policies' literal resources and condition values.
func candidateValues(key string, ps ...*policy.Policy) []string {
	out := []string{"iamsim-value", "iamsim-other"}
	var conds []keyCond
	words := map[string]bool{}
	for _, p := range ps {
		for _, st := range p.Statements {
			for _, r := range append(slices.Clone(st.Resource), st.NotResource...) {
				addWords(words, r)
			}
			for _, c := range st.Conditions {
				op, ok := policy.LookupOperator(c.Operator)
				if !ok {
					continue
				}
				if strings.EqualFold(c.Key, key) && !condHasVars(c) && (op.Type == policy.TypeString || op.Type == policy.TypeARN) {
					conds = append(conds, keyCond{op: op, values: c.Values})
				}
				if op.Type == policy.TypeString {
					for _, v := range c.Values {
						addWords(words, v)
					}
				}
			}
		}
	}
	if len(conds) > 0 {
		if ws, err := stringWitnesses(conds, 10_000, nil); err == nil {
			for _, w := range ws {
				if !strings.ContainsAny(w, ":*?$") && !slices.Contains(out, w) {
					out = append(out, w)
				}
			}
		}
	}
	ws := make([]string, 0, len(words))
	for w := range words {
		ws = append(ws, w)
	}
	slices.Sort(ws)
	for _, w := range ws {
		if len(out) >= 12 {
			break
		}
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// addWords adds the wildcard-free pieces of s between '/', ':' and
// wildcards.
func addWords(words map[string]bool, s string) {
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == ':' || r == '*' || r == '?' }) {
		if w != "" && !strings.Contains(w, "${") && !strings.ContainsAny(w, "{}$") && w != "arn" && w != "aws" {
			words[w] = true
		}
	}
}

// checkNoNewAccessVars decides CheckNoNewAccess for policies with
// variables (see the comment at the top of this file).
func checkNoNewAccessVars(existing, newPolicy *policy.Policy, typ PolicyType, keys []string, opts []Option) (*Result, error) {
	if typ == ResourcePolicy {
		for _, k := range keys {
			if principalKeys[strings.ToLower(k)] {
				return nil, fmt.Errorf("policy variable ${%s} in a resource policy: %w", k, ErrUnsupported)
			}
		}
	}
	opts = append(slices.Clone(opts), withDeadline(configOf(opts).deadline))
	ro, rn := reduce(existing, newPolicy, typ)
	res, err := CheckNoNewAccess(approximate(ro, typ, false), approximate(rn, typ, true), typ, opts...)
	if err != nil {
		return nil, err
	}
	if res.Result == Pass {
		res.Message = "The modified permissions do not grant new access compared to your existing policy."
		return res, nil
	}
	// Slices, over the product of the keys' candidate values.
	cands := make([][]string, len(keys))
	total := 1
	for i, k := range keys {
		cands[i] = candidateValues(k, existing, newPolicy)
		total *= len(cands[i])
		if total > 256 {
			return nil, fmt.Errorf("%d policy variables with %d candidate values each: %w", len(keys), len(cands[i]), ErrTooComplex)
		}
	}
	idx := make([]int, len(keys))
	evals := res.Evaluations
	for {
		vals := map[string]string{}
		for i, k := range keys {
			vals[strings.ToLower(k)] = cands[i][idx[i]]
		}
		r, err := CheckNoNewAccess(slice(existing, typ, keys, vals), slice(newPolicy, typ, keys, vals), typ, opts...)
		if err != nil && !errors.Is(err, ErrUnsupported) {
			return nil, err
		}
		if err == nil {
			evals += r.Evaluations
			if r.Result == Fail {
				// Verify on the real policies.
				vOld, err := newSide(existing, typ, "existing")
				if err != nil {
					return nil, err
				}
				vNew, err := newSide(newPolicy, typ, "new")
				if err != nil {
					return nil, err
				}
				for _, ce := range r.Counterexamples {
					if err := verify(ce, vNew, true); err != nil {
						return nil, err
					}
					if err := verify(ce, vOld, false); err != nil {
						return nil, err
					}
				}
				r.Evaluations = evals
				return r, nil
			}
		}
		i := 0
		for ; i < len(idx); i++ {
			idx[i]++
			if idx[i] < len(cands[i]) {
				break
			}
			idx[i] = 0
		}
		if i == len(idx) {
			break
		}
	}
	return nil, fmt.Errorf("policy variables (%s): no counterexample among %d value assignments, and the approximation without variables grants new access, so no PASS can be proven: %w",
		strings.Join(keys, ", "), total, ErrUnsupported)
}

// decideOneWithVars decides a check on one policy with variables (access
// not granted, no public access): PASS when the policy widened passes,
// FAIL when a slice fails (its counterexamples verified on p by check's
// own verification), an error otherwise.
func decideOneWithVars(p *policy.Policy, typ PolicyType, keys []string, run func(*policy.Policy) (*Result, error)) (*Result, error) {
	// run's options carry the caller's deadline (see the callers).
	for _, k := range keys {
		if typ == ResourcePolicy && principalKeys[strings.ToLower(k)] {
			return nil, fmt.Errorf("policy variable ${%s} in a resource policy: %w", k, ErrUnsupported)
		}
	}
	res, err := run(approximate(p, typ, true))
	if err != nil {
		return nil, err
	}
	if res.Result == Pass {
		return res, nil
	}
	cands := make([][]string, len(keys))
	total := 1
	for i, k := range keys {
		cands[i] = candidateValues(k, p)
		total *= len(cands[i])
		if total > 256 {
			return nil, fmt.Errorf("%d policy variables with %d candidate values each: %w", len(keys), len(cands[i]), ErrTooComplex)
		}
	}
	idx := make([]int, len(keys))
	for {
		vals := map[string]string{}
		for i, k := range keys {
			vals[strings.ToLower(k)] = cands[i][idx[i]]
		}
		r, err := run(slice(p, typ, keys, vals))
		if err != nil && !errors.Is(err, ErrUnsupported) {
			return nil, err
		}
		if err == nil && r.Result == Fail {
			return r, nil
		}
		i := 0
		for ; i < len(idx); i++ {
			idx[i]++
			if idx[i] < len(cands[i]) {
				break
			}
			idx[i] = 0
		}
		if i == len(idx) {
			break
		}
	}
	return nil, fmt.Errorf("policy variables (%s): no counterexample among %d value assignments, and the policy widened without variables fails, so no PASS can be proven: %w",
		strings.Join(keys, ", "), total, ErrUnsupported)
}
