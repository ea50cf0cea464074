package evaltest_test

import (
	"strings"
	"testing"

	"github.com/iamsim/iamsim/evaluator/accesscheck"
	"github.com/iamsim/iamsim/evaluator/evaltest"
	"github.com/iamsim/iamsim/policy"
)

func parseDoc(t *testing.T, s string) *policy.Policy {
	t.Helper()
	p, err := policy.Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAccessCheckAssertions(t *testing.T) {
	narrow := parseDoc(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`)
	wide := parseDoc(t, `{"Version":"2012-10-17","Statement":[{"Sid":"Wide","Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/*"}]}`)
	public := parseDoc(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`)

	evaltest.NoNewAccess(t, wide, narrow, accesscheck.IdentityPolicy)
	evaltest.AccessNotGranted(t, narrow, accesscheck.IdentityPolicy, []string{"s3:DeleteObject"}, nil)

	r := &recorder{TB: t}
	evaltest.NoNewAccess(r, narrow, wide, accesscheck.IdentityPolicy)
	if len(r.errs) != 1 || !strings.Contains(r.errs[0], "counterexample: principal") || !strings.Contains(r.errs[0], "Sid Wide") {
		t.Errorf("NoNewAccess failure: %q", r.errs)
	}
	r = &recorder{TB: t}
	evaltest.NoPublicAccess(r, public, "AWS::S3::Bucket")
	if len(r.errs) != 1 || !strings.Contains(r.errs[0], "principal anonymous") {
		t.Errorf("NoPublicAccess failure: %q", r.errs)
	}
	r = &recorder{TB: t}
	evaltest.AccessNotGranted(r, wide, accesscheck.IdentityPolicy, []string{"s3:DeleteObject"}, []string{"arn:aws:s3:::b/k"})
	if len(r.errs) != 1 || !strings.Contains(r.errs[0], "arn:aws:s3:::b/k") {
		t.Errorf("AccessNotGranted failure: %q", r.errs)
	}
	r = &recorder{TB: t}
	vars := parseDoc(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${*}/*"}]}`)
	evaltest.NoNewAccess(r, vars, vars, accesscheck.IdentityPolicy)
	if len(r.errs) != 1 || !strings.Contains(r.errs[0], "cannot decide") {
		t.Errorf("undecidable: %q", r.errs)
	}
}
