package arn

import (
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
// plain reading of SPEC 5.2 (ResourceMode) and of the glob rules (GlobMode).
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
