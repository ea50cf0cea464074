package evaluator_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/evaltest"
	"github.com/iamsim/iamsim/policy"
)

// TestEvaluateIntoMatchesEvaluate evaluates every engine case of the corpus
// into one reused Result, in file order and then backwards, so that each
// result lands on slices grown by results of other shapes: what is left of
// an earlier result must never show through. Reused slices may be empty
// where Evaluate gives nil, which EquateEmpty allows.
func TestEvaluateIntoMatchesEvaluate(t *testing.T) {
	files, err := evaltest.Files(corpusDir)
	require.NoError(t, err)
	type item struct {
		name string
		eng  *evaluator.Engine
		req  evaluator.Request
	}
	var items []item
	for _, path := range files {
		f, err := evaltest.LoadFile(path)
		require.NoError(t, err)
		for _, c := range f.Cases {
			if c.Session != nil {
				continue
			}
			eng, err := evaluator.Compile(c.Policies)
			if err != nil {
				continue // a case that expects a compile error
			}
			items = append(items, item{path + ": " + c.Name, eng, c.Request})
		}
	}
	require.Greater(t, len(items), 100)
	var r evaluator.Result
	check := func(it item, opts ...evaluator.EvalOption) {
		t.Helper()
		want := it.eng.Evaluate(it.req, opts...)
		it.eng.EvaluateInto(&r, it.req, opts...)
		if d := cmp.Diff(want, r, cmpopts.EquateEmpty()); d != "" {
			t.Errorf("%s: EvaluateInto differs from Evaluate (-Evaluate +EvaluateInto):\n%s", it.name, d)
		}
	}
	for i, it := range items {
		if i%5 == 0 {
			// A fresh Result's layers share Matched's array; the next
			// calls reuse it.
			r = evaluator.Result{}
		}
		check(it)
	}
	for i := len(items) - 1; i >= 0; i-- {
		check(items[i], evaluator.WithTrace())
	}
}

// TestEvaluateIntoAfterAFreshResult: a fresh Result's layer lists share
// Matched's array; reusing that Result for a request whose deny decides must
// not let the rewritten Matched show through the layers, or the reverse.
func TestEvaluateIntoAfterAFreshResult(t *testing.T) {
	parse := func(src string) *policy.Policy {
		p, err := policy.Parse([]byte(src))
		require.NoError(t, err)
		return p
	}
	eng, err := evaluator.Compile(evaluator.PolicySet{
		Identity: []evaluator.Input{{ID: "id", Policy: parse(`{"Version":"2012-10-17","Statement":[{"Sid":"IdAllow","Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)}},
		Session: []evaluator.Input{{ID: "s", Policy: parse(`{"Version":"2012-10-17","Statement":[{"Sid":"SessAllow","Effect":"Allow","Action":"s3:*","Resource":"*"},
			{"Sid":"SessDeny","Effect":"Deny","Action":"s3:PutObject","Resource":"*"}]}`)}},
	})
	require.NoError(t, err)
	get := evaluator.Request{Principal: "arn:aws:sts::111122223333:assumed-role/R/s", Action: "s3:GetObject", Resource: "*"}
	put := get
	put.Action = "s3:PutObject"
	r := eng.Evaluate(get)
	eng.EvaluateInto(&r, put)
	require.Equal(t, evaluator.ExplicitDeny, r.Decision)
	require.Len(t, r.Matched, 1)
	require.Equal(t, "SessDeny", r.Matched[0].Sid)
	if d := cmp.Diff(eng.Evaluate(put), r, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("(-Evaluate +EvaluateInto):\n%s", d)
	}
	eng.EvaluateInto(&r, get)
	if d := cmp.Diff(eng.Evaluate(get), r, cmpopts.EquateEmpty()); d != "" {
		t.Errorf("back to GetObject (-Evaluate +EvaluateInto):\n%s", d)
	}
}

// TestResultsDoNotAlias checks that a Result owns its statement
// references: changing one changes neither the engine nor other results.
func TestResultsDoNotAlias(t *testing.T) {
	p, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`))
	require.NoError(t, err)
	set := evaluator.PolicySet{Identity: []evaluator.Input{{ID: "p", Policy: p}}}
	eng, err := evaluator.Compile(set)
	require.NoError(t, err)
	req := evaluator.Request{Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}
	a := eng.Evaluate(req)
	require.Len(t, a.Matched, 1)
	a.Matched[0].Sid = "changed"
	a.Layers[0].Matched[0].Sid = "changed too"
	b := eng.Evaluate(req)
	require.Equal(t, "Read", b.Matched[0].Sid)
	require.Equal(t, "Read", b.Layers[0].Matched[0].Sid)

	var into evaluator.Result
	eng.EvaluateInto(&into, req)
	kept := into.Matched
	eng.EvaluateInto(&into, evaluator.Request{Principal: req.Principal, Action: "s3:PutObject", Resource: req.Resource})
	require.Equal(t, evaluator.ImplicitDeny, into.Decision)
	require.Empty(t, into.Matched)
	require.Empty(t, into.Layers[0].Matched)
	require.Equal(t, "Read", kept[0].Sid, "EvaluateInto reuses the array but leaves its earlier contents alone until it needs them")
}
