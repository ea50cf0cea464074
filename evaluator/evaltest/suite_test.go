package evaltest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/policy"
)

// jsonCases is a JSON case file; the comments on the right are not in it.
// Line 5 starts the case, whose statement's mapping opens at line 7
// column 9.
const jsonCases = `{
  "name": "json",
  "defaults": {"principal": "arn:aws:iam::111111111111:user/alice"},
  "cases": [
    {"name": "get", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k",
     "identityPolicies": [{"Version": "2012-10-17", "Statement": [
        {"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}],
     "context": {"aws:MultiFactorAuthAge": 30, "aws:SecureTransport": true},
     "expect": "allowed"}
  ]
}
`

// TestJSONCaseFile: a .json case file is read by the JSON reader, which
// keeps every value's position: the case's line, and the inline policy's
// statement placed in the case file as for YAML.
func TestJSONCaseFile(t *testing.T) {
	f, err := Load("cases.json", []byte(jsonCases))
	require.NoError(t, err)
	require.Len(t, f.Cases, 1)
	c := f.Cases[0]
	require.Equal(t, 5, c.Line)
	require.Equal(t, policy.Position{Source: "cases.json", Line: 7, Column: 9}, c.Policies.Identity[0].Policy.Statements[0].Span.Start)
	v, _ := c.Request.Context.Lookup("aws:MultiFactorAuthAge")
	require.Equal(t, []string{"30"}, v.Values)
	v, _ = c.Request.Context.Lookup("aws:SecureTransport")
	require.Equal(t, []string{"true"}, v.Values)
	o := c.Run()
	require.True(t, o.Pass(), o.Report())

	// The same text read as YAML (JSON is YAML) gives the same case.
	y, err := Load("cases.yaml", []byte(jsonCases))
	require.NoError(t, err)
	require.Equal(t, c.Line, y.Cases[0].Line)
	require.Equal(t, 7, y.Cases[0].Policies.Identity[0].Policy.Statements[0].Span.Start.Line)
	require.Equal(t, c.Request, y.Cases[0].Request)
}

// TestJSONCaseFileErrors: problems name the file and the line (and column)
// of the JSON text.
func TestJSONCaseFileErrors(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"syntax", "{\n  \"cases\": [\n    {\"name\": }\n  ]\n}", "c.json:3:14: invalid JSON"},
		{"truncated", "{\"cases\": [", "c.json:1:12: invalid JSON: unexpected end of input"},
		{"trailing data", "{\"cases\": []} {}", "c.json:1:15: invalid JSON: data after the document"},
		{"unknown field", "{\n \"case\": []}", `c.json:2:2: field "case" is not a case-file field`},
		{"repeated key", "{\"cases\": [],\n \"cases\": []}", `c.json:2:2: key "cases" repeated`},
		{"not an object", "[]", "c.json:1:1: a case file is an object"},
		{"no cases", `{"name": "x"}`, "c.json: no cases"},
		{"too deep", strings.Repeat("[", 300), "nested more than 200 deep"},
		{"bad case field", "{\"cases\": [\n {\"name\": \"a\",\n  \"actoin\": \"s3:GetObject\"}]}", `c.json:2: case 1: line 3: unknown case field "actoin"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load("c.json", []byte(tc.src))
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestInvalidCaseKeepsTheOthers: an invalid case is reported with its
// line, and the file's valid cases are loaded and run.
func TestInvalidCaseKeepsTheOthers(t *testing.T) {
	src := `defaults:
  principal: arn:aws:iam::111111111111:user/alice
  identityPolicies: [{Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: "*"}]}]
cases:
  - name: first
    action: s3:GetObject
    expect: allowed
  - name: bad decision
    action: s3:GetObject
    expect: maybe
  - name: first
    action: s3:PutObject
    expect: implicitDeny
  - name: last
    action: s3:PutObject
    expect: implicitDeny
