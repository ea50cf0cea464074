package accesscheck

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/iamsim/iamsim/arn"
	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/policy"
	"github.com/iamsim/iamsim/policy/catalog"
)

// stmt is one statement of a policy the search reads constants from.
type stmt struct {
	notAction   bool
	actions     []string // lower case
	notResource bool
	resources   []string // nil: no Resource element (any resource)
	conds       []policy.Condition
	// services lists the service prefixes the Action patterns name, nil
	// when one of them has a wildcard in its service part (or is "*").
	services []string
}

func (s *stmt) matchesAction(a string) bool {
	svc, _, _ := strings.Cut(a, ":")
	return s.matchesActionIn(a, svc)
}

// matchesActionIn is matchesAction for an action of service svc.
func (s *stmt) matchesActionIn(a, svc string) bool {
	if !s.notAction && s.services != nil && !slices.Contains(s.services, svc) {
		// Fast path: no pattern of the statement can name a's service.
		return false
	}
	hit := false
	for _, p := range s.actions {
		if arn.MatchWildcard(p, a) {
			hit = true
			break
		}
	}
	return hit != s.notAction
}

// principalKeys are the condition keys the engine derives from the
// principal.
var principalKeys = map[string]bool{
	"aws:principalarn": true, "aws:principalaccount": true, "aws:principaltype": true,
	"aws:username": true, "aws:userid": true, "aws:principalisawsservice": true,
	"aws:principalservicename": true, "aws:principalservicenameslist": true,
}

// space is the request space of one check: the statements whose constants
// split it, and how to enumerate it.
type space struct {
	cfg   config
	typ   PolicyType
	stmts []stmt
	// extraRes are literal resources the check itself names (the access
	// list of CheckAccessNotGranted).
	extraRes []string
	// principals are the callers to try; for an identity policy one.
	principals []string
	// filter, when set, drops a key's witness for no-public-access: values
	// that copy the policy's pinning values.
	filter func(key string, w keyWitness) bool
	evals  int
	// fixedPrincipal marks a search for one given principal (whole policy
	// sets): principal keys are derived from it, never set freely.
	fixedPrincipal bool
	// splitARN are ARNMode patterns that also split resources (the
	// engine's own distinctions, for whole policy sets).
	splitARN []string
	// splitAction, when set, adds to an action's class signature (the
	// engine's distinctions between services and special actions).
	splitAction func(lowerAction string) string
	// resourceAccount, when set, is every request's ResourceAccount.
	resourceAccount string
	// sessionIssuer, when set, is every request's SessionIssuer.
	sessionIssuer string
	// scopeIn and scopeOut, when set, keep only the resource witnesses
	// that match one of scopeIn and none of scopeOut (ARN mode; they are
	// in splitARN too, so every cell of the scope keeps its witness).
	scopeIn, scopeOut []arn.Pattern
	// resCache holds the resource classes of each set of patterns.
	resCache map[string]map[string]string
}

// addPolicy reads p's statements. It fails for constructs outside the
// exactly decided fragment.
func (sp *space) addPolicy(p *policy.Policy, what string) error {
	vars := p.VariablesEnabled()
	for i, st := range p.Statements {
		s := stmt{}
		acts := st.Action
		if st.NotAction != nil {
			s.notAction, acts = true, st.NotAction
		}
		s.actions = lower(acts)
		for _, a := range s.actions {
			svc, _, _ := strings.Cut(a, ":")
			if a == "*" || strings.ContainsAny(svc, "*?") {
				s.services = nil
				break
			}
			if !slices.Contains(s.services, svc) {
				s.services = append(s.services, svc)
			}
		}
		switch {
		case st.NotResource != nil:
			s.notResource, s.resources = true, st.NotResource
		case st.Resource != nil:
			s.resources = st.Resource
		}
		for _, r := range s.resources {
			if vars && strings.Contains(r, "${") {
				return fmt.Errorf("%s statement %d: resource %q holds a policy variable: %w", what, i, r, ErrUnsupported)
			}
		}
		for _, c := range st.Conditions {
			op, ok := policy.LookupOperator(c.Operator)
			if !ok {
				return fmt.Errorf("%s statement %d: unknown operator %q", what, i, c.Operator)
			}
			for _, v := range c.Values {
				if vars && op.Variables && strings.Contains(v, "${") {
					return fmt.Errorf("%s statement %d: condition %s %s value %q holds a policy variable: %w", what, i, c.Operator, c.Key, v, ErrUnsupported)
				}
			}
			if strings.Contains(c.Key, "${") {
				return fmt.Errorf("%s statement %d: condition key %q holds a policy variable: %w", what, i, c.Key, ErrUnsupported)
			}
			if sp.typ == ResourcePolicy && !sp.fixedPrincipal && principalKeys[strings.ToLower(c.Key)] {
				if err := checkPrincipalKeyCond(c, op); err != nil {
					return fmt.Errorf("%s statement %d: %w", what, i, err)
				}
			}
		}
		for _, pr := range []*policy.Principals{st.Principal, st.NotPrincipal} {
			if pr != nil && len(pr.CanonicalUser) > 0 {
				return fmt.Errorf("%s statement %d: CanonicalUser principals: %w", what, i, ErrUnsupported)
			}
		}
		s.conds = st.Conditions
		sp.stmts = append(sp.stmts, s)
	}
	return nil
}

