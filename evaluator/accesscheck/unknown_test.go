package accesscheck

import (
	"errors"
	"strings"
	"testing"

	"github.com/iamsim/iamsim/evaluator"
)

// Keys of unknown value (evaluator keyUnknown, docs/semantics.md §7): AWS
// puts them in every request of the caller, but the engine cannot derive
// their value from the principal, so a plain evaluation never counts an
// Allow that rests on them. A check that compared two plain evaluations
// then missed new access granted under such a condition (a false PASS).
// The checks give these keys concrete values in every witness request, so
// the grant is seen, and the counterexample carries the value.

// TestUnknownServicePrincipalAccount: the new resource policy grants the
// CloudTrail service principal s3:PutObject when aws:PrincipalAccount is
// 111122223333. AWS sends a service principal's requests with an
// aws:PrincipalAccount (the global condition keys page: every request),
// so a request from cloudtrail.amazonaws.com carrying that account is
// allowed by the new policy and not by the old one: FAIL, with the
// service principal and the account in the counterexample's context.
func TestUnknownServicePrincipalAccount(t *testing.T) {
	old := mustParse(t, doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}`))
	nw := mustParse(t, doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}`,
		`{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::bucket/*",
		  "Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}}`))
	res, err := CheckNoNewAccess(old, nw, ResourcePolicy)
	if err != nil {
		t.Fatal(err)
	}
	if res.Result != Fail {
		t.Fatalf("got %s, want FAIL: a CloudTrail request with aws:PrincipalAccount 111122223333 is new access", res.Result)
	}
	found := false
	for _, ce := range res.Counterexamples {
		// Verified independently: the new policy allows it, the old does not.
		req := ce.Request()
		if !independentAllows(t, nw, ResourcePolicy, req) || independentAllows(t, old, ResourcePolicy, req) {
			t.Errorf("counterexample %+v does not verify", ce)
		}
		if ce.Principal != "cloudtrail.amazonaws.com" {
			continue
		}
		if v, ok := ce.Context.Lookup("aws:PrincipalAccount"); ok && len(v.Values) == 1 && v.Values[0] == "111122223333" {
			found = true
		}
	}
	if !found {
		t.Errorf("no counterexample of cloudtrail.amazonaws.com with aws:PrincipalAccount 111122223333: %+v", res.Counterexamples)
	}
	if len(res.Reasons) != 1 || res.Reasons[0].StatementIndex != 1 {
		t.Errorf("reasons %+v, want statement 1", res.Reasons)
	}
}

// TestUnknownUserIDNewAllow: the new identity policy allows s3:GetObject
// to a caller whose aws:userid (the unique ID, never derived from the ARN)
// starts with AIDA, as every IAM user's does. That is new access: FAIL.
func TestUnknownUserIDNewAllow(t *testing.T) {
	old := mustParse(t, doc(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}`))
	nw := mustParse(t, doc(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}`,
		`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:userid":"AIDA*"}}}`))
	res, err := CheckNoNewAccess(old, nw, IdentityPolicy)
	if err != nil {
		t.Fatal(err)
	}
	if res.Result != Fail {
		t.Fatalf("got %s, want FAIL: s3:GetObject for an aws:userid AIDA... is new", res.Result)
	}
	for _, ce := range res.Counterexamples {
		req := ce.Request()
		if !independentAllows(t, nw, IdentityPolicy, req) || independentAllows(t, old, IdentityPolicy, req) {
			t.Errorf("counterexample %+v does not verify", ce)
		}
		if v, ok := ce.Context.Lookup("aws:userid"); !ok || len(v.Values) != 1 || !strings.HasPrefix(v.Values[0], "AIDA") {
			t.Errorf("counterexample %+v: want aws:userid AIDA... in its context", ce)
		}
	}
}

// TestUnknownUserIDSameCondition: both policies grant s3:GetObject under
// the same aws:userid condition; whatever the unique ID, they agree: PASS.
func TestUnknownUserIDSameCondition(t *testing.T) {
	p := doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:userid":"AIDA*"}}}`)
	res, err := CheckNoNewAccess(mustParse(t, p), mustParse(t, p), IdentityPolicy)
	if err != nil {
		t.Fatal(err)
	}
	if res.Result != Pass {
		t.Fatalf("got %s (%+v), want PASS", res.Result, res.Counterexamples)
	}
}

// TestUnknownUserIDNarrowingDeny: the new policy adds a Deny for callers
// whose aws:userid does not start with AIDA; it only takes access away:
// PASS.
func TestUnknownUserIDNarrowingDeny(t *testing.T) {
	allow := `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`
	old := mustParse(t, doc(allow))
	nw := mustParse(t, doc(allow,
		`{"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"StringNotLike":{"aws:userid":"AIDA*"}}}`))
	res, err := CheckNoNewAccess(old, nw, IdentityPolicy)
	if err != nil {
		t.Fatal(err)
	}
	if res.Result != Pass {
		t.Fatalf("got %s (%+v), want PASS", res.Result, res.Counterexamples)
	}
}

