package effective_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/effective"
	"github.com/iamsim/iamsim/policy"
	"github.com/iamsim/iamsim/policy/catalog"
)

func mustInput(t *testing.T, id, src string) evaluator.Input {
	t.Helper()
	p, err := policy.Parse([]byte(src), policy.WithSource(id))
	require.NoError(t, err)
	return evaluator.Input{ID: id, Policy: p}
}

// effectiveSets are the policy sets the whole-catalog agreement test uses:
// a broad role narrowed by a session policy, an allow-all with denies and a
// conditional statement, and a boundary.
func effectiveSets(t *testing.T) map[string]evaluator.PolicySet {
	in := func(id, src string) evaluator.Input { return mustInput(t, id, src) }
	bd := in("boundary", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","ec2:Describe*","iam:Get*"],"Resource":"*"}]}`)
	return map[string]evaluator.PolicySet{
		"session narrows a role": {
			Identity: []evaluator.Input{in("role", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","ec2:*"],"Resource":"*"}]}`)},
			Session:  []evaluator.Input{in("session", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}`)},
		},
		"allow all with denies and conditions": {
			Identity: []evaluator.Input{in("admin", `{"Version":"2012-10-17","Statement":[
				{"Effect":"Allow","Action":"*","Resource":"*"},
				{"Sid":"NoIAMWrites","Effect":"Deny","Action":["iam:Create*","iam:Delete*","iam:Put*"],"Resource":"*"},
				{"Sid":"KMSOnlyWithMFA","Effect":"Deny","Action":"kms:*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}},
				{"Sid":"TagOnlyOwnTeam","Effect":"Deny","Action":"ec2:CreateTags","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestTag/team":"${aws:PrincipalTag/team}"}}}]}`)},
		},
		"boundary": {
			Identity:            []evaluator.Input{in("admin", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)},
			PermissionsBoundary: &bd,
		},
	}
}

// TestEffectiveAgreesWithEvaluate checks the effective report against
// Evaluate for every catalog action, for each policy set, on "*".
func TestEffectiveAgreesWithEvaluate(t *testing.T) {
	for name, set := range effectiveSets(t) {
		t.Run(name, func(t *testing.T) {
			eng, err := evaluator.Compile(set)
			require.NoError(t, err)
			req := effective.Request{Principal: "arn:aws:sts::111122223333:assumed-role/app/s1"}
			rep := effective.Evaluate(eng, req)
			require.Len(t, rep.Entries, catalog.NumActions(), "on \"*\" every action is listed")
			for _, en := range rep.Entries {
				r := eng.Evaluate(evaluator.Request{Principal: req.Principal, Action: en.Action, Resource: "*"})
				if r.Decision != en.Decision || (len(r.MissingContext) > 0) != en.Conditional {
					t.Fatalf("%s: report %v (conditional %v), Evaluate %v (missing %v)", en.Action, en.Decision, en.Conditional, r.Decision, r.MissingContext)
				}
			}
		})
	}
}

// The expectations follow the policies' text and AWS's rules: the session
// allows only what role and session policy both allow (IUG
// access_policies.html#policies_session); an explicit deny wins; a Deny
// whose condition key the request lacks is reported as conditional.
func TestEffectiveEntries(t *testing.T) {
	sets := effectiveSets(t)
	narrow, err := evaluator.Compile(sets["session narrows a role"])
	require.NoError(t, err)
	rs := "arn:aws:sts::111122223333:assumed-role/app/s1"
	rep := effective.Evaluate(narrow, effective.Request{Principal: rs, Services: []string{"S3", "ec2"}})
	get, ok := rep.Lookup("s3:getobject")
	require.True(t, ok)
	require.Equal(t, evaluator.Allowed, get.Decision)
	require.Equal(t, catalog.Read, get.AccessLevel)
	put, _ := rep.Lookup("s3:PutObject")
	require.Equal(t, evaluator.ImplicitDeny, put.Decision)
	desc, _ := rep.Lookup("ec2:DescribeInstances")
	require.Equal(t, evaluator.ImplicitDeny, desc.Decision)
	_, ok = rep.Lookup("iam:GetRole")
	require.False(t, ok, "only the services asked for")

	admin, err := evaluator.Compile(sets["allow all with denies and conditions"])
	require.NoError(t, err)
	rep = effective.Evaluate(admin, effective.Request{Principal: "arn:aws:iam::111122223333:user/alice", Services: []string{"iam", "kms", "ec2"}})
	cu, _ := rep.Lookup("iam:CreateUser")
	require.Equal(t, evaluator.ExplicitDeny, cu.Decision)
	gu, _ := rep.Lookup("iam:GetUser")
	require.Equal(t, evaluator.Allowed, gu.Decision)
	require.False(t, gu.Conditional)
	// alice signs with long-term keys in this report: aws:MultiFactorAuthPresent
	// is absent, BoolIfExists is true, the Deny applies — and the report
	// says the decision rests on that key.
	dec, _ := rep.Lookup("kms:Decrypt")
	require.Equal(t, evaluator.ExplicitDeny, dec.Decision)
	require.True(t, dec.Conditional)
	require.Equal(t, []string{"aws:MultiFactorAuthPresent"}, dec.ConditionKeys)
	tags, _ := rep.Lookup("ec2:CreateTags")
	require.True(t, tags.Conditional)

	// With the key given, the decision is no longer conditional.
	rep = effective.Evaluate(admin, effective.Request{Principal: "arn:aws:iam::111122223333:user/alice", Services: []string{"kms"},
		Context: evaluator.Context{"aws:MultiFactorAuthPresent": evaluator.Single("true")}})
	dec, _ = rep.Lookup("kms:Decrypt")
	require.Equal(t, evaluator.Allowed, dec.Decision)
	require.False(t, dec.Conditional)
}

func TestEffectiveOnAResource(t *testing.T) {
	eng, err := evaluator.Compile(effectiveSets(t)["session narrows a role"])
	require.NoError(t, err)
	rep := effective.Evaluate(eng, effective.Request{Principal: "arn:aws:sts::111122223333:assumed-role/app/s1",
		Resource: "arn:aws:s3:::amzn-s3-demo-bucket/report.csv"})
	_, ok := rep.Lookup("s3:GetObject")
	require.True(t, ok, "GetObject acts on objects")
	_, ok = rep.Lookup("s3:ListBucket")
	require.False(t, ok, "ListBucket acts on buckets, not objects")
	_, ok = rep.Lookup("ec2:DescribeInstances")
	require.False(t, ok, "no EC2 action acts on an S3 object")
	for _, en := range rep.Entries {
		a, _ := catalog.Lookup(en.Action)
		require.True(t, a.AppliesTo("arn:aws:s3:::amzn-s3-demo-bucket/report.csv"), en.Action)
	}
}

func TestDiffEffective(t *testing.T) {
	sets := effectiveSets(t)
	role := sets["session narrows a role"]
	role.Session = nil
	roleEng, err := evaluator.Compile(role)
	require.NoError(t, err)
	sessEng, err := evaluator.Compile(sets["session narrows a role"])
	require.NoError(t, err)
	req := effective.Request{Principal: "arn:aws:sts::111122223333:assumed-role/app/s1", Services: []string{"s3"}}
	changes := effective.Diff(effective.Evaluate(roleEng, req), effective.Evaluate(sessEng, req))
	require.NotEmpty(t, changes)
	for _, c := range changes {
		require.True(t, c.Lost(), "%s: the session only loses", c.Action)
		require.False(t, c.Gained())
		a, _ := catalog.Lookup(c.Action)
		require.NotRegexp(t, "^s3:Get", a.FullName(), "s3:Get* stays allowed")
	}
	require.Len(t, changes, len(catalog.Expand("s3:*"))-len(catalog.Expand("s3:Get*")))
	require.Empty(t, effective.Diff(effective.Evaluate(roleEng, req), effective.Evaluate(roleEng, req)))
}
