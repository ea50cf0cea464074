package effective_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/effective"
	"github.com/iamsim/iamsim/policy"
)

// benchInput reads a workload policy of testdata/bench.
func benchInput(tb testing.TB, name string) evaluator.Input {
	tb.Helper()
	path := filepath.Join("..", "..", "testdata", "bench", name)
	p, err := policy.ParseFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return evaluator.Input{ID: strings.TrimSuffix(name, ".json"), Policy: p}
}

// BenchmarkEffective measures the full-catalog effective report (about
// 22,000 actions) for the layered set's session on "*".
func BenchmarkEffective(b *testing.B) {
	bd, r := benchInput(b, "layered/boundary.json"), benchInput(b, "layered/resource.json")
	eng, err := evaluator.Compile(evaluator.PolicySet{
		Identity:            []evaluator.Input{benchInput(b, "layered/identity.json")},
		PermissionsBoundary: &bd,
		Session:             []evaluator.Input{benchInput(b, "layered/session.json")},
		Resource:            &r,
		SCPs: [][]evaluator.Input{{benchInput(b, "layered/scp-root.json")}, {benchInput(b, "layered/scp-ou.json")},
			{benchInput(b, "layered/scp-account.json")}},
	})
	if err != nil {
		b.Fatal(err)
	}
	req := effective.Request{Principal: "arn:aws:sts::111111111111:assumed-role/app/s1"}
	effective.Evaluate(eng, req) // load the catalog
	b.ReportAllocs()
	for b.Loop() {
		rep := effective.Evaluate(eng, req)
		if e, ok := rep.Lookup("s3:GetObject"); !ok || e.Decision != evaluator.ImplicitDeny || len(rep.Entries) < 20000 {
			b.Fatalf("s3:GetObject on *: %+v", e)
		}
	}
}