`
	f, err := Load("c.yaml", []byte(src))
	require.Error(t, err)
	require.NotNil(t, f)
	var names []string
	for _, c := range f.Cases {
		names = append(names, c.Name)
	}
	require.Equal(t, []string{"first", "last"}, names)
	require.Len(t, f.Invalid, 2)
	require.Equal(t, 1, f.Invalid[0].Index)
	require.Equal(t, 8, f.Invalid[0].Line)
	require.Equal(t, "bad decision", f.Invalid[0].Name)
	require.Equal(t, 11, f.Invalid[1].Line)
	require.Contains(t, f.Invalid[1].Error(), `c.yaml:11: case 3: case name "first" already used at line 5`)
	var ce *CaseError
	require.True(t, errors.As(err, &ce))
	require.Equal(t, f.Invalid[0], ce)
}

// manyCases writes a case file of n cases: case i reads object i, allowed
// by the defaults' identity policy when i is even, denied by it when i is
// odd (a key under deny/). Every fourth case brings its own copy of the
// policy, inline, so the file has several policy sets.
func manyCases(t *testing.T, n int) string {
	t.Helper()
	const pol = `{Version: "2012-10-17", Statement: [{Sid: Read, Effect: Allow, Action: "s3:GetObject", Resource: "*"}, {Sid: NoDeny, Effect: Deny, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/deny/*"}]}`
	var b strings.Builder
	fmt.Fprintf(&b, "defaults:\n  principal: arn:aws:iam::111111111111:user/alice\n  identityPolicies: [%s]\ncases:\n", pol)
	for i := range n {
		key, want := fmt.Sprintf("k%d", i), "allowed"
		if i%2 == 1 {
			key, want = "deny/"+key, "explicitDeny"
		}
		fmt.Fprintf(&b, "  - name: case %d\n    action: s3:GetObject\n    resource: arn:aws:s3:::b/%s\n    expect: %s\n", i, key, want)
		if i%4 == 3 {
			fmt.Fprintf(&b, "    identityPolicies: [%s]\n", pol)
		}
	}
	path := filepath.Join(t.TempDir(), "many.yaml")
	require.NoError(t, os.WriteFile(path, []byte(b.String()), 0o644))
	return path
}

// TestRunConcurrentKeepsOrderAndSharesEngines: File.Run hands outcomes
// over in file order, the cases sharing the defaults share one parsed
// policy, and at most maxEngines compiled sets are kept.
func TestRunConcurrentKeepsOrderAndSharesEngines(t *testing.T) {
	f, err := LoadFile(manyCases(t, 200))
	require.NoError(t, err)
	require.Same(t, f.Cases[0].Policies.Identity[0].Policy, f.Cases[2].Policies.Identity[0].Policy)
	require.NotSame(t, f.Cases[0].Policies.Identity[0].Policy, f.Cases[3].Policies.Identity[0].Policy)
	i := 0
	f.Run(func(o *Outcome) {
		require.Same(t, f.Cases[i], o.Case)
		require.True(t, o.Pass(), o.Report())
		require.Nil(t, o.Result.Trace, "a passing case runs without a trace")
		i++
	})
	require.Equal(t, 200, i)
	ec := f.Cases[0].engines
	require.LessOrEqual(t, len(ec.entries), maxEngines)
	a, err := ec.engine(f.Cases[0].Policies)
	require.NoError(t, err)
	b, err := ec.engine(f.Cases[2].Policies)
	require.NoError(t, err)
	require.Same(t, a, b)
	c, err := ec.engine(f.Cases[3].Policies)
	require.NoError(t, err)
	require.NotSame(t, a, c)
}

// TestRunFileConcurrentCoverage: coverage recorded by cases run on several
// goroutines counts every case: the Read statement applies to all 200,
// the NoDeny statement to the 100 odd ones. Each distinct policy (the
// defaults' and the 50 copies, at their own lines) is registered once.
func TestRunFileConcurrentCoverage(t *testing.T) {
	cov := NewCoverage()
	RunFile(t, manyCases(t, 200), WithCoverage(cov))
	hits := map[string]int{}
	for _, s := range cov.Statements() {
		hits[s.Sid] += s.Hits
	}
	require.Equal(t, map[string]int{"Read": 200, "NoDeny": 100}, hits)
	require.Len(t, cov.Statements(), 2*51)
}

// TestFailingCaseHasATrace: File.Run reruns a failing case with a trace
// for its report.
func TestFailingCaseHasATrace(t *testing.T) {
	f, err := Load("c.yaml", []byte(`cases:
  - name: wrong
    principal: arn:aws:iam::111111111111:user/alice
    action: s3:GetObject
    expect: allowed
`))
	require.NoError(t, err)
	f.Run(func(o *Outcome) {
		require.False(t, o.Pass())
		require.NotNil(t, o.Result.Trace)
		require.Contains(t, o.Report(), "trace:")
	})
}

// FuzzJSONCaseFile: any text loads or fails with an error, never a panic,
// and an error names the file.
func FuzzJSONCaseFile(f *testing.F) {
	f.Add(jsonCases)
	f.Add(`{"cases": [{"name": "a", "principal": "anonymous", "action": "s3:GetObject", "expect": "implicitDeny"}]}`)
	f.Add("\xef\xbb\xbf{\"cases\": [1, [], {}, null, true, 1e400, \"x\"]}")
	f.Fuzz(func(t *testing.T, src string) {
		file, err := Load("fuzz.json", []byte(src))
		if err != nil {
			require.Contains(t, err.Error(), "fuzz.json")
			return
		}
		require.NotNil(t, file)
	})
}
