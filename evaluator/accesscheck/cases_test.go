package accesscheck

import (
	"errors"
	"strings"
	"testing"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/policy"
)

// doc wraps statements in a 2012-10-17 policy.
func doc(stmts ...string) string {
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
}

func mustParse(t testing.TB, s string) *policy.Policy {
	t.Helper()
	p, err := policy.Parse([]byte(s))
	if err != nil {
		t.Fatalf("parse %s: %v", s, err)
	}
	return p
}

// independentAllows decides, separately from the checker's own code,
// whether p alone allows req: it compiles p into its own engine and reads
// the verdict of p's layer.
func independentAllows(t *testing.T, p *policy.Policy, typ PolicyType, req evaluator.Request) bool {
	t.Helper()
	return independentEngine(t, p, typ)(req)
}

// independentEngine compiles p once and returns its decision function.
func independentEngine(t *testing.T, p *policy.Policy, typ PolicyType) func(evaluator.Request) bool {
	t.Helper()
	in := evaluator.Input{ID: "independent", Policy: p}
	set, layer := evaluator.PolicySet{Identity: []evaluator.Input{in}}, evaluator.LayerIdentity
	if typ == ResourcePolicy {
		set, layer = evaluator.PolicySet{Resource: &in}, evaluator.LayerResource
	}
	e, err := evaluator.Compile(set)
	if err != nil {
		t.Fatal(err)
	}
	return func(req evaluator.Request) bool {
		t.Helper()
		res, err := e.Check(req)
		if err != nil {
			t.Fatalf("counterexample %+v is not a valid request: %v", req, err)
		}
		lr, ok := res.Layer(layer)
		return ok && lr.Decision == evaluator.Allowed
	}
}

// fullDecision is the decision of a full evaluation with p alone (what
// iamsim eval --identity P, or --resource-policy P, answers).
func fullDecision(t *testing.T, p *policy.Policy, typ PolicyType, req evaluator.Request) evaluator.Decision {
	t.Helper()
	in := evaluator.Input{ID: "p", Policy: p}
	set := evaluator.PolicySet{Identity: []evaluator.Input{in}}
	if typ == ResourcePolicy {
		set = evaluator.PolicySet{Resource: &in}
	}
	e, err := evaluator.Compile(set)
	if err != nil {
		t.Fatal(err)
	}
	return e.Evaluate(req).Decision
}

// noWildcards fails when a counterexample's action or resource holds a
// wildcard.
func noWildcards(t *testing.T, ce Counterexample) {
	t.Helper()
	if strings.ContainsAny(ce.Action, "*?") || ce.Resource != "*" && strings.ContainsAny(ce.Resource, "*?") {
		t.Errorf("counterexample with wildcards: %+v", ce)
	}
}

type newAccessCase struct {
	name     string
	typ      PolicyType
	old, new string
	want     Verdict
	reasons  []int // statement indexes of NEW expected in reasons (FAIL)
	source   string
	// noFull says why no counterexample can be confirmed by a full
	// evaluation with the one policy (which needs more than the policy).
	noFull string
}

