package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// bounded runs f and fails the test if it has not returned within limit: a
// read that blocks (a FIFO) or never ends (/dev/zero) is a defect.
func bounded(t *testing.T, limit time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(limit):
		t.Fatalf("did not finish within %v", limit)
	}
}

// zeros is an endless reader, like /dev/zero on standard input.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

var _ io.Reader = zeros{}

// TestHostileInputFiles: standard input and every file named on the
// command line or found in a directory is read only if it is a regular
// file (or standard input), and only up to 16 MiB; anything else is an
// error naming it, reported quickly.
func TestHostileInputFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.json")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	zero := filepath.Join(dir, "zero.yaml")
	require.NoError(t, os.Symlink("/dev/zero", zero))

	bounded(t, 60*time.Second, func() {
		var out, errb bytes.Buffer
		st := run([]string{"validate", "--kind", "identity", "-"}, zeros{}, &out, &errb)
		require.Equal(t, 2, st)
		require.Contains(t, errb.String(), "standard input")
		require.Contains(t, errb.String(), "input too large")

		for _, args := range [][]string{
			{"validate", "--kind", "identity", fifo, zero, "/dev/zero", "file://" + fifo},
			{"eval", "--principal", "arn:aws:iam::111122223333:user/alice", "--action", "s3:GetObject", "--identity", fifo},
			{"eval", "--principal", "arn:aws:iam::111122223333:user/alice", "--action", "s3:GetObject", "--identity", "/dev/zero"},
			{"simulate-custom-policy", "--cli-input-json", "file://" + fifo},
			{"simulate-custom-policy", "--cli-input-json", "file:///dev/zero"},
			{"test", dir},
			{"test", zero},
		} {
			st, _, errOut := runCmd(t, "", args...)
			require.Equal(t, 2, st, "%v", args)
			require.Contains(t, errOut, "not a regular file", "%v", args)
		}
		_, _, errOut := runCmd(t, "", "test", dir)
		require.Contains(t, errOut, fifo)
		require.Contains(t, errOut, zero)
	})
}

// TestTestFileConfinement: iamsim test refuses a {file: path} reference
// that leaves the case file's root (the nearest directory with a go.mod or
// .git) unless --allow-outside, or --root names a root that holds it.
func TestTestFileConfinement(t *testing.T) {
	tmp := t.TempDir()
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	writeFile(t, tmp, "secret.json", policy)
	proj := filepath.Join(tmp, "proj")
	require.NoError(t, os.MkdirAll(filepath.Join(proj, "cases"), 0o755))
	writeFile(t, proj, ".git", "gitdir: elsewhere\n")
	cases := `cases:
  - name: reads
    principal: "arn:aws:iam::111111111111:user/alice"
    action: s3:GetObject
    resource: arn:aws:s3:::b/k
    identityPolicies: [{file: ../../secret.json}]
    expect: allowed
`
	path := writeFile(t, filepath.Join(proj, "cases"), "c.yaml", cases)
	st, out, errOut := runCmd(t, "", "test", filepath.Join(proj, "cases"))
	require.Equal(t, 2, st, out)
	require.Contains(t, errOut, path+":2: case 1:")
	require.Contains(t, errOut, "file reference ../../secret.json leaves the case file's root directory")
	require.Contains(t, errOut, "--allow-outside")
	st, out, errOut = runCmd(t, "", "test", "--allow-outside", filepath.Join(proj, "cases"))
	require.Equal(t, 0, st, out+errOut)
	st, out, errOut = runCmd(t, "", "test", "--root", tmp, path)
	require.Equal(t, 0, st, out+errOut)
	require.Contains(t, out, "1 passed, 0 failed")
}

// TestSessionDurationBounds: durations beyond their ranges, even ones that
// overflow time.Duration once multiplied out (2^55+3600 seconds wraps to
// one hour), are refused: --duration-seconds with STS's ValidationError,
// --max-session-duration as bad usage.
func TestSessionDurationBounds(t *testing.T) {
	dir := t.TempDir()
	trust := writeFile(t, dir, "trust.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}`)
	allow := writeFile(t, dir, "allow.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
	base := []string{"assume-role", "--caller", "arn:aws:iam::111122223333:user/u", "--caller-identity", allow,
		"--role-arn", "arn:aws:iam::111122223333:role/r", "--role-session-name", "s1", "--trust", trust}
	st, out, errOut := runCmd(t, "", base...)
	require.Equal(t, 0, st, out+errOut)
	for _, v := range []string{"36028797018967568", "36028797018970368", "60", "-1"} {
		st, _, errOut = runCmd(t, "", append(base, "--max-session-duration", v)...)
		require.Equal(t, 2, st, v)
		require.Contains(t, errOut, "--max-session-duration "+v+": want 3600 to 43200 seconds", v)
	}
	st, _, errOut = runCmd(t, "", append(base, "--duration-seconds", "36028797018967568")...)
	require.Equal(t, 4, st)
	require.Contains(t, errOut, "ValidationError")
	require.True(t, strings.Contains(errOut, "DurationSeconds 36028797018967568"), errOut)
}
