package policy

// Policy is a parsed IAM policy document. It is plain data: building one by
// hand is as valid as parsing one, and MarshalJSON writes it back as JSON.
type Policy struct {
	// Version is the Version element as written, or "" when it was absent.
	Version string
	// ID is the Id element, or "" when it was absent.
	ID string
	// Statements holds the statements in document order.
	Statements []Statement
	// Span covers the whole document.
	Span Span
}

// The two policy-language versions AWS accepts.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// VariablesEnabled reports whether policy variables (${...}) are substituted in
// this policy. AWS substitutes them only under Version 2012-10-17; under
// 2008-10-17, or when Version is absent, they are literal text.
func (p *Policy) VariablesEnabled() bool { return p != nil && p.Version == Version2012 }

// Effect is a statement's Effect element.
type Effect uint8

// The two effects. The zero value is invalid so that a forgotten Effect in a
// hand-built statement is caught by Validate rather than read as Allow.
const (
	EffectInvalid Effect = iota
	Allow
	Deny
)

// String returns "Allow", "Deny" or "Invalid".
func (e Effect) String() string {
	switch e {
	case Allow:
		return "Allow"
	case Deny:
		return "Deny"
	}
	return "Invalid"
}

// Statement is one statement of a policy. Exactly one of Action and NotAction
// is set; at most one of Resource and NotResource (resource-based policies may
// omit both); at most one of Principal and NotPrincipal.
type Statement struct {
	Sid          string
	Effect       Effect
	Principal    *Principals
	NotPrincipal *Principals
	Action       []string
	NotAction    []string
	Resource     []string
	NotResource  []string
	// Conditions holds one entry per (operator, key) pair, in document order.
	Conditions []Condition
	// Span covers the statement object.
	Span Span
	// ActionSpans holds the span of each value of Action (or NotAction),
	// index for index, and ResourceSpans that of each value of Resource
	// (or NotResource), so that a check can point at one entry. Parse
	// fills them; they are nil in a statement built by hand.
	ActionSpans, ResourceSpans []Span
}

// Principals is the value of a Principal or NotPrincipal element.
type Principals struct {
	// Wildcard is true for the bare string "*" (which AWS treats as {"AWS": "*"}).
	Wildcard      bool
	AWS           []string
	Federated     []string
	Service       []string
	CanonicalUser []string
	// Span covers the element's value.
	Span Span
}

// Condition is one (operator, key) pair of a Condition block with its values.
type Condition struct {
	// Operator is the operator name as written, for example
	// "ForAnyValue:StringLikeIfExists". Use LookupOperator to interpret it.
	Operator string
	// Key is the condition key as written (key names compare case-insensitively).
	Key string
	// Values are the policy values; unquoted JSON numbers and booleans are
	// held as their string form.
	Values []string
	// Span covers the key and its value(s).
	Span Span
}

// Position is a place in a source document. Line and Column count from 1;
// Column counts bytes. Offset counts bytes from 0. The zero Position means
// "unknown".
type Position struct {
	Source string
	Line   int
	Column int
	Offset int
}

// IsValid reports whether the position is known.
func (p Position) IsValid() bool { return p.Line > 0 }

// Span is a range of a source document, from Start to End (End exclusive).
type Span struct {
	Start Position
	End   Position
}
