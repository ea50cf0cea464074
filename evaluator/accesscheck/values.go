package accesscheck

import (
	"encoding/base64"
	"fmt"
	"math/big"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/iamsim/iamsim/policy"
)

// keyCond is one condition on a key, as the witness builder reads it.
type keyCond struct {
	op     policy.Operator
	values []string
}

// keyWitness is one value of a condition key in a request: absent, or a
// single or multi-valued value.
type keyWitness struct {
	absent bool
	multi  bool
	values []string
}

// maxSetClasses bounds the classes of a multi-valued key: every subset of
// them is a witness.
const maxSetClasses = 10

// keyWitnesses returns, for one condition key and every condition on it,
// one value per class of values the conditions cannot tell apart, plus
// absence; for a key compared with a set operator (ForAllValues:,
// ForAnyValue:), every set of those classes. It fails for a key compared
// as two different types (String and Numeric, say): the classes of one
// type do not split the other's.
func keyWitnesses(key string, conds []keyCond, maxStates int, timeUp func() error) ([]keyWitness, error) {
	var typ policy.ValueType = policy.TypeNull
	multi := false
	for _, c := range conds {
		t := c.op.Type
		if t == policy.TypeARN || t == policy.TypeBool {
			t = policy.TypeString
		}
		if c.op.Qualifier != policy.QualifierNone {
			multi = true
		}
		if t == policy.TypeNull {
			continue
		}
		if typ != policy.TypeNull && typ != t {
			return nil, fmt.Errorf("condition key %s is compared both as %s and as %s: outside the exactly decided fragment", key, typ, t)
		}
		typ = t
	}
	var singles []string
	var err error
	switch typ {
	case policy.TypeNull:
		singles = []string{"iamsim-value"}
	case policy.TypeString:
		singles, err = stringWitnesses(conds, maxStates, timeUp)
	case policy.TypeNumeric:
		singles, err = numericWitnesses(conds)
	case policy.TypeDate:
		singles, err = dateWitnesses(conds)
	case policy.TypeIP:
		singles, err = ipWitnesses(conds)
	case policy.TypeBinary:
		singles = binaryWitnesses(conds)
	}
	if err != nil {
		return nil, fmt.Errorf("condition key %s: %w", key, err)
	}
	out := []keyWitness{{absent: true}}
	for _, v := range singles {
		out = append(out, keyWitness{values: []string{v}})
	}
	if multi || isMultiKey(key) {
		if len(singles) > maxSetClasses {
			return nil, &errTooComplex{fmt.Sprintf("multi-valued key %s has %d value classes (limit %d)", key, len(singles), maxSetClasses)}
		}
		for m := 0; m < 1<<len(singles); m++ {
			var vs []string
			for i, v := range singles {
				if m&(1<<i) != 0 {
					vs = append(vs, v)
				}
			}
			out = append(out, keyWitness{multi: true, values: vs})
		}
	}
	return out, nil
}

// isMultiKey reports the keys AWS documents as multi-valued.
func isMultiKey(key string) bool {
	k := strings.ToLower(key)
	return k == "aws:tagkeys" || k == "aws:principalorgpaths" || k == "aws:calledvia" ||
		k == "aws:principalservicenameslist" || strings.HasSuffix(k, ":tagkeys")
}

// stringWitnesses returns one string per class of the String, ARN and Bool
// comparisons of conds (see stringClasses).
func stringWitnesses(conds []keyCond, maxStates int, timeUp func() error) ([]string, error) {
	var pats []strPat
	for _, c := range conds {
		mode := modeLiteral
		switch {
		case c.op.Type == policy.TypeARN:
			mode = modeARN
		case c.op.Match == policy.MatchLike:
			mode = modeGlob
		case c.op.Match == policy.MatchEqualsFold, c.op.Type == policy.TypeBool:
			mode = modeFold
		}
		for _, v := range c.values {
			pats = append(pats, compileStrPat(v, mode))
		}
	}
	classes, err := stringClasses(pats, "", maxStates, timeUp)
	if err != nil {
		return nil, err
	}
	return sortedValues(classes), nil
}

func sortedValues(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, 0, len(m))
	for _, k := range keys {
		out = append(out, m[k])
	}
	return out
}

