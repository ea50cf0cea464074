package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func runCmd(t *testing.T, stdin string, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	status = run(args, strings.NewReader(stdin), &out, &errb)
	return status, out.String(), errb.String()
}

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
	return p
}

func TestUsage(t *testing.T) {
	st, _, errOut := runCmd(t, "")
	require.Equal(t, 2, st)
	require.Contains(t, errOut, "validate")
	st, _, _ = runCmd(t, "", "frobnicate")
	require.Equal(t, 2, st)
	st, out, _ := runCmd(t, "", "--help")
	require.Equal(t, 0, st)
	require.Contains(t, out, "eval")
}

func TestValidateCommand(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`)
	bad := writeFile(t, dir, "bad.json", "{\"Version\":\"2012-10-17\",\n \"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3\",\"Resource\":\"*\"}}")
	bucket := writeFile(t, dir, "bucket.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}}`)

	st, out, _ := runCmd(t, "", "validate", "--kind", "identity", good, "file://"+good)
	require.Equal(t, 0, st)
	require.Empty(t, out)

	st, out, _ = runCmd(t, "", "validate", "--kind", "identity", good, bad)
	require.Equal(t, 1, st)
	require.Equal(t, bad+`:2:41: invalid_action: action "s3" is not "*" or of the form "service:ActionName"`+"\n", out)

	// The same document is valid as a resource policy and not as a session policy.
	st, _, _ = runCmd(t, "", "validate", "--kind", "resource", bucket)
	require.Equal(t, 0, st)
	st, out, _ = runCmd(t, "", "validate", "--kind", "session", bucket)
	require.Equal(t, 1, st)
	require.Contains(t, out, bucket+":1:37: element_not_allowed: ")

	// Standard input.
	st, out, _ = runCmd(t, `{"Statement":{"Effect":"Deny","Action":"*"}}`, "validate", "--kind", "identity", "-")
	require.Equal(t, 1, st)
	require.Equal(t, "-:1:14: missing_element: identity policy: the statement needs Resource or NotResource\n", out)

	for _, args := range [][]string{
		{"validate", good},                                  // no kind
		{"validate", "--kind", "group", good},               // unknown kind
		{"validate", "--kind", "identity"},                  // no files
		{"validate", "--kind", "identity", dir + "/absent"}, // unreadable
		{"validate", "--bogus"},
	} {
		st, _, _ := runCmd(t, "", args...)
		require.Equal(t, 2, st, "%v", args)
	}
}

