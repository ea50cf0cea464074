package evaltest

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/policy"
)

// Coverage records which policy statements the cases run with it matched:
// applied to a request, whether or not they decided it. Statements are
// identified by their policy's source (the file, or the case file and line
// of an inline policy) and their index, so one policy file shared by many
// cases counts once. A Coverage is safe for concurrent use.
type Coverage struct {
	mu    sync.Mutex
	stmts map[covKey]*StatementCoverage
	// added holds the policies already registered, so that the cases of
	// a file, sharing their policies, register each once.
	added map[addedKey]bool
}

type addedKey struct {
	id string
	p  *policy.Policy
}

// covKey identifies a statement by its position, or, for a statement
// without one, by its policy id and index.
type covKey struct {
	source       string
	line, column int
	index        int
}

func keyOf(ref evaluator.StatementRef) covKey {
	pos := ref.Span.Start
	if !pos.IsValid() {
		return covKey{source: ref.PolicyID, index: ref.Index}
	}
	return covKey{source: pos.Source, line: pos.Line, column: pos.Column}
}

// StatementCoverage is one statement and how many cases matched it.
type StatementCoverage struct {
	// Source is the policy's source (file path, or case file and line for
	// an inline policy); PolicyID its id in results.
	Source, PolicyID string
	Index            int
	Sid              string
	Line, Column     int
	// Hits counts the evaluations in which the statement applied.
	Hits int
}

// String renders "source:line:col: policyID[index] (Sid)".
func (s StatementCoverage) String() string {
	ref := fmt.Sprintf("%s[%d]", s.PolicyID, s.Index)
	if s.Sid != "" {
		ref += " (" + s.Sid + ")"
	}
	return fmt.Sprintf("%s:%d:%d: %s", s.Source, s.Line, s.Column, ref)
}

// NewCoverage returns an empty Coverage.
func NewCoverage() *Coverage {
	return &Coverage{stmts: map[covKey]*StatementCoverage{}, added: map[addedKey]bool{}}
}

// AddPolicies registers every statement of a policy set, so that a
// statement no case matches is reported.
func (c *Coverage) AddPolicies(set evaluator.PolicySet) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stmts == nil {
		c.stmts = map[covKey]*StatementCoverage{}
	}
	if c.added == nil {
		c.added = map[addedKey]bool{}
	}
	add := func(in *evaluator.Input) {
		if in == nil || in.Policy == nil || c.added[addedKey{in.ID, in.Policy}] {
			return
		}
		c.added[addedKey{in.ID, in.Policy}] = true
		for i, st := range in.Policy.Statements {
			k := keyOf(evaluator.StatementRef{PolicyID: in.ID, Index: i, Span: st.Span})
			if _, ok := c.stmts[k]; !ok {
				c.stmts[k] = &StatementCoverage{Source: k.source, PolicyID: in.ID, Index: i, Sid: st.Sid,
					Line: st.Span.Start.Line, Column: st.Span.Start.Column}
			}
		}
	}
	for i := range set.Identity {
		add(&set.Identity[i])
	}
	add(set.PermissionsBoundary)
	for i := range set.Session {
		add(&set.Session[i])
	}
	add(set.Resource)
	for _, levels := range [][][]evaluator.Input{set.SCPs, set.RCPs} {
		for _, lv := range levels {
			for i := range lv {
				add(&lv[i])
			}
		}
	}
}

// Record counts the statements a traced result shows as applying. Results
// without a trace record nothing.
func (c *Coverage) Record(r evaluator.Result) {
	if r.Trace == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range r.Trace.Steps {
		if s.Statement == nil || !s.Applies {
			continue
		}
		if sc, ok := c.stmts[keyOf(*s.Statement)]; ok {
			sc.Hits++
		}
	}
}

// Statements returns every registered statement, sorted by source and
// position.
func (c *Coverage) Statements() []StatementCoverage {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]StatementCoverage, 0, len(c.stmts))
	for _, s := range c.stmts {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.Index < b.Index
	})
	return out
}

// Uncovered returns the statements no case matched.
func (c *Coverage) Uncovered() []StatementCoverage {
	var out []StatementCoverage
	for _, s := range c.Statements() {
		if s.Hits == 0 {
			out = append(out, s)
		}
	}
	return out
}

// Percent returns the share of registered statements matched at least
// once, from 0 to 100 (100 when none are registered).
func (c *Coverage) Percent() float64 {
	all := c.Statements()
	if len(all) == 0 {
		return 100
	}
	hit := 0
	for _, s := range all {
		if s.Hits > 0 {
			hit++
		}
	}
	return 100 * float64(hit) / float64(len(all))
}

// Report renders the coverage and the statements no case matched.
func (c *Coverage) Report() string {
	var b strings.Builder
	all, unc := c.Statements(), c.Uncovered()
	fmt.Fprintf(&b, "statement coverage: %.1f%% (%d of %d statements matched)\n", c.Percent(), len(all)-len(unc), len(all))
	for _, s := range unc {
		b.WriteString("  not matched: " + s.String() + "\n")
	}
	return b.String()
}

// Require fails the test when coverage is below min percent, listing the
// statements no case matched. Call it after the cases ran (after RunDir
// returns, or in t.Cleanup).
func (c *Coverage) Require(t testing.TB, min float64) {
	t.Helper()
	if p := c.Percent(); p < min {
		t.Errorf("%sstatement coverage %.1f%% is below the required %.1f%%", c.Report(), p, min)
	}
}

// Option configures RunFile and RunDir, the assertions (Allowed,
// Denied, ...), and LoadFile and Load (which heed only AllowFilesOutside
// and WithRoot).
type Option func(*runConfig)

type runConfig struct {
	coverage            *Coverage
	allowUnknownActions bool
	// allowOutside and root confine {file: path} references (confine.go).
	allowOutside bool
	root         string
}

func newRunConfig(opts []Option) runConfig {
	var cfg runConfig
	for _, o := range opts {
		o(&cfg)
	}
	return cfg
}

// WithCoverage records statement coverage of the cases run into c. The
// assertions ignore it.
func WithCoverage(c *Coverage) Option { return func(rc *runConfig) { rc.coverage = c } }

// AllowUnknownActions lets requests name actions that are not in the
// action catalog (policy/catalog), for actions newer than it. Without it,
// an assertion or a case whose action the catalog does not know fails
// ("unknown action s3:DeleteObjct; did you mean s3:DeleteObject?"), so that
// a typo cannot pass as a deny. A case file marks one case with
// allowUnknownAction: true instead.
func AllowUnknownActions() Option { return func(rc *runConfig) { rc.allowUnknownActions = true } }
