package evaluator_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/evaltest"
	"github.com/iamsim/iamsim/policy"
)

// TestUnknownContext checks WithUnknownContext's bounds on small sets; each
// expectation is reasoned in its row.
func TestUnknownContext(t *testing.T) {
	const user = "arn:aws:iam::111122223333:user/alice"
	type want struct {
		plain, pess, opt evaluator.Decision
		missing          []string // of the optimistic evaluation
	}
	tests := []struct {
		name   string
		policy string
		ctx    evaluator.Context
		tags   bool // WithPrincipalTagsComplete
		res    string
		want   want
	}{{
		// Absent, the VPC key fails StringEquals; unknown, it may hold
		// vpc-1 (optimistic allows) or not (pessimistic does not).
		name:   "allow on a request key",
		policy: `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpc":"vpc-1"}}}`,
		want:   want{evaluator.ImplicitDeny, evaluator.ImplicitDeny, evaluator.Allowed, []string{"aws:SourceVpc"}},
	}, {
		// Given in the context, the key is known: all three agree.
		name:   "key given",
		policy: `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpc":"vpc-1"}}}`,
		ctx:    evaluator.Context{"aws:SourceVpc": evaluator.Single("vpc-1")},
		want:   want{evaluator.Allowed, evaluator.Allowed, evaluator.Allowed, nil},
	}, {
		// BoolIfExists false: absent, the deny applies (IfExists). Unknown,
		// it may be absent (deny) or true (no deny): pessimistic counts the
		// deny, optimistic does not, and the Allow * grants.
		name: "deny on IfExists",
		policy: `{"Effect":"Allow","Action":"*","Resource":"*"},
			{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}`,
		want: want{evaluator.ExplicitDeny, evaluator.ExplicitDeny, evaluator.Allowed, []string{"aws:MultiFactorAuthPresent"}},
	}, {
		// Null true on an absent key is true, so the deny applies plainly;
		// unknown, the key may be present.
		name: "deny on Null",
		policy: `{"Effect":"Allow","Action":"*","Resource":"*"},
			{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Null":{"aws:SourceIp":"true"}}}`,
		want: want{evaluator.ExplicitDeny, evaluator.ExplicitDeny, evaluator.Allowed, []string{"aws:SourceIp"}},
	}, {
		// aws:PrincipalAccount is derived from the principal: known.
		name:   "principal key known",
		policy: `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}}`,
		want:   want{evaluator.Allowed, evaluator.Allowed, evaluator.Allowed, nil},
	}, {
		// Without WithPrincipalTagsComplete an unlisted tag is unknown.
		name:   "tag unknown",
		policy: `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue"}}}`,
		want:   want{evaluator.ImplicitDeny, evaluator.ImplicitDeny, evaluator.Allowed, []string{"aws:PrincipalTag/team"}},
	}, {
		// With it, an unlisted tag is absent: StringEquals fails whatever
		// the other keys hold.
		name:   "tag absent when tags complete",
		policy: `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue"}}}`,
		tags:   true,
		want:   want{evaluator.ImplicitDeny, evaluator.ImplicitDeny, evaluator.ImplicitDeny, []string{"aws:PrincipalTag/team"}},
	}, {
		// A listed tag decides.
		name:   "tag listed",
		policy: `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"blue"}}}`,
		ctx:    evaluator.Context{"aws:PrincipalTag/team": evaluator.Single("blue")},
		tags:   true,
		want:   want{evaluator.Allowed, evaluator.Allowed, evaluator.Allowed, nil},
	}, {
		// A Resource variable on an unknown key: the ARN may match.
		name:   "resource variable",
		policy: `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${aws:PrincipalTag/team}/*"}`,
		res:    "arn:aws:s3:::b/blue/k",
		want:   want{evaluator.ImplicitDeny, evaluator.ImplicitDeny, evaluator.Allowed, []string{"aws:PrincipalTag/team"}},
	}, {
		// StringNotEqualsIfExists on an absent key is true; unknown, the key
		// may equal the value, so only the optimistic bound allows.
		name:   "negated IfExists allow",
		policy: `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:SourceVpc":"vpc-1"}}}`,
		want:   want{evaluator.Allowed, evaluator.ImplicitDeny, evaluator.Allowed, []string{"aws:SourceVpc"}},
	}, {
		// A false condition on a known key rules the statement out whatever
		// the unknown key of its other condition holds.
		name:   "known false beats unknown",
		policy: `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"444455556666","aws:SourceVpc":"vpc-1"}}}`,
		want:   want{evaluator.ImplicitDeny, evaluator.ImplicitDeny, evaluator.ImplicitDeny, []string{"aws:SourceVpc"}},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[` + tc.policy + `]}`))
			require.NoError(t, err)
			eng, err := evaluator.Compile(evaluator.PolicySet{Identity: []evaluator.Input{{ID: "p", Policy: p}}})
			require.NoError(t, err)
			res := tc.res
			if res == "" {
				res = "arn:aws:s3:::b/k"
			}
			req := evaluator.Request{Principal: user, Action: "s3:GetObject", Resource: res, Context: tc.ctx}
			var extra []evaluator.EvalOption
			if tc.tags {
				extra = append(extra, evaluator.WithPrincipalTagsComplete())
			}
			plain := eng.Evaluate(req, extra...)
			pess := eng.Evaluate(req, append(extra, evaluator.WithUnknownContext(evaluator.UnknownPessimistic))...)
			opt := eng.Evaluate(req, append(extra, evaluator.WithUnknownContext(evaluator.UnknownOptimistic))...)
			got := want{plain.Decision, pess.Decision, opt.Decision, opt.MissingContext}
			if len(got.missing) == 0 {
				got.missing = nil
			}
			require.Empty(t, cmp.Diff(tc.want, got, cmp.AllowUnexported(want{})))
		})
	}
}

// TestUnknownContextBoundsCorpus checks the bounds over the corpus: the
// context a case gives is one assignment of the keys it lacks (all
// absent), so pessimistic Allowed implies the plain decision Allowed, and
// that implies optimistic Allowed.
func TestUnknownContextBoundsCorpus(t *testing.T) {
	files, err := evaltest.Files(corpusDir)
	require.NoError(t, err)
	n := 0
	for _, path := range files {
		f, err := evaltest.LoadFile(path)
		require.NoError(t, err)
		for _, cs := range f.Cases {
			plain, err := cs.Evaluate()
			if err != nil {
				continue
			}
			pess, err := cs.Evaluate(evaluator.WithUnknownContext(evaluator.UnknownPessimistic))
			require.NoError(t, err)
			opt, err := cs.Evaluate(evaluator.WithUnknownContext(evaluator.UnknownOptimistic))
			require.NoError(t, err)
			if pess.Decision == evaluator.Allowed && plain.Decision != evaluator.Allowed {
				t.Errorf("%s: %s: pessimistic allowed, plain %s", path, cs.Name, plain.Decision)
			}
			if plain.Decision == evaluator.Allowed && opt.Decision != evaluator.Allowed {
				t.Errorf("%s: %s: plain allowed, optimistic %s", path, cs.Name, opt.Decision)
			}
			n++
		}
	}
	require.Greater(t, n, 100)
}

func TestUnknownModeString(t *testing.T) {
	require.Equal(t, "pessimistic", evaluator.UnknownPessimistic.String())
	require.Equal(t, "optimistic", evaluator.UnknownOptimistic.String())
	require.Equal(t, "UnknownMode(7)", evaluator.UnknownMode(7).String())
	// An unknown mode is no option: the plain evaluation.
	require.Equal(t, evaluator.EvalOption(0), evaluator.WithUnknownContext(evaluator.UnknownMode(7)))
}