func TestEvalCommand(t *testing.T) {
	dir := t.TempDir()
	id := writeFile(t, dir, "id.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`)
	sess := writeFile(t, dir, "sess.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`)
	base := []string{"eval", "--principal", "arn:aws:sts::111122223333:assumed-role/app/s1", "--identity", id, "--session", "file://" + sess}

	st, out, _ := runCmd(t, "", append(base, "--action", "s3:GetObject", "--resource", "arn:aws:s3:::b/k")...)
	require.Equal(t, 0, st)
	require.Equal(t, "allowed\n", out)
	// The session policy does not allow PutObject, so the session may not
	// (IUG access_policies: effective permissions are the intersection).
	st, out, _ = runCmd(t, "", append(base, "--action", "s3:PutObject", "--resource", "arn:aws:s3:::b/k")...)
	require.Equal(t, 3, st)
	require.Equal(t, "implicitDeny\n", out)

	st, _, _ = runCmd(t, "", "eval", "--action", "s3:GetObject")
	require.Equal(t, 2, st)
	bad := writeFile(t, dir, "bad.json", `{"Statement":{"Effect":"Allow"}}`)
	st, _, _ = runCmd(t, "", "eval", "--principal", "arn:aws:iam::111122223333:user/a", "--action", "s3:GetObject", "--identity", bad)
	require.Equal(t, 1, st)
}

// TestEvalUnknownActionWarning: eval and explain print the decision for a
// misspelt action as written, but warn on stderr with the catalog's
// suggestion; the exit status follows the decision as before.
func TestEvalUnknownActionWarning(t *testing.T) {
	dir := t.TempDir()
	all := writeFile(t, dir, "all.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`)
	get := writeFile(t, dir, "get.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`)
	base := []string{"--principal", "arn:aws:iam::111122223333:user/alice", "--resource", "arn:aws:s3:::b/k"}
	warning := "warning: unknown action s3:GetObjct; did you mean s3:GetObject?\n"

	// s3:* allows any s3 name, misspelt or not.
	st, out, errOut := runCmd(t, "", append(append([]string{"eval"}, base...), "--identity", all, "--action", "s3:GetObjct")...)
	require.Equal(t, 0, st)
	require.Equal(t, "allowed\n", out)
	require.Equal(t, "iamsim eval: "+warning, errOut)
	// An exact Allow does not match the misspelt name.
	st, out, errOut = runCmd(t, "", append(append([]string{"eval"}, base...), "--identity", get, "--action", "s3:GetObjct")...)
	require.Equal(t, 3, st)
	require.Equal(t, "implicitDeny\n", out)
	require.Equal(t, "iamsim eval: "+warning, errOut)
	// An unknown service is named.
	_, _, errOut = runCmd(t, "", append(append([]string{"eval"}, base...), "--identity", get, "--action", "s4:GetObject")...)
	require.Equal(t, `iamsim eval: warning: unknown action s4:GetObject (no service has the prefix "s4"); did you mean s3:GetObject?`+"\n", errOut)
	// explain warns the same way and still explains.
	st, out, errOut = runCmd(t, "", append(append([]string{"explain"}, base...), "--identity", get, "--action", "s3:GetObjct")...)
	require.Equal(t, 3, st)
	require.Contains(t, out, "s3:GetObjct on arn:aws:s3:::b/k: implicitDeny")
	require.Equal(t, "iamsim explain: "+warning, errOut)
	// A known action, in any case, gives no warning.
	st, out, errOut = runCmd(t, "", append(append([]string{"eval"}, base...), "--identity", get, "--action", "S3:getobject")...)
	require.Equal(t, 0, st)
	require.Equal(t, "allowed\n", out)
	require.Empty(t, errOut)
}

// TestTestCommandUnknownAction: iamsim test fails the cases of
// evaltest/testdata/typos whose actions are misspelt, though they get the
// implicit deny they expect.
func TestTestCommandUnknownAction(t *testing.T) {
	st, out, _ := runCmd(t, "", "test", "../../evaluator/evaltest/testdata/typos")
	require.Equal(t, 1, st, out)
	require.Contains(t, out, "unknown action s3:DeleteObjct; did you mean s3:DeleteObject?")
	require.Contains(t, out, "mark the case allowUnknownAction: true")
	require.Contains(t, out, "1 passed, 2 failed\n")
}

func TestTestCommand(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "cases.yaml", `name: demo
defaults:
  principal: arn:aws:iam::111122223333:user/alice
  identityPolicies:
    - {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:Get*", Resource: "*"}]}
cases:
  - name: get is allowed
    action: s3:GetObject
    expect: allowed
  - name: put is not allowed
    action: s3:PutObject
    expect: implicitDeny
  - name: a deliberately wrong expectation
    action: s3:PutObject
    expect: allowed
`)
	st, out, _ := runCmd(t, "", "test", dir)
	require.Equal(t, 1, st)
	require.Contains(t, out, "FAIL ")
	require.True(t, strings.HasSuffix(out, "2 passed, 1 failed\n"), out)

	st, out, _ = runCmd(t, "", "test", "--json", dir)
	require.Equal(t, 1, st)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 3)
	require.Contains(t, lines[2], `"pass":false`)
	require.Contains(t, lines[2], `"problem":"decision: want allowed, got implicitDeny"`)
	require.NotContains(t, lines[0], `"problem"`)

	st, _, _ = runCmd(t, "", "test")
	require.Equal(t, 2, st)

	// A file that does not load is named and counted; a policy that is not
	// valid for its place makes the file invalid: status 2 either way.
	writeFile(t, dir, "broken.yaml", "cases: [\n")
	st, out, errOut := runCmd(t, "", "test", dir)
	require.Equal(t, 2, st)
	require.True(t, strings.HasSuffix(out, "2 passed, 1 failed, 1 file not loaded\n"), out)
	require.Contains(t, errOut, "broken.yaml")
	bad := t.TempDir()
	writeFile(t, bad, "principal.yaml", `cases:
  - name: an identity policy with a Principal
    principal: arn:aws:iam::111122223333:user/alice
    action: s3:GetObject
    resource: "*"
    identityPolicies: [{Version: "2012-10-17", Statement: [{Effect: Allow, Principal: "*", Action: "s3:*", Resource: "*"}]}]
    expect: allowed
`)
	st, _, _ = runCmd(t, "", "test", bad)
	require.Equal(t, 2, st)
}

func TestParseContextTypeCase(t *testing.T) {
	_, err := parseContext([]string{"aws:SourceIp:IP=192.0.2.1"})
	require.ErrorContains(t, err, "write the type as the AWS CLI does: ip")
	_, err = parseContext([]string{"aws:TagKeys:stringlist=a"})
	require.ErrorContains(t, err, "stringList")
}

func TestParseContext(t *testing.T) {
	ctx, err := parseContext([]string{"aws:SourceIp:ip=192.0.2.1", "aws:TagKeys=a", "aws:TagKeys=b",
		"aws:PrincipalTag/team=blue", "s3:max-keys:numeric=10", "aws:TagKeys2:stringList=x", "k=v=w"})
	require.NoError(t, err)
	require.Equal(t, []string{"192.0.2.1"}, ctx["aws:SourceIp"].Values)
	require.False(t, ctx["aws:SourceIp"].Multi)
	require.Equal(t, []string{"a", "b"}, ctx["aws:TagKeys"].Values)
	require.True(t, ctx["aws:TagKeys"].Multi)
	require.True(t, ctx["aws:TagKeys2"].Multi)
	require.Equal(t, "10", ctx["s3:max-keys"].Values[0])
	require.Equal(t, "v=w", ctx["k"].Values[0])
	for _, bad := range []string{"novalue", "=x", "aws:SourceIp:ip=not-an-ip", "n:numeric=ten", "d:date=soon", "b:boolean=yes"} {
		_, err := parseContext([]string{bad})
		require.Error(t, err, bad)
	}
}

func TestAssumeRoleCommand(t *testing.T) {
	dir := t.TempDir()
	trust := writeFile(t, dir, "trust.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":["sts:AssumeRole","sts:TagSession"]}]}`)
	session := writeFile(t, dir, "session.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/*"}]}`)
	managed := writeFile(t, dir, "managed.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}`)
	base := []string{"assume-role", "--caller", "arn:aws:iam::111122223333:user/alice",
		"--role-arn", "arn:aws:iam::111122223333:role/S3Access", "--role-session-name", "report-job",
		"--trust", "file://" + trust, "--identity", "../../testdata/policies/s3-full-access.json", "--now", "2026-11-25T10:00:00Z"}

	// The session policy narrows the role's s3:* to GetObject in one bucket
	// (IUG access_policies.html#policies_session); the managed session
	// policy adds ListBucket (inline and managed session policies are a union).
	st, out, errOut := runCmd(t, "", append(base, "--policy", "file://"+session,
		"--policy-arns", "arn=arn:aws:iam::111122223333:policy/List", "--managed-policy", "arn:aws:iam::111122223333:policy/List="+managed,
		"--tags", "Key=team,Value=blue",
		"--action", "s3:GetObject", "--action", "s3:PutObject", "--action", "s3:ListBucket",
		"--resource", "arn:aws:s3:::example-bucket/k")...)
	require.Equal(t, 3, st, errOut)
	require.Equal(t, `session arn:aws:sts::111122223333:assumed-role/S3Access/report-job
  issued 2026-11-25T10:00:00Z, expires 2026-11-25T11:00:00Z
  session policies: 2
  tag team=blue
allowed       s3:GetObject arn:aws:s3:::example-bucket/k
implicitDeny  s3:PutObject arn:aws:s3:::example-bucket/k
allowed       s3:ListBucket arn:aws:s3:::example-bucket/k
`, out)

	// Without a session policy the session keeps the role's permissions.
	st, out, _ = runCmd(t, "", append(base, "--action", "s3:PutObject", "--resource", "arn:aws:s3:::example-bucket/k")...)
	require.Equal(t, 0, st)
	require.Contains(t, out, "allowed       s3:PutObject arn:aws:s3:::example-bucket/k\n")

	// A caller the trust policy does not name is refused, with the trace.
	bob := append([]string(nil), base...)
	bob[2] = "arn:aws:iam::111122223333:user/bob"
	// The refusal goes to standard error, as the AWS CLI prints it.
	st, out, errOut = runCmd(t, "", append(bob, "--explain")...)
	require.Equal(t, 4, st)
	require.Empty(t, out)
	require.Contains(t, errOut, "An error occurred (AccessDenied) when calling the AssumeRole operation: arn:aws:iam::111122223333:user/bob is not authorized to perform: sts:AssumeRole")
	require.Contains(t, errOut, "principal does not match")

	// Validation errors use STS's codes.
	st, _, errOut = runCmd(t, "", append(base, "--duration-seconds", "899")...)
	require.Equal(t, 4, st)
	require.Contains(t, errOut, "(ValidationError)")

	// A malformed action is refused before the call: nothing on stdout.
	st, out, _ = runCmd(t, "", append(base, "--action", "s3:GetObject", "--action", "GetObject")...)
	require.Equal(t, 2, st)
	require.Empty(t, out)
	// A policy file that cannot be read: status 2, on stderr.
	st, out, errOut = runCmd(t, "", append(base, "--identity", "no-such-file.json")...)
	require.Equal(t, 2, st)
	require.Empty(t, out)
	require.Contains(t, errOut, "no-such-file.json")

	// Bad usage.
	st, _, _ = runCmd(t, "", "assume-role", "--role-arn", "arn:aws:iam::111122223333:role/S3Access")
	require.Equal(t, 2, st)
	st, _, _ = runCmd(t, "", append(base, "--tags", "team=blue")...)
	require.Equal(t, 2, st)
	st, _, _ = runCmd(t, "", append(base, "--resource", "arn:aws:s3:::example-bucket/k")...)
	require.Equal(t, 2, st)
}

