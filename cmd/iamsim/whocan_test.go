package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

const snapDir = "../../evaluator/snapshot/testdata"

func runCLI(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	st := run(args, strings.NewReader(""), &out, &errb)
	return st, out.String(), errb.String()
}

// TestWhoCanCLI: the expectations are those of evaluator/snapshot's
// TestWhoCan (reasoned there) in the command's formats.
func TestWhoCanCLI(t *testing.T) {
	acct := filepath.Join(snapDir, "account.json")
	rp := filepath.Join(snapDir, "resource-policies.json")
	st, out, errs := runCLI("who-can", "--snapshot", acct, "--resource-policies", rp, "--action", "s3:DeleteObject",
		"--resource", "arn:aws:s3:::reports/x", "--json")
	require.Equal(t, 0, st, errs)
	require.Equal(t, `{"principal":"arn:aws:iam::111122223333:user/alice","decision":"conditional","missing":["aws:MultiFactorAuthPresent"],"kind":"user"}
{"principal":"arn:aws:iam::111122223333:user/carol","decision":"allowed","missing":[],"kind":"user"}
`, out)

	st, out, errs = runCLI("who-can", "--snapshot", acct, "--resource-policies", rp, "--action", "s3:DeleteObject",
		"--resource", "arn:aws:s3:::reports/x", "--context", "aws:MultiFactorAuthPresent=true")
	require.Equal(t, 0, st, errs)
	require.Contains(t, out, "allowed  user  arn:aws:iam::111122223333:user/alice")
	require.Contains(t, out, "2 allowed, 0 conditional")

	q := filepath.Join(t.TempDir(), "q.jsonl")
	require.NoError(t, os.WriteFile(q, []byte(`{"action":"sts:AssumeRole","resource":"arn:aws:iam::111122223333:role/service/app"}
{"action":"s3:DeleteObject","resource":"arn:aws:s3:::reports/x","context":{"aws:MultiFactorAuthPresent":false}}
`), 0o600))
	st, out, errs = runCLI("who-can", "--snapshot", acct, "--queries", q, "--json")
	require.Equal(t, 0, st, errs)
	// Query 1: MFA false, so alice's group denies; carol is allowed.
	require.Equal(t, `{"query":0,"principal":"arn:aws:iam::111122223333:user/staff/bob","decision":"allowed","missing":[],"kind":"user"}
{"query":0,"principal":"ec2.amazonaws.com","decision":"allowed","missing":[],"kind":"service"}
{"query":1,"principal":"arn:aws:iam::111122223333:user/carol","decision":"allowed","missing":[],"kind":"user"}
`, out)

	st, out, _ = runCLI("help", "who-can")
	require.Equal(t, 0, st)
	require.Contains(t, out, "usage: iamsim who-can")
}

func TestWhoCanCLIErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"UserDetailList":[{"Arn":"arn:aws:iam::111122223333:user/x","Extra":1}]}`), 0o600))
	badQ := filepath.Join(dir, "q.jsonl")
	require.NoError(t, os.WriteFile(badQ, []byte(`{"action":"s3:GetObject"}`+"\n"), 0o600))
	acct := filepath.Join(snapDir, "account.json")
	tests := []struct {
		name   string
		args   []string
		status int
		want   string
	}{
		{"no snapshot", []string{"--action", "s3:GetObject", "--resource", "*"}, 2, "--snapshot is required"},
		{"no action", []string{"--snapshot", acct, "--resource", "*"}, 2, "--action and --resource are required"},
		{"unreadable", []string{"--snapshot", filepath.Join(dir, "nope.json"), "--action", "s3:GetObject", "--resource", "*"}, 2, "nope.json"},
		{"unknown field", []string{"--snapshot", bad, "--action", "s3:GetObject", "--resource", "*"}, 1, `/UserDetailList/0: unknown field "Extra"`},
		{"bad query line", []string{"--snapshot", acct, "--queries", badQ}, 2, "line 1: action and resource are required"},
		{"queries and action", []string{"--snapshot", acct, "--queries", badQ, "--action", "s3:GetObject"}, 2, "--queries replaces"},
		{"wildcard action", []string{"--snapshot", acct, "--action", "s3:Get*", "--resource", "*"}, 2, "without wildcards"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, _, errs := runCLI(append([]string{"who-can"}, tc.args...)...)
			require.Equal(t, tc.status, st, errs)
			require.Contains(t, errs, tc.want)
		})
	}
}

// TestEffectiveSnapshot: carol's TeamReports (team blue, her tag) allows
// GetObject and DeleteObject on reports/*, and nothing else of S3.
func TestEffectiveSnapshot(t *testing.T) {
	acct := filepath.Join(snapDir, "account.json")
	st, out, errs := runCLI("effective", "--snapshot", acct, "--principal", "arn:aws:iam::111122223333:user/carol",
		"--service", "s3", "--resource", "arn:aws:s3:::reports/x")
	require.Equal(t, 0, st, errs)
	require.Contains(t, out, "allowed (2):\n  s3:DeleteObject  Write\n  s3:GetObject     Read\n")

	st, _, errs = runCLI("effective", "--snapshot", acct, "--principal", "arn:aws:iam::111122223333:user/nobody")
	require.Equal(t, 2, st)
	require.Contains(t, errs, "no such user or role")

	st, _, errs = runCLI("effective", "--snapshot", acct, "--principal", "arn:aws:iam::111122223333:user/carol", "--identity", acct)
	require.Equal(t, 2, st)
	require.Contains(t, errs, "no policy flags")
}

func TestWhoCanAWSManagedFlag(t *testing.T) {
	st, _, errs := runCLI("who-can", "--snapshot", filepath.Join(snapDir, "account.json"), "--aws-managed",
		"../../policy/awsmanaged/aws-managed-policies.json.gz", "--action", "s3:GetObject", "--resource", "*")
	require.Equal(t, 0, st, errs)
	st, _, errs = runCLI("who-can", "--snapshot", filepath.Join(snapDir, "account.json"), "--aws-managed",
		filepath.Join(snapDir, "account.json"), "--action", "s3:GetObject", "--resource", "*")
	require.Equal(t, 1, st, errs)
	require.Contains(t, errs, "account.json: cannot unmarshal")
}

// TestWhoCanTwoAccounts: the same account copied under another id. A
// bucket ARN names no account, so a note asks for --resource-account; with
// it, only that account's principals can read (no bucket policy grants
// across accounts).
func TestWhoCanTwoAccounts(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(snapDir, "account.json"))
	require.NoError(t, err)
	other := filepath.Join(t.TempDir(), "other.json")
	require.NoError(t, os.WriteFile(other, bytes.ReplaceAll(src, []byte("111122223333"), []byte("222233334444")), 0o600))
	args := []string{"who-can", "--snapshot", filepath.Join(snapDir, "account.json"), other, "--action", "s3:GetObject",
		"--resource", "arn:aws:s3:::reports/a", "--json"}
	st, _, errs := runCLI(args...)
	require.Equal(t, 0, st, errs)
	require.Contains(t, errs, "give --resource-account")
	st, out, errs := runCLI(append(args, "--resource-account", "222233334444")...)
	require.Equal(t, 0, st, errs)
	require.Empty(t, errs)
	require.Equal(t, `{"principal":"arn:aws:iam::222233334444:role/service/app","decision":"conditional","missing":["aws:SourceVpc"],"kind":"role"}
{"principal":"arn:aws:iam::222233334444:user/alice","decision":"allowed","missing":[],"kind":"user"}
{"principal":"arn:aws:iam::222233334444:user/carol","decision":"allowed","missing":[],"kind":"user"}
`, out)
}

// TestWhoCanUnknownActionWarns: a misspelt action is warned about, and
// still answered: alice's AmazonS3FullAccess (s3:*) matches it; carol's
// policy names only the real actions.
func TestWhoCanUnknownActionWarns(t *testing.T) {
	st, out, errs := runCLI("who-can", "--snapshot", filepath.Join(snapDir, "account.json"), "--action", "s3:GetObjects", "--resource", "*")
	require.Equal(t, 0, st, errs)
	require.Contains(t, errs, "warning:")
	require.Contains(t, errs, "s3:GetObject")
	require.Contains(t, out, "allowed  user  arn:aws:iam::111122223333:user/alice")
	require.Contains(t, out, "1 allowed, 0 conditional\n")
}
