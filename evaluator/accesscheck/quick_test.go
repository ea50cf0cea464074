package accesscheck

import (
	"encoding/json"
	"testing"

	"github.com/iamsim/iamsim/policy"
)

func mustParse(t testing.TB, s string) *policy.Policy {
	t.Helper()
	p, err := policy.Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestQuick(t *testing.T) {
	old := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`)
	nw := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::b/*"}]}`)
	r, err := CheckNoNewAccess(old, nw, IdentityPolicy)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.MarshalIndent(r, "", " ")
	t.Logf("%s evals=%d", b, r.Evaluations)
	r, err = CheckNoNewAccess(nw, old, IdentityPolicy)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = json.MarshalIndent(r, "", " ")
	t.Logf("%s evals=%d", b, r.Evaluations)
}