// TestUnknownKeysMatchEngine keeps unknownKeys in step with the engine: a
// principal key is of unknown value for a caller when a Null test sees it
// present (Null false applies) while a comparison that every value passes
// (StringLike "*") does not count its Allow.
func TestUnknownKeysMatchEngine(t *testing.T) {
	callers := []string{
		"arn:aws:iam::111122223333:root",
		"arn:aws:iam::111122223333:user/alice",
		"arn:aws:sts::111122223333:assumed-role/r/s",
		"arn:aws:sts::111122223333:federated-user/bob",
		"cloudtrail.amazonaws.com",
		"cognito-identity.amazonaws.com",
		"arn:aws:iam::111122223333:saml-provider/idp",
		"anonymous",
	}
	allows := func(cond, caller string) bool {
		p := mustParse(t, doc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*","Condition":`+cond+`}`))
		return independentAllows(t, p, ResourcePolicy, evaluator.Request{Principal: caller, Action: "s3:GetObject",
			Resource: "arn:aws:s3:::bucket/key", ResourceAccount: "111122223333"})
	}
	for _, caller := range callers {
		kinds := map[string]bool{}
		for k := range principalKeys {
			present := allows(`{"Null":{"`+k+`":"false"}}`, caller)
			compared := allows(`{"StringLike":{"`+k+`":"*"}}`, caller) || allows(`{"ForAnyValue:StringLike":{"`+k+`":"*"}}`, caller)
			if present && !compared {
				kinds[k] = true
			}
		}
		got := map[string]bool{}
		for _, k := range unknownKeys(caller) {
			got[k] = true
		}
		for k := range principalKeys {
			if kinds[k] != got[k] {
				t.Errorf("%s: key %s: engine says unknown %v, unknownKeys says %v", caller, k, kinds[k], got[k])
			}
		}
	}
}

// TestUnknownUserIDSets: for a fixed IAM user, the policy-set check left
// principal keys to the principal, so a new grant under aws:userid (the
// user's unique ID, which AWS supplies) was never counted: a false PASS.
func TestUnknownUserIDSets(t *testing.T) {
	const user = "arn:aws:iam::111122223333:user/alice"
	in := func(s string) evaluator.PolicySet {
		return evaluator.PolicySet{Identity: []evaluator.Input{{ID: "id", Policy: mustParse(t, s)}}}
	}
	old := doc(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}`)
	nw := doc(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}`,
		`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:userid":"AIDA*"}}}`)
	res, err := CheckNoNewAccessSets(in(old), in(nw), user)
	if err != nil {
		t.Fatal(err)
	}
	if res.Result != Fail {
		t.Fatalf("got %s, want FAIL", res.Result)
	}
	for _, ce := range res.Counterexamples {
		if v, ok := ce.Context.Lookup("aws:userid"); !ok || len(v.Values) != 1 || !strings.HasPrefix(v.Values[0], "AIDA") {
			t.Errorf("counterexample %+v: want aws:userid AIDA... in its context", ce)
		}
	}
	// The same condition on both sides: no new access.
	if res, err := CheckNoNewAccessSets(in(nw), in(nw), user); err != nil || res.Result != Pass {
		t.Fatalf("same policy: got %+v, %v, want PASS", res, err)
	}
}

// TestUnknownUserIDAlwaysPresent: AWS puts aws:userid in every request of
// an IAM user or role session, so an Allow under StringLike aws:userid "*"
// grants what an unconditional Allow does. A request without aws:userid is
// no request AWS makes, and no counterexample: PASS.
func TestUnknownUserIDAlwaysPresent(t *testing.T) {
	old := mustParse(t, doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:userid":"*"}}}`))
	nw := mustParse(t, doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`))
	res, err := CheckNoNewAccess(old, nw, IdentityPolicy)
	if err != nil {
		t.Fatal(err)
	}
	if res.Result != Pass {
		t.Fatalf("got %s (%+v), want PASS", res.Result, res.Counterexamples)
	}
}

// TestUnknownConsulted: the safety net reports a key of unknown value that
// an evaluation compared while the request did not set it, and nothing
// once the request sets it or the key is only absent (aws:username of a
// role session is absent, not unknown).
func TestUnknownConsulted(t *testing.T) {
	p := mustParse(t, doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:userid":"AIDA*","aws:username":"a*"}}}`))
	s, err := newSide(p, IdentityPolicy, "p")
	if err != nil {
		t.Fatal(err)
	}
	req := evaluator.Request{Principal: identitySession, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}
	if ok, _ := s.allows(req); ok || s.err == nil || !errors.Is(s.err, ErrUnsupported) || !strings.Contains(s.err.Error(), "aws:userid") {
		t.Fatalf("allowed %v, err %v: want not allowed and an ErrUnsupported naming aws:userid", ok, s.err)
	}
	s.err = nil
	req.Context = evaluator.Context{"aws:userid": {Values: []string{"AROAX:iamsim-session"}}}
	if s.allows(req); s.err != nil {
		t.Fatalf("aws:userid set: got %v, want no error", s.err)
	}
}
