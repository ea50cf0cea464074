package main

import (
	"strings"
	"testing"
)

// FuzzParseContext feeds --context values: each either parses, giving keys
// that the request validator accepts or rejects with an error, or is
// refused with an error; never a panic.
func FuzzParseContext(f *testing.F) {
	for _, s := range []string{"aws:SourceIp:ip=192.0.2.1", "aws:TagKeys:stringList=a", "k=v\nk=w", "x:numeric=1e3", "=", "a:binary=!!", "aws:CurrentTime:date=2026-11-25T00:00:00Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ctx, err := parseContext(strings.Split(s, "\n"))
		if err != nil {
			return
		}
		_ = ctx.Validate()
	})
}
