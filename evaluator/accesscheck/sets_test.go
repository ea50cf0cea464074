package accesscheck

import (
	"testing"

	"github.com/iamsim/iamsim/evaluator"
)

func in(t *testing.T, id, text string) evaluator.Input {
	return evaluator.Input{ID: id, Policy: mustParse(t, text)}
}

func TestCheckNoNewAccessSets(t *testing.T) {
	const user = "arn:aws:iam::111122223333:user/alice"
	admin := doc(`{"Effect":"Allow","Action":"*","Resource":"*"}`)
	s3admin := doc(`{"Effect":"Allow","Action":"s3:*","Resource":"*"}`)
	denyDelete := doc(`{"Effect":"Allow","Action":"*","Resource":"*"}`, `{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}`)
	cases := []struct {
		name          string
		before, after evaluator.PolicySet
		want          Verdict
		source        string
	}{
		{name: "scp deny removed",
			before: evaluator.PolicySet{Identity: []evaluator.Input{in(t, "id", s3admin)}, SCPs: [][]evaluator.Input{{in(t, "scp", denyDelete)}}},
			after:  evaluator.PolicySet{Identity: []evaluator.Input{in(t, "id", s3admin)}, SCPs: [][]evaluator.Input{{in(t, "scp", admin)}}},
			want:   Fail, source: "derived: s3:DeleteBucket is no longer denied by the SCP"},
		{name: "boundary added",
			before: evaluator.PolicySet{Identity: []evaluator.Input{in(t, "id", admin)}},
			after:  evaluator.PolicySet{Identity: []evaluator.Input{in(t, "id", admin)}, PermissionsBoundary: &evaluator.Input{ID: "pb", Policy: mustParse(t, s3admin)}},
			want:   Pass, source: "IUG access_policies_boundaries: a boundary only narrows"},
		{name: "identity widened but boundary holds",
			before: evaluator.PolicySet{Identity: []evaluator.Input{in(t, "id", s3admin)}, PermissionsBoundary: &evaluator.Input{ID: "pb", Policy: mustParse(t, s3admin)}},
			after:  evaluator.PolicySet{Identity: []evaluator.Input{in(t, "id", admin)}, PermissionsBoundary: &evaluator.Input{ID: "pb", Policy: mustParse(t, s3admin)}},
			want:   Pass, source: "IUG access_policies_boundaries: effective permissions are the intersection"},
		{name: "key policy added",
			before: evaluator.PolicySet{Identity: []evaluator.Input{in(t, "id", admin)}},
			after: evaluator.PolicySet{Identity: []evaluator.Input{in(t, "id", admin)}, Resource: &evaluator.Input{ID: "key", Policy: mustParse(t,
				doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}`))}},
			want: Fail, source: "KMS DG key-policy-default: the key policy must allow before IAM policies count"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := CheckNoNewAccessSets(tc.before, tc.after, user)
			if err != nil {
				t.Fatal(err)
			}
			if res.Result != tc.want {
				t.Fatalf("got %s, want %s (%s): %+v", res.Result, tc.want, tc.source, res.Counterexamples)
			}
			if tc.want == Fail {
				b, _ := evaluator.Compile(tc.before)
				a, _ := evaluator.Compile(tc.after)
				for _, ce := range res.Counterexamples {
					if a.Evaluate(ce.Request()).Decision != evaluator.Allowed || b.Evaluate(ce.Request()).Decision == evaluator.Allowed {
						t.Errorf("counterexample %+v does not verify", ce)
					}
				}
				t.Logf("%+v", res.Counterexamples[0])
			}
		})
	}
}
