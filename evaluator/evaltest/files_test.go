package evaltest_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/evaluator/evaltest"
)

// TestFilesLeavesOutPolicyDocuments: a directory of case files may keep the
// policies its cases name with {file: ...} beside them; Files does not take
// those for case files, but keeps every other .json, even a broken one, so
// that loading reports it.
func TestFilesLeavesOutPolicyDocuments(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
		return p
	}
	a := write("a.yaml", "cases: []\n")
	b := write("b.json", `{"cases":[]}`)
	broken := write("c.json", `{"Statement":`)
	write("policies/read.json", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)
	write("notes.txt", "not a case file")
	got, err := evaltest.Files(dir)
	require.NoError(t, err)
	require.Equal(t, []string{a, b, broken}, got)
	// Named directly, a policy file is taken as given.
	direct := filepath.Join(dir, "policies", "read.json")
	got, err = evaltest.Files(direct)
	require.NoError(t, err)
	require.Equal(t, []string{direct}, got)
}
