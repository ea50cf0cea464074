package evaluator_test

import (
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/evaltest"
)

// TestCompilerMatchesCompileCorpus proves the compile cache safe: one
// Compiler shared by every corpus case gives engines that decide exactly as
// engines compiled afresh, and fails where Compile fails.
func TestCompilerMatchesCompileCorpus(t *testing.T) {
	files, err := evaltest.Files(corpusDir)
	require.NoError(t, err)
	c := evaluator.NewCompiler()
	n := 0
	for _, path := range files {
		f, err := evaltest.LoadFile(path)
		require.NoError(t, err)
		for _, cs := range f.Cases {
			if cs.Session != nil {
				continue
			}
			// Twice: the second time every policy comes from the cache.
			for range 2 {
				fresh, ferr := evaluator.Compile(cs.Policies)
				cached, cerr := c.Compile(cs.Policies)
				if (ferr == nil) != (cerr == nil) || (ferr != nil && ferr.Error() != cerr.Error()) {
					t.Fatalf("%s: %s: Compile error %v, Compiler error %v", path, cs.Name, ferr, cerr)
				}
				if ferr != nil {
					continue
				}
				want := fresh.Evaluate(cs.Request, evaluator.WithTrace())
				got := cached.Evaluate(cs.Request, evaluator.WithTrace())
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("%s: %s: cached engine differs (-fresh +cached):\n%s", path, cs.Name, d)
				}
				n++
			}
		}
	}
	require.Greater(t, n, 100, "the corpus should exercise the cache")
}

// TestCompilerConcurrent compiles the same sets from many goroutines.
func TestCompilerConcurrent(t *testing.T) {
	files, err := evaltest.Files(corpusDir)
	require.NoError(t, err)
	var cases []evaltest.Case
	for _, path := range files[:min(len(files), 10)] {
		f, err := evaltest.LoadFile(path)
		require.NoError(t, err)
		for _, cs := range f.Cases {
			if cs.Session == nil {
				cases = append(cases, *cs)
			}
		}
	}
	c := evaluator.NewCompiler()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for _, cs := range cases {
				fresh, ferr := evaluator.Compile(cs.Policies)
				cached, cerr := c.Compile(cs.Policies)
				if (ferr == nil) != (cerr == nil) {
					t.Errorf("%s: errors differ: %v, %v", cs.Name, ferr, cerr)
					continue
				}
				if ferr == nil && fresh.Evaluate(cs.Request).Decision != cached.Evaluate(cs.Request).Decision {
					t.Errorf("%s: decisions differ", cs.Name)
				}
			}
		})
	}
	wg.Wait()
}

// TestWithResourceSideCorpus: an engine joined from a principal side and a
// resource side compiled apart decides every corpus case as the whole set
// compiled at once.
func TestWithResourceSideCorpus(t *testing.T) {
	files, err := evaltest.Files(corpusDir)
	require.NoError(t, err)
	n := 0
	for _, path := range files {
		f, err := evaltest.LoadFile(path)
		require.NoError(t, err)
		for _, cs := range f.Cases {
			if cs.Session != nil {
				continue
			}
			whole, err := evaluator.Compile(cs.Policies)
			if err != nil {
				continue
			}
			ps := cs.Policies
			ps.Resource, ps.RCPs = nil, nil
			rs := evaluator.PolicySet{Resource: cs.Policies.Resource, RCPs: cs.Policies.RCPs,
				ManagementAccount: cs.Policies.ManagementAccount, OrgAccounts: cs.Policies.OrgAccounts}
			pe, err := evaluator.Compile(ps)
			require.NoError(t, err)
			re, err := evaluator.Compile(rs)
			require.NoError(t, err)
			want := whole.Evaluate(cs.Request, evaluator.WithTrace())
			got := pe.WithResourceSide(re).Evaluate(cs.Request, evaluator.WithTrace())
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("%s: %s: joined engine differs (-whole +joined):\n%s", path, cs.Name, d)
			}
			n++
		}
	}
	require.Greater(t, n, 100)
}
