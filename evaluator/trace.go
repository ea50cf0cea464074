package evaluator

import (
	"fmt"
	"io"
	"strings"
)

// Trace is a step-by-step account of one evaluation.
type Trace struct {
	Steps     []TraceStep
	Decision  Decision
	DecidedBy Layer
}

// TraceStep is one thing the evaluator did: considered a statement, or
// reached a conclusion (Statement is nil for those).
type TraceStep struct {
	Layer     Layer
	Statement *StatementRef
	Deny      bool   // the statement's effect is Deny
	Applies   bool   // the statement applies to the request
	Reason    string // why it applies or not, or the conclusion
}

func (t *Trace) notef(format string, args ...any) {
	t.Steps = append(t.Steps, TraceStep{Reason: fmt.Sprintf(format, args...)})
}

func (t *Trace) statement(l Layer, cs *compiledStatement, ok bool, why string) {
	ref := cs.ref
	t.Steps = append(t.Steps, TraceStep{Layer: l, Statement: &ref, Deny: cs.deny, Applies: ok, Reason: why})
}

// Format writes the trace for a person to read, one step per line.
func (t *Trace) Format(w io.Writer) error {
	var b strings.Builder
	for _, s := range t.Steps {
		if s.Statement == nil {
			fmt.Fprintf(&b, "- %s\n", s.Reason)
			continue
		}
		effect := "Allow"
		if s.Deny {
			effect = "Deny"
		}
		mark := " "
		if s.Applies {
			mark = "*"
		}
		fmt.Fprintf(&b, "  %s [%s] %s %s: %s\n", mark, s.Layer, effect, s.Statement, s.Reason)
	}
	fmt.Fprintf(&b, "decision: %s", t.Decision)
	if t.DecidedBy != LayerNone {
		fmt.Fprintf(&b, " (decided by %s)", t.DecidedBy)
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// String returns the trace as Format writes it.
func (t *Trace) String() string {
	var b strings.Builder
	_ = t.Format(&b)
	return b.String()
}
