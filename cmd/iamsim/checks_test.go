package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

type checkOutput struct {
	Result  string `json:"result"`
	Message string `json:"message"`
	Reasons []struct {
		Description    string `json:"description"`
		StatementIndex int    `json:"statementIndex"`
		StatementID    string `json:"statementId"`
	} `json:"reasons"`
	Counterexamples []struct {
		Principal string         `json:"principal"`
		Action    string         `json:"action"`
		Resource  string         `json:"resource"`
		Context   map[string]any `json:"context"`
	} `json:"counterexamples"`
}

func TestCheckNoNewAccessCLI(t *testing.T) {
	dir := t.TempDir()
	old := writeFile(t, dir, "old.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`)
	nw := writeFile(t, dir, "new.json", `{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`)

	st, out, errs := runCmd(t, "", "check-no-new-access", "--existing-policy-document", "file://"+old, "--new-policy-document", "file://"+nw, "--policy-type", "IDENTITY_POLICY")
	require.Equal(t, 1, st, errs)
	var res checkOutput
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.Equal(t, "FAIL", res.Result)
	require.Len(t, res.Reasons, 1)
	require.Equal(t, "Read", res.Reasons[0].StatementID)
	require.NotEmpty(t, res.Counterexamples)

	// The counterexample verifies with iamsim eval: allowed under NEW,
	// denied under OLD.
	ce := res.Counterexamples[0]
	args := []string{"eval", "--principal", ce.Principal, "--action", ce.Action, "--resource", ce.Resource}
	for k, v := range ce.Context {
		args = append(args, "--context", k+"="+v.(string))
	}
	st, _, errs = runCmd(t, "", append(args, "--identity", nw)...)
	require.Equal(t, 0, st, errs)
	st, _, _ = runCmd(t, "", append(args, "--identity", old)...)
	require.Equal(t, 3, st)

	// Swapped: PASS. Inline JSON and plain paths are accepted.
	oldText := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`
	st, out, errs = runCmd(t, "", "check-no-new-access", "--existing-policy-document", nw, "--new-policy-document", oldText, "--policy-type", "IDENTITY_POLICY")
	require.Equal(t, 0, st, errs)
	require.Contains(t, out, `"result": "PASS"`)
}

func TestChecksCLIBadInput(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "p.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)
	for _, args := range [][]string{
		{"check-no-new-access", "--existing-policy-document", p, "--new-policy-document", p},
		{"check-no-new-access", "--existing-policy-document", p, "--new-policy-document", p, "--policy-type", "SCP"},
		{"check-no-new-access", "--existing-policy-document", p, "--new-policy-document", dir + "/missing.json", "--policy-type", "IDENTITY_POLICY"},
		{"check-access-not-granted", "--policy-document", p, "--access", "nope", "--policy-type", "IDENTITY_POLICY"},
		{"check-access-not-granted", "--policy-document", p, "--access", `[{"actions":["s3:*"]}]`, "--policy-type", "IDENTITY_POLICY"},
		{"check-no-public-access", "--policy-document", p, "--resource-type", "AWS::EC2::Instance"},
		{"check-no-public-access", "--policy-document", p},
	} {
		st, _, errs := runCmd(t, "", args...)
		require.Equal(t, 2, st, "%v: %s", args, errs)
		require.NotEmpty(t, errs)
	}
}

func TestCheckAccessAndPublicCLI(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "p.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}`)
	st, out, errs := runCmd(t, "", "check-access-not-granted", "--policy-document", p, "--access", `[{"actions":["s3:DeleteBucket"]}]`, "--policy-type", "IDENTITY_POLICY")
	require.Equal(t, 0, st, errs)
	require.Contains(t, out, `"PASS"`)
	st, out, errs = runCmd(t, "", "check-access-not-granted", "--policy-document", "file://"+p, "--access", `[{"actions":["s3:GetObject"],"resources":["arn:aws:s3:::b/k"]}]`, "--policy-type", "IDENTITY_POLICY")
	require.Equal(t, 1, st, errs)
	require.Contains(t, out, `"resource": "arn:aws:s3:::b/k"`)

	bucket := writeFile(t, dir, "bucket.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`)
	st, out, errs = runCmd(t, "", "check-no-public-access", "--policy-document", bucket, "--resource-type", "AWS::S3::Bucket")
	require.Equal(t, 1, st, errs)
	var res checkOutput
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	ce := res.Counterexamples[0]
	st, _, errs = runCmd(t, "", "eval", "--principal", ce.Principal, "--action", ce.Action, "--resource", ce.Resource, "--resource-policy", bucket)
	require.Equal(t, 0, st, errs)

	st, out, _ = runCmd(t, "", "help", "check-no-public-access")
	require.Equal(t, 0, st)
	require.True(t, strings.HasPrefix(out, "usage: iamsim check-no-public-access"))
}

func TestChecksCLILimit(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "p.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"x:a":["1","2"],"x:b":["1","2"],"x:c":["1","2"]}}}]}`)
	st, _, errs := runCmd(t, "", "check-no-new-access", "--existing-policy-document", p, "--new-policy-document", p, "--policy-type", "IDENTITY_POLICY", "--max-evaluations", "10")
	require.Equal(t, 2, st)
	require.Contains(t, errs, "policy too complex to decide exactly")
	vars := writeFile(t, dir, "v.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${?}"}]}`)
	st, _, errs = runCmd(t, "", "check-no-new-access", "--existing-policy-document", vars, "--new-policy-document", vars, "--policy-type", "IDENTITY_POLICY")
	require.Equal(t, 2, st)
	require.Contains(t, errs, "policy variable")
}

func TestCheckNoNewAccessSetsCLI(t *testing.T) {
	dir := t.TempDir()
	s3 := writeFile(t, dir, "s3.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)
	scpOld := writeFile(t, dir, "scp-old.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}`)
	scpNew := writeFile(t, dir, "scp-new.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
	const user = "arn:aws:iam::111122223333:user/alice"
	st, out, errs := runCmd(t, "", "check-no-new-access", "--principal", user, "--identity", s3, "--scp", scpOld, "--diff", "--scp", scpNew)
	require.Equal(t, 1, st, errs)
	var res checkOutput
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	require.Equal(t, "FAIL", res.Result)
	ce := res.Counterexamples[0]
	require.Equal(t, "s3:DeleteBucket", ce.Action)
	// It verifies with iamsim eval under each set.
	args := []string{"eval", "--principal", ce.Principal, "--action", ce.Action, "--resource", ce.Resource, "--resource-account", "111122223333", "--identity", s3}
	st, _, errs = runCmd(t, "", append(args, "--scp", scpNew)...)
	require.Equal(t, 0, st, errs)
	st, _, _ = runCmd(t, "", append(args, "--scp", scpOld)...)
	require.Equal(t, 3, st)

	st, out, errs = runCmd(t, "", "check-no-new-access", "--principal", user, "--identity", s3, "--scp", scpNew, "--diff", "--scp", scpOld)
	require.Equal(t, 0, st, errs)
	require.Contains(t, out, `"PASS"`)
	st, _, _ = runCmd(t, "", "check-no-new-access", "--principal", user, "--identity", s3)
	require.Equal(t, 2, st)
}