func TestValidateWarnings(t *testing.T) {
	dir := t.TempDir()
	typo := writeFile(t, dir, "typo.json", "{\"Version\":\"2012-10-17\",\n \"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:GetObjects\",\"Resource\":\"*\"}}")
	st, out, _ := runCmd(t, "", "validate", "--kind", "identity", typo)
	require.Equal(t, 0, st, "warnings alone do not fail")
	// The warning points at the Action value, not at its statement.
	require.Equal(t, typo+`:2:41: warning: unknown_action: action "s3:GetObjects" is not a s3 action; did you mean "s3:GetObject"?`+"\n", out)
	st, _, _ = runCmd(t, "", "validate", "--kind", "identity", "--strict", typo)
	require.Equal(t, 1, st)
	// The bundled policies have no warnings.
	st, out, _ = runCmd(t, "", "validate", "--kind", "identity", "--strict", "../../testdata/policies/s3-full-access.json", "../../testdata/policies/allow-all.json")
	require.Equal(t, 0, st, out)
}

// TestValidateResourceAndKeyWarnings: an S3 ARN one colon short and an aws:
// key that is no global condition key (as IAM Access Analyzer reports
// them), each at its own line and column.
func TestValidateResourceAndKeyWarnings(t *testing.T) {
	dir := t.TempDir()
	src := `{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": "s3:GetObject",
    "Resource": ["arn:aws:s3:::acme-data/*", "arn:aws:s3::acme-data/*"],
    "Condition": {"StringEquals": {"aws:usernamez": "alice"}}
  }]
}`
	f := writeFile(t, dir, "p.json", src)
	st, out, _ := runCmd(t, "", "validate", "--kind", "identity", f)
	require.Equal(t, 0, st, "warnings alone do not fail")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 2, out)
	require.True(t, strings.HasPrefix(lines[0], f+`:6:46: warning: resource_type_mismatch: resource "arn:aws:s3::acme-data/*"`), lines[0])
	require.Equal(t, f+`:7:36: warning: unknown_global_condition_key: condition key "aws:usernamez" is not an AWS global condition key; did you mean "aws:username"?`, lines[1])
	st, _, _ = runCmd(t, "", "validate", "--kind", "identity", "--strict", f)
	require.Equal(t, 1, st)
}