// checkPrincipalKeyCond accepts the conditions on principal keys of a
// resource policy whose classes the principal witnesses cover: equality
// with fixed accounts, ARNs, types and service names.
func checkPrincipalKeyCond(c policy.Condition, op policy.Operator) error {
	k := strings.ToLower(c.Key)
	switch k {
	case "aws:principaltype", "aws:principalisawsservice":
		return nil
	case "aws:principalaccount", "aws:principalarn", "aws:principalservicename":
		if op.Type == policy.TypeNull {
			return nil
		}
		if op.Qualifier != policy.QualifierNone {
			break
		}
		for _, v := range c.Values {
			if strings.ContainsAny(v, "*?") || op.Match == policy.MatchEqualsFold {
				return fmt.Errorf("condition %s %s value %q: a pattern on a principal key: %w", c.Operator, c.Key, v, ErrUnsupported)
			}
		}
		return nil
	}
	return fmt.Errorf("condition %s on principal key %s: %w", c.Operator, c.Key, ErrUnsupported)
}

// actionClass is one class of actions: the same statements' Action
// elements match all of them.
type actionClass struct {
	action string
	rel    []int // indexes of the statements whose action element matches
	// members are the other candidates of the class (for a counterexample
	// whose action should fit its resource), up to a bound.
	members *[]string
}

// actionClasses groups candidates (all catalog actions when nil, plus the
// actions policies name that the catalog lacks) by the statements whose
// Action or NotAction matches them, one representative each; catalog
// actions are preferred.
func (sp *space) actionClasses(candidates []string) []actionClass {
	var lows []string // candidates in lower case
	if candidates == nil {
		all := catalog.All()
		candidates = make([]string, 0, len(all))
		lows = make([]string, 0, len(all))
		for _, a := range all {
			candidates = append(candidates, a.FullName())
			lows = append(lows, a.Key())
		}
		seen := map[string]bool{}
		for _, s := range sp.stmts {
			for _, p := range s.actions {
				svc, name, _ := strings.Cut(p, ":")
				if p == "*" || strings.ContainsAny(svc, "*?") {
					continue
				}
				if _, ok := catalog.LookupService(svc); !ok {
					// A service the catalog does not know: one action of it.
					a := svc + ":IamsimUnnamedAction"
					if !strings.ContainsAny(name, "*?") {
						a = p
					}
					if !seen[a] {
						seen[a] = true
						candidates = append(candidates, a)
						lows = append(lows, strings.ToLower(a))
					}
					continue
				}
				if !strings.ContainsAny(name, "*?") {
					if _, ok := catalog.Lookup(p); !ok && !seen[p] {
						seen[p] = true
						candidates = append(candidates, p)
						lows = append(lows, p)
					}
				}
			}
		}
	}
	var out []actionClass
	index := map[string]int{}
	// The statements that can match an action of each service.
	bySvc := map[string][]int{}
	svcStmts := func(svc string) []int {
		if r, ok := bySvc[svc]; ok {
			return r
		}
		r := []int{}
		for i := range sp.stmts {
			st := &sp.stmts[i]
			if st.notAction || st.services == nil || slices.Contains(st.services, svc) {
				r = append(r, i)
			}
		}
		bySvc[svc] = r
		return r
	}
	var sig []byte
	var rel []int
	for ci, a := range candidates {
		var la string
		if lows != nil {
			la = lows[ci]
		} else {
			la = strings.ToLower(a)
		}
		if la == "sts:getcalleridentity" {
			continue // needs no permission: never new, never granted
		}
		rel, sig = rel[:0], sig[:0]
		svc, _, _ := strings.Cut(la, ":")
		for _, i := range svcStmts(svc) {
			if sp.stmts[i].matchesActionIn(la, svc) {
				rel = append(rel, i)
				sig = strconv.AppendInt(sig, int64(i), 10)
				sig = append(sig, ',')
			}
		}
		if len(rel) == 0 {
			continue // no statement applies: denied under every policy
		}
		key := string(sig)
		if sp.splitAction != nil {
			key += "|" + sp.splitAction(la)
		}
		if i, ok := index[key]; ok {
			if m := out[i].members; len(*m) < 2000 {
				*m = append(*m, a)
			}
			continue
		}
		index[key] = len(out)
		out = append(out, actionClass{action: a, rel: slices.Clone(rel), members: &[]string{}})
	}
	return out
}