func TestCheckNoNewAccessSnapshotsCLI(t *testing.T) {
	d := filepath.Join("..", "..", "evaluator", "accesscheck", "testdata", "snapdiff")
	rp := filepath.Join(d, "resource-policies.json")
	run := func(after string) (int, string, string) {
		return runCmd(t, "", "check-no-new-access", "--existing-snapshot", filepath.Join(d, "before.json"), "--existing-resource-policies", rp,
			"--new-snapshot", filepath.Join(d, after), "--new-resource-policies", rp)
	}
	st, out, errs := run("group-delete.json")
	if st != 1 {
		t.Fatalf("status %d, want 1 (FAIL); stderr %s", st, errs)
	}
	var res struct {
		Result     string
		Principals []struct {
			Principal string
			Result    struct {
				Result          string
				Counterexamples []map[string]any
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if res.Result != "FAIL" || len(res.Principals) != 2 || res.Principals[0].Principal != "arn:aws:iam::111122223333:user/alice" ||
		res.Principals[1].Principal != "arn:aws:iam::111122223333:user/bob" || len(res.Principals[0].Result.Counterexamples) == 0 {
		t.Fatalf("unexpected output %s", out)
	}
	if st, out, errs = run("narrowed.json"); st != 0 || !strings.Contains(out, `"result": "PASS"`) {
		t.Fatalf("narrowed: status %d, out %s, stderr %s; want PASS", st, out, errs)
	}
	if st, _, _ = run("missing.json"); st != 2 {
		t.Fatalf("missing file: status %d, want 2", st)
	}
	if st, _, errs = runCmd(t, "", "check-no-new-access", "--existing-snapshot", filepath.Join(d, "before.json"),
		"--new-snapshot", filepath.Join(d, "narrowed.json"), "--max-evaluations", "1"); st != 2 || !strings.Contains(errs, "role") {
		t.Fatalf("limit hit: status %d, stderr %s; want 2 naming the principal", st, errs)
	}
	if st, out, _ = runCmd(t, "", "help", "check-no-new-access"); st != 0 || !strings.Contains(out, "--existing-snapshot") {
		t.Fatalf("help: status %d, out %s", st, out)
	}
}