// TestValidateCorpusPoliciesHaveNoWarnings guards against false positives:
// the shared policies of the corpus are real-world shapes.
func TestValidateCorpusPoliciesHaveNoWarnings(t *testing.T) {
	files, err := filepath.Glob("../../testdata/policies/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		_, out, _ := runCmd(t, "", "validate", "--kind", "identity", f)
		require.NotContains(t, out, "resource_type_mismatch", f)
		require.NotContains(t, out, "unknown_global_condition_key", f)
	}
}

func TestExpandCommand(t *testing.T) {
	// docs/semantics.md §10 row 44; the IAM table of the Service Authorization Reference.
	st, out, _ := runCmd(t, "", "expand", "iam:*AccessKey*")
	require.Equal(t, 0, st)
	require.Equal(t, "iam:CreateAccessKey\niam:DeleteAccessKey\niam:GetAccessKeyLastUsed\niam:ListAccessKeys\niam:UpdateAccessKey\n", out)
	st, out, _ = runCmd(t, "", "expand", "--levels", "s3:Get?bject")
	require.Equal(t, 0, st)
	require.Equal(t, "s3:GetObject\tRead\n", out)
	st, _, errOut := runCmd(t, "", "expand", "s3:GetObjects")
	require.Equal(t, 1, st)
	require.Contains(t, errOut, "covers no action")
	st, _, _ = runCmd(t, "", "expand")
	require.Equal(t, 2, st)
}

