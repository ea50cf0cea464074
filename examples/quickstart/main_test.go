package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

// The expected lines follow IUG access_policies.md ("Session policies"): the
// session keeps only what both the role and the session policy allow, and a
// resource-based policy that names the session ARN grants it directly, past
// the session policy.
func TestQuickstart(t *testing.T) {
	var b strings.Builder
	require.NoError(t, run(&b))
	want := []string{
		"report-job s3:GetObject arn:aws:s3:::example-reports/2026/q3.csv allowed (by identity, S3FullAccess, ReadReports)",
		"report-job s3:PutObject arn:aws:s3:::example-reports/2026/q3.csv implicitDeny (no allow in the session layer)",
		"report-job s3:PutObject arn:aws:s3:::example-audit/log.txt implicitDeny (no allow in the session layer)",
		"audit-job s3:PutObject arn:aws:s3:::example-audit/log.txt allowed (by resource, AuditJobWrites)",
	}
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		got = append(got, strings.Join(strings.Fields(line), " "))
	}
	require.Empty(t, cmp.Diff(want, got))
}
