package evaltest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/evaltest"
	"github.com/iamsim/iamsim/evaluator/sts"
	"github.com/iamsim/iamsim/policy"
	"github.com/iamsim/iamsim/policy/catalog"
)

// recorder captures what the helpers report instead of failing the test.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func boundaryEngine(t *testing.T) *evaluator.Engine {
	id, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Sid":"Broad","Effect":"Allow","Action":["s3:*","iam:CreateUser"],"Resource":"*"},
		{"Sid":"NoDeletes","Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}`), policy.WithSource("alice.json"))
	require.NoError(t, err)
	bd, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`), policy.WithSource("boundary.json"))
	require.NoError(t, err)
	eng, err := evaluator.Compile(evaluator.PolicySet{
		Identity:            []evaluator.Input{{ID: "alice.json", Policy: id}},
		PermissionsBoundary: &evaluator.Input{ID: "boundary.json", Policy: bd},
	})
	require.NoError(t, err)
	return eng
}

// Expected decisions: IUG access_policies_boundaries.html (the boundary caps
// the identity policy) and reference_policies_evaluation-logic.html (an
// explicit deny wins).
func TestAssertions(t *testing.T) {
	eng := boundaryEngine(t)
	alice := "arn:aws:iam::111122223333:user/alice"
	get := evaluator.Request{Principal: alice, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}
	create := evaluator.Request{Principal: alice, Action: "iam:CreateUser", Resource: "*"}
	del := evaluator.Request{Principal: alice, Action: "s3:DeleteBucket", Resource: "arn:aws:s3:::b"}

	tests := []struct {
		name   string
		assert func(testing.TB) evaluator.Result
		fails  bool
	}{
		{"allowed inside the boundary", func(tb testing.TB) evaluator.Result { return evaltest.Allowed(tb, eng, get) }, false},
		{"allowed outside the boundary fails", func(tb testing.TB) evaluator.Result { return evaltest.Allowed(tb, eng, create) }, true},
		{"denied outside the boundary", func(tb testing.TB) evaluator.Result { return evaltest.Denied(tb, eng, create) }, false},
		{"implicitly denied outside the boundary", func(tb testing.TB) evaluator.Result { return evaltest.ImplicitlyDenied(tb, eng, create) }, false},
		{"explicitly denied outside the boundary fails", func(tb testing.TB) evaluator.Result { return evaltest.ExplicitlyDenied(tb, eng, create) }, true},
		{"explicitly denied by the Deny", func(tb testing.TB) evaluator.Result { return evaltest.ExplicitlyDenied(tb, eng, del) }, false},
		{"denied covers an explicit deny", func(tb testing.TB) evaluator.Result { return evaltest.Denied(tb, eng, del) }, false},
		{"decides", func(tb testing.TB) evaluator.Result { return evaltest.Decides(tb, eng, del, evaluator.ExplicitDeny) }, false},
		{"a nil engine fails", func(tb testing.TB) evaluator.Result { return evaltest.Allowed(tb, nil, get) }, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			tc.assert(rec)
			require.Equal(t, tc.fails, len(rec.errs) > 0, "%v", rec.errs)
		})
	}

	rec := &recorder{TB: t}
	evaltest.Allowed(rec, eng, create)
	require.Len(t, rec.errs, 1)
	msg := rec.errs[0]
	require.Contains(t, msg, "iam:CreateUser on *: want allowed, got implicitDeny (decided by boundary)")
	require.Contains(t, msg, "[identity] Allow alice.json[0] (Broad) at alice.json:1:38: applies", "the trace names the statement and its position")
}

// Table-driven, as the package documentation shows.
func TestTableDriven(t *testing.T) {
	eng := boundaryEngine(t)
	for _, tc := range []struct {
		name   string
		action string
		want   evaluator.Decision
	}{
		{"read objects", "s3:GetObject", evaluator.Allowed},
		{"create users", "iam:CreateUser", evaluator.ImplicitDeny},
		{"delete buckets", "s3:DeleteBucket", evaluator.ExplicitDeny},
	} {
		t.Run(tc.name, func(t *testing.T) {
			evaltest.Decides(t, eng, evaluator.Request{Principal: "arn:aws:iam::111122223333:user/alice", Action: tc.action, Resource: "*"}, tc.want)
		})
	}
}

func TestCoverage(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cases.yaml")
	require.NoError(t, os.WriteFile(path, []byte(`
defaults:
  principal: arn:aws:iam::111122223333:user/alice
  identityPolicies:
    - Version: "2012-10-17"
      Statement:
        - {Sid: ReadObjects, Effect: Allow, Action: s3:GetObject, Resource: "*"}
        - {Sid: NeverUsed, Effect: Allow, Action: ec2:RunInstances, Resource: "*"}
cases:
  - {name: read, action: s3:GetObject, expect: allowed}
  - {name: write, action: s3:PutObject, expect: implicitDeny}
`), 0o600))
	cov := evaltest.NewCoverage()
	evaltest.RunFile(t, path, evaltest.WithCoverage(cov))
	require.Equal(t, 50.0, cov.Percent())
	unc := cov.Uncovered()
	require.Len(t, unc, 1)
	require.Equal(t, "NeverUsed", unc[0].Sid)
	require.Equal(t, 8, unc[0].Line, "the statement's line in the case file")
	require.True(t, strings.HasPrefix(unc[0].String(), path+":8:"), unc[0].String())
	require.Contains(t, cov.Report(), "statement coverage: 50.0% (1 of 2 statements matched)")

	rec := &recorder{TB: t}
	cov.Require(rec, 80)
	require.Len(t, rec.errs, 1)
	require.Contains(t, rec.errs[0], "NeverUsed")
	rec = &recorder{TB: t}
	cov.Require(rec, 50)
	require.Empty(t, rec.errs)
}

// TestAssertionsRejectTyposAndMalformedRequests: a request whose action is
// not in the catalog, or that Request.Validate refuses, would be denied by
// any policy set, so a deny assertion on it proves nothing. Every assertion
// fails on it, with the reason.
func TestAssertionsRejectTyposAndMalformedRequests(t *testing.T) {
	eng := boundaryEngine(t)
	alice := "arn:aws:iam::111122223333:user/alice"
	typo := evaluator.Request{Principal: alice, Action: "s3:DeleteObjct", Resource: "arn:aws:s3:::b/k"}
	badService := evaluator.Request{Principal: alice, Action: "s4:GetObject", Resource: "arn:aws:s3:::b/k"}
	noPrincipal := evaluator.Request{Action: "s3:DeleteObject", Resource: "arn:aws:s3:::b/k"}
	notARN := evaluator.Request{Principal: alice, Action: "s3:DeleteObject", Resource: "b/k"}
	asserts := map[string]func(testing.TB, evaluator.Request, ...evaltest.Option) evaluator.Result{
		"Allowed": func(tb testing.TB, r evaluator.Request, o ...evaltest.Option) evaluator.Result {
			return evaltest.Allowed(tb, eng, r, o...)
		},
		"Denied": func(tb testing.TB, r evaluator.Request, o ...evaltest.Option) evaluator.Result {
			return evaltest.Denied(tb, eng, r, o...)
		},
		"ExplicitlyDenied": func(tb testing.TB, r evaluator.Request, o ...evaltest.Option) evaluator.Result {
			return evaltest.ExplicitlyDenied(tb, eng, r, o...)
		},
		"ImplicitlyDenied": func(tb testing.TB, r evaluator.Request, o ...evaltest.Option) evaluator.Result {
			return evaltest.ImplicitlyDenied(tb, eng, r, o...)
		},
		"Decides": func(tb testing.TB, r evaluator.Request, o ...evaltest.Option) evaluator.Result {
			return evaltest.Decides(tb, eng, r, evaluator.ImplicitDeny, o...)
		},
	}
	for name, assert := range asserts {
		for _, tc := range []struct {
			what string
			req  evaluator.Request
			want string
		}{
			{"a typo", typo, "unknown action s3:DeleteObjct; did you mean s3:DeleteObject? (for an action newer than the catalog"},
			{"an unknown service", badService, `unknown action s4:GetObject (no service has the prefix "s4"); did you mean s3:GetObject?`},
			{"no principal", noPrincipal, `the request is malformed: principal ""`},
			{"a resource that is not an ARN", notARN, `the request is malformed: resource "b/k"`},
		} {
			t.Run(name+" fails on "+tc.what, func(t *testing.T) {
				rec := &recorder{TB: t}
				assert(rec, tc.req)
				require.Len(t, rec.errs, 1)
				require.Contains(t, rec.errs[0], tc.want)
			})
		}
	}
	// The opt-out admits unknown actions (newer than the catalog), not
	// malformed requests. Alice's s3:* covers any s3 name.
	rec := &recorder{TB: t}
	evaltest.Allowed(rec, eng, typo, evaltest.AllowUnknownActions())
	evaltest.ImplicitlyDenied(rec, eng, badService, evaltest.AllowUnknownActions())
	require.Empty(t, rec.errs)
	evaltest.Denied(rec, eng, noPrincipal, evaltest.AllowUnknownActions())
	require.Len(t, rec.errs, 1)
	require.Contains(t, rec.errs[0], "the request is malformed")
	// The message of an unknown action names the opt-out.
	rec = &recorder{TB: t}
	evaltest.Denied(rec, eng, typo)
	require.Len(t, rec.errs, 1)
	require.Equal(t, alice+" s3:DeleteObjct on arn:aws:s3:::b/k: want denied, but unknown action s3:DeleteObjct; did you mean s3:DeleteObject? (for an action newer than the catalog, "+
		catalog.Source()+", pass evaltest.AllowUnknownActions())", rec.errs[0])
}

// TestCaseFileTypos runs testdata/typos: each case names an unknown action
// and expects the implicit deny it gets, so only the action check can fail
// it.
func TestCaseFileTypos(t *testing.T) {
	f, err := evaltest.LoadFile("testdata/typos/typos.yaml")
	require.NoError(t, err)
	want := map[string]string{
		"a typo in the action name":                "unknown action s3:DeleteObjct; did you mean s3:DeleteObject? (for an action newer than the catalog",
		"a typo in the service prefix":             `unknown action s4:GetObject (no service has the prefix "s4"); did you mean s3:GetObject?`,
		"an action newer than the catalog, marked": "",
	}
	require.Len(t, f.Cases, len(want))
	for _, c := range f.Cases {
		o := c.Run()
		if want[c.Name] == "" {
			require.True(t, o.Pass(), o.Report())
			continue
		}
		require.False(t, o.Pass(), c.Name)
		require.ErrorContains(t, o.Err, want[c.Name])
		require.Contains(t, o.Report(), "mark the case allowUnknownAction: true")
	}
	// AllowUnknownActions admits every case's action.
	evaltest.RunFile(t, "testdata/typos/typos.yaml", evaltest.AllowUnknownActions())
}

// TestCaseMalformedRequestFails: a case built by hand with a request that
// Request.Validate refuses fails, instead of passing as the deny it gets.
func TestCaseMalformedRequestFails(t *testing.T) {
	c := &evaltest.Case{Name: "no principal", Request: evaluator.Request{Action: "s3:GetObject", Resource: "*"}, Expect: evaluator.ImplicitDeny}
	o := c.Run()
	require.False(t, o.Pass())
	require.ErrorContains(t, o.Err, `the request is malformed: principal ""`)
	require.Contains(t, o.Report(), "cannot evaluate: the request is malformed")
	c.Request.Principal = "arn:aws:iam::111122223333:user/alice"
	require.True(t, c.Run().Pass(), "a well-formed request with a known action runs")
	// A case that makes an STS call takes its principal from the call; the
	// rest of its request is checked.
	c.Session = &evaltest.SessionCall{}
	c.Request = evaluator.Request{Action: "s3:GetObject", Resource: "bucket/key"}
	require.ErrorContains(t, c.CheckRequest(), `the request is malformed: resource "bucket/key"`)
	c.Request.Resource = "arn:aws:s3:::bucket/key"
	require.NoError(t, c.CheckRequest())
	c.Request.Action = ""
	require.NoError(t, c.CheckRequest(), "a case expecting the call to fail may have no action")
}

func TestAllowUnknownActionField(t *testing.T) {
	_, err := evaltest.Load("c.yaml", []byte(`cases:
  - {name: a, principal: "arn:aws:iam::111111111111:user/a", action: "s3:X", expect: implicitDeny, allowUnknownAction: maybe}
`))
	require.ErrorContains(t, err, "allowUnknownAction must be true or false")
}

// TestAssertionsTakeSessions: a session fills in the principal of a
// request that names none, and a session with a resource policy decides
// with it (IUG access_policies.md, "Session policies": a resource-based
// policy naming the session's ARN grants it directly).
func TestAssertionsTakeSessions(t *testing.T) {
	parse := func(src string) *policy.Policy {
		p, err := policy.Parse([]byte(src))
		require.NoError(t, err)
		return p
	}
	s, err := sts.AssumeRole(sts.AssumeRoleInput{
		Caller: sts.Caller{Principal: "arn:aws:iam::111122223333:user/alice"},
		Role: sts.Role{
			ARN: "arn:aws:iam::111122223333:role/app",
			TrustPolicy: &evaluator.Input{ID: "trust", Policy: parse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
				"Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sts:AssumeRole"}]}`)},
			Policies: evaluator.PolicySet{Identity: []evaluator.Input{{ID: "role", Policy: parse(
				`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)}}},
		},
		RoleSessionName: "s1",
		Policy:          `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`,
	})
	require.NoError(t, err)
	get := evaluator.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::example-bucket/k"}
	put := evaluator.Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::example-bucket/k"}

	rec := &recorder{TB: t}
	evaltest.Allowed(rec, s, get)
	evaltest.ImplicitlyDenied(rec, s, put)
	require.Empty(t, rec.errs)

	evaltest.Allowed(rec, s, put)
	require.Len(t, rec.errs, 1)
	require.Contains(t, rec.errs[0], "arn:aws:sts::111122223333:assumed-role/app/s1 s3:PutObject on arn:aws:s3:::example-bucket/k: want allowed, got implicitDeny (decided by session)")

	// The bucket policy names the session itself: that grant alone allows.
	se, err := s.WithResourcePolicy(evaluator.Input{ID: "bucket", Policy: parse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"AWS":"arn:aws:sts::111122223333:assumed-role/app/s1"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::example-bucket/*"}]}`)})
	require.NoError(t, err)
	rec = &recorder{TB: t}
	evaltest.Allowed(rec, se, put)
	require.Empty(t, rec.errs)

	// A request of another principal is not the session's.
	evaltest.Allowed(rec, s, evaluator.Request{Principal: "arn:aws:iam::111122223333:user/bob", Action: "s3:GetObject", Resource: "*"})
	require.Len(t, rec.errs, 1)
	require.Contains(t, rec.errs[0], "is not the session")

	// A nil session, engine or session engine is a failure, not a panic.
	rec = &recorder{TB: t}
	evaltest.Allowed(rec, (*sts.Session)(nil), get)
	evaltest.Allowed(rec, (*sts.SessionEngine)(nil), get)
	evaltest.Allowed(rec, (*evaluator.Engine)(nil), evaluator.Request{Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:GetObject", Resource: "*"})
	require.Len(t, rec.errs, 3)
}

// lineRecorder reports where a failure is attributed, as testing does:
// the first caller on the stack that is not a function that called Helper.
type lineRecorder struct {
	testing.TB
	helpers map[string]bool
	at      []string
}

func (r *lineRecorder) Helper() {
	pc, _, _, _ := runtime.Caller(1)
	r.helpers[runtime.FuncForPC(pc).Name()] = true
}

func (r *lineRecorder) Errorf(string, ...any) {
	pcs := make([]uintptr, 32)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
	for {
		f, more := frames.Next()
		if !r.helpers[f.Function] {
			r.at = append(r.at, fmt.Sprintf("%s:%d", filepath.Base(f.File), f.Line))
			return
		}
		if !more {
			return
		}
	}
}

// TestFailuresAtCallersLine: every function between an assertion and
// t.Errorf calls t.Helper, so a failure is reported at the test's line.
func TestFailuresAtCallersLine(t *testing.T) {
	eng := boundaryEngine(t)
	rec := &lineRecorder{TB: t, helpers: map[string]bool{}}
	create := evaluator.Request{Principal: "arn:aws:iam::111122223333:user/alice", Action: "iam:CreateUser", Resource: "*"}
	_, _, line, _ := runtime.Caller(0)
	evaltest.Allowed(rec, eng, create)                                   // line+1
	evaltest.ExplicitlyDenied(rec, eng, create)                          // line+2
	evaltest.Decides(rec, eng, create, evaluator.Allowed)                // line+3
	evaltest.Denied(rec, eng, evaluator.Request{Action: "s3:GetObject"}) // line+4: malformed
	evaltest.Allowed(rec, nil, create)                                   // line+5
	var want []string
	for i := 1; i <= 5; i++ {
		want = append(want, fmt.Sprintf("assert_test.go:%d", line+i))
	}
	require.Equal(t, want, rec.at)
}
