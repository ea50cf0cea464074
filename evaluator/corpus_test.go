package evaluator_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/evaltest"
)

const corpusDir = "../testdata/cases"

// TestCorpus runs every case of the project's corpus: the specification.
func TestCorpus(t *testing.T) {
	cov := evaltest.NewCoverage()
	evaltest.RunDir(t, corpusDir, evaltest.WithCoverage(cov))
	t.Log(cov.Report())
	// Many statements exist to show that they do not apply, so the floor is
	// below the 67.8% measured: it catches a run that matched far less.
	cov.Require(t, 60)
}

// TestIndexMatchesReference proves the service index safe: on every corpus
// case the indexed and unindexed paths give identical results.
func TestIndexMatchesReference(t *testing.T) {
	files, err := evaltest.Files(corpusDir)
	require.NoError(t, err)
	n := 0
	for _, path := range files {
		f, err := evaltest.LoadFile(path)
		require.NoError(t, err)
		for _, c := range f.Cases {
			want, err := c.Evaluate(evaluator.WithoutIndex())
			if err != nil {
				continue // TestCorpus reports it
			}
			got, err := c.Evaluate()
			require.NoError(t, err)
			if c.Session == nil {
				eng, err := evaluator.Compile(c.Policies)
				require.NoError(t, err)
				d, l := eng.Decide(c.Request)
				if d != got.Decision || l != got.DecidedBy {
					t.Errorf("%s: %s: Decide gives %s by %s, Evaluate %s by %s", path, c.Name, d, l, got.Decision, got.DecidedBy)
				}
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("%s: %s: indexed result differs (-unindexed +indexed):\n%s", path, c.Name, d)
			}
			n++
		}
	}
	require.Greater(t, n, 50, "the corpus should exercise the index")
}
