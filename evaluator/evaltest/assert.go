package evaltest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/sts"
	"github.com/iamsim/iamsim/policy/catalog"
)

// Evaluator is what the assertions evaluate a request with: a compiled
// *evaluator.Engine, an *sts.Session (a request without a Principal is
// made with the session's credentials) or an *sts.SessionEngine (a session
// with the resource policy of the resource its requests target). Check
// evaluates the request, traced when asked, or says why it cannot.
type Evaluator interface {
	Check(req evaluator.Request, opts ...evaluator.EvalOption) (evaluator.Result, error)
}

// Allowed asserts that e allows the request. On failure it reports
// the decision, the layer that decided and the trace, with each statement's
// file:line:column, and the test goes on (t.Errorf). It returns the result.
// It works with plain testing.T and alongside testify: it needs only
// testing.TB.
//
// Every assertion first checks the request, and fails without evaluating
// it when the request is malformed (Request.Validate: an empty or
// unreadable principal, a resource that is not an ARN, ...) or names an
// action the catalog does not know, with its "did you mean": a deny of
// such a request proves nothing. AllowUnknownActions admits actions newer
// than the catalog.
func Allowed(t testing.TB, e Evaluator, req evaluator.Request, opts ...Option) evaluator.Result {
	t.Helper()
	return expect(t, e, req, "allowed", func(d evaluator.Decision) bool { return d == evaluator.Allowed }, opts)
}

// Denied asserts that e denies the request, explicitly or
// implicitly. The request must be well formed and its action known (see
// Allowed).
func Denied(t testing.TB, e Evaluator, req evaluator.Request, opts ...Option) evaluator.Result {
	t.Helper()
	return expect(t, e, req, "denied", func(d evaluator.Decision) bool { return d != evaluator.Allowed }, opts)
}

// ExplicitlyDenied asserts that a Deny statement decides the request.
func ExplicitlyDenied(t testing.TB, e Evaluator, req evaluator.Request, opts ...Option) evaluator.Result {
	t.Helper()
	return expect(t, e, req, "explicitDeny", func(d evaluator.Decision) bool { return d == evaluator.ExplicitDeny }, opts)
}

// ImplicitlyDenied asserts that no Deny applies but some layer that had to
// allow did not. The request must be well formed and its action known (see
// Allowed).
func ImplicitlyDenied(t testing.TB, e Evaluator, req evaluator.Request, opts ...Option) evaluator.Result {
	t.Helper()
	return expect(t, e, req, "implicitDeny", func(d evaluator.Decision) bool { return d == evaluator.ImplicitDeny }, opts)
}

// Decides asserts that e decides the request as want.
func Decides(t testing.TB, e Evaluator, req evaluator.Request, want evaluator.Decision, opts ...Option) evaluator.Result {
	t.Helper()
	return expect(t, e, req, want.String(), func(d evaluator.Decision) bool { return d == want }, opts)
}

// requestProblem says why a request cannot be trusted to mean what it
// says: it is malformed (when validate), or its action is not in the
// catalog (unless allowUnknown); hint tells how to admit a newer action.
func requestProblem(req evaluator.Request, validate, allowUnknown bool, hint string) error {
	if validate {
		if err := req.Validate(); err != nil {
			return fmt.Errorf("the request is malformed: %w", err)
		}
	}
	if allowUnknown || req.Action == "" {
		return nil
	}
	if err := catalog.CheckAction(req.Action); err != nil {
		return fmt.Errorf("%w (for an action newer than the catalog, %s, %s)", err, catalog.Source(), hint)
	}
	return nil
}

func expect(t testing.TB, e Evaluator, req evaluator.Request, want string, ok func(evaluator.Decision) bool, opts []Option) evaluator.Result {
	t.Helper()
	who := req.Principal
	switch s := e.(type) {
	case *sts.Session:
		if who == "" && s != nil {
			who = s.ARN
		}
	case *sts.SessionEngine:
		if who == "" && s != nil && s.Session() != nil {
			who = s.Session().ARN
		}
	}
	if e == nil {
		t.Errorf("%s %s on %s: want %s, but there is nothing to evaluate with (nil Evaluator)", who, req.Action, req.Resource, want)
		return evaluator.Result{}
	}
	cfg := newRunConfig(opts)
	// A request without a principal is checked by the session that fills
	// it in; an engine needs one.
	_, engine := e.(*evaluator.Engine)
	if err := requestProblem(req, engine || req.Principal != "", cfg.allowUnknownActions, "pass evaltest.AllowUnknownActions()"); err != nil {
		t.Errorf("%s %s on %s: want %s, but %v", who, req.Action, req.Resource, want, err)
		return evaluator.Result{}
	}
	r, err := e.Check(req, evaluator.WithTrace())
	if err != nil {
		t.Errorf("%s %s on %s: want %s, but %v", who, req.Action, req.Resource, want, err)
		return evaluator.Result{}
	}
	if ok(r.Decision) {
		return r
	}
	var b strings.Builder
	b.WriteString(who + " " + req.Action + " on " + req.Resource + ": want " + want + ", got " + r.Decision.String())
	if r.DecidedBy != evaluator.LayerNone {
		b.WriteString(" (decided by " + r.DecidedBy.String() + ")")
	}
	b.WriteString("\n")
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
