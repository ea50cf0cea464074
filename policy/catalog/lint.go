package catalog

import (
	"fmt"
	"sort"
	"strings"

	"github.com/iamsim/iamsim/policy"
)

// WarningCode identifies a kind of warning. Codes are stable API, as
// policy.Code is.
type WarningCode string

// The warnings Lint reports.
const (
	// WarnUnknownService: an action's service prefix is not in the catalog.
	WarnUnknownService WarningCode = "unknown_service"
	// WarnUnknownAction: an action name without wildcards names no action
	// of its service (a typo such as s3:GetObjects).
	WarnUnknownAction WarningCode = "unknown_action"
	// WarnWildcardMatchesNothing: an action pattern with wildcards covers
	// no catalog action.
	WarnWildcardMatchesNothing WarningCode = "wildcard_matches_nothing"
	// WarnUnsupportedConditionKey: no action of the statement (nor their
	// resource types) supports the condition key, so the condition can
	// never see it.
	WarnUnsupportedConditionKey WarningCode = "unsupported_condition_key"
	// WarnResourceServiceMismatch: a Resource ARN belongs to a service none
	// of the statement's actions acts on.
	WarnResourceServiceMismatch WarningCode = "resource_service_mismatch"
	// WarnResourceTypeMismatch: a Resource ARN of the right service has the
	// format of no resource type the statement's actions act on (a missing
	// colon, as in arn:aws:s3::bucket/*, or a region in an S3 object ARN),
	// so the statement never applies to it. A wildcard may stand for
	// anything: only a pattern that no ARN of those types can match is
	// reported.
	WarnResourceTypeMismatch WarningCode = "resource_type_mismatch"
	// WarnUnknownGlobalKey: a condition key starts with aws: but is not one
	// of AWS's global condition keys (aws:usernamez, or a name with a
	// trailing space). No request carries it, so the condition never sees
	// a value.
	WarnUnknownGlobalKey WarningCode = "unknown_global_condition_key"
)

// Warning is a likely mistake in a policy that IAM would accept: the policy
// stays valid, and warnings never make policy.Parse or policy.Validate fail.
type Warning struct {
	Code WarningCode
	// Path is a JSON Pointer to the element concerned.
	Path string
	// Pos is the position of the element concerned: the Action or
	// Resource value, the condition key, or the statement when the policy
	// was built by hand (without spans).
	Pos     policy.Position
	Message string
}

