package evaltest

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestLoadErrorLines: a case-file error names the offending line (not the
// line where YAML's enclosing construct began), quotes it, and counts cases
// from 1.
func TestLoadErrorLines(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"unclosed flow sequence", "name: n\ncases:\n  - name: x\n    action: [s3:GetObject\n",
			"f.yaml:4: did not find expected ',' or ']'\n\t4 |     action: [s3:GetObject"},
		{"after a multi-line flow", "cases:\n  - name: a\n    identityPolicies: [\n      {a: 1}]\n  - name: b\n    action: [x, y\n    expect: allowed\n",
			"f.yaml:6: did not find expected ',' or ']'\n\t6 |     action: [x, y"},
		{"tab indentation", "name: n\ncases:\n  - name: x\n\taction: y\n",
			"f.yaml:4: found a tab character that violates indentation\n\t4 | \taction: y"},
		{"bad indentation", "cases:\n  - name: a\n    x: 1\n   y: 2\n",
			"f.yaml:4: did not find expected '-' indicator\n\t4 |    y: 2"},
		{"cases not a list", "name: n\ncases: 5\n", "f.yaml:2: cases must be a list of cases, not !!int `5`"},
		{"name not a string", "name: [a]\ncases: []\n", "f.yaml:1: name must be a string, not !!seq"},
		{"unknown field", "name: n\ncase: []\n", "f.yaml:2: field case is not a case-file field (want name, defaults and cases)"},
		{"second case", "cases:\n  - name: a\n    principal: arn:aws:iam::111122223333:user/a\n    action: s3:GetObject\n    resource: \"*\"\n    expect: allowed\n  - name: b\n    bogus: 1\n",
			"f.yaml:7: case 2: line 8: unknown case field \"bogus\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("f.yaml", []byte(tc.src))
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestLoadErrorLineBudget: placing a syntax error in a long file costs a
// bounded amount of parsing.
func TestLoadErrorLineBudget(t *testing.T) {
	src := "cases:\n" + strings.Repeat("  - name: a very long case name to take some room on each line\n", 40000) + "  - name: [x\n"
	start := time.Now()
	_, err := Load("f.yaml", []byte(src))
	require.Error(t, err)
	require.Less(t, time.Since(start), 20*time.Second)
}
