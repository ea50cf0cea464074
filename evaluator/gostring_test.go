package evaluator_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/iamsim/iamsim/evaluator"
)

// testifyMessages records what a failing testify assertion prints.
type testifyMessages struct{ msgs []string }

func (m *testifyMessages) Errorf(format string, args ...any) {
	m.msgs = append(m.msgs, fmt.Sprintf(format, args...))
}

// TestDecisionUnderTestify checks that a failing assert.Equal on decisions
// and layers names them (testify formats values with %#v), rather than
// printing 0x1.
func TestDecisionUnderTestify(t *testing.T) {
	var m testifyMessages
	assert.Equal(&m, evaluator.Allowed, evaluator.ImplicitDeny)
	assert.Equal(&m, evaluator.LayerIdentity, evaluator.LayerSession)
	if len(m.msgs) != 2 {
		t.Fatalf("want 2 failures, got %q", m.msgs)
	}
	for i, want := range [][2]string{{"allowed", "implicitDeny"}, {"evaluator.LayerIdentity", "evaluator.LayerSession"}} {
		for _, w := range want {
			assert.Contains(t, m.msgs[i], w)
		}
		assert.NotContains(t, m.msgs[i], "0x")
	}
	assert.Equal(t, "Decision(9)", fmt.Sprintf("%#v", evaluator.Decision(9)))
	assert.Equal(t, "evaluator.Layer(9)", fmt.Sprintf("%#v", evaluator.Layer(9)))
}
