package evaltest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestExampleModule builds the example module examples/policy-tests, which
// uses evaltest from another module as a user's repository would: its
// tests pass, and its deliberately failing case (build tag "failing")
// fails with a report that says why.
func TestExampleModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds another module")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	run := func(args ...string) (string, error) {
		cmd := exec.Command(goBin, args...)
		cmd.Dir = filepath.Join("..", "..", "examples", "policy-tests")
		// Offline: the example needs only modules this one already uses.
		cmd.Env = append(os.Environ(), "GOPROXY=off", "GOWORK=off", "GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -mod=readonly"))
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run("test", "-count=1", "./...")
	require.NoError(t, err, out)
	require.Contains(t, out, "ok  \texample.com/policy-tests")

	out, err = run("test", "-count=1", "-tags", "failing", "-run", "TestFailingCase", "./...")
	require.Error(t, err, "the tagged case must fail")
	for _, want := range []string{
		`cases-failing/wrong.yaml:3: case "support writes a ticket"`,
		"decision: want allowed, got implicitDeny",
		"[identity] Allow support-role[0] (ReadTickets) at policies/support-role.json:4:5: action does not match",
		"decision: implicitDeny (decided by identity)",
	} {
		require.Contains(t, out, want)
	}
}
