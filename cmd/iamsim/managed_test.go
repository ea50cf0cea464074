package main

import (
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// wantManaged is the number of AWS managed policies in
// policy/awsmanaged/aws-managed-policies.json.gz (docs/semantics.md §4.4: 1,594).
const wantManaged = 1594

// TestValidateAWSManaged writes every AWS managed policy to a file, as
// shipped, and validates them all as identity policies: with --aws-managed
// every one passes (warnings allowed); as customer policies the 41 that
// break IAM's customer rules fail (docs/semantics.md §4.4: 40 over the 10,240-character
// quota, and AmazonTimestreamInfluxDBServiceRolePolicy's variable before
// the fifth colon).
func TestValidateAWSManaged(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "..", "policy", "awsmanaged", "aws-managed-policies.json.gz"))
	require.NoError(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	require.NoError(t, err)
	var all map[string]struct {
		Document string `json:"document"`
	}
	require.NoError(t, json.NewDecoder(zr).Decode(&all))
	require.Len(t, all, wantManaged)
	dir := t.TempDir()
	files := make([]string, 0, len(all))
	for name, p := range all {
		files = append(files, writeFile(t, dir, name+".json", p.Document))
	}
	sort.Strings(files)

	st, out, errOut := runCmd(t, "", append([]string{"validate", "--kind", "identity", "--aws-managed"}, files...)...)
	require.Empty(t, errOut)
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		require.Contains(t, line, ": warning: ", "only warnings")
	}
	require.Equal(t, 0, st)

	st, out, _ = runCmd(t, "", append([]string{"validate", "--kind", "identity"}, files...)...)
	require.Equal(t, 1, st)
	refused := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.Contains(line, ": warning: ") {
			continue
		}
		file, rest, _ := strings.Cut(line, ":")
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		require.NotContains(t, refused, name, "one problem per refused file")
		refused[name] = rest
	}
	require.Len(t, refused, 41)
	quota := 0
	for name, msg := range refused {
		if name == "AmazonTimestreamInfluxDBServiceRolePolicy" {
			require.Contains(t, msg, ": invalid_variable: ")
			require.Contains(t, msg, "IAM refuses policy variables before an ARN's fifth colon in policies customers write")
			continue
		}
		require.Contains(t, msg, ": quota_exceeded: IAM refuses a customer identity policy over 10240 characters", name)
		quota++
	}
	require.Equal(t, 40, quota)

	st, out, _ = runCmd(t, "", "validate", "--help")
	require.Equal(t, 0, st)
	require.Contains(t, out, "--aws-managed checks the files as AWS managed policies")
}
