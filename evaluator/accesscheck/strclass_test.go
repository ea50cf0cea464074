package accesscheck

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/iamsim/iamsim/arn"
)

// TestStringClassesComplete checks the class construction against the
// arn package's matcher: every signature that some short string has (all
// strings over a small alphabet, enumerated) must be among the classes,
// and every class witness must have its signature.
func TestStringClassesComplete(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 18))
	pieces := []string{"a", "b", ":", "/", "*", "?", "ab"}
	modes := []struct {
		m      strMode
		am     arn.Mode
		prefix string
	}{{modeResource, arn.ResourceMode, "arn:"}, {modeGlob, arn.GlobMode, ""}, {modeARN, arn.ARNMode, ""}, {modeLiteral, arn.LiteralMode, ""}}
	for round := range 800 {
		md := modes[round%len(modes)]
		var srcs []string
		for range 1 + r.IntN(3) {
			var b strings.Builder
			seg := func(n int) {
				for range n {
					b.WriteString(pieces[r.IntN(len(pieces))])
				}
			}
			if md.m == modeResource {
				b.WriteString("arn:")
				for range 4 {
					seg(r.IntN(2))
					b.WriteString(":")
				}
			}
			seg(r.IntN(5))
			s := b.String()
			if md.m == modeARN && r.IntN(2) == 0 {
				s = "a:b:" + s + ":::"
			}
			srcs = append(srcs, s)
		}
		var pats []strPat
		var oracle []arn.Pattern
		for _, s := range srcs {
			o, err := arn.CompilePattern(s, arn.WithMode(md.am), arn.WithoutVariables())
			if err != nil {
				continue // not a pattern IAM accepts
			}
			pats = append(pats, compileStrPat(s, md.m))
			oracle = append(oracle, o)
		}
		classes, err := stringClasses(pats, md.prefix, 100_000, nil)
		if err != nil {
			t.Fatal(err)
		}
		sig := func(s string) string {
			b := make([]byte, len(oracle))
			for i := range oracle {
				b[i] = '0'
				if oracle[i].Match(s, nil) {
					b[i] = '1'
				}
			}
			return string(b)
		}
		for want, w := range classes {
			if got := sig(w); got != want {
				t.Fatalf("mode %d patterns %q: witness %q has signature %s, class %s", md.m, srcs, w, got, want)
			}
		}
		// Every string up to length 6 over a small alphabet.
		alpha := []string{"a", "b", "c", ":", "/"}
		var walk func(s string, n int)
		walk = func(s string, n int) {
			if _, ok := classes[sig(md.prefix+s)]; !ok {
				t.Fatalf("mode %d patterns %q: %q has signature %s, no class has", md.m, srcs, md.prefix+s, sig(md.prefix+s))
			}
			if n == 0 {
				return
			}
			for _, c := range alpha {
				walk(s+c, n-1)
			}
		}
		if md.m == modeResource {
			// Resource strings need four more colons to be matched at all.
			for _, mid := range []string{"::::", "a:b::c:", ":a::::"} {
				walk(mid, 4)
			}
		}
		walk("", 6)
	}
}
