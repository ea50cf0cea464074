package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/examples/internal/show"
)

// Expected decisions:
//   - S3: the session keeps what both the role (projects/*) and the session
//     policy (projects/alpha/*) allow (IUG access_policies.html#policies_session);
//     beta is the role's but not the session's (denied at the session layer),
//     private is neither's (denied at the identity layer, checked first).
//   - KMS: the default key policy names the account, which delegates to IAM
//     policies (KMS key-policies.html, "Allows access to the AWS account and
//     enables IAM policies"; docs/semantics.md §3.3): the bucket's key is allowed by the
//     role and the session policy; the other key by the session policy only,
//     so the identity layer denies.
func TestSessionPrefix(t *testing.T) {
	var b strings.Builder
	require.NoError(t, run(&b))
	want := []string{
		"AssumeRole: arn:aws:sts::111122223333:assumed-role/ProjectData/alpha-job",
		"s3:GetObject arn:aws:s3:::amzn-s3-demo-bucket/projects/alpha/data.csv allowed (identity: ProjectObjects, AlphaOnly)",
		"s3:PutObject arn:aws:s3:::amzn-s3-demo-bucket/projects/alpha/out.csv allowed (identity: ProjectObjects, AlphaOnly)",
		"s3:GetObject arn:aws:s3:::amzn-s3-demo-bucket/projects/beta/data.csv implicitDeny (session)",
		"s3:GetObject arn:aws:s3:::amzn-s3-demo-bucket/private/data.csv implicitDeny (identity)",
		"kms:Decrypt " + bucketKey + " allowed (identity: BucketKey, AnyKey)",
		"kms:GenerateDataKey " + bucketKey + " allowed (identity: BucketKey, AnyKey)",
		"kms:Decrypt " + otherKey + " implicitDeny (identity)",
		"kms:GenerateDataKey " + otherKey + " implicitDeny (identity)",
	}
	require.Empty(t, cmp.Diff(want, show.Lines(b.String())))
}