// numericWitnesses returns every constant, a number between each two
// neighbours, one below the least and one above the greatest: every
// interval the comparisons <, <=, =, >, >= with the constants tell apart.
func numericWitnesses(conds []keyCond) ([]string, error) {
	var nums []*big.Rat
	for _, c := range conds {
		for _, v := range c.values {
			n, ok := policy.ParseNumber(v)
			if !ok {
				return nil, fmt.Errorf("value %q is not a number", v)
			}
			nums = append(nums, n)
		}
	}
	slices.SortFunc(nums, func(a, b *big.Rat) int { return a.Cmp(b) })
	nums = slices.CompactFunc(nums, func(a, b *big.Rat) bool { return a.Cmp(b) == 0 })
	var pts []*big.Rat
	if len(nums) == 0 {
		pts = append(pts, new(big.Rat))
	} else {
		pts = append(pts, new(big.Rat).Sub(nums[0], big.NewRat(1, 1)))
		for i, n := range nums {
			pts = append(pts, n)
			if i+1 < len(nums) {
				mid := new(big.Rat).Add(n, nums[i+1])
				pts = append(pts, mid.Quo(mid, big.NewRat(2, 1)))
			} else {
				pts = append(pts, new(big.Rat).Add(n, big.NewRat(1, 1)))
			}
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, p := range pts {
		sig := make([]byte, len(nums))
		for i, n := range nums {
			sig[i] = byte('1' + p.Cmp(n))
		}
		if seen[string(sig)] {
			continue // compares with every constant as an earlier point does
		}
		seen[string(sig)] = true
		s, err := formatRat(p)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// formatRat writes r as a decimal that policy.ParseNumber reads back as r.
func formatRat(r *big.Rat) (string, error) {
	if r.IsInt() {
		return r.Num().String(), nil
	}
	for prec := 1; prec <= 64; prec++ {
		s := r.FloatString(prec)
		if back, ok := policy.ParseNumber(s); ok && back.Cmp(r) == 0 {
			return s, nil
		}
	}
	return "", fmt.Errorf("cannot write %s as a decimal", r.String())
}

// dateWitnesses is numericWitnesses for dates, in nanoseconds.
func dateWitnesses(conds []keyCond) ([]string, error) {
	var ts []time.Time
	for _, c := range conds {
		for _, v := range c.values {
			t, ok := policy.ParseDate(v)
			if !ok {
				return nil, fmt.Errorf("value %q is not a date", v)
			}
			ts = append(ts, t.UTC())
		}
	}
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	ts = slices.CompactFunc(ts, func(a, b time.Time) bool { return a.Equal(b) })
	var pts []time.Time
	if len(ts) == 0 {
		pts = append(pts, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	} else {
		pts = append(pts, ts[0].Add(-time.Second))
		for i, t := range ts {
			pts = append(pts, t)
			if i+1 < len(ts) {
				if d := ts[i+1].Sub(t); d > 1 {
					pts = append(pts, t.Add(d/2))
				}
			} else {
				pts = append(pts, t.Add(time.Second))
			}
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, p := range pts {
		sig := make([]byte, len(ts))
		for i, t := range ts {
			sig[i] = byte('1' + p.Compare(t))
		}
		if seen[string(sig)] {
			continue
		}
		seen[string(sig)] = true
		s := p.Format(time.RFC3339Nano)
		if back, ok := policy.ParseDate(s); !ok || !back.Equal(p) {
			return nil, fmt.Errorf("cannot write date %v so that it reads back", p)
		}
		out = append(out, s)
	}
	return out, nil
}

// ipWitnesses returns, for the CIDR blocks of conds, the first address of
// each block, the address after its last, the address before its first and
// its last, plus the least and greatest address of each family: every
// maximal run of addresses with the same memberships starts at one of them.
func ipWitnesses(conds []keyCond) ([]string, error) {
	set := map[netip.Addr]bool{
		netip.MustParseAddr("0.0.0.0"): true, netip.MustParseAddr("255.255.255.255"): true,
		netip.MustParseAddr("::"): true, netip.MustParseAddr("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"): true,
	}
	var prefixes []netip.Prefix
	for _, c := range conds {
		for _, v := range c.values {
			p, ok := policy.ParseIP(v)
			if !ok {
				return nil, fmt.Errorf("value %q is not an IP address or CIDR", v)
			}
			p = p.Masked()
			prefixes = append(prefixes, p)
			first := p.Addr()
			last := lastAddr(p)
			set[first], set[last] = true, true
			if a := first.Prev(); a.IsValid() {
				set[a] = true
			}
			if a := last.Next(); a.IsValid() {
				set[a] = true
			}
		}
	}
	addrs := make([]netip.Addr, 0, len(set))
	for a := range set {
		addrs = append(addrs, a)
	}
	slices.SortFunc(addrs, func(a, b netip.Addr) int { return a.Compare(b) })
	// One address per set of blocks containing it (and per family: an
	// IPv6 address is in no IPv4 block, but stays apart from IPv4 ones).
	var out []string
	seen := map[string]bool{}
	for _, a := range addrs {
		a = a.Unmap() // as the engine reads a request's address
		sig := []byte{'4'}
		if !a.Is4() {
			sig[0] = '6'
		}
		for _, p := range prefixes {
			if p.Contains(a) {
				sig = append(sig, '1')
			} else {
				sig = append(sig, '0')
			}
		}
		if !seen[string(sig)] {
			seen[string(sig)] = true
			out = append(out, a.String())
		}
	}
	return out, nil
}

func lastAddr(p netip.Prefix) netip.Addr {
	b := p.Addr().AsSlice()
	bits := p.Bits()
	for i := range b {
		for j := 0; j < 8; j++ {
			if i*8+j >= bits {
				b[i] |= 0x80 >> j
			}
		}
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

// binaryWitnesses returns each value and one value equal to none.
func binaryWitnesses(conds []keyCond) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range conds {
		for _, v := range c.values {
			if !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	for i := 0; ; i++ {
		v := base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("iamsim-%d", i)))
		if !seen[v] {
			return append(out, v)
		}
	}
}
