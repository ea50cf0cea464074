//go:build !race

package evaluator

import "testing"

// TestEvaluateIntoAllocatesNothing: on the layered workload, evaluating
// into a reused Result allocates nothing, and neither does Decide (issue 8:
// a decision under 1 µs with no allocation, tracing off). The race
// detector allocates on its own, hence the build tag.
func TestEvaluateIntoAllocatesNothing(t *testing.T) {
	eng, err := Compile(layeredSet(t))
	if err != nil {
		t.Fatal(err)
	}
	var r Result
	eng.EvaluateInto(&r, layeredReq) // grow the slices once
	if n := testing.AllocsPerRun(100, func() { eng.EvaluateInto(&r, layeredReq) }); n != 0 {
		t.Errorf("EvaluateInto: %v allocations per run, want 0", n)
	}
	if r.Decision != Allowed || len(r.Matched) != 3 {
		t.Errorf("got %s by %d statements, want allowed by 3", r.Decision, len(r.Matched))
	}
	if n := testing.AllocsPerRun(100, func() { eng.Decide(layeredReq) }); n != 0 {
		t.Errorf("Decide: %v allocations per run, want 0", n)
	}
}
