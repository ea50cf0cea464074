package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/examples/internal/show"
)

// Expected decisions:
//   - The trust policy's Bool aws:MultiFactorAuthPresent "true" fails for a
//     call signed with alice's long-term keys, where the key is absent
//     (IUG reference_policies_condition-keys.html, aws:MultiFactorAuthPresent),
//     and passes when she gives SerialNumber and TokenCode
//     (IUG id_credentials_mfa_configure-api-require.html).
//   - Effective permissions are role ∩ session policy
//     (IUG access_policies.html#policies_session): S3 only with the S3
//     session policy; nothing with the RDS one — S3 and EC2 are the role's
//     but not the session's (session layer), RDS is the session's but not
//     the role's (identity layer).
func TestNoOverlap(t *testing.T) {
	var b strings.Builder
	require.NoError(t, run(&b))
	want := []string{
		"AssumeRole without MFA: refused: AccessDenied",
		"AssumeRole with MFA, s3-session: arn:aws:sts::111122223333:assumed-role/Operations/s3-session",
		"s3:GetObject arn:aws:s3:::amzn-s3-demo-bucket/report.csv allowed (identity: S3Full, SessionS3)",
		"ec2:DescribeInstances * implicitDeny (session)",
		"rds:DescribeDBInstances * implicitDeny (identity)",
		"AssumeRole with MFA, rds-session: arn:aws:sts::111122223333:assumed-role/Operations/rds-session",
		"s3:GetObject arn:aws:s3:::amzn-s3-demo-bucket/report.csv implicitDeny (session)",
		"ec2:DescribeInstances * implicitDeny (session)",
		"rds:DescribeDBInstances * implicitDeny (identity)",
	}
	require.Empty(t, cmp.Diff(want, show.Lines(b.String())))
}
