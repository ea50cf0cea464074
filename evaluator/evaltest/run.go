package evaltest

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/iamsim/iamsim/evaluator"
)

// Outcome is the result of running one case.
type Outcome struct {
	Case   *Case
	Result evaluator.Result
	// Err is set when the case's policies could not be compiled.
	Err error
	// Problem says why the case failed; "" when it passed.
	Problem string
}

// Pass reports whether the case passed.
func (o *Outcome) Pass() bool { return o.Err == nil && o.Problem == "" }

// Got returns the decision, or "error: ..." when the policies did not compile.
func (o *Outcome) Got() string {
	if o.Err != nil {
		return "error: " + o.Err.Error()
	}
	return o.Result.Decision.String()
}

// Run compiles the case's policies, evaluates its request with a trace and
// checks the result against the expectation.
func (c *Case) Run(opts ...evaluator.EvalOption) *Outcome {
	o := &Outcome{Case: c}
	eng, err := evaluator.Compile(c.Policies)
	if err != nil {
		o.Err = err
		return o
	}
	o.Result = eng.Evaluate(c.Request, append([]evaluator.EvalOption{evaluator.WithTrace()}, opts...)...)
	o.Problem = c.Check(o.Result)
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
		fmt.Fprintf(&b, "  policies do not compile: %v\n", o.Err)
		return b.String()
	}
	fmt.Fprintf(&b, "  %s\n", o.Problem)
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
		for _, line := range strings.Split(strings.TrimRight(o.Result.Trace.String(), "\n"), "\n") {
			b.WriteString("    " + line + "\n")
		}
	}
	return b.String()
}

// RunFile runs every case of a case file as a subtest named after the case.
// A failing case reports the expected and actual decision and the trace.
func RunFile(t *testing.T, path string) {
	t.Helper()
	f, err := LoadFile(path)
	if err != nil {
		t.Fatalf("load case file: %v", err)
	}
	for _, c := range f.Cases {
		t.Run(c.Name, func(t *testing.T) {
			if o := c.Run(); !o.Pass() {
				t.Error(o.Report())
			}
		})
	}
}

// RunDir runs every case file under dir (see Files), each as a subtest
// named after its path relative to dir.
func RunDir(t *testing.T, dir string) {
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
		t.Run(name, func(t *testing.T) { RunFile(t, f) })
	}
}
