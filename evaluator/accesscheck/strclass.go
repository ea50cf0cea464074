package accesscheck

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// strMode is how one string pattern matches: the matching rules of the
// ResourceMode, GlobMode, ARNMode and LiteralMode of package arn, and the
// case-insensitive literal of the ...IgnoreCase operators and Bool.
type strMode uint8

const (
	modeLiteral strMode = iota
	modeFold
	modeGlob
	modeResource
	modeARN
)

// elemKind is one element of a pattern automaton.
type elemKind uint8

const (
	eLit     elemKind = iota // one rune (case-folded in modeFold)
	eOne                     // any one rune
	eOneNC                   // any one rune but ':'
	eStar                    // any run of runes
	eStarNC                  // any run of runes without ':'
	eNothing                 // the pattern matches no string
)

type elem struct {
	kind elemKind
	r    rune
	fold bool
}

// strPat is a pattern as a linear automaton: the state is the index of the
// next element; stars loop on themselves.
type strPat struct {
	src   string
	elems []elem
}

// compileStrPat builds the automaton of s under mode; s has no policy
// variables (the caller refuses them).
func compileStrPat(s string, mode strMode) strPat {
	p := strPat{src: s}
	rs := []rune(s)
	switch mode {
	case modeLiteral, modeFold:
		for _, r := range rs {
			p.elems = append(p.elems, elem{kind: eLit, r: r, fold: mode == modeFold})
		}
		return p
	case modeGlob:
		for _, r := range rs {
			switch r {
			case '*':
				p.elems = append(p.elems, elem{kind: eStar})
			case '?':
				p.elems = append(p.elems, elem{kind: eOne})
			default:
				p.elems = append(p.elems, elem{kind: eLit, r: r})
			}
		}
		return p
	}
	if s == "*" {
		p.elems = []elem{{kind: eStar}}
		return p
	}
	if mode == modeResource {
		for i, r := range rs {
			switch r {
			case '*':
				if i+1 == len(rs) || rs[i+1] == ':' {
					p.elems = append(p.elems, elem{kind: eStar})
				} else {
					p.elems = append(p.elems, elem{kind: eStarNC})
				}
			case '?':
				p.elems = append(p.elems, elem{kind: eOneNC})
			default:
				p.elems = append(p.elems, elem{kind: eLit, r: r})
			}
		}
		return p
	}
	// modeARN: six parts; the first five colons separate them.
	if strings.Count(s, ":") < 5 {
		p.elems = []elem{{kind: eNothing}}
		return p
	}
	colons := 0
	for _, r := range rs {
		switch {
		case r == ':' && colons < 5:
			colons++
			p.elems = append(p.elems, elem{kind: eLit, r: ':'})
		case r == '*' && colons < 5:
			p.elems = append(p.elems, elem{kind: eStarNC})
		case r == '?' && colons < 5:
			p.elems = append(p.elems, elem{kind: eOneNC})
		case r == '*':
			p.elems = append(p.elems, elem{kind: eStar})
		case r == '?':
			p.elems = append(p.elems, elem{kind: eOne})
		default:
			p.elems = append(p.elems, elem{kind: eLit, r: r})
		}
	}
	return p
}

// closure adds to set (bit i: at element i) the states reachable by
// skipping stars.
func (p *strPat) closure(set []bool) {
	for i := 0; i < len(p.elems); i++ {
		if set[i] && (p.elems[i].kind == eStar || p.elems[i].kind == eStarNC) {
			set[i+1] = true
		}
	}
}

// step returns the states after reading r from set.
func (p *strPat) step(set []bool, r rune) []bool {
	out := make([]bool, len(p.elems)+1)
	for i, on := range set {
		if !on || i == len(p.elems) {
			continue
		}
		e := p.elems[i]
		switch e.kind {
		case eLit:
			if e.r == r || e.fold && foldEq(e.r, r) {
				out[i+1] = true
			}
		case eOne:
			out[i+1] = true
		case eOneNC:
			if r != ':' {
				out[i+1] = true
			}
		case eStar:
			out[i] = true
		case eStarNC:
			if r != ':' {
				out[i] = true
			}
		}
	}
	p.closure(out)
	return out
}

