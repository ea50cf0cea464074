package evaltest_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/iamsim/iamsim/evaluator/evaltest"
)

// FuzzLoad loads random case files, seeded from the corpus: loading either
// fails with an error or gives cases that run without panicking.
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
			c.Run()
		}
	})
}
