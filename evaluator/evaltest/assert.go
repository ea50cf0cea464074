package evaltest

import (
	"strings"
	"testing"

	"github.com/iamsim/iamsim/evaluator"
)

// Allowed asserts that the engine allows the request. On failure it reports
// the decision, the layer that decided and the trace, with each statement's
// file:line:column, and the test goes on (t.Errorf). It returns the result.
// It works with plain testing.T and alongside testify: it needs only
// testing.TB.
func Allowed(t testing.TB, e *evaluator.Engine, req evaluator.Request) evaluator.Result {
	t.Helper()
	return expect(t, e, req, "allowed", func(d evaluator.Decision) bool { return d == evaluator.Allowed })
}

// Denied asserts that the engine denies the request, explicitly or
// implicitly.
func Denied(t testing.TB, e *evaluator.Engine, req evaluator.Request) evaluator.Result {
	t.Helper()
	return expect(t, e, req, "denied", func(d evaluator.Decision) bool { return d != evaluator.Allowed })
}

// ExplicitlyDenied asserts that a Deny statement decides the request.
func ExplicitlyDenied(t testing.TB, e *evaluator.Engine, req evaluator.Request) evaluator.Result {
	t.Helper()
	return expect(t, e, req, "explicitDeny", func(d evaluator.Decision) bool { return d == evaluator.ExplicitDeny })
}

// ImplicitlyDenied asserts that no Deny applies but some layer that had to
// allow did not.
func ImplicitlyDenied(t testing.TB, e *evaluator.Engine, req evaluator.Request) evaluator.Result {
	t.Helper()
	return expect(t, e, req, "implicitDeny", func(d evaluator.Decision) bool { return d == evaluator.ImplicitDeny })
}

// Decides asserts that the engine decides the request as want.
func Decides(t testing.TB, e *evaluator.Engine, req evaluator.Request, want evaluator.Decision) evaluator.Result {
	t.Helper()
	return expect(t, e, req, want.String(), func(d evaluator.Decision) bool { return d == want })
}

func expect(t testing.TB, e *evaluator.Engine, req evaluator.Request, want string, ok func(evaluator.Decision) bool) evaluator.Result {
	t.Helper()
	if e == nil {
		t.Errorf("%s %s on %s: no engine (nil *evaluator.Engine)", req.Principal, req.Action, req.Resource)
		return evaluator.Result{}
	}
	r := e.Evaluate(req, evaluator.WithTrace())
	if ok(r.Decision) {
		return r
	}
	var b strings.Builder
	b.WriteString(req.Principal + " " + req.Action + " on " + req.Resource + ": want " + want + ", got " + r.Decision.String())
	if r.DecidedBy != evaluator.LayerNone {
		b.WriteString(" (decided by " + r.DecidedBy.String() + ")")
	}
	b.WriteString("\n")
	if err := req.Validate(); err != nil {
		b.WriteString("  the request is malformed: " + err.Error() + "\n")
	}
	for _, m := range r.Matched {
		b.WriteString("  matched: " + m.String() + "\n")
	}
	if len(r.MissingContext) > 0 {
		b.WriteString("  missing context: " + strings.Join(r.MissingContext, ", ") + "\n")
	}
	b.WriteString("  trace:\n")
	writeIndented(&b, r.Trace.String())
	t.Errorf("%s", b.String())
	return r
}
