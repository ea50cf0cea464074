//go:build failing

package policytests

import (
	"testing"

	"github.com/iamsim/iamsim/evaluator/evaltest"
)

// TestFailingCase fails on purpose (go test -tags failing ./...), to show
// what a failing case reports: the expected and actual decision, where the
// case is, and the trace with each statement's file:line:column.
func TestFailingCase(t *testing.T) {
	evaltest.RunDir(t, "cases-failing")
}
