package policy

import "strings"

// ValueType is the type an operator compares values as.
type ValueType uint8

// The value types of condition operators.
const (
	TypeString ValueType = iota
	TypeNumeric
	TypeDate
	TypeBool
	TypeBinary
	TypeIP
	TypeARN
	TypeNull
)

var valueTypeNames = [...]string{"String", "Numeric", "Date", "Bool", "Binary", "IP", "ARN", "Null"}

// String returns the type's name.
func (t ValueType) String() string { return valueTypeNames[t] }

// Match is how a base operator compares a request value with a policy value.
type Match uint8

// The comparisons. Each base operator is one comparison, possibly negated.
const (
	MatchEquals            Match = iota // equal (for IP: in the CIDR range; for ARN: per-part glob; for Null: existence)
	MatchEqualsFold                     // equal ignoring case (strings only)
	MatchLike                           // glob with * and ? (strings only)
	MatchLessThan                       // <
	MatchLessThanEquals                 // <=
	MatchGreaterThan                    // >
	MatchGreaterThanEquals              // >=
)

// BaseOperator describes one base condition operator (without qualifier or
// IfExists). It is the single table of operators: validation and evaluation
// both read it.
type BaseOperator struct {
	Name    string
	Type    ValueType
	Match   Match
	Negated bool
	// Variables reports whether ${...} policy variables are substituted in
	// this operator's values.
	Variables bool
	// SetQualifiable reports whether ForAllValues:/ForAnyValue: may prefix it.
	SetQualifiable bool
	// IfExistsAllowed reports whether the IfExists suffix may follow it.
	IfExistsAllowed bool
}

// baseOperators is the closed set of IAM condition operators
// (IUG reference_policies_elements_condition_operators.md).
var baseOperators = []BaseOperator{
	{Name: "StringEquals", Type: TypeString, Match: MatchEquals},
	{Name: "StringNotEquals", Type: TypeString, Match: MatchEquals, Negated: true},
	{Name: "StringEqualsIgnoreCase", Type: TypeString, Match: MatchEqualsFold},
	{Name: "StringNotEqualsIgnoreCase", Type: TypeString, Match: MatchEqualsFold, Negated: true},
	{Name: "StringLike", Type: TypeString, Match: MatchLike},
	{Name: "StringNotLike", Type: TypeString, Match: MatchLike, Negated: true},
	{Name: "NumericEquals", Type: TypeNumeric, Match: MatchEquals},
	{Name: "NumericNotEquals", Type: TypeNumeric, Match: MatchEquals, Negated: true},
	{Name: "NumericLessThan", Type: TypeNumeric, Match: MatchLessThan},
	{Name: "NumericLessThanEquals", Type: TypeNumeric, Match: MatchLessThanEquals},
	{Name: "NumericGreaterThan", Type: TypeNumeric, Match: MatchGreaterThan},
	{Name: "NumericGreaterThanEquals", Type: TypeNumeric, Match: MatchGreaterThanEquals},
	{Name: "DateEquals", Type: TypeDate, Match: MatchEquals},
	{Name: "DateNotEquals", Type: TypeDate, Match: MatchEquals, Negated: true},
	{Name: "DateLessThan", Type: TypeDate, Match: MatchLessThan},
	{Name: "DateLessThanEquals", Type: TypeDate, Match: MatchLessThanEquals},
	{Name: "DateGreaterThan", Type: TypeDate, Match: MatchGreaterThan},
	{Name: "DateGreaterThanEquals", Type: TypeDate, Match: MatchGreaterThanEquals},
	{Name: "Bool", Type: TypeBool, Match: MatchEquals},
	{Name: "BinaryEquals", Type: TypeBinary, Match: MatchEquals},
	{Name: "IpAddress", Type: TypeIP, Match: MatchEquals},
	{Name: "NotIpAddress", Type: TypeIP, Match: MatchEquals, Negated: true},
	{Name: "ArnEquals", Type: TypeARN, Match: MatchLike},
	{Name: "ArnLike", Type: TypeARN, Match: MatchLike},
	{Name: "ArnNotEquals", Type: TypeARN, Match: MatchLike, Negated: true},
	{Name: "ArnNotLike", Type: TypeARN, Match: MatchLike, Negated: true},
	{Name: "Null", Type: TypeNull, Match: MatchEquals},
}

func init() {
	for i := range baseOperators {
		op := &baseOperators[i]
		// Variables: String and ARN operators, and Bool (the current operators
		// page marks Bool as supporting them; docs/semantics.md §9 items 7 and 20).
		op.Variables = op.Type == TypeString || op.Type == TypeARN || op.Type == TypeBool
		op.SetQualifiable = op.Type != TypeNull
		op.IfExistsAllowed = op.Type != TypeNull
	}
}

// Qualifier is a set-operator prefix.
type Qualifier uint8

// The set qualifiers.
const (
	QualifierNone   Qualifier = iota
	QualifierForAll           // ForAllValues:
	QualifierForAny           // ForAnyValue:
)

// String returns "", "ForAllValues" or "ForAnyValue".
func (q Qualifier) String() string {
	switch q {
	case QualifierForAll:
		return "ForAllValues"
	case QualifierForAny:
		return "ForAnyValue"
	}
	return ""
}

// Operator is a condition operator name taken apart: the base operator, the
// set qualifier and the IfExists suffix.
type Operator struct {
	*BaseOperator
	Qualifier Qualifier
	IfExists  bool
}

// LookupOperator parses a condition operator name such as
// "ForAnyValue:StringLikeIfExists". Names are matched exactly as AWS documents
// them (docs/semantics.md §6.1); ok is false for anything else.
func LookupOperator(name string) (op Operator, ok bool) {
	rest := name
	switch {
	case strings.HasPrefix(rest, "ForAllValues:"):
		op.Qualifier, rest = QualifierForAll, rest[len("ForAllValues:"):]
	case strings.HasPrefix(rest, "ForAnyValue:"):
		op.Qualifier, rest = QualifierForAny, rest[len("ForAnyValue:"):]
	}
	if base, found := strings.CutSuffix(rest, "IfExists"); found {
		op.IfExists, rest = true, base
	}
	for i := range baseOperators {
		if baseOperators[i].Name == rest {
			op.BaseOperator = &baseOperators[i]
			break
		}
	}
	if op.BaseOperator == nil ||
		(op.IfExists && !op.IfExistsAllowed) ||
		(op.Qualifier != QualifierNone && !op.SetQualifiable) {
		return Operator{}, false
	}
	return op, true
}

// BaseOperators returns the table of base operators, in documentation order.
func BaseOperators() []BaseOperator {
	return append([]BaseOperator(nil), baseOperators...)
}
