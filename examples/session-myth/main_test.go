package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/examples/internal/show"
)

// Expected decisions: a session policy limits the role's permissions and
// "cannot be used to grant more permissions than those allowed by the
// identity-based policy of the role that is being assumed"
// (IUG access_policies.html#policies_session). The role session's identity
// policies are the role's, not the caller's
// (IUG id_credentials_temp_control-access_assumerole.html): alice's own
// policy plays no part in the session's requests.
func TestSessionMyth(t *testing.T) {
	var b strings.Builder
	require.NoError(t, run(&b))
	want := []string{
		"alice with her own credentials",
		"s3:PutObject " + object + " implicitDeny (identity)",
		"AssumeRole Uploader: arn:aws:sts::111122223333:assumed-role/Uploader/alice",
		"s3:PutObject " + object + " allowed (identity: UploaderWrites, SessionPut)",
		"AssumeRole Reader: arn:aws:sts::111122223333:assumed-role/Reader/alice",
		"s3:PutObject " + object + " implicitDeny (identity)",
	}
	require.Empty(t, cmp.Diff(want, show.Lines(b.String())))
}
