package sts_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/sts"
)

// TestDurationSecondsOutOfRange: a DurationSeconds far out of range is a
// ValidationError, as AWS answers, even one that overflows time.Duration
// when multiplied out (2^55+3600 seconds is 3,600 seconds modulo 2^64
// nanoseconds, which once made a valid one-hour session).
func TestDurationSecondsOutOfRange(t *testing.T) {
	huge := []int{1<<55 + 3600, 1<<62 + 3600, -(1<<55 - 3600), -1 << 63}
	app, ops := chainSetup(t)
	for _, d := range huge {
		in := sts.AssumeRoleInput{Caller: ops.AsCaller(), Role: app, RoleSessionName: "deploy", Now: issued, DurationSeconds: d}
		_, err := sts.AssumeRole(in)
		require.ErrorIs(t, err, &sts.Error{Code: "ValidationError", Parameter: "DurationSeconds"}, "AssumeRole DurationSeconds %d", d)
	}
	allow := mustInput(t, "allow", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
	user := sts.Caller{Principal: "arn:aws:iam::111122223333:user/alice", Policies: evaluator.PolicySet{Identity: []evaluator.Input{allow}}}
	in := sts.GetFederationTokenInput{Caller: user, Name: "bob", Now: issued}
	_, err := sts.GetFederationToken(in)
	require.NoError(t, err)
	for _, d := range append(huge, 1<<55+7200) {
		in.DurationSeconds = d
		_, err := sts.GetFederationToken(in)
		require.ErrorIs(t, err, &sts.Error{Code: "ValidationError", Parameter: "DurationSeconds"}, "GetFederationToken DurationSeconds %d", d)
	}
}
