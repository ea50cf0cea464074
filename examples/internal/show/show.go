// Package show holds the few lines every example shares: reading a policy
// written in the example's source, and printing one decision.
package show

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/sts"
	"github.com/iamsim/iamsim/policy"
)

// Policy parses a policy document written in an example. The examples'
// policies are constants, so a parse error is a bug and panics.
func Policy(id, src string) evaluator.Input {
	p, err := policy.Parse([]byte(src), policy.WithSource(id))
	if err != nil {
		panic(err)
	}
	return evaluator.Input{ID: id, Policy: p}
}

// Decision prints one request's outcome on one line: the decision and, for
// an allow, the layer and statements that granted it; for a deny, the layer
// that denied; for a refused request, the STS error code.
func Decision(w io.Writer, action, resource string, r evaluator.Result, err error) {
	fmt.Fprintf(w, "  %-20s %-48s ", action, resource)
	var se *sts.Error
	switch {
	case errors.As(err, &se):
		fmt.Fprintf(w, "refused: %s\n", se.Code)
	case err != nil:
		fmt.Fprintf(w, "error: %v\n", err)
	case r.Decision == evaluator.Allowed:
		var names []string
		for _, m := range r.Matched {
			names = append(names, m.Name())
		}
		fmt.Fprintf(w, "allowed (%s: %s)\n", r.DecidedBy, strings.Join(names, ", "))
	default:
		fmt.Fprintf(w, "%s (%s)\n", r.Decision, r.DecidedBy)
	}
}

// Call prints the outcome of an STS call: the session's ARN, or the error.
func Call(w io.Writer, what string, s *sts.Session, err error) {
	var se *sts.Error
	switch {
	case errors.As(err, &se):
		fmt.Fprintf(w, "%s: refused: %s\n", what, se.Code)
	case err != nil:
		fmt.Fprintf(w, "%s: error: %v\n", what, err)
	default:
		fmt.Fprintf(w, "%s: %s\n", what, s.ARN)
	}
}

// Lines returns the text's lines with runs of spaces folded to one, for
// tests that compare output.
func Lines(text string) []string {
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		out = append(out, strings.Join(strings.Fields(line), " "))
	}
	return out
}
