package catalog

import (
	"fmt"
	"strings"
)

// UnknownActionError reports an action name the catalog does not hold: a
// typo, or an action newer than the catalog (see Version).
type UnknownActionError struct {
	// Action is the name as given.
	Action string
	// UnknownService is true when no service has the action's prefix.
	UnknownService bool
	// Suggestion is the nearest catalog action ("s3:DeleteObject"), or ""
	// when none is close.
	Suggestion string
}

// Error renders "unknown action s3:DeleteObjct; did you mean
// s3:DeleteObject?", naming the unknown service prefix when that is the
// problem.
func (e *UnknownActionError) Error() string {
	var b strings.Builder
	b.WriteString("unknown action " + e.Action)
	if e.UnknownService {
		prefix, _, _ := strings.Cut(e.Action, ":")
		fmt.Fprintf(&b, " (no service has the prefix %q)", prefix)
	}
	if e.Suggestion != "" {
		b.WriteString("; did you mean " + e.Suggestion + "?")
	}
	return b.String()
}

// CheckAction returns nil when action ("prefix:Name", compared
// case-insensitively) is in the catalog, and otherwise an
// *UnknownActionError with the nearest catalog action as its suggestion.
// A name with wildcards is not one action and is reported as unknown.
func CheckAction(action string) error {
	if _, ok := Lookup(action); ok {
		return nil
	}
	e := &UnknownActionError{Action: action}
	prefix, _, _ := strings.Cut(action, ":")
	if _, ok := LookupService(prefix); !ok {
		e.UnknownService = true
	}
	if s := Suggest(action, 1); len(s) > 0 {
		e.Suggestion = s[0].FullName()
	}
	return e
}