func TestCheckNoNewAccessCases(t *testing.T) {
	allow := func(action, resource string) string {
		return `{"Effect":"Allow","Action":` + action + `,"Resource":` + resource + `}`
	}
	s3get := allow(`"s3:GetObject"`, `"arn:aws:s3:::b/*"`)
	cases := []newAccessCase{
		{name: "identical", typ: IdentityPolicy, old: doc(s3get), new: doc(s3get), want: Pass,
			source: "derived: the same policy grants nothing new"},
		{name: "action wildcard widens", typ: IdentityPolicy, old: doc(s3get), new: doc(allow(`"s3:Get*"`, `"arn:aws:s3:::b/*"`)), want: Fail, reasons: []int{0},
			source: "IUG access-analyzer-custom-policy-checks: new permissions are new access"},
		{name: "action narrowed", typ: IdentityPolicy, old: doc(allow(`"s3:Get*"`, `"arn:aws:s3:::b/*"`)), new: doc(s3get), want: Pass,
			source: "derived: a subset of the existing actions"},
		{name: "resource wildcard widens", typ: IdentityPolicy, old: doc(s3get), new: doc(allow(`"s3:GetObject"`, `"arn:aws:s3:::*"`)), want: Fail, reasons: []int{0},
			source: "derived: every bucket instead of one"},
		{name: "resource narrowed", typ: IdentityPolicy, old: doc(s3get), new: doc(allow(`"s3:GetObject"`, `"arn:aws:s3:::b/logs/*"`)), want: Pass,
			source: "derived: b/logs/* is inside b/*"},
		{name: "sibling bucket prefix", typ: IdentityPolicy, old: doc(allow(`"s3:GetObject"`, `"arn:aws:s3:::b/*"`)), new: doc(allow(`"s3:GetObject"`, `"arn:aws:s3:::b*/*"`)), want: Fail,
			source: "derived: b*/* also names bucket bx (across bucket-name prefixes)"},
		{name: "question mark within", typ: IdentityPolicy, old: doc(allow(`"s3:GetObject"`, `"arn:aws:s3:::b/a*"`)), new: doc(allow(`"s3:GetObject"`, `"arn:aws:s3:::b/a?"`)), want: Pass,
			source: "derived: a? is a two-character name starting with a, inside a*"},
		{name: "statement added", typ: IdentityPolicy, old: doc(s3get), new: doc(s3get, allow(`"sqs:SendMessage"`, `"*"`)), want: Fail, reasons: []int{1},
			source: "IUG: an added Allow statement grants new access"},
		{name: "statement removed", typ: IdentityPolicy, old: doc(s3get, allow(`"sqs:SendMessage"`, `"*"`)), new: doc(s3get), want: Pass,
			source: "derived: removing an Allow grants nothing"},
		{name: "deny added", typ: IdentityPolicy, old: doc(allow(`"s3:*"`, `"*"`)), new: doc(allow(`"s3:*"`, `"*"`), `{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}`), want: Pass,
			source: "derived: a Deny only narrows"},
		{name: "deny removed", typ: IdentityPolicy, old: doc(allow(`"s3:*"`, `"*"`), `{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}`), new: doc(allow(`"s3:*"`, `"*"`)), want: Fail, reasons: []int{0},
			source: "derived: removing a Deny restores access the Allow grants"},
		{name: "deny narrowed by condition", typ: IdentityPolicy,
			old: doc(allow(`"s3:*"`, `"*"`), `{"Effect":"Deny","Action":"s3:*","Resource":"*"}`),
			new: doc(allow(`"s3:*"`, `"*"`), `{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}`), want: Fail,
			source: "derived: the Deny no longer applies to TLS requests"},
		{name: "condition added", typ: IdentityPolicy, old: doc(s3get),
			new: doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}`), want: Pass,
			source: "IUG: adding a condition narrows"},
		{name: "condition removed", typ: IdentityPolicy,
			old: doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}`),
			new: doc(s3get), want: Fail, reasons: []int{0},
			source: "IUG: removing a condition widens"},
		{name: "cidr narrowed", typ: IdentityPolicy,
			old: doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}`),
			new: doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.1.0.0/16"}}}`), want: Pass,
			source: "derived: 10.1.0.0/16 is inside 10.0.0.0/8"},
		{name: "cidr widened", typ: IdentityPolicy,
			old: doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.1.0.0/16"}}}`),
			new: doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}`), want: Fail,
			source: "derived: 10.0.0.0 is in the new range only"},
		{name: "cidr split exactly", typ: IdentityPolicy,
			old: doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}`),
			new: doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/9","10.128.0.0/9"]}}}`), want: Pass,
			source: "derived: the two halves make the same block"},
		{name: "numeric narrowed", typ: IdentityPolicy,
			old: doc(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"NumericLessThanEquals":{"s3:max-keys":"100"}}}`),
			new: doc(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":"100"}}}`), want: Pass,
			source: "derived: < 100 implies <= 100"},
		{name: "numeric widened by equality", typ: IdentityPolicy,
			old: doc(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":"100"}}}`),
			new: doc(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"NumericLessThanEquals":{"s3:max-keys":"100"}}}`), want: Fail,
			source: "derived: 100 itself is new"},
		{name: "date widened", typ: IdentityPolicy,
			old: doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}}}`),
			new: doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2027-01-01T00:00:00Z"}}}`), want: Fail,
			source: "derived: the access window grew"},
		{name: "string like narrowed", typ: IdentityPolicy,
			old: doc(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"StringLike":{"s3:prefix":"home/*"}}}`),
			new: doc(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"StringLike":{"s3:prefix":"home/alice/*"}}}`), want: Pass,
			source: "derived: home/alice/* is inside home/*"},
		{name: "string equals to ignore case", typ: IdentityPolicy,
			old: doc(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"StringEquals":{"s3:prefix":"Home"}}}`),
			new: doc(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"StringEqualsIgnoreCase":{"s3:prefix":"Home"}}}`), want: Fail,
			source: "derived: 'home' is new"},
		{name: "tag key set narrowed", typ: IdentityPolicy,
			old: doc(`{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}}`),
			new: doc(`{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["a"]}}}`), want: Pass,
			source: "derived: every set within {a} is within {a,b}"},
		{name: "forall to foranyvalue", typ: IdentityPolicy,
			old: doc(`{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["a"]}}}`),
			new: doc(`{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["a"]}}}`), want: Fail,
			source: "derived: {a, other} has any but not all values in {a}"},
		{name: "ifexists widens", typ: IdentityPolicy,
			old: doc(`{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*","Condition":{"StringEquals":{"ec2:InstanceType":"t3.micro"}}}`),
			new: doc(`{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*","Condition":{"StringEqualsIfExists":{"ec2:InstanceType":"t3.micro"}}}`), want: Fail,
			source: "derived: a request without the key is new"},
		{name: "notaction allow vs explicit", typ: IdentityPolicy,
			old: doc(allow(`"s3:*"`, `"*"`)),
			new: doc(`{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`), want: Fail,
			source: "derived: NotAction iam:* allows every other service"},
		{name: "notaction narrowed", typ: IdentityPolicy,
			old: doc(`{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`),
			new: doc(`{"Effect":"Allow","NotAction":["iam:*","s3:*"],"Resource":"*"}`), want: Pass,
			source: "derived: excluding more actions narrows"},
		{name: "notresource widens", typ: IdentityPolicy,
			old: doc(s3get),
			new: doc(`{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::secret/*"}`), want: Fail,
			source: "derived: NotResource allows every other bucket"},
		{name: "action case insensitive", typ: IdentityPolicy, old: doc(s3get), new: doc(allow(`"S3:getobject"`, `"arn:aws:s3:::b/*"`)), want: Pass,
			source: "IUG reference_policies_elements_action: action names are case-insensitive"},
		{name: "resource case sensitive", typ: IdentityPolicy, old: doc(s3get), new: doc(allow(`"s3:GetObject"`, `"arn:aws:s3:::B/*"`)), want: Fail,
			source: "IUG reference_policies_elements_resource: ARNs are case-sensitive"},
		{name: "full admin vs service admin", typ: IdentityPolicy, old: doc(allow(`"*"`, `"*"`)), new: doc(allow(`"s3:*"`, `"*"`)), want: Pass,
			source: "derived: s3:* is inside *"},
		{name: "resource policy principal widened", typ: ResourcePolicy,
			old: doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`),
			new: doc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`), want: Fail,
			source: "IUG: granting everyone is new access"},
		{name: "resource policy principal narrowed", typ: ResourcePolicy,
			old: doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`),
			new: doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/reader"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`), want: Pass,
			source: "derived: a role of the account is within the account"},
		{name: "resource policy account added", typ: ResourcePolicy,
			old: doc(`{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:111122223333:q"}`),
			new: doc(`{"Effect":"Allow","Principal":{"AWS":["444455556666","777788889999"]},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:111122223333:q"}`), want: Fail,
			source: "derived: account 777788889999 is new"},
		{name: "resource policy org condition removed", typ: ResourcePolicy,
			old: doc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}}`),
			new: doc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`), want: Fail,
			source: "IUG: removing a condition widens"},
		{name: "resource policy principal account condition", typ: ResourcePolicy,
			old: doc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalAccount":"444455556666"}}}`),
			new: doc(`{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`), want: Pass,
			source: "derived: both grant exactly the callers of account 444455556666"},
		{name: "deny notaction fences a service", typ: IdentityPolicy, old: doc(allow(`"s3:*"`, `"*"`)),
			new: doc(allow(`"*"`, `"*"`), `{"Effect":"Deny","NotAction":"s3:*","Resource":"*"}`), want: Pass,
			source: "derived: the Deny with NotAction s3:* leaves only s3, which the old policy allowed"},
		{name: "mfa bool to boolifexists", typ: IdentityPolicy,
			old: doc(`{"Effect":"Allow","Action":"ec2:StopInstances","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}`),
			new: doc(`{"Effect":"Allow","Action":"ec2:StopInstances","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}}`), want: Fail,
			source: "IUG reference_policies_condition_operators (IfExists): a request without the key (long-term keys) now passes"},
		{name: "mfa age tightened", typ: IdentityPolicy,
			old: doc(`{"Effect":"Allow","Action":"ec2:StopInstances","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}}`),
			new: doc(`{"Effect":"Allow","Action":"ec2:StopInstances","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"600"}}}`), want: Pass,
			source: "derived: < 600 implies < 3600"},
		{name: "null condition dropped", typ: IdentityPolicy,
			old: doc(`{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*","Condition":{"Null":{"aws:RequestTag/team":"false"}}}`),
			new: doc(allow(`"ec2:RunInstances"`, `"*"`)), want: Fail,
			source: "derived: a request without the tag is new"},
		{name: "service wildcard in prefix", typ: IdentityPolicy, old: doc(allow(`"s3:Get*"`, `"*"`)), new: doc(allow(`"s*:Get*"`, `"*"`)), want: Fail,
			source: "derived: s*:Get* also names sqs:GetQueueUrl, ses:..., ssm:GetParameter"},
		{name: "bucket and objects split", typ: IdentityPolicy, old: doc(allow(`"s3:*"`, `["arn:aws:s3:::b","arn:aws:s3:::b/*"]`)),
			new: doc(allow(`"s3:*"`, `"arn:aws:s3:::b*"`)), want: Fail,
			source: "derived: arn:aws:s3:::b* also names bucket bb"},
		{name: "time window narrowed", typ: IdentityPolicy,
			old: doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}}}`),
			new: doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2026-06-01T00:00:00Z"},"DateLessThan":{"aws:CurrentTime":"2027-01-01T00:00:00Z"}}}`), want: Pass,
			source: "derived: the new window lies inside the old"},
		{name: "resource policy notprincipal deny removed", typ: ResourcePolicy,
			old: doc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`, `{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"}`),
			new: doc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`), want: Fail,
			source: "IUG reference_policies_elements_notprincipal: the Deny kept every other caller out"},
		{name: "trust policy external id removed", typ: ResourcePolicy,
			old: doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"abc"}}}`),
			new: doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole"}`), want: Fail,
			source: "IUG id_roles_create_for-user_externalid: without the condition any request of the account passes",
			noFull: "the account's root cannot call AssumeRole and its users need their own identity policies"},
		{name: "service principal added", typ: ResourcePolicy,
			old: doc(`{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}`),
			new: doc(`{"Effect":"Allow","Principal":{"Service":["cloudtrail.amazonaws.com","config.amazonaws.com"]},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*"}`), want: Fail,
			source: "derived: config.amazonaws.com is new"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			oldP, newP := mustParse(t, tc.old), mustParse(t, tc.new)
			res, err := CheckNoNewAccess(oldP, newP, tc.typ)
			if err != nil {
				t.Fatalf("error: %v (source: %s)", err, tc.source)
			}
			if res.Result != tc.want {
				t.Fatalf("got %s, want %s (source: %s); counterexamples %+v", res.Result, tc.want, tc.source, res.Counterexamples)
			}
			if tc.want == Pass {
				return
			}
			if len(res.Counterexamples) == 0 {
				t.Fatal("FAIL without counterexamples")
			}
			for _, ce := range res.Counterexamples {
				noWildcards(t, ce)
				if !independentAllows(t, newP, tc.typ, ce.Request()) || independentAllows(t, oldP, tc.typ, ce.Request()) {
					t.Errorf("counterexample %+v: want allowed under new and not under old", ce)
				}
				// What iamsim eval answers with NEW alone, and with OLD alone.
				if tc.noFull == "" && (fullDecision(t, newP, tc.typ, ce.Request()) != evaluator.Allowed || fullDecision(t, oldP, tc.typ, ce.Request()) == evaluator.Allowed) {
					t.Errorf("counterexample %+v: a full evaluation does not confirm it", ce)
				}
			}
			if tc.reasons != nil {
				var got []int
				for _, r := range res.Reasons {
					got = append(got, r.StatementIndex)
				}
				if !equalInts(got, tc.reasons) {
					t.Errorf("reasons %v, want %v", got, tc.reasons)
				}
			}
		})
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCheckNoNewAccessUnsupported(t *testing.T) {
	old := mustParse(t, doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/${*}/*"}`))
	_, err := CheckNoNewAccess(old, old, IdentityPolicy)
	if !errors.Is(err, ErrUnsupported) {
		t.Fatalf("got %v, want ErrUnsupported", err)
	}
	mixed := mustParse(t, doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringLike":{"aws:userAgent":"1*"},"NumericLessThan":{"aws:userAgent":"5"}}}`))
	if _, err := CheckNoNewAccess(mixed, mixed, IdentityPolicy); err == nil || !strings.Contains(err.Error(), "compared both") {
		t.Fatalf("got %v, want a mixed-type error", err)
	}
}

func TestCheckNoNewAccessLimit(t *testing.T) {
	var conds []string
	for _, k := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		conds = append(conds, `"StringEquals":{"x:`+k+`":["1","2","3","4"]}`)
	}
	_ = conds
	old := mustParse(t, doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"x:a":["1","2","3"],"x:b":["1","2","3"],"x:c":["1","2","3"],"x:d":["1","2","3"],"x:e":["1","2","3"],"x:f":["1","2","3"]}}}`))
	_, err := CheckNoNewAccess(old, old, IdentityPolicy, WithMaxEvaluations(1000))
	if !errors.Is(err, ErrTooComplex) {
		t.Fatalf("got %v, want ErrTooComplex", err)
	}
}
