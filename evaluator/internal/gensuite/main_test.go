package main

import (
	"path/filepath"
	"testing"

	"github.com/iamsim/iamsim/evaluator/evaltest"
)

// TestSuite checks that the simulator agrees with the expectations the
// generator derives, in both formats.
func TestSuite(t *testing.T) {
	for _, name := range []string{"suite.yaml", "suite.json"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), name)
			if err := write(path, 50); err != nil {
				t.Fatal(err)
			}
			evaltest.RunFile(t, path)
		})
	}
}

// BenchmarkSuite200 loads and runs the 200-case heavy suite (13 identity
// policies of 200 conditional statements, a boundary and a session policy
// shared by every case), as "iamsim test" does, and checks every case
// passes.
func BenchmarkSuite200(b *testing.B) {
	for _, name := range []string{"yaml", "json"} {
		b.Run(name, func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "suite-200."+name)
			if err := write(path, 200); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				f, err := evaltest.LoadFile(path)
				if err != nil {
					b.Fatal(err)
				}
				passed := 0
				f.Run(func(o *evaltest.Outcome) {
					if o.Pass() {
						passed++
					}
				})
				if passed != 200 {
					b.Fatalf("%d of 200 cases passed", passed)
				}
			}
		})
	}
}