// String renders the warning as "source:line:col: warning: code: message".
func (w Warning) String() string {
	var b strings.Builder
	if w.Pos.Source != "" {
		b.WriteString(w.Pos.Source + ":")
	}
	if w.Pos.IsValid() {
		fmt.Fprintf(&b, "%d:%d:", w.Pos.Line, w.Pos.Column)
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	fmt.Fprintf(&b, "warning: %s: %s", w.Code, w.Message)
	return b.String()
}

// Lint checks a policy's actions, resources and condition keys against the
// catalog and returns its warnings, sorted by position. It reads only
// Action (not NotAction, whose meaning is "everything else"), Resource and
// Condition; condition keys that start with aws: are checked against AWS's
// global condition keys in every statement.
func Lint(p *policy.Policy) []Warning {
	if p == nil {
		return nil
	}
	var ws []Warning
	for i := range p.Statements {
		ws = append(ws, lintStatement(&p.Statements[i], fmt.Sprintf("/Statement/%d", i))...)
	}
	sort.SliceStable(ws, func(i, j int) bool {
		a, b := ws[i].Pos, ws[j].Pos
		if a.Offset != b.Offset {
			return a.Offset < b.Offset
		}
		return ws[i].Path < ws[j].Path
	})
	return ws
}

func lintStatement(st *policy.Statement, path string) []Warning {
	var ws []Warning
	add := func(code WarningCode, p string, pos policy.Position, format string, args ...any) {
		ws = append(ws, Warning{Code: code, Path: p, Pos: pos, Message: fmt.Sprintf(format, args...)})
	}
	// elemPos returns the position of the j-th value of a list element,
	// or the statement's when the parser did not record it.
	elemPos := func(spans []policy.Span, n, j int) policy.Position {
		if len(spans) == n && j < n && spans[j].Start.IsValid() {
			return spans[j].Start
		}
		return st.Span.Start
	}
	for _, c := range st.Conditions {
		if !strings.HasPrefix(strings.ToLower(c.Key), "aws:") || isKnownGlobalKey(c.Key) {
			continue
		}
		msg := fmt.Sprintf("condition key %q is not an AWS global condition key", c.Key)
		if strings.TrimSpace(c.Key) != c.Key {
			msg += " (it has spaces around it)"
		}
		if s := suggestGlobalKey(c.Key); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		add(WarnUnknownGlobalKey, path+"/Condition/"+escapePointer(c.Operator)+"/"+escapePointer(c.Key), c.Span.Start, "%s", msg)
	}
	// The actions the statement covers; nil when it can cover any action.
	var actions []*Action
	open := st.NotAction != nil
	for j, a := range st.Action {
		p := fmt.Sprintf("%s/Action/%d", path, j)
		pos := elemPos(st.ActionSpans, len(st.Action), j)
		if a == "*" {
			open = true
			continue
		}
		prefix, _, ok := strings.Cut(a, ":")
		if !ok {
			continue // Validate reports malformed actions
		}
		if strings.ContainsAny(prefix, "*?") {
			open = true
			if len(Expand(a)) == 0 {
				add(WarnWildcardMatchesNothing, p, pos, "action %q matches no action of any service", a)
			}
			continue
		}
		if _, ok := LookupService(prefix); !ok {
			msg := fmt.Sprintf("action %q: no service has the prefix %q", a, prefix)
			if s := Suggest(a, 1); len(s) > 0 {
				msg += fmt.Sprintf("; did you mean %q?", s[0].FullName())
			}
			add(WarnUnknownService, p, pos, "%s", msg)
			open = true // unknown: do not judge its conditions and resources
			continue
		}
		exp := Expand(a)
		switch {
		case len(exp) > 0:
			actions = append(actions, exp...)
		case strings.ContainsAny(a, "*?"):
			add(WarnWildcardMatchesNothing, p, pos, "action %q matches no %s action", a, prefix)
		default:
			msg := fmt.Sprintf("action %q is not a %s action", a, prefix)
			if s := Suggest(a, 1); len(s) > 0 {
				msg += fmt.Sprintf("; did you mean %q?", s[0].FullName())
			}
			add(WarnUnknownAction, p, pos, "%s", msg)
		}
	}
	if open || len(actions) == 0 {
		return ws
	}
	for _, c := range st.Conditions {
		lk := strings.ToLower(c.Key)
		if (strings.HasPrefix(lk, "aws:") && !isTagKey(lk)) || strings.ContainsAny(c.Key, "${}") {
			continue // a global key (any action), or an aws: name reported above
		}
		supported := false
		for _, a := range actions {
			if a.SupportsConditionKey(c.Key) {
				supported = true
				break
			}
		}
		if !supported {
			add(WarnUnsupportedConditionKey, path+"/Condition", c.Span.Start,
				"condition key %q is supported by none of the statement's actions (%s)", c.Key, summary(actions))
		}
	}
	services := map[string]bool{}
	for _, a := range actions {
		services[strings.ToLower(a.Service)] = true
		for _, rt := range a.Resources() {
			services[rt.arnService] = true
		}
	}
	for j, r := range st.Resource {
		part, svc, ok := arnService(r)
		if !ok || part == "" {
			continue
		}
		p, pos := fmt.Sprintf("%s/Resource/%d", path, j), elemPos(st.ResourceSpans, len(st.Resource), j)
		if !strings.ContainsAny(svc, "*?$") && !services[svc] {
			add(WarnResourceServiceMismatch, p, pos,
				"resource %q is a %s resource, but the statement's actions (%s) act on none", r, svc, summary(actions))
			continue
		}
		if !mayBeResourceOf(actions, r) {
			add(WarnResourceTypeMismatch, p, pos,
				"resource %q has the ARN format of no resource the statement's actions (%s) act on; they act on %s",
				r, summary(actions), formatSummary(actions))
		}
	}
	return ws
}

// mayBeResourceOf reports whether some ARN the Resource pattern r matches
// can be a resource of one of the actions: of one of its resource types, or,
// for an action without resource types, any ARN of its service.
func mayBeResourceOf(actions []*Action, r string) bool {
	p := patternTokens(r)
	seen := map[*ResourceType]bool{}
	seenSvc := map[string]bool{}
	for _, a := range actions {
		if len(a.Resources()) == 0 {
			svc := strings.ToLower(a.Service)
			if !seenSvc[svc] {
				seenSvc[svc] = true
				if intersects(anyResourceFormat(svc).tokens, p) {
					return true
				}
			}
			continue
		}
		for _, rt := range a.Resources() {
			if seen[rt] {
				continue
			}
			seen[rt] = true
			for _, f := range rt.formats() {
				if intersects(f.tokens, p) {
					return true
				}
			}
		}
	}
	return false
}

// formatSummary names up to three ARN formats of the actions' resource
// types, for a reader to compare with the Resource value.
func formatSummary(actions []*Action) string {
	var fmts []string
	seen := map[string]bool{}
	for _, a := range actions {
		for _, rt := range a.Resources() {
			if !seen[rt.ARN] {
				seen[rt.ARN] = true
				fmts = append(fmts, rt.ARN)
			}
		}
	}
	if len(fmts) > 3 {
		return strings.Join(fmts[:3], ", ") + fmt.Sprintf(" and %d more", len(fmts)-3)
	}
	return strings.Join(fmts, ", ")
}

// escapePointer escapes a JSON Pointer reference token (RFC 6901).
func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// arnService returns an ARN's partition and lower-case service.
func arnService(a string) (partition, service string, ok bool) {
	f := strings.SplitN(a, ":", 4)
	if len(f) < 4 || f[0] != "arn" {
		return "", "", false
	}
	return f[1], strings.ToLower(f[2]), true
}

// summary names up to three actions.
func summary(actions []*Action) string {
	var names []string
	for i, a := range actions {
		if i == 3 {
			names = append(names, fmt.Sprintf("and %d more", len(actions)-3))
			break
		}
		names = append(names, a.FullName())
	}
	return strings.Join(names, ", ")
}
