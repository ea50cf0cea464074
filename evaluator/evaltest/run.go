package evaltest

import (
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/sts"
)

// Outcome is the result of running one case.
type Outcome struct {
	Case   *Case
	Result evaluator.Result
	// Err is set when the case could not be evaluated: its request is
	// malformed or names an unknown action (Case.CheckRequest), its
	// policies did not compile, or its STS call failed though the case
	// expected a decision.
	Err error
	// CallErr is the error the case's STS call failed with, when the case
	// expected one (ExpectError).
	CallErr error
	// Problem says why the case failed; "" when it passed.
	Problem string
}

// Pass reports whether the case passed.
func (o *Outcome) Pass() bool { return o.Err == nil && o.Problem == "" }

// Got returns the decision, the STS error code of an expected failure, or
// "error: ..." when the case could not be evaluated.
func (o *Outcome) Got() string {
	var se *sts.Error
	switch {
	case o.Err != nil:
		return "error: " + o.Err.Error()
	case errors.As(o.CallErr, &se):
		return se.Code
	case o.Case.ExpectError != nil:
		return "no error"
	}
	return o.Result.Decision.String()
}

// Want returns what the case expects, as Outcome.Got spells outcomes: a
// decision, or the code of the STS error it expects.
func (c *Case) Want() string {
	if c.ExpectError != nil {
		return c.ExpectError.Code
	}
	return c.Expect.String()
}

// Evaluate makes the case's STS call, if it has one, compiles its policies
// and evaluates its request.
func (c *Case) Evaluate(opts ...evaluator.EvalOption) (evaluator.Result, error) {
	if c.Session == nil {
		var eng *evaluator.Engine
		var err error
		if c.engines != nil {
			eng, err = c.engines.engine(c.Policies)
		} else {
			eng, err = evaluator.Compile(c.Policies)
		}
		if err != nil {
			return evaluator.Result{}, err
		}
		return eng.Evaluate(c.Request, opts...), nil
	}
	sess, err := c.Session.Call()
	if err != nil {
		return evaluator.Result{}, err
	}
	if c.Policies.Resource == nil {
		return sess.Evaluate(c.Request, opts...)
	}
	se, err := sess.WithResourcePolicy(*c.Policies.Resource)
	if err != nil {
		return evaluator.Result{}, err
	}
	return se.Evaluate(c.Request, opts...)
}

// CheckRequest returns why the case's request cannot be trusted to mean
// what it says, or nil: the request is malformed (Request.Validate; for a
// case that makes an STS call the principal comes from the call and is not
// checked here, nor is a request without action, which a case expecting
// the call to fail may leave out), or its action is not in the action
// catalog and the case does not set AllowUnknownAction. The message of an
// unknown action suggests the nearest catalog action.
func (c *Case) CheckRequest() error {
	req, validate := c.Request, true
	if c.Session != nil {
		req.Principal, req.SessionIssuer = "anonymous", "" // the session's, checked by the call
		validate = req.Action != ""
	}
	return requestProblem(req, validate, c.AllowUnknownAction, "mark the case allowUnknownAction: true")
}

// Run evaluates the case with a trace and checks the result against the
// expectation. A case whose request fails CheckRequest fails without being
// evaluated (Outcome.Err), whatever it expects: a deny of a typo proves
// nothing.
func (c *Case) Run(opts ...evaluator.EvalOption) *Outcome {
	return c.run(append([]evaluator.EvalOption{evaluator.WithTrace()}, opts...))
}

// run is Run with exactly the given evaluation options.
func (c *Case) run(opts []evaluator.EvalOption) *Outcome {
	o := &Outcome{Case: c}
	if err := c.CheckRequest(); err != nil {
		o.Err = err
		return o
	}
	r, err := c.Evaluate(opts...)
	if want := c.ExpectError; want != nil {
		var se *sts.Error
		switch {
		case err == nil:
			o.Result = r
			o.Problem = fmt.Sprintf("want STS error %s, but the call succeeded", want)
		case !errors.As(err, &se):
			o.Err = err
		default:
			o.CallErr = err
			if !errors.Is(err, &sts.Error{Code: want.Code, Parameter: want.Parameter}) {
				o.Problem = fmt.Sprintf("want STS error %s, got %s", want, ExpectedError{Code: se.Code, Parameter: se.Parameter})
			}
		}
		return o
	}
	if err != nil {
		o.Err = err
		return o
	}
	o.Result = r
	o.Problem = c.Check(r)
	return o
}

// Check compares a result with the case's expectation and returns "" when
// it agrees, else what differs.
func (c *Case) Check(r evaluator.Result) string {
	var probs []string
	if r.Decision != c.Expect {
		probs = append(probs, fmt.Sprintf("decision: want %s, got %s", c.Expect, r.Decision))
	}
	if c.ExpectMatched != nil {
		want := append([]string(nil), c.ExpectMatched...)
		var got []string
		for _, m := range r.Matched {
			got = append(got, m.Name())
		}
		sort.Strings(want)
		sort.Strings(got)
		if strings.Join(want, "\x00") != strings.Join(got, "\x00") {
			probs = append(probs, fmt.Sprintf("matched statements: want %q, got %q", want, got))
		}
	}
	return strings.Join(probs, "; ")
}

