package arn

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// FuzzParse checks that Parse never panics and that what it accepts
// round-trips through String.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"arn:aws:s3:::b/k", "arn:aws:iam::111122223333:user/a", "arn:aws:lambda:us-east-1:1:function:f:P", "arn:", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			return
		}
		if a.String() != s {
			t.Fatalf("Parse(%q).String() = %q", s, a.String())
		}
		b, err := Parse(a.String())
		if err != nil || b != a {
			t.Fatalf("re-parse of %q: %v %v", s, b, err)
		}
	})
}

// reference translates a variable-free pattern into an anchored regexp, the
// plain reading of docs/semantics.md §5.2 (ResourceMode) and of the glob rules (GlobMode).
func reference(pattern string, mode Mode) *regexp.Regexp {
	if mode == ResourceMode && pattern == "*" {
		return regexp.MustCompile(`(?s)^.*$`)
	}
	var b strings.Builder
	b.WriteString(`(?s)^`)
	for i, r := range pattern {
		switch {
		case r == '*' && mode == GlobMode:
			b.WriteString(`.*`)
		case r == '*':
			if i+1 == len(pattern) || pattern[i+1] == ':' {
				b.WriteString(`.*`)
			} else {
				b.WriteString(`[^:]*`)
			}
		case r == '?' && mode == GlobMode:
			b.WriteString(`.`)
		case r == '?':
			b.WriteString(`[^:]`)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString(`$`)
	return regexp.MustCompile(b.String())
}

// FuzzPattern checks that CompilePattern and Match never panic, and that
// variable-free resource and glob patterns agree with the regexp reference.
func FuzzPattern(f *testing.F) {
	f.Add("arn:aws:s3:::b/*/test/*", "arn:aws:s3:::b/1/test/x", false)
	f.Add("arn:aws:lambda:us-east-1:1:function:fn*", "arn:aws:lambda:us-east-1:1:function:fn:PROD", false)
	f.Add("iam:*accesskey*", "iam:updateaccesskey", true)
	f.Add("a?b*[c]{d}\\", "axb[c]{d}\\", true)
	f.Add("arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/alice/x", false)
	f.Fuzz(func(t *testing.T, pattern, value string, globMode bool) {
		mode := ResourceMode
		if globMode {
			mode = GlobMode
		}
		p, err := CompilePattern(pattern, WithMode(mode))
		if err != nil {
			return
		}
		got := p.Match(value, vars{"aws:username": "alice"})
		for _, m := range []Mode{ARNMode, LiteralMode} {
			if q, err := CompilePattern(pattern, WithMode(m)); err == nil {
				q.Match(value, nil)
			}
		}
		if p.HasVariables() || !utf8Clean(pattern) || !utf8Clean(value) {
			return
		}
		if want := reference(pattern, mode).MatchString(value); got != want {
			t.Fatalf("mode %v: %q against %q: got %v, reference %v", mode, pattern, value, got, want)
		}
	})
}

// utf8Clean limits the comparison to valid UTF-8, where byte and rune
// readings of '?' cannot differ.
func utf8Clean(s string) bool { return strings.ToValidUTF8(s, "") == s }

// FuzzMatchWildcard checks MatchWildcard against a regexp reference.
func FuzzMatchWildcard(f *testing.F) {
	for _, s := range [][2]string{{"get*", "getobject"}, {"*accesskey*", "listaccesskeys"}, {"get?bject", "getobject"}, {"*a*a*a*b", "aaaaaaaaaaaa"}, {"", ""}, {"?", ""}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		if len(pattern) > 64 || len(s) > 64 {
			return
		}
		var b strings.Builder
		b.WriteString(`^(?s)`)
		for _, r := range pattern {
			switch r {
			case '*':
				b.WriteString(".*")
			case '?':
				b.WriteString(".")
			default:
				b.WriteString(regexp.QuoteMeta(string(r)))
			}
		}
		b.WriteString("$")
		re, err := regexp.Compile(b.String())
		if err != nil {
			return
		}
		// MatchWildcard works on bytes; the reference on runes: compare on ASCII only.
		for i := 0; i < len(pattern); i++ {
			if pattern[i] >= 0x80 {
				return
			}
		}
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x80 {
				return
			}
		}
		if got, want := MatchWildcard(pattern, s), re.MatchString(s); got != want {
			t.Fatalf("MatchWildcard(%q, %q) = %v, want %v", pattern, s, got, want)
		}
	})
}

