package catalog

import (
	"regexp"
	"strings"
	"testing"

	"github.com/iamsim/iamsim/policy"
)

// FuzzWildcard checks wildcardMatch against a regexp reference.
func FuzzWildcard(f *testing.F) {
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
		// wildcardMatch works on bytes; the reference on runes: compare on ASCII only.
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
		if got, want := wildcardMatch(pattern, s), re.MatchString(s); got != want {
			t.Fatalf("wildcardMatch(%q, %q) = %v, want %v", pattern, s, got, want)
		}
	})
}

// FuzzLint lints random one-statement policies: never a panic, every
// warning has a code and a path.
func FuzzLint(f *testing.F) {
	f.Add("s3:GetObjects", "arn:aws:dynamodb:us-east-1:111122223333:table/T", "s3:max-keys")
	f.Add("*:Get*", "*", "aws:RequestTag/x")
	f.Add("iam:*AccessKey*", "arn:aws:iam::111122223333:user/${aws:username}", "iam:PassedToService")
	f.Fuzz(func(t *testing.T, action, resource, key string) {
		p := &policy.Policy{Version: policy.Version2012, Statements: []policy.Statement{{
			Effect: policy.Allow, Action: []string{action}, Resource: []string{resource},
			Conditions: []policy.Condition{{Operator: "StringEquals", Key: key, Values: []string{"v"}}},
		}}}
		for _, w := range Lint(p) {
			if w.Code == "" || w.Path == "" || w.Message == "" {
				t.Fatalf("incomplete warning %+v", w)
			}
		}
	})
}
