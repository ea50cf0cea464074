package evaltest_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/iamsim/iamsim/evaluator/evaltest"
)

// FuzzLoad loads random case files, seeded from the corpus: loading either
// fails with an error or gives cases that run without panicking, and a case
// that evaluated passes exactly when its decision is the one expected.
func FuzzLoad(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/cases/*/*.yaml")
	for _, p := range files {
		if src, err := os.ReadFile(p); err == nil && len(src) < 20000 {
			f.Add(src)
		}
	}
	f.Add([]byte("cases:\n  - {name: a, principal: anonymous, action: s3:GetObject, expect: allowed}\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := evaltest.Load(filepath.Join(dir, "fuzz.yaml"), src)
		if err != nil {
			return
		}
		for _, c := range file.Cases {
			o := c.Run()
			if c.ExpectError != nil || o.Err != nil || c.ExpectMatched != nil {
				continue
			}
			if o.Pass() != (o.Result.Decision == c.Expect) {
				t.Fatalf("case %q: pass=%v but want %s, got %s", c.Name, o.Pass(), c.Expect, o.Result.Decision)
			}
		}
	})
}