// varMark stands for "${aws:username}" in referenceWith's reading of a
// pattern: a character no fuzzed pattern is compared with.
const varMark = '\uE000'

// referenceWith is reference extended to ARNMode and to patterns whose only
// variable is ${aws:username}, substituted as literal text v. ok is false
// for patterns it does not model (other variables, the mark itself).
func referenceWith(pattern string, mode Mode, v string) (match func(string) bool, ok bool) {
	if strings.ContainsRune(pattern, varMark) {
		return nil, false
	}
	pattern = strings.ReplaceAll(pattern, "${aws:username}", string(varMark))
	if strings.Contains(pattern, "${") {
		return nil, false
	}
	if (mode == ResourceMode || mode == ARNMode) && pattern == "*" {
		return func(string) bool { return true }, true
	}
	// The pattern as characters, each a wildcard or literal: the value's
	// characters are literal.
	type char struct {
		r   rune
		lit bool
	}
	var chars []char
	for _, r := range pattern {
		if r == varMark {
			for _, vr := range v {
				chars = append(chars, char{vr, true})
			}
			continue
		}
		chars = append(chars, char{r, r != '*' && r != '?'})
	}
	// glob translates characters to an anchored regexp: '*' and '?' are
	// wildcards, crossing colons or not as the mode says. In ResourceMode
	// a '*' crosses colons when a ':' or the end follows it in the pattern
	// as written (a variable after it does not count).
	glob := func(cs []char, crosses func(i int) bool) *regexp.Regexp {
		var b strings.Builder
		b.WriteString(`(?s)^`)
		for i, c := range cs {
			switch {
			case c.lit:
				b.WriteString(regexp.QuoteMeta(string(c.r)))
			case c.r == '*' && mode == ResourceMode && crosses(i):
				b.WriteString(`.*`)
			case c.r == '*' && mode == ResourceMode:
				b.WriteString(`[^:]*`)
			case c.r == '*':
				b.WriteString(`.*`)
			case mode == ResourceMode:
				b.WriteString(`[^:]`)
			default:
				b.WriteString(`.`)
			}
		}
		b.WriteString(`$`)
		return regexp.MustCompile(b.String())
	}
	if mode != ARNMode {
		// Where each character came from in the pattern as written.
		rs := []rune(pattern)
		src := make([]int, 0, len(chars))
		for i, r := range rs {
			if r == varMark {
				for range []rune(v) {
					src = append(src, i)
				}
				continue
			}
			src = append(src, i)
		}
		return glob(chars, func(i int) bool {
			j := src[i]
			return j+1 == len(rs) || rs[j+1] == ':'
		}).MatchString, true
	}
	// ARNMode: the six parts of the substituted pattern and of the value,
	// part by part; a value's colons cut parts like the pattern's own.
	var parts [][]char
	cur := []char{}
	for _, c := range chars {
		if c.r == ':' && len(parts) < 5 {
			parts = append(parts, cur)
			cur = []char{}
			continue
		}
		cur = append(cur, c)
	}
	parts = append(parts, cur)
	if len(parts) < 6 {
		return func(string) bool { return false }, true
	}
	var res [6]*regexp.Regexp
	for i, part := range parts {
		res[i] = glob(part, nil)
	}
	return func(s string) bool {
		vs := strings.SplitN(s, ":", 6)
		if len(vs) < 6 {
			return false
		}
		for i := range vs {
			if !res[i].MatchString(vs[i]) {
				return false
			}
		}
		return true
	}, true
}

