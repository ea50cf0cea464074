package evaluator

import (
	"fmt"
	"strings"
	"testing"
)

// layeredSet is a realistic layered policy set: an identity policy with 60
// statements (exact actions across services, wildcards, resource patterns),
// a boundary, a session policy, a bucket policy and three SCP levels.
func layeredSet(tb testing.TB) PolicySet {
	var st []string
	services := []string{"ec2", "iam", "lambda", "dynamodb", "sqs", "sns", "kms", "logs", "cloudwatch", "rds"}
	for i := 0; i < 40; i++ {
		svc := services[i%len(services)]
		st = append(st, fmt.Sprintf(`{"Sid":"Exact%d","Effect":"Allow","Action":["%s:Describe%d","%s:List%d"],"Resource":"*"}`, i, svc, i, svc, i))
	}
	for i := 0; i < 10; i++ {
		svc := services[i%len(services)]
		st = append(st, fmt.Sprintf(`{"Sid":"Wild%d","Effect":"Allow","Action":"%s:Get*","Resource":"arn:aws:%s:*:111111111111:thing%d/*"}`, i, svc, svc, i))
	}
	for i := 0; i < 9; i++ {
		st = append(st, fmt.Sprintf(`{"Sid":"Bucket%d","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::bucket-%d/*"}`, i, i))
	}
	st = append(st, `{"Sid":"ReportsRead","Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::reports/*"}`)
	id := `{"Version":"2012-10-17","Statement":[` + strings.Join(st, ",\n") + `]}`
	bd := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","ec2:*","dynamodb:*"],"Resource":"*"},{"Effect":"Deny","Action":"iam:*","Resource":"*"}]}`
	ss := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::reports/*"}]}`
	rp := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:DeleteBucket","Resource":"arn:aws:s3:::reports"},{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/other"},"Action":"s3:*","Resource":"arn:aws:s3:::reports/*"}]}`
	full := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	ou := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":["organizations:LeaveOrganization","account:*"],"Resource":"*"}]}`
	in := func(id, src string) Input { return Input{ID: id, Policy: mustPolicy(tb, src)} }
	b, s := in("boundary", bd), in("resource", rp)
	return PolicySet{
		Identity:            []Input{in("identity", id)},
		PermissionsBoundary: &b,
		Session:             []Input{in("session", ss)},
		Resource:            &s,
		SCPs:                [][]Input{{in("root", full)}, {in("ou", ou)}, {in("acct", full)}},
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
}

func BenchmarkEvaluateLayeredParallel(b *testing.B) {
	eng, err := Compile(layeredSet(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if r := eng.Evaluate(layeredReq); r.Decision != Allowed {
				b.Fatalf("decision %s, want allowed", r.Decision)
			}
		}
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

// sessionInput is an AssumeRole call with a trust policy naming the caller,
// the layered set's identity policies and boundary for the role, and an
// inline session policy.
func sessionInput(tb testing.TB) AssumeRoleInput {
	set := layeredSet(tb)
	trust := Input{ID: "trust", Policy: mustPolicy(tb, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"AWS":"arn:aws:iam::111111111111:user/alice"},"Action":["sts:AssumeRole","sts:TagSession"]}]}`)}
	return AssumeRoleInput{
		Caller:          Caller{Principal: "arn:aws:iam::111111111111:user/alice"},
		Role:            Role{ARN: "arn:aws:iam::111111111111:role/app", TrustPolicy: &trust, Policies: PolicySet{Identity: set.Identity, PermissionsBoundary: set.PermissionsBoundary}},
		RoleSessionName: "bench",
		Policy:          `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::reports/*"}]}`,
		Tags:            []Tag{{Key: "team", Value: "blue"}},
	}
}

// BenchmarkAssumeRole measures one simulated AssumeRole: validation, trust
// evaluation (traced, as refusals explain themselves) and compiling the
// session's policies.
func BenchmarkAssumeRole(b *testing.B) {
	in := sessionInput(b)
	b.ReportAllocs()
	for b.Loop() {
		s, err := AssumeRole(in)
		if err != nil || s.ARN != "arn:aws:sts::111111111111:assumed-role/app/bench" {
			b.Fatalf("AssumeRole: %v", err)
		}
	}
}

// BenchmarkSessionEvaluate measures one request of a session: the session's
// context is merged into the request's, then the compiled engine decides.
func BenchmarkSessionEvaluate(b *testing.B) {
	s, err := AssumeRole(sessionInput(b))
	if err != nil {
		b.Fatal(err)
	}
	req := Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/2026/q3.csv"}
	b.ReportAllocs()
	for b.Loop() {
		r, err := s.Evaluate(req)
		if err != nil || r.Decision != Allowed {
			b.Fatalf("got %v, %v", r.Decision, err)
		}
	}
}

// BenchmarkEffective measures the full-catalog effective report (about
// 22,000 actions) for the layered set's session on "*".
func BenchmarkEffective(b *testing.B) {
	eng, err := Compile(layeredSet(b))
	if err != nil {
		b.Fatal(err)
	}
	req := EffectiveRequest{Principal: "arn:aws:sts::111111111111:assumed-role/app/s1"}
	eng.Effective(req) // load the catalog
	b.ReportAllocs()
	for b.Loop() {
		rep := eng.Effective(req)
		if e, ok := rep.Lookup("s3:GetObject"); !ok || e.Decision != ImplicitDeny || len(rep.Entries) < 20000 {
			b.Fatalf("s3:GetObject on *: %+v", e)
		}
	}
}
