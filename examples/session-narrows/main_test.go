package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/examples/internal/show"
)

// Expected decisions: IUG access_policies.html#policies_session ("the
// resulting session's permissions are the intersection of the role's
// identity-based policies and the session policies"; session policies are
// optional, and without one the session has the role's permissions). A
// denied request names the layer that lacked an allow: the session policy.
func TestSessionNarrows(t *testing.T) {
	var b strings.Builder
	require.NoError(t, run(&b))
	want := []string{
		"AssumeRole with-session-policy: arn:aws:sts::111122223333:assumed-role/S3Access/with-session-policy",
		"s3:GetObject arn:aws:s3:::amzn-s3-demo-bucket/report.csv allowed (identity: S3FullAccess, ReadExampleBucket)",
		"s3:PutObject arn:aws:s3:::amzn-s3-demo-bucket/report.csv implicitDeny (session)",
		"s3:GetObject arn:aws:s3:::amzn-s3-demo-bucket2/report.csv implicitDeny (session)",
		"s3:ListBucket arn:aws:s3:::amzn-s3-demo-bucket implicitDeny (session)",
		"AssumeRole without-session-policy: arn:aws:sts::111122223333:assumed-role/S3Access/without-session-policy",
		"s3:GetObject arn:aws:s3:::amzn-s3-demo-bucket/report.csv allowed (identity: S3FullAccess)",
		"s3:PutObject arn:aws:s3:::amzn-s3-demo-bucket/report.csv allowed (identity: S3FullAccess)",
		"s3:GetObject arn:aws:s3:::amzn-s3-demo-bucket2/report.csv allowed (identity: S3FullAccess)",
		"s3:ListBucket arn:aws:s3:::amzn-s3-demo-bucket allowed (identity: S3FullAccess)",
	}
	require.Empty(t, cmp.Diff(want, show.Lines(b.String())))
}
