package main

import (
	"strings"
	"testing"
)

// FuzzParseContext feeds --context values: each is refused with an error,
// or parses into keys that hold, between them, one value per line, each key
// the start of some line (a KEY or KEY:TYPE before "="); never a panic.
func FuzzParseContext(f *testing.F) {
	for _, s := range []string{"aws:SourceIp:ip=192.0.2.1", "aws:TagKeys:stringList=a", "k=v\nk=w", "x:numeric=1e3", "=", "a:binary=!!", "aws:CurrentTime:date=2026-11-25T00:00:00Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lines := strings.Split(s, "\n")
		ctx, err := parseContext(lines)
		if err != nil {
			return
		}
		n := 0
		for k, v := range ctx {
			n += len(v.Values)
			found := false
			for _, l := range lines {
				found = found || k != "" && strings.HasPrefix(l, k)
			}
			if !found {
				t.Fatalf("%q: key %q is in no line", s, k)
			}
		}
		if n != len(lines) {
			t.Fatalf("%q: %d values from %d lines", s, n, len(lines))
		}
	})
}