func TestEffectiveCommand(t *testing.T) {
	dir := t.TempDir()
	session := writeFile(t, dir, "session.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}]}`)
	base := []string{"effective", "--principal", "arn:aws:sts::111122223333:assumed-role/S3Access/report-job",
		"--identity", "../../testdata/policies/s3-full-access.json", "--resource", "arn:aws:s3:::amzn-s3-demo-bucket/report.csv"}

	// Role s3:* narrowed by a session policy allowing only s3:GetObject
	// (IUG access_policies.html#policies_session): of the S3 actions that act
	// on an object, only GetObject stays allowed.
	st, out, errOut := runCmd(t, "", append(base, "--session", session)...)
	require.Equal(t, 0, st, errOut)
	require.Contains(t, out, "s3       Read          1        0            ")
	require.Regexp(t, `total\s+1\s+0\s+\d+`, out)

	st, out, _ = runCmd(t, "", append(base, "--session", session, "--json")...)
	require.Equal(t, 0, st)
	var doc struct {
		Entries []struct {
			Action, Decision, AccessLevel string
			Matched                       []struct{ PolicyID string }
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	allowed := 0
	for _, e := range doc.Entries {
		if e.Decision == "allowed" {
			allowed++
			require.Equal(t, "s3:GetObject", e.Action)
			require.Equal(t, "Read", e.AccessLevel)
			require.Len(t, e.Matched, 2, "the role's and the session policy's statements")
		}
	}
	require.Equal(t, 1, allowed)

	// What the session loses against its role: every object action but GetObject.
	st, out, _ = runCmd(t, "", append(base, "--diff", "--session", session)...)
	require.Equal(t, 0, st)
	require.Contains(t, out, "- s3:PutObject")
	require.NotContains(t, out, "s3:GetObject ")
	require.Regexp(t, `0 actions gained, \d+ lost, 0 changed otherwise`, out)

	st, _, _ = runCmd(t, "", "effective", "--identity", "../../testdata/policies/s3-full-access.json")
	require.Equal(t, 2, st, "--principal is required")
	st, _, _ = runCmd(t, "", append(base, "--diff", "--principal", "x")...)
	require.Equal(t, 2, st, "only policy flags follow --diff")
}

// docs/semantics.md §10 row 2 (IUG reference_policies_evaluation-logic.html, E1): the
// Deny on *log* decides, and explain shows it in its file with a caret.
func TestExplainCommand(t *testing.T) {
	dir := t.TempDir()
	pol := writeFile(t, dir, "carlos.json", `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "AllowBucket", "Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::carlossalazar/*"},
	{"Sid": "DenyLogs", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::*log*"}
  ]
}`)
	st, out, _ := runCmd(t, "", "explain", "--principal", "arn:aws:iam::111111111111:user/carlos",
		"--action", "s3:PutObject", "--resource", "arn:aws:s3:::carlossalazar-logs/f", "--identity", pol)
	require.Equal(t, 3, st)
	require.Contains(t, out, "s3:PutObject on arn:aws:s3:::carlossalazar-logs/f: explicitDeny (decided by the identity layer)")
	require.Contains(t, out, "denied by:\n\n  "+pol+"[1] (DenyLogs) at "+pol+":5:2 (identity policy)\n"+
		"      5 | \t{\"Sid\": \"DenyLogs\", \"Effect\": \"Deny\", \"Action\": \"s3:*\", \"Resource\": \"arn:aws:s3:::*log*\"}\n"+
		"        | \t^\n")
	require.Contains(t, out, "trace:")

	st, out, _ = runCmd(t, "", "explain", "--principal", "arn:aws:iam::111111111111:user/carlos",
		"--action", "s3:PutObject", "--resource", "arn:aws:s3:::carlossalazar/f", "--identity", pol)
	require.Equal(t, 0, st)
	require.Contains(t, out, "allowed by:")
	require.Contains(t, out, "(AllowBucket)")
	st, _, _ = runCmd(t, "", "explain", "--action", "s3:PutObject")
	require.Equal(t, 2, st)
}

// TestSimulateGolden runs the golden requests of testdata/simulator and
// compares the JSON with the response AWS documents (see its README).
func TestSimulateGolden(t *testing.T) {
	inputs, err := filepath.Glob("../../testdata/simulator/*.input.json")
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(inputs), 4)
	for _, in := range inputs {
		name := strings.TrimSuffix(filepath.Base(in), ".input.json")
		t.Run(name, func(t *testing.T) {
			st, out, errOut := runCmd(t, "", "simulate-custom-policy", "--cli-input-json", "file://"+in)
			require.Equal(t, 0, st, errOut+out)
			want, err := os.ReadFile(strings.TrimSuffix(in, ".input.json") + ".output.json")
			require.NoError(t, err)
			require.JSONEq(t, string(want), out)
		})
	}
}

func TestSimulateErrors(t *testing.T) {
	for _, tc := range []struct{ name, input, want string }{
		{"malformed policy", `{"PolicyInputList":["{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3\",\"Resource\":\"*\"}}"],"ActionNames":["s3:GetObject"]}`, "(InvalidInput)"},
		{"wildcard action", `{"PolicyInputList":["{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}"],"ActionNames":["s3:*"]}`, "(InvalidInput)"},
		{"resource policy without caller", `{"PolicyInputList":["{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}"],"ActionNames":["s3:GetObject"],"ResourcePolicy":"{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}"}`, "CallerArn is required"},
		{"bad context type", `{"PolicyInputList":["{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}"],"ActionNames":["s3:GetObject"],"ContextEntries":[{"ContextKeyName":"aws:SourceIp","ContextKeyValues":["nope"],"ContextKeyType":"ip"}]}`, "not a valid ip value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, out, errOut := runCmd(t, "", "simulate-custom-policy", "--cli-input-json", tc.input)
			require.Equal(t, 254, st, out, "the AWS CLI's status for an error the service returned")
			require.Empty(t, out)
			require.Contains(t, errOut, tc.want)
			require.NotContains(t, errOut, "InvalidInput: ", "the code is said once")
		})
	}
	st, _, _ := runCmd(t, "", "simulate-custom-policy", "--cli-input-json", `{"Unknown":1}`)
	require.Equal(t, 2, st, "unknown fields are refused")
	st, _, errOut := runCmd(t, "", "simulate-custom-policy", "--cli-input-json", `{"ActionNames":["s3:GetObject"]} {"x":1}`)
	require.Equal(t, 2, st, "a second JSON value is refused, not ignored")
	require.Contains(t, errOut, "--cli-input-json:1:")
	st, _, _ = runCmd(t, "", "simulate-custom-policy", "--cli-input-json", `{"PolicyInputList":[],"ActionNames":["s3:GetObject"]}}]`)
	require.Equal(t, 2, st, "closing brackets after the value are refused too")
	st, _, errOut = runCmd(t, "", "simulate-custom-policy", "--cli-input-json", "main.go")
	require.Equal(t, 2, st)
	require.Contains(t, errOut, "write file://main.go")
}

// TestEvalProblemsOnStderr: what is not a decision goes to standard error,
// so that a script reading the decision from standard output never reads
// an error message; a file that cannot be read is status 2.
func TestEvalProblemsOnStderr(t *testing.T) {
	base := []string{"eval", "--principal", "arn:aws:iam::111111111111:user/alice", "--action", "s3:GetObject"}
	st, out, errOut := runCmd(t, "", append(base, "--identity", "no-such-file.json")...)
	require.Equal(t, 2, st)
	require.Empty(t, out)
	require.Contains(t, errOut, "iamsim eval: ")
	require.Contains(t, errOut, "no-such-file.json")

	// Session policies given for an IAM user: a warning, and the decision.
	st, out, errOut = runCmd(t, "", append(base, "--identity", "../../testdata/policies/s3-full-access.json",
		"--session", "../../testdata/policies/session-read-example-bucket.json", "--action", "s3:PutObject")...)
	require.Equal(t, 0, st)
	require.Equal(t, "allowed\n", out)
	require.Contains(t, errOut, "warning: --session policies limit only role and federated-user sessions")
}

// TestCaretPad: positions count bytes; a two-byte character before the
// caret takes one column of padding, a tab stays a tab.
func TestCaretPad(t *testing.T) {
	require.Equal(t, "   ", caretPad("abc{", 4))
	require.Equal(t, "   ", caretPad("\u00e9bc{", 5), "é is two bytes, one column")
	require.Equal(t, "\t ", caretPad("\tx{", 3))
	require.Equal(t, "     ", caretPad("ab", 6), "past the end of the line")
}

// TestFlagsAfterArguments: flags may follow the files and patterns.
func TestFlagsAfterArguments(t *testing.T) {
	st, out, _ := runCmd(t, "", "expand", "s3:GetObjectA*", "--levels")
	require.Equal(t, 0, st, out)
	require.NotContains(t, out, "--levels")
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	strict := fs.Bool("strict", false, "")
	rest, err := parseArgs(fs, []string{"a.json", "--strict", "b.json", "--", "--c.json"})
	require.NoError(t, err)
	require.True(t, *strict)
	require.Equal(t, []string{"a.json", "b.json", "--c.json"}, rest)
}

// TestTestCommandInvalidCase: an invalid case is named and counted as
// failed with status 2, and its file's other cases still run, in order.
func TestTestCommandInvalidCase(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "cases.yaml", `defaults:
  principal: arn:aws:iam::111122223333:user/alice
  identityPolicies:
    - {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:Get*", Resource: "*"}]}
cases:
  - name: get is allowed
    action: s3:GetObject
    expect: allowed
  - name: no expectation
    action: s3:GetObject
  - name: put is not allowed
    action: s3:PutObject
    expect: implicitDeny
`)
	st, out, errOut := runCmd(t, "", "test", dir)
	require.Equal(t, 2, st, out)
	require.True(t, strings.HasSuffix(out, "2 passed, 1 failed\n"), out)
	require.Contains(t, errOut, "cases.yaml:9: case 2: missing expect")

	st, out, _ = runCmd(t, "", "test", "--json", dir)
	require.Equal(t, 2, st)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 3)
	require.Contains(t, lines[0], `"name":"no expectation"`)
	require.Contains(t, lines[0], `"pass":false`)
	require.Contains(t, lines[1], `"name":"get is allowed"`)
	require.Contains(t, lines[2], `"name":"put is not allowed"`)
}