// FuzzPatternModes checks resource, glob and ARN patterns, with or without
// ${aws:username} (whose value is fuzzed too, colons and wildcards
// included), against referenceWith. When m's high bit is set, resource
// patterns are compiled WithVariablesAnywhere, which must accept every
// pattern the default accepts and match it the same way.
func FuzzPatternModes(f *testing.F) {
	f.Add("arn:*:kms:*:${aws:username}:key/*", "arn:aws:kms:r:111122223333:key/k", "111122223333", uint8(0x80))
	f.Add("arn:${aws:username}*:x:y", "arn:a:b:c:x:y", "a:b", uint8(0x80))
	f.Add("arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/a:*/x", "a:*", uint8(0))
	f.Add("arn:aws:ec2:*:1:thing/*", "arn:aws:ec2:us-east-1:2:1:thing/x", "", uint8(0))
	f.Add("arn:*:*:*:*:*", "arn:a:b:c:d:e:f", "", uint8(0))
	f.Add("arn:aws:s3:::*:a*:b", "arn:aws:s3:::x:y:a:b", "", uint8(0))
	f.Add("arn:aws:iam::*:role/${aws:username}*", "arn:aws:iam::1:role/bob-x", "bob", uint8(2))
	f.Add("a${aws:username}?*", "a?b", "?", uint8(1))
	f.Fuzz(func(t *testing.T, pattern, value, v string, m uint8) {
		mode := []Mode{ResourceMode, GlobMode, ARNMode}[m&0x7f%3]
		opts := []Option{WithMode(mode)}
		if m&0x80 != 0 {
			opts = append(opts, WithVariablesAnywhere())
		}
		p, err := CompilePattern(pattern, opts...)
		if m&0x80 != 0 {
			if q, err2 := CompilePattern(pattern, WithMode(mode)); err2 == nil {
				if err != nil {
					t.Fatalf("%q compiles by default but not WithVariablesAnywhere: %v", pattern, err)
				}
				if a, b := q.Match(value, vars{"aws:username": v}), p.Match(value, vars{"aws:username": v}); a != b {
					t.Fatalf("%q against %q: %v by default, %v WithVariablesAnywhere", pattern, value, a, b)
				}
			}
		}
		if err != nil {
			return
		}
		got := p.Match(value, vars{"aws:username": v})
		if !utf8Clean(pattern) || !utf8Clean(value) || !utf8Clean(v) {
			return
		}
		ref, ok := referenceWith(pattern, mode, v)
		if !ok {
			return
		}
		if want := ref(value); got != want {
			t.Fatalf("mode %v: %q (${aws:username}=%q) against %q: got %v, reference %v", mode, pattern, v, value, got, want)
		}
	})
}

// TestPatternsAgainstReference compares every mode with referenceWith on
// random patterns and values over a small alphabet, where crossing and
// segment '*'s, '?' and colons meet often (fixed seed), half of them
// compiled WithVariablesAnywhere.
func TestPatternsAgainstReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 25))
	pick := func(alpha []string, n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(alpha[rng.IntN(len(alpha))])
		}
		return b.String()
	}
	patAlpha := []string{"a", "b", ":", ":", "*", "*", "?", "${aws:username}"}
	valAlpha := []string{"a", "b", ":", ":", "*"}
	checked := 0
	for range 20000 {
		mode := []Mode{ResourceMode, GlobMode, ARNMode}[rng.IntN(3)]
		pattern := pick(patAlpha, rng.IntN(9))
		if mode == ResourceMode {
			pattern = "arn:" + pattern
		}
		v := pick(valAlpha, rng.IntN(3))
		opts := []Option{WithMode(mode)}
		if rng.IntN(2) == 0 {
			opts = append(opts, WithVariablesAnywhere())
		}
		p, err := CompilePattern(pattern, opts...)
		if err != nil {
			continue
		}
		ref, ok := referenceWith(pattern, mode, v)
		if !ok {
			t.Fatalf("reference does not model %q", pattern)
		}
		for range 20 {
			value := pick(valAlpha, rng.IntN(12))
			if mode == ResourceMode {
				value = "arn:" + value
			}
			if got, want := p.Match(value, vars{"aws:username": v}), ref(value); got != want {
				t.Fatalf("mode %v: %q (${aws:username}=%q) against %q: got %v, reference %v", mode, pattern, v, value, got, want)
			}
			checked++
		}
	}
	if checked < 100000 {
		t.Fatalf("only %d comparisons; the generator is broken", checked)
	}
}
