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
// (SPEC 6). Policy values are converted to the operator's type once, here.
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

// isNull reports whether a key's values count as absent: no values, or only
// empty strings (SPEC 9 item 13).
func isNull(vals []string) bool {
	for _, v := range vals {
		if v != "" {
			return false
		}
	}
	return true
}

// eval applies the condition to the request (SPEC 6.1-6.4).
func (m *conditionMatcher) eval(v *view, missing func(string)) bool {
	vals, multi, ok := v.Values(m.key)
	present := ok && !isNull(vals)
	if m.op.Type == policy.TypeNull {
		for _, cv := range m.values {
			if cv.null != present {
				return true
			}
		}
		return false
	}
	if !present {
		missing(m.key)
		switch {
		case m.op.IfExists, m.op.Qualifier == policy.QualifierForAll:
			return true
		case m.op.Qualifier == policy.QualifierForAny:
			return false
		}
		return m.op.Negated
	}
	switch m.op.Qualifier {
	case policy.QualifierForAll:
		for _, rv := range vals {
			if !m.satisfies(rv, v, missing) {
				return false
			}
		}
		return true
	default:
		// ForAnyValue, and an unqualified operator: a single-valued key has
		// one value; on a multi-valued key any value satisfying the operator
		// is enough (SPEC 6.4 [UNSPEC]).
		_ = multi
		for _, rv := range vals {
			if m.satisfies(rv, v, missing) {
				return true
			}
		}
		return false
	}
}

// satisfies reports whether one request value satisfies the operator: for
// a positive operator it matches some policy value, for a negated one it
// matches none.
func (m *conditionMatcher) satisfies(rv string, v *view, missing func(string)) bool {
	any := false
	for i := range m.values {
		if m.matchOne(rv, &m.values[i], v, missing) {
			any = true
			break
		}
	}
	return any != m.op.Negated
}

// noteMissing records the condition's key when the request lacks it, without
// evaluating the condition.
func (m *conditionMatcher) noteMissing(v *view, missing func(string)) {
	if m.op.Type == policy.TypeNull {
		return
	}
	if vals, _, ok := v.Values(m.key); !ok || isNull(vals) {
		missing(m.key)
	}
}

// matchOne compares a request value with one policy value, ignoring
// negation. A request value that cannot be read as the operator's type
// matches nothing.
func (m *conditionMatcher) matchOne(rv string, cv *condValue, v *view, missing func(string)) bool {
	switch m.op.Type {
	case policy.TypeString, policy.TypeBool:
		if m.op.Match == policy.MatchLike {
			return cv.pattern.Match(rv, resolverWithMissing{v, missing})
		}
		pv := cv.text
		if cv.usePat {
			s, ok := cv.pattern.Expand(resolverWithMissing{v, missing})
			if !ok {
				return false // an unresolved variable is null: it equals nothing
			}
			pv = s
		}
		if m.op.Match == policy.MatchEqualsFold || m.op.Type == policy.TypeBool {
			return strings.EqualFold(rv, pv)
		}
		return rv == pv
	case policy.TypeARN:
		return cv.pattern.Match(rv, resolverWithMissing{v, missing})
	case policy.TypeNumeric:
		n, ok := policy.ParseNumber(rv)
		return ok && compare(n.Cmp(cv.num), m.op.Match)
	case policy.TypeDate:
		t, ok := policy.ParseDate(rv)
		return ok && compare(t.Compare(cv.date), m.op.Match)
	case policy.TypeBinary:
		b, ok := policy.ParseBinary(rv)
		return ok && bytes.Equal(b, cv.bin)
	case policy.TypeIP:
		a, err := netip.ParseAddr(strings.TrimSpace(rv))
		return err == nil && cv.prefix.Contains(a.Unmap())
	}
	return false
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