// Report renders a failed outcome for a person: what differs, where the
// case is, and the trace with each statement's line:column.
func (o *Outcome) Report() string {
	var b strings.Builder
	c := o.Case
	fmt.Fprintf(&b, "%s:%d: case %q\n", c.File, c.Line, c.Name)
	if o.Err != nil {
		fmt.Fprintf(&b, "  cannot evaluate: %v\n", o.Err)
		var se *sts.Error
		if errors.As(o.Err, &se) && se.Result != nil && se.Result.Trace != nil {
			b.WriteString("  the STS call's evaluation:\n")
			writeIndented(&b, se.Result.Trace.String())
		}
		return b.String()
	}
	fmt.Fprintf(&b, "  %s\n", o.Problem)
	if o.CallErr != nil {
		fmt.Fprintf(&b, "  the STS call failed: %v\n", o.CallErr)
	}
	if c.Source != "" {
		fmt.Fprintf(&b, "  source: %s\n", c.Source)
	}
	if len(o.Result.Matched) > 0 {
		b.WriteString("  matched:\n")
		for _, m := range o.Result.Matched {
			fmt.Fprintf(&b, "    %s\n", m)
		}
	}
	if o.Result.Trace != nil {
		b.WriteString("  trace:\n")
		writeIndented(&b, o.Result.Trace.String())
	}
	return b.String()
}

func writeIndented(b *strings.Builder, text string) {
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		b.WriteString("    " + line + "\n")
	}
}

// RunFile runs every case of a case file as a subtest named after the case.
// A failing case reports the expected and actual decision and the trace,
// each statement with its file:line:column. A case whose action the
// catalog does not know fails unless it sets allowUnknownAction or opts
// hold AllowUnknownActions. A case that cannot be loaded fails as a
// subtest of its own (named after the case, or "case N at line L" when
// it has no name) and the file's other cases still run. The cases run on
// GOMAXPROCS goroutines (see File.Run); the subtests follow file order.
func RunFile(t *testing.T, path string, opts ...Option) {
	t.Helper()
	cfg := newRunConfig(opts)
	f, err := LoadFile(path, opts...)
	if f == nil {
		t.Fatalf("load case file: %v", err)
	}
	for _, ce := range f.Invalid {
		name := ce.Name
		if name == "" {
			name = fmt.Sprintf("case %d at line %d", ce.Index, ce.Line)
		}
		t.Run(name, func(t *testing.T) { t.Errorf("invalid case: %v", ce) })
	}
	for _, c := range f.Cases {
		if cfg.coverage != nil {
			cfg.coverage.AddPolicies(c.Policies)
		}
		if cfg.allowUnknownActions {
			c.AllowUnknownAction = true
		}
	}
	f.run(cfg.coverage != nil, func(o *Outcome) {
		t.Run(o.Case.Name, func(t *testing.T) {
			if cfg.coverage != nil {
				cfg.coverage.Record(o.Result)
			}
			if !o.Pass() {
				t.Error(o.Report())
			}
		})
	})
}

// Run runs the file's cases on GOMAXPROCS goroutines and calls each with
// every outcome, in file order, from the calling goroutine, as soon as
// that case and all before it are done. A passing case is evaluated
// without a trace (its Outcome.Result.Trace is nil); a failing one is run
// again with Case.Run, so that its outcome carries the trace its Report
// shows. Only a few outcomes are held at a time: each should not keep the
// outcomes it does not need.
func (f *File) Run(each func(*Outcome)) { f.run(false, each) }

// run is Run; trace evaluates every case with a trace.
func (f *File) run(trace bool, each func(*Outcome)) {
	cases := f.Cases
	if len(cases) == 0 {
		return
	}
	workers := min(runtime.GOMAXPROCS(0), len(cases))
	// slots[i] receives case i's outcome; tokens bounds the outcomes
	// started but not yet handed to each.
	slots := make([]chan *Outcome, len(cases))
	for i := range slots {
		slots[i] = make(chan *Outcome, 1)
	}
	tokens := make(chan struct{}, 4*workers)
	done := make(chan struct{})
	defer close(done) // stops the workers if each panics or exits the goroutine
	var next atomic.Int64
	for range workers {
		go func() {
			for {
				select {
				case tokens <- struct{}{}:
				case <-done:
					return
				}
				i := int(next.Add(1) - 1)
				if i >= len(cases) {
					return
				}
				slots[i] <- runCase(cases[i], trace)
			}
		}()
	}
	for i := range cases {
		o := <-slots[i]
		slots[i] = nil
		each(o)
		<-tokens
	}
}

// runCase runs c, with a trace when trace is set or the case fails.
func runCase(c *Case, trace bool) *Outcome {
	if !trace {
		if o := c.run(nil); o.Pass() {
			return o
		}
	}
	return c.Run()
}

// RunDir runs every case file under dir (see Files), each as a subtest
// named after its path relative to dir.
func RunDir(t *testing.T, dir string, opts ...Option) {
	t.Helper()
	files, err := Files(dir)
	if err != nil {
		t.Fatalf("list case files: %v", err)
	}
	if len(files) == 0 {
		t.Fatalf("no case files under %s", dir)
	}
	for _, f := range files {
		name := strings.TrimPrefix(strings.TrimPrefix(f, dir), "/")
		t.Run(name, func(t *testing.T) { RunFile(t, f, opts...) })
	}
}
