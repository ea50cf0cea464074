package policytests

import (
	"testing"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/evaltest"
	"github.com/iamsim/iamsim/evaluator/sts"
	"github.com/iamsim/iamsim/policy"
)

// TestLibraryInAFewLines is a library test as a new user writes it: alice
// assumes the app role (trust.json names her, so the trust policy alone
// allows the call within the account) with a session policy that allows
// only s3:GetObject. The role (role.json) may also put objects; the session
// may not (IUG access_policies.md, "Session policies": the session's
// permissions are the intersection of the role's and the session policy's).
func TestLibraryInAFewLines(t *testing.T) {
	trust, err := policy.ParseFile("trust.json")
	role, err := policy.ParseFile("role.json")
	s, err := sts.AssumeRole(sts.AssumeRoleInput{
		Caller: sts.Caller{Principal: "arn:aws:iam::111122223333:user/alice"},
		Role: sts.Role{
			ARN:         "arn:aws:iam::111122223333:role/app",
			TrustPolicy: &evaluator.Input{ID: "trust", Policy: trust},
			Policies:    evaluator.PolicySet{Identity: []evaluator.Input{{ID: "role", Policy: role}}},
		},
		RoleSessionName: "s1",
		Policy:          `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`,
	})
	evaltest.Allowed(t, s, evaluator.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::example-bucket/k"})
	evaltest.Denied(t, s, evaluator.Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::example-bucket/k"})

	// The program above ignores its errors; a failed ParseFile makes
	// AssumeRole fail too, and the assertions then fail on the nil session.
	if err != nil {
		t.Fatal(err)
	}
}
