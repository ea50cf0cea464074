package policy

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Code identifies a kind of problem in a policy. Codes are stable API:
// compare them, don't parse messages. A Code is itself an error so that
// errors.Is(err, policy.CodeInvalidAction) reports whether any problem in err
// has that code.
type Code string

// Error returns the code itself.
func (c Code) Error() string { return string(c) }

// Syntax codes, reported by Parse.
const (
	CodeInvalidJSON      Code = "invalid_json"            // malformed JSON
	CodeTooLarge         Code = "too_large"               // document over the parse size cap
	CodeTooDeep          Code = "too_deep"                // JSON nested deeper than any policy can be
	CodeInvalidCharacter Code = "invalid_character"       // a character outside tab, LF, CR and U+0020-U+00FF, or invalid UTF-8
	CodeDuplicateKey     Code = "duplicate_key"           // a key repeated inside one JSON object
	CodeUnknownElement   Code = "unknown_element"         // an element name IAM does not define
	CodeElementCase      Code = "element_case"            // a known element name written with the wrong case
	CodeInvalidType      Code = "invalid_type"            // wrong JSON type for the element
	CodeMissingElement   Code = "missing_element"         // a required element is absent
	CodeConflict         Code = "conflicting_elements"    // both X and NotX
	CodeEmptyValue       Code = "empty_value"             // an empty string, list or object where a value is needed
	CodeInvalidVersion   Code = "invalid_version"         // Version other than 2012-10-17 or 2008-10-17
	CodeInvalidEffect    Code = "invalid_effect"          // Effect other than Allow or Deny
	CodeInvalidSid       Code = "invalid_sid"             // Sid with characters IAM does not accept
	CodeDuplicateSid     Code = "duplicate_sid"           // two statements with the same Sid
	CodeInvalidAction    Code = "invalid_action"          // not "*" nor "service:name"
	CodeInvalidResource  Code = "invalid_resource"        // not "*" nor a well-formed ARN pattern
	CodeInvalidPrincipal Code = "invalid_principal"       // malformed principal value or principal type
	CodeUnknownOperator  Code = "unknown_operator"        // condition operator not in the operator table
	CodeInvalidCondValue Code = "invalid_condition_value" // a value that cannot be of the operator's type
	CodeInvalidVariable  Code = "invalid_variable"        // a malformed ${...} policy variable
	CodeUnsupported      Code = "unsupported"             // valid IAM that the engine cannot evaluate yet
)

// Codes reported by Validate: rules that depend on the policy kind.
const (
	CodeElementNotAllowed Code = "element_not_allowed" // element not allowed in this kind of policy
	CodeNotPrincipalAllow Code = "notprincipal_with_allow"
	CodeQuotaExceeded     Code = "quota_exceeded" // a size or count quota of the kind
)

// allCodes lists every Code, for tests and documentation.
var allCodes = []Code{
	CodeInvalidJSON, CodeTooLarge, CodeTooDeep, CodeInvalidCharacter, CodeDuplicateKey, CodeUnknownElement,
	CodeElementCase, CodeInvalidType, CodeMissingElement, CodeConflict, CodeEmptyValue, CodeInvalidVersion,
	CodeInvalidEffect, CodeInvalidSid, CodeDuplicateSid, CodeInvalidAction, CodeInvalidResource,
	CodeInvalidPrincipal, CodeUnknownOperator, CodeInvalidCondValue, CodeInvalidVariable, CodeUnsupported,
	CodeElementNotAllowed, CodeNotPrincipalAllow, CodeQuotaExceeded,
}

// MaxErrors caps how many problems one Parse or Validate reports; a final
// problem says that more were left out.
const MaxErrors = 100

// Error is one problem found in a policy.
type Error struct {
	Code Code
	// Path is a JSON Pointer (RFC 6901) to the element concerned, for example
	// "/Statement/0/Action/1". "" means the whole document.
	Path string
	// Pos is where the problem is; the zero Position when unknown (for example
	// for a policy built by hand rather than parsed).
	Pos     Position
	Message string
}

// Error renders the problem as "source:line:col: code: message", leaving out
// the parts that are unknown.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Pos.Source != "" {
		b.WriteString(e.Pos.Source)
		b.WriteString(":")
	}
	if e.Pos.IsValid() {
		fmt.Fprintf(&b, "%d:%d:", e.Pos.Line, e.Pos.Column)
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	b.WriteString(string(e.Code))
	b.WriteString(": ")
	b.WriteString(e.Message)
	if e.Path != "" && !e.Pos.IsValid() {
		b.WriteString(" (at ")
		b.WriteString(e.Path)
		b.WriteString(")")
	}
	return b.String()
}

// Is reports whether target is this problem's Code.
func (e *Error) Is(target error) bool {
	c, ok := target.(Code)
	return ok && c == e.Code
}

// Errors is a list of problems, sorted by position. It implements error.
type Errors []*Error

// Error renders every problem, one per line.
func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Unwrap returns the problems so that errors.Is and errors.As see each one.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Codes returns the code of every problem, in order.
func (es Errors) Codes() []Code {
	out := make([]Code, len(es))
	for i, e := range es {
		out[i] = e.Code
	}
	return out
}

// sortErrors orders problems by offset, then path, then code, and caps them.
func sortErrors(es Errors) Errors {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.Pos.Offset != b.Pos.Offset {
			return a.Pos.Offset < b.Pos.Offset
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Code < b.Code
	})
	if len(es) > MaxErrors {
		last := es[MaxErrors-1]
		es = append(es[:MaxErrors-1:MaxErrors-1], &Error{
			Code: last.Code, Path: last.Path, Pos: last.Pos,
			Message: fmt.Sprintf("%s (and %d more problems not shown)", last.Message, len(es)-MaxErrors),
		})
	}
	return es
}

// AsErrors returns the list of problems in err (nil when err has none).
func AsErrors(err error) Errors {
	var es Errors
	if errors.As(err, &es) {
		return es
	}
	var e *Error
	if errors.As(err, &e) {
		return Errors{e}
	}
	return nil
}
