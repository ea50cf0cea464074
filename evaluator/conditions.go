package evaluator

import (
	"bytes"
	"fmt"
	"math/big"
	"net/netip"
	"strings"
	"time"

	"github.com/iamsim/iamsim/arn"
	"github.com/iamsim/iamsim/policy"
)

// conditionMatcher is one compiled (operator, key) pair of a Condition block
// (docs/semantics.md §6). Policy values are converted to the operator's type once, here.
type conditionMatcher struct {
	name   string // operator as written
	key    string
	op     policy.Operator
	values []condValue
}

// condValue is one policy value in the operator's type.
type condValue struct {
	text    string
	pattern arn.Pattern // String/ARN/Bool values when variables are on, and Like/ARN values
	usePat  bool
	num     *big.Rat
	date    time.Time
	bin     []byte
	prefix  netip.Prefix
	null    bool // Null: true means "key must be absent"
}

func compileCondition(c policy.Condition, variables bool) (conditionMatcher, error) {
	op, ok := policy.LookupOperator(c.Operator)
	if !ok {
		return conditionMatcher{}, &policy.Error{Code: policy.CodeUnknownOperator, Pos: c.Span.Start,
			Message: fmt.Sprintf("unknown condition operator %q", c.Operator)}
	}
	m := conditionMatcher{name: c.Operator, key: c.Key, op: op}
	bad := func(v string, why string) error {
		return &policy.Error{Code: policy.CodeInvalidCondValue, Pos: c.Span.Start,
			Message: fmt.Sprintf("%s %s: value %q %s", c.Operator, c.Key, v, why)}
	}
	for _, v := range c.Values {
		cv := condValue{text: v}
		vars := variables && op.Variables && strings.Contains(v, "${")
		switch op.Type {
		case policy.TypeString, policy.TypeBool:
			mode := arn.LiteralMode
			if op.Match == policy.MatchLike {
				mode = arn.GlobMode
			}
			if vars || mode == arn.GlobMode {
				opts := []arn.Option{arn.WithMode(mode)}
				if !vars {
					opts = append(opts, arn.WithoutVariables())
				}
				pat, err := arn.CompilePattern(v, opts...)
				if err != nil {
					return conditionMatcher{}, bad(v, err.Error())
				}
				cv.pattern, cv.usePat = pat, true
			} else if op.Type == policy.TypeBool && !strings.EqualFold(v, "true") && !strings.EqualFold(v, "false") {
				return conditionMatcher{}, bad(v, "is not true or false")
			}
		case policy.TypeARN:
			opts := []arn.Option{arn.WithMode(arn.ARNMode)}
			if !vars {
				opts = append(opts, arn.WithoutVariables())
			}
			pat, err := arn.CompilePattern(v, opts...)
			if err != nil {
				return conditionMatcher{}, bad(v, err.Error())
			}
			cv.pattern, cv.usePat = pat, true
		case policy.TypeNumeric:
			n, ok := policy.ParseNumber(v)
			if !ok {
				return conditionMatcher{}, bad(v, "is not a number")
			}
			cv.num = n
		case policy.TypeDate:
			t, ok := policy.ParseDate(v)
			if !ok {
				return conditionMatcher{}, bad(v, "is not an ISO 8601 date or epoch seconds")
			}
			cv.date = t
		case policy.TypeBinary:
			b, ok := policy.ParseBinary(v)
			if !ok {
				return conditionMatcher{}, bad(v, "is not base64")
			}
			cv.bin = b
		case policy.TypeIP:
			p, ok := policy.ParseIP(v)
			if !ok {
				return conditionMatcher{}, bad(v, "is not an IP address or CIDR")
			}
			cv.prefix = p
		case policy.TypeNull:
			switch strings.ToLower(v) {
			case "true":
				cv.null = true
			case "false":
			default:
				return conditionMatcher{}, bad(v, "is not true or false")
			}
		}
		m.values = append(m.values, cv)
	}
	return m, nil
}

// tri is a three-valued truth. A comparison with a value the request holds
// but iamsim cannot know (keyUnknown) is triUnknown: AWS would decide it one
// way or the other, so the statement that holds it is resolved against the
// caller (see evaluation.applies).
type tri uint8

const (
	triFalse tri = iota
	triTrue
	triUnknown
)

func triOf(b bool) tri {
	if b {
		return triTrue
	}
	return triFalse
}

// nullSet reports whether a multi-valued key's values are a null data set
// for the set operators: no values, or one empty string (IUG
// reference_policies_condition-single-vs-multi-valued-context-keys: ForAllValues
// returns true and ForAnyValue false when "the key values resolve to a null
// data set, such as an empty string"). Everywhere else "" is an ordinary
// value (docs/semantics.md §9 item 13).
func nullSet(vals []string) bool {
	return len(vals) == 0 || (len(vals) == 1 && vals[0] == "")
}