func foldEq(a, b rune) bool { return strings.EqualFold(string(a), string(b)) }

// alphabet returns the compressed alphabet of pats: every rune they name
// with its case variants, ':' and '/', and one rune none of them names.
// Runes outside the alphabet are read by every automaton exactly as that
// last rune is (no literal equals them, wildcards take them all), so the
// alphabet reaches every state any string reaches.
func alphabet(pats []strPat) []rune {
	seen := map[rune]bool{':': true, '/': true}
	for _, p := range pats {
		for _, e := range p.elems {
			if e.kind != eLit {
				continue
			}
			seen[e.r] = true
			for f := unicode.SimpleFold(e.r); f != e.r; f = unicode.SimpleFold(f) {
				seen[f] = true
			}
		}
	}
	var other rune
	for _, c := range "xqzjkvw0123456789abcdefghilmnoprstuy" {
		if !seen[c] && !seen[unicode.ToUpper(c)] {
			other = c
			break
		}
	}
	if other == 0 {
		for c := rune(0x4e00); ; c++ { // CJK ideographs have no case
			if !seen[c] {
				other = c
				break
			}
		}
	}
	out := make([]rune, 0, len(seen)+1)
	for r := range seen {
		out = append(out, r)
	}
	slices.Sort(out)
	return append(out, other)
}

// errTooComplex is returned when an exploration exceeds its budget.
type errTooComplex struct{ what string }

func (e *errTooComplex) Error() string {
	return "policy too complex to decide exactly: " + e.what
}

// Is makes errors.Is(err, ErrTooComplex) hold.
func (e *errTooComplex) Is(target error) bool { return target == ErrTooComplex }

// stringClasses returns one string for every set of patterns that some
// string starting with prefix matches exactly (its signature: bit i set
// when pats[i] matches). It explores the product of the patterns'
// automata breadth-first over the compressed alphabet, so the strings are
// shortest. Every reachable product state is visited, and a string's
// signature depends only on its product state, so every achievable
// signature is found: the classes are complete. maxStates bounds the
// exploration.
func stringClasses(pats []strPat, prefix string, maxStates int, timeUp func() error) (map[string]string, error) {
	sigma := alphabet(pats)
	start := make([][]bool, len(pats))
	for i := range pats {
		s := make([]bool, len(pats[i].elems)+1)
		s[0] = true
		pats[i].closure(s)
		for _, r := range prefix {
			s = pats[i].step(s, r)
		}
		start[i] = s
	}
	key := func(st [][]bool) string {
		var b strings.Builder
		for _, s := range st {
			for _, on := range s {
				if on {
					b.WriteByte('1')
				} else {
					b.WriteByte('0')
				}
			}
			b.WriteByte('|')
		}
		return b.String()
	}
	sig := func(st [][]bool) string {
		b := make([]byte, len(st))
		for i, s := range st {
			b[i] = '0'
			if s[len(s)-1] {
				b[i] = '1'
			}
		}
		return string(b)
	}
	type node struct {
		st  [][]bool
		str string
	}
	seen := map[string]bool{key(start): true}
	queue := []node{{start, prefix}}
	out := map[string]string{}
	for steps := 0; len(queue) > 0; steps++ {
		if steps%256 == 255 && timeUp != nil {
			if err := timeUp(); err != nil {
				return nil, err
			}
		}
		n := queue[0]
		queue = queue[1:]
		if s := sig(n.st); true {
			if _, ok := out[s]; !ok {
				out[s] = n.str
			}
		}
		dead := true
		for _, s := range n.st {
			if slices.Contains(s, true) {
				dead = false
				break
			}
		}
		if dead {
			continue // every longer string stays here
		}
		for _, r := range sigma {
			next := make([][]bool, len(pats))
			for i := range pats {
				next[i] = pats[i].step(n.st[i], r)
			}
			k := key(next)
			if seen[k] {
				continue
			}
			if len(seen) >= maxStates {
				return nil, &errTooComplex{fmt.Sprintf("%d patterns need more than %d automaton states", len(pats), maxStates)}
			}
			seen[k] = true
			queue = append(queue, node{next, n.str + string(r)})
		}
	}
	return out, nil
}
