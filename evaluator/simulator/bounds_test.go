package simulator_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/evaluator/simulator"
)

// bounded fails the test if f runs longer than limit.
func bounded(t *testing.T, limit time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(limit):
		t.Fatalf("still running after %v", limit)
	}
}

// TestSimulateManyContextEntries: the duplicate-name check of
// ContextEntries is one map, not a scan of the context per entry (50,000
// entries took 49 s), and still finds a duplicate that differs in case.
func TestSimulateManyContextEntries(t *testing.T) {
	entries := make([]simulator.ContextEntry, 100_000)
	for i := range entries {
		entries[i] = simulator.ContextEntry{ContextKeyName: fmt.Sprintf("k%d", i), ContextKeyValues: []string{"v"}, ContextKeyType: "string"}
	}
	in := simulator.SimulateCustomPolicyInput{
		PolicyInputList: []string{s3All}, ActionNames: []string{"s3:GetObject"},
		CallerArn: "arn:aws:iam::111122223333:user/alice", ContextEntries: entries,
	}
	bounded(t, 20*time.Second, func() {
		out, err := simulator.SimulateCustomPolicy(in)
		require.NoError(t, err)
		require.Len(t, out.EvaluationResults, 1)
	})
	in.ContextEntries = append(entries, simulator.ContextEntry{ContextKeyName: "K99999", ContextKeyValues: []string{"v"}})
	bounded(t, 20*time.Second, func() {
		_, err := simulator.SimulateCustomPolicy(in)
		require.ErrorContains(t, err, "K99999: given twice")
	})
}
