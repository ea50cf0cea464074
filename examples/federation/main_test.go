package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/examples/internal/show"
)

// Expected decisions:
//   - Without session policies a federated session has no permissions
//     (STS API_GetFederationToken.html), except what a resource-based policy
//     naming the federated user grants: that grant is not limited by the
//     session policy or the user's policies
//     (IUG id_credentials_temp_control-access_getfederationtoken.html,
//     docs/semantics.md §2.3 row 5).
//   - With a session policy the session has the intersection of alice's
//     policies and the session policy: GetObject (both), not PutObject
//     (alice's only: session layer), not DeleteObject on amzn-s3-demo-bucket
//     (the session policy's only: identity layer).
func TestFederation(t *testing.T) {
	var b strings.Builder
	require.NoError(t, run(&b))
	want := []string{
		"GetFederationToken without a session policy: arn:aws:sts::111122223333:federated-user/carol",
		"s3:GetObject arn:aws:s3:::amzn-s3-demo-bucket/report.csv implicitDeny (session)",
		"s3:PutObject arn:aws:s3:::amzn-s3-demo-bucket/report.csv implicitDeny (session)",
		"s3:DeleteObject arn:aws:s3:::amzn-s3-demo-bucket/report.csv implicitDeny (identity)",
		"s3:DeleteObject arn:aws:s3:::productionapp/report.csv allowed (resource: CarolManagesObjects)",
		"GetFederationToken with a session policy: arn:aws:sts::111122223333:federated-user/carol",
		"s3:GetObject arn:aws:s3:::amzn-s3-demo-bucket/report.csv allowed (identity: AliceReadsWrites, SessionReads)",
		"s3:PutObject arn:aws:s3:::amzn-s3-demo-bucket/report.csv implicitDeny (session)",
		"s3:DeleteObject arn:aws:s3:::amzn-s3-demo-bucket/report.csv implicitDeny (identity)",
		"s3:DeleteObject arn:aws:s3:::productionapp/report.csv allowed (resource: CarolManagesObjects)",
	}
	require.Empty(t, cmp.Diff(want, show.Lines(b.String())))
}