// eval applies the condition to the request (docs/semantics.md §6.1-6.4). A key given with
// no value at all (an empty multi-valued key) is not in the request: there
// is nothing to be present. A key given as "" is present, and "" is compared
// like any other value, except by the set operators (nullSet).
func (m *conditionMatcher) eval(v *view, missing func(string)) tri {
	vals, _, st := v.Values(m.key)
	if st == keyPresent && len(vals) == 0 {
		st = keyAbsent
	}
	if st == keyMaybe {
		// WithUnknownContext: absent or any values; nothing can be told.
		missing(m.key)
		return triUnknown
	}
	if m.op.Type == policy.TypeNull {
		// An unknown value is still a value: the key is present.
		present := st != keyAbsent
		for _, cv := range m.values {
			if cv.null != present {
				return triTrue
			}
		}
		return triFalse
	}
	switch st {
	case keyAbsent:
		missing(m.key)
		switch {
		case m.op.IfExists, m.op.Qualifier == policy.QualifierForAll:
			return triTrue
		case m.op.Qualifier == policy.QualifierForAny:
			return triFalse
		}
		return triOf(m.op.Negated)
	case keyUnknown:
		// The key exists, so IfExists does not excuse it, and its value
		// cannot be compared.
		missing(m.key)
		return triUnknown
	}
	switch m.op.Qualifier {
	case policy.QualifierForAll:
		if nullSet(vals) {
			return triTrue
		}
		res := triTrue
		for _, rv := range vals {
			switch m.satisfies(rv, v, missing) {
			case triFalse:
				return triFalse
			case triUnknown:
				res = triUnknown
			}
		}
		return res
	case policy.QualifierForAny:
		if nullSet(vals) {
			return triFalse
		}
	}
	// ForAnyValue, and an unqualified operator: a single-valued key has one
	// value; on a multi-valued key any value satisfying the operator is
	// enough (docs/semantics.md §6.4 [choice]).
	res := triFalse
	for _, rv := range vals {
		switch m.satisfies(rv, v, missing) {
		case triTrue:
			return triTrue
		case triUnknown:
			res = triUnknown
		}
	}
	return res
}

// satisfies reports whether one request value satisfies the operator: for
// a positive operator it matches some policy value, for a negated one it
// matches none. A policy value holding a variable of unknown value matches
// unknown.
func (m *conditionMatcher) satisfies(rv string, v *view, missing func(string)) tri {
	unknown := false
	for i := range m.values {
		switch m.matchOne(rv, &m.values[i], v, missing) {
		case triTrue:
			return triOf(!m.op.Negated)
		case triUnknown:
			unknown = true
		}
	}
	if unknown {
		return triUnknown
	}
	return triOf(m.op.Negated)
}

// noteMissing records the condition's key when the request lacks it or
// holds it with an unknown value, without evaluating the condition.
func (m *conditionMatcher) noteMissing(v *view, missing func(string)) {
	if m.op.Type == policy.TypeNull {
		return
	}
	if vals, _, st := v.Values(m.key); st != keyPresent || len(vals) == 0 {
		missing(m.key)
	}
}

// matchOne compares a request value with one policy value, ignoring
// negation. A request value that cannot be read as the operator's type
// matches nothing. A policy variable whose value is unknown makes the
// comparison unknown.
func (m *conditionMatcher) matchOne(rv string, cv *condValue, v *view, missing func(string)) tri {
	switch m.op.Type {
	case policy.TypeString, policy.TypeBool:
		if m.op.Match == policy.MatchLike {
			return v.matchPattern(&cv.pattern, rv, missing)
		}
		pv := cv.text
		if cv.usePat {
			v.unknownHit = false
			s, ok := cv.pattern.Expand(resolverWithMissing{v, missing})
			if v.unknownHit {
				return triUnknown
			}
			if !ok {
				return triFalse // an unresolved variable is null: it equals nothing
			}
			pv = s
		}
		if m.op.Match == policy.MatchEqualsFold || m.op.Type == policy.TypeBool {
			return triOf(strings.EqualFold(rv, pv))
		}
		return triOf(rv == pv)
	case policy.TypeARN:
		return v.matchPattern(&cv.pattern, rv, missing)
	case policy.TypeNumeric:
		n, ok := policy.ParseNumber(rv)
		return triOf(ok && compare(n.Cmp(cv.num), m.op.Match))
	case policy.TypeDate:
		t, ok := policy.ParseDate(rv)
		return triOf(ok && compare(t.Compare(cv.date), m.op.Match))
	case policy.TypeBinary:
		b, ok := policy.ParseBinary(rv)
		return triOf(ok && bytes.Equal(b, cv.bin))
	case policy.TypeIP:
		a, err := netip.ParseAddr(strings.TrimSpace(rv))
		return triOf(err == nil && cv.prefix.Contains(a.Unmap()))
	}
	return triFalse
}

// matchPattern matches s against a pattern whose variables come from the
// request: unknown when a variable's value is unknown (even one with a
// default: AWS would use the value, not the default).
func (v *view) matchPattern(p *arn.Pattern, s string, missing func(string)) tri {
	v.unknownHit = false
	ok := p.Match(s, resolverWithMissing{v, missing})
	if v.unknownHit {
		return triUnknown
	}
	return triOf(ok)
}

func compare(c int, m policy.Match) bool {
	switch m {
	case policy.MatchLessThan:
		return c < 0
	case policy.MatchLessThanEquals:
		return c <= 0
	case policy.MatchGreaterThan:
		return c > 0
	case policy.MatchGreaterThanEquals:
		return c >= 0
	}
	return c == 0
}

// resolverWithMissing resolves policy variables from the request and
// records the keys it could not find.
type resolverWithMissing struct {
	v       *view
	missing func(string)
}

func (r resolverWithMissing) Lookup(key string) (string, bool) {
	s, ok := r.v.Lookup(key)
	if !ok {
		r.missing(key)
	}
	return s, ok
}

func (m *conditionMatcher) describe() string { return m.name + " " + m.key }
