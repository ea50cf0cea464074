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
)

// Warning is a likely mistake in a policy that IAM would accept: the policy
// stays valid, and warnings never make policy.Parse or policy.Validate fail.
type Warning struct {
	Code WarningCode
	// Path is a JSON Pointer to the element concerned.
	Path string
	// Pos is the position of the statement (or condition) concerned.
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
// Condition.
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
	pos := st.Span.Start
	// The actions the statement covers; nil when it can cover any action.
	var actions []*Action
	open := st.NotAction != nil
	for j, a := range st.Action {
		p := fmt.Sprintf("%s/Action/%d", path, j)
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
		if IsGlobalKey(c.Key) || strings.ContainsAny(c.Key, "${}") {
			continue
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
		if !ok || strings.ContainsAny(svc, "*?$") || services[svc] || part == "" {
			continue
		}
		add(WarnResourceServiceMismatch, fmt.Sprintf("%s/Resource/%d", path, j), pos,
			"resource %q is a %s resource, but the statement's actions (%s) act on none", r, svc, summary(actions))
	}
	return ws
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