// resourceWitnesses returns one resource per class of the resource
// patterns of the statements rel, plus "*", preferring a concrete ARN of
// one of the action's resource types.
func (sp *space) resourceWitnesses(action string, rel []int) ([]string, error) {
	var srcs []string
	for _, i := range rel {
		srcs = append(srcs, sp.stmts[i].resources...)
	}
	srcs = append(srcs, sp.extraRes...)
	slices.Sort(srcs)
	srcs = slices.Compact(srcs)
	n := len(srcs)
	srcs = append(srcs, sp.splitARN...)
	pats := make([]strPat, len(srcs))
	oracle := make([]arn.Pattern, len(srcs))
	for i, s := range srcs {
		mode := modeResource
		switch {
		case i >= n:
			mode = modeARN
		case slices.Contains(sp.extraRes, s) && !slices.Contains(sp.stmtResources(rel), s):
			mode = modeLiteral
		}
		pats[i] = compileStrPat(s, mode)
		var err error
		switch mode {
		case modeLiteral:
			oracle[i], err = arn.CompilePattern(s, arn.WithMode(arn.LiteralMode), arn.WithoutVariables())
		case modeARN:
			oracle[i], err = arn.CompilePattern(s, arn.WithMode(arn.ARNMode), arn.WithoutVariables())
		default:
			oracle[i], err = arn.CompilePattern(s, arn.WithoutVariables())
		}
		if err != nil {
			return nil, fmt.Errorf("resource %q: %w", s, err)
		}
	}
	ckey := strings.Join(srcs, "\x00") + fmt.Sprint(n)
	classes, ok := sp.resCache[ckey]
	if !ok {
		var err error
		if classes, err = stringClasses(pats, "arn:", sp.cfg.maxStates, sp.cfg.timeUp); err != nil {
			return nil, err
		}
		if sp.resCache == nil {
			sp.resCache = map[string]map[string]string{}
		}
		sp.resCache[ckey] = classes
	}
	sigOf := func(r string) string {
		b := make([]byte, len(oracle))
		for i := range oracle {
			b[i] = '0'
			if oracle[i].Match(r, nil) {
				b[i] = '1'
			}
		}
		return string(b)
	}
	// Concrete candidates: the patterns with wildcards filled, and the
	// action's resource types' formats.
	var cands []string
	for _, s := range srcs[:n] {
		if s == "*" {
			continue
		}
		cands = append(cands, fill(s, "iamsim"), fill(s, "x"))
	}
	act, known := catalog.Lookup(action)
	if known {
		for _, rt := range act.Resources() {
			cands = append(cands, instantiate(rt.ARN))
		}
	}
	out := []string{"*"}
	for sig, w := range classes {
		if got := sigOf(w); got != sig {
			return nil, fmt.Errorf("internal error: resource witness %q has signature %s, automaton said %s", w, got, sig)
		}
		for _, c := range cands {
			if strings.HasPrefix(c, "arn:") && sigOf(c) == sig {
				w = c
				break
			}
		}
		out = append(out, w)
	}
	sort.Strings(out[1:])
	out = slices.Compact(out)
	// Realistic resources first: one of the action's resource types, then
	// any ARN, "*" last (first for an action without resource types).
	rank := func(r string) int {
		switch {
		case r == "*":
			if known && len(act.Resources()) == 0 {
				return -1
			}
			return 3
		case known && act.AppliesTo(r):
			return 0
		case strings.Count(r, ":") >= 5:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(out, func(a, b string) int { return rank(a) - rank(b) })
	if sp.scopeIn != nil || sp.scopeOut != nil {
		out = slices.DeleteFunc(out, func(r string) bool { return !sp.inScope(r) })
	}
	return out, nil
}

// inScope reports whether r is among the resources the check considers.
func (sp *space) inScope(r string) bool {
	for _, p := range sp.scopeOut {
		if p.Match(r, nil) {
			return false
		}
	}
	if sp.scopeIn == nil {
		return true
	}
	for _, p := range sp.scopeIn {
		if p.Match(r, nil) {
			return true
		}
	}
	return false
}

func (sp *space) stmtResources(rel []int) []string {
	var out []string
	for _, i := range rel {
		out = append(out, sp.stmts[i].resources...)
	}
	return out
}

// fill replaces the wildcards of a resource pattern: '*' by with, '?' by 'x'.
func fill(p, with string) string {
	var b strings.Builder
	for _, r := range p {
		switch r {
		case '*':
			b.WriteString(with)
		case '?':
			b.WriteByte('x')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// instantiate writes a concrete ARN of a catalog ARN format.
func instantiate(format string) string {
	format, _, _ = strings.Cut(format, ", ")
	var b strings.Builder
	for {
		i := strings.Index(format, "${")
		if i < 0 {
			b.WriteString(format)
			return b.String()
		}
		b.WriteString(format[:i])
		j := strings.IndexByte(format[i:], '}')
		if j < 0 {
			b.WriteString(format[i:])
			return b.String()
		}
		name := format[i+2 : i+j]
		switch name {
		case "Partition":
			b.WriteString("aws")
		case "Region":
			b.WriteString("us-east-1")
		case "Account":
			b.WriteString(DefaultAccount)
		default:
			b.WriteString("iamsim-" + strings.ToLower(name))
		}
		format = format[i+j+1:]
	}
}

// keyDims returns, for the statements rel, each condition key (outside
// the principal keys of a resource policy or of a fixed principal) with
// its witnesses. The principal keys in unknown (lower case) are the keys
// of unknown value of the callers the dimensions are for (unknownKeys):
// they are dimensions like any other key, without the absent witness,
// since AWS puts them in every request of those callers.
func (sp *space) keyDims(rel []int, unknown []string) ([]string, [][]keyWitness, error) {
	byKey := map[string][]keyCond{}
	name := map[string]string{}
	for _, i := range rel {
		for _, c := range sp.stmts[i].conds {
			k := strings.ToLower(c.Key)
			if (sp.typ == ResourcePolicy || sp.fixedPrincipal) && principalKeys[k] && !slices.Contains(unknown, k) {
				continue
			}
			op, _ := policy.LookupOperator(c.Operator)
			byKey[k] = append(byKey[k], keyCond{op: op, values: c.Values})
			if _, ok := name[k]; !ok {
				name[k] = c.Key
			}
		}
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var names []string
	var dims [][]keyWitness
	for _, k := range keys {
		ws, err := keyWitnesses(name[k], byKey[k], sp.cfg.maxStates, sp.cfg.timeUp)
		if err != nil {
			return nil, nil, err
		}
		if slices.Contains(unknown, k) {
			ws = slices.DeleteFunc(ws, func(w keyWitness) bool { return w.absent })
		}
		if sp.filter != nil {
			kept := ws[:0:0]
			for _, w := range ws {
				if sp.filter(k, w) {
					kept = append(kept, w)
				}
			}
			ws = kept
		}
		if sp.cfg.tags != nil && strings.HasPrefix(k, "aws:principaltag/") {
			// The principal's tags are known: its tag, or none.
			if v, ok := sp.cfg.tags[k]; ok {
				ws = []keyWitness{{values: []string{v}}}
			} else {
				ws = []keyWitness{{absent: true}}
			}
		}
		names = append(names, name[k])
		dims = append(dims, ws)
	}
	return names, dims, nil
}

// visit is called for every witness request; it returns true to stop.
type visit func(cls actionClass, req evaluator.Request) (stop bool)

// enumerate evaluates visit on one request per class of the space, for
// the action classes classes, skipping those skip reports.
func (sp *space) enumerate(classes []actionClass, skip func(actionClass) bool, fn visit) error {
	for _, cls := range classes {
		if skip != nil && skip(cls) {
			continue
		}
		if err := sp.cfg.timeUp(); err != nil {
			return err
		}
		resources, err := sp.resourceWitnesses(cls.action, cls.rel)
		if err != nil {
			return err
		}
		groups, err := sp.dimGroups(cls.rel)
		if err != nil {
			return err
		}
		for _, g := range groups {
			if stop, err := sp.enumerateGroup(cls, resources, g, fn); stop || err != nil {
				return err
			}
		}
	}
	return nil
}

// dimGroup is the callers whose requests share condition-key dimensions:
// those with the same keys of unknown value among the keys the
// statements read.
type dimGroup struct {
	principals []string
	names      []string
	dims       [][]keyWitness
}

// dimGroups splits the space's callers by the keys of unknown value
// (unknownKeys) that the conditions of the statements rel read, and
// returns the condition-key dimensions of each group: a key of unknown
// value is a free dimension of its callers' requests, so no evaluation
// meets an unknown value (one would never count an Allow: a false PASS).
func (sp *space) dimGroups(rel []int) ([]dimGroup, error) {
	read := map[string]bool{}
	for _, i := range rel {
		for _, c := range sp.stmts[i].conds {
			read[strings.ToLower(c.Key)] = true
		}
	}
	var groups []dimGroup
	index := map[string]int{}
	for _, pr := range sp.principals {
		var use []string
		for _, k := range unknownKeys(pr) {
			if read[k] {
				use = append(use, k)
			}
		}
		sig := strings.Join(use, ",")
		if i, ok := index[sig]; ok {
			groups[i].principals = append(groups[i].principals, pr)
			continue
		}
		names, dims, err := sp.keyDims(rel, use)
		if err != nil {
			return nil, err
		}
		index[sig] = len(groups)
		groups = append(groups, dimGroup{principals: []string{pr}, names: names, dims: dims})
	}
	return groups, nil
}

// enumerateGroup evaluates fn on one request per class of the callers of
// g, for action class cls and the resource witnesses resources.
func (sp *space) enumerateGroup(cls actionClass, resources []string, g dimGroup, fn visit) (stop bool, err error) {
	names, dims := g.names, g.dims
	{
		total := len(resources) * len(g.principals)
		for _, d := range dims {
			if len(d) == 0 {
				total = 0
			}
			if total > 0 && total > (sp.cfg.maxEvals+1)/len(d)+1 {
				total = sp.cfg.maxEvals + 1
			} else {
				total *= len(d)
			}
		}
		if sp.evals+total > sp.cfg.maxEvals {
			return true, fmt.Errorf("%w: deciding %s needs more than %d evaluations (limit %d): %d condition keys, %d resource classes, %d principals",
				ErrTooComplex, cls.action, sp.cfg.maxEvals-sp.evals, sp.cfg.maxEvals, len(names), len(resources), len(g.principals))
		}
		if total == 0 {
			return false, nil
		}
		idx := make([]int, len(dims))
		for {
			ctx := evaluator.Context{}
			for i, d := range dims {
				w := d[idx[i]]
				if w.absent {
					continue
				}
				ctx[names[i]] = evaluator.Value{Values: w.values, Multi: w.multi}
			}
			for _, pr := range g.principals {
				for _, r := range resources {
					sp.evals++
					if sp.evals%4096 == 0 {
						if err := sp.cfg.timeUp(); err != nil {
							return true, err
						}
					}
					req := evaluator.Request{Principal: pr, SessionIssuer: sp.sessionIssuer, Action: cls.action, Resource: r, Context: ctx, ResourceAccount: sp.resourceAccount}
					if fn(cls, req) {
						return true, nil
					}
				}
			}
			// Next combination (mixed radix, first key fastest).
			i := 0
			for ; i < len(dims); i++ {
				idx[i]++
				if idx[i] < len(dims[i]) {
					break
				}
				idx[i] = 0
			}
			if i == len(dims) {
				break
			}
		}
	}
	return false, nil
}
