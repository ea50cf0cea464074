package accesscheck

import (
	"errors"
	"strings"
	"testing"

	"github.com/iamsim/iamsim/evaluator"
)

func TestCheckAccessNotGrantedCases(t *testing.T) {
	cases := []struct {
		name   string
		typ    PolicyType
		pol    string
		access []Access
		want   Verdict
		source string
	}{
		{name: "listed action granted", typ: IdentityPolicy, pol: doc(`{"Effect":"Allow","Action":"s3:*","Resource":"*"}`),
			access: []Access{{Actions: []string{"s3:DeleteBucket"}}}, want: Fail,
			source: "IUG access-analyzer-custom-policy-checks: s3:* includes s3:DeleteBucket"},
		{name: "listed action not granted", typ: IdentityPolicy, pol: doc(`{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}`),
			access: []Access{{Actions: []string{"s3:DeleteBucket", "iam:PassRole"}}}, want: Pass,
			source: "derived: s3:Get* names neither"},
		{name: "granted only under condition", typ: IdentityPolicy,
			pol:    doc(`{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"ec2.amazonaws.com"}}}`),
			access: []Access{{Actions: []string{"iam:PassRole"}}}, want: Fail,
			source: "derived: some request (to EC2) is allowed"},
		{name: "denied by deny", typ: IdentityPolicy,
			pol:    doc(`{"Effect":"Allow","Action":"*","Resource":"*"}`, `{"Effect":"Deny","Action":"iam:*","Resource":"*"}`),
			access: []Access{{Actions: []string{"iam:CreateUser"}}}, want: Pass,
			source: "derived: the Deny covers every iam action"},
		{name: "deny with condition leaves a hole", typ: IdentityPolicy,
			pol:    doc(`{"Effect":"Allow","Action":"*","Resource":"*"}`, `{"Effect":"Deny","Action":"iam:*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"us-east-1"}}}`),
			access: []Access{{Actions: []string{"iam:CreateUser"}}}, want: Fail,
			source: "derived: a request in us-east-1 is not denied"},
		{name: "resource listed outside", typ: IdentityPolicy, pol: doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::public/*"}`),
			access: []Access{{Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::secret/key"}}}, want: Pass,
			source: "derived: the listed object is in another bucket"},
		{name: "resource listed inside", typ: IdentityPolicy, pol: doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::secret/*"}`),
			access: []Access{{Actions: []string{"s3:GetObject"}, Resources: []string{"arn:aws:s3:::secret/key"}}}, want: Fail,
			source: "derived: secret/* matches secret/key"},
		{name: "notaction grants", typ: IdentityPolicy, pol: doc(`{"Effect":"Allow","NotAction":"s3:*","Resource":"*"}`),
			access: []Access{{Actions: []string{"iam:CreateAccessKey"}}}, want: Fail,
			source: "derived: NotAction s3:* allows iam"},
		{name: "resources only", typ: IdentityPolicy, pol: doc(`{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::b"}`),
			access: []Access{{Resources: []string{"arn:aws:s3:::b"}}}, want: Fail,
			source: "API CheckAccessNotGranted: with only resources, any action on them"},
		{name: "resource policy grants listed action", typ: ResourcePolicy,
			pol:    doc(`{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"kms:*","Resource":"*"}`),
			access: []Access{{Actions: []string{"kms:Decrypt"}}}, want: Fail,
			source: "derived: kms:* includes kms:Decrypt"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := mustParse(t, tc.pol)
			res, err := CheckAccessNotGranted(p, tc.access, tc.typ)
			if err != nil {
				t.Fatalf("error: %v (source: %s)", err, tc.source)
			}
			if res.Result != tc.want {
				t.Fatalf("got %s, want %s (source: %s); %+v", res.Result, tc.want, tc.source, res.Counterexamples)
			}
			for _, ce := range res.Counterexamples {
				noWildcards(t, ce)
				if !independentAllows(t, p, tc.typ, ce.Request()) {
					t.Errorf("counterexample %+v not allowed", ce)
				}
				listed := false
				for _, a := range tc.access {
					okA := len(a.Actions) == 0 || containsFold(a.Actions, ce.Action)
					okR := len(a.Resources) == 0 || containsFold(a.Resources, ce.Resource)
					listed = listed || okA && okR
				}
				if !listed {
					t.Errorf("counterexample %+v is not for a listed action and resource", ce)
				}
			}
		})
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func TestCheckNoPublicAccessCases(t *testing.T) {
	cases := []struct {
		name, pol, typ string
		want           Verdict
		source         string
	}{
		{name: "s3 public read", typ: "AWS::S3::Bucket",
			pol:  doc(`{"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::amzn-s3-demo-bucket/*"}`),
			want: Fail, source: "S3 UG example-bucket-policies: granting read-only permission to anonymous users"},
		{name: "s3 own account", typ: "AWS::S3::Bucket",
			pol:  doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:*","Resource":"arn:aws:s3:::b/*"}`),
			want: Pass, source: "S3 UG access-control-block-public-access: a fixed AWS principal is not public"},
		{name: "s3 named foreign account", typ: "AWS::S3::Bucket",
			pol:  doc(`{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`),
			want: Pass, source: "S3 UG: a fixed principal (even of another account) is not public"},
		{name: "s3 pinned by org id", typ: "AWS::S3::Bucket",
			pol:  doc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}`),
			want: Pass, source: "IUG access-analyzer: aws:PrincipalOrgID pins to the organization"},
		{name: "s3 org id with wildcard", typ: "AWS::S3::Bucket",
			pol:  doc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringLike":{"aws:PrincipalOrgID":"o-*"}}}`),
			want: Fail, source: "S3 UG: fixed values do not contain wildcards"},
		{name: "s3 pinned by source arn", typ: "AWS::S3::Bucket",
			pol:  doc(`{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111122223333:trail/t"}}}`),
			want: Pass, source: "S3 UG: a fixed service principal and aws:SourceArn"},
		{name: "s3 narrow ip", typ: "AWS::S3::Bucket",
			pol:  doc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}`),
			want: Pass, source: "S3 UG: a policy limited to a set of CIDRs with aws:SourceIp"},
		{name: "s3 any ip", typ: "AWS::S3::Bucket",
			pol:  doc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}}`),
			want: Fail, source: "S3 UG: 0.0.0.0/0 limits nothing"},
		{name: "s3 not ip", typ: "AWS::S3::Bucket",
			pol:  doc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}`),
			want: Fail, source: "derived: every address outside the block is allowed"},
		{name: "s3 pinned by vpce", typ: "AWS::S3::Bucket",
			pol:  doc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}`),
			want: Pass, source: "S3 UG: a fixed aws:SourceVpce"},
		{name: "s3 deny all but", typ: "AWS::S3::Bucket",
			pol:  doc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}`, `{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"StringNotEquals":{"aws:PrincipalAccount":"111122223333"}}}`),
			want: Pass, source: "derived: every caller outside the owner account is denied"},
		{name: "kms key policy public", typ: "AWS::KMS::Key",
			pol:  doc(`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*"}`),
			want: Fail, source: "KMS DG key-policy: Principal * grants every account"},
		{name: "kms caller account", typ: "AWS::KMS::Key",
			pol:  doc(`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":"111122223333"}}}`),
			want: Pass, source: "KMS DG conditions-kms-caller-account: pinned to one account"},
		{name: "sqs public send", typ: "AWS::SQS::Queue",
			pol:  doc(`{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-2:111122223333:q"}`),
			want: Fail, source: "SQS DG: Principal * without conditions"},
		{name: "sqs pinned by source arn", typ: "AWS::SQS::Queue",
			pol:  doc(`{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-2:111122223333:q","Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-2:111122223333:topic"}}}`),
			want: Pass, source: "SNS DG subscribe-sqs-queue-to-sns-topic: the queue policy pinned by aws:SourceArn"},
		{name: "sns other service only", typ: "AWS::SNS::Topic",
			pol:  doc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}`),
			want: Pass, source: "derived: no sns action is granted"},
		{name: "trust policy public", typ: "AWS::IAM::AssumeRolePolicyDocument",
			pol:  doc(`{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}`),
			want: Fail, source: "IUG: a trust policy with Principal * lets any account assume the role"},
		{name: "trust policy account", typ: "AWS::IAM::AssumeRolePolicyDocument",
			pol:  doc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}`),
			want: Pass, source: "IUG: a fixed account"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := mustParse(t, tc.pol)
			res, err := CheckNoPublicAccess(p, tc.typ)
			if err != nil {
				t.Fatalf("error: %v (source: %s)", err, tc.source)
			}
			if res.Result != tc.want {
				t.Fatalf("got %s, want %s (source: %s); %+v", res.Result, tc.want, tc.source, res.Counterexamples)
			}
			for _, ce := range res.Counterexamples {
				noWildcards(t, ce)
				if !independentAllows(t, p, ResourcePolicy, ce.Request()) {
					t.Errorf("counterexample %+v not allowed", ce)
				}
				if ce.Principal != "anonymous" && strings.Contains(ce.Principal, "111122223333") {
					t.Errorf("counterexample %+v is of the owner account", ce)
				}
				// What iamsim eval --resource-policy answers.
				e, err := evaluator.Compile(evaluator.PolicySet{Resource: &evaluator.Input{ID: "p", Policy: p}})
				if err != nil {
					t.Fatal(err)
				}
				if d := e.Evaluate(ce.Request()).Decision; d != evaluator.Allowed {
					t.Errorf("counterexample %+v: full evaluation %s", ce, d)
				}
			}
		})
	}
}

func TestCheckNoPublicAccessBadType(t *testing.T) {
	if _, err := CheckNoPublicAccess(mustParse(t, doc(`{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}`)), "AWS::EC2::Instance"); err == nil {
		t.Fatal("want an error for an unknown resource type")
	}
}

// TestCounterexamplesVerifyWithFullEvaluation checks that identity
// counterexamples on resources of another account verify with a plain
// evaluation of the identity policy (what iamsim eval does): the caller is
// moved into the resource's account.
func TestCounterexamplesVerifyWithFullEvaluation(t *testing.T) {
	p := mustParse(t, doc(`{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"arn:aws:sqs:*:444455556666:*"}`))
	res, err := CheckAccessNotGranted(p, []Access{{Actions: []string{"sqs:SendMessage"}}}, IdentityPolicy)
	if err != nil || res.Result != Fail {
		t.Fatal(res, err)
	}
	e, err := evaluator.Compile(evaluator.PolicySet{Identity: []evaluator.Input{{ID: "p", Policy: p}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, ce := range res.Counterexamples {
		if d := e.Evaluate(ce.Request()).Decision; d != evaluator.Allowed {
			t.Errorf("counterexample %+v: full evaluation %s", ce, d)
		}
	}
}

func TestGetCallerIdentityFailsClosed(t *testing.T) {
	old := mustParse(t, doc(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`))
	nw := mustParse(t, doc(`{"Effect":"Allow","Action":["s3:GetObject","sts:GetCallerIdentity"],"Resource":"*"}`))
	if _, err := CheckNoNewAccess(old, nw, IdentityPolicy); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("got %v, want ErrUnsupported", err)
	}
	if res, err := CheckNoNewAccess(nw, nw, IdentityPolicy); err != nil || res.Result != Pass {
		t.Fatalf("identical: %v %v", res, err)
	}
	if _, err := CheckAccessNotGranted(nw, []Access{{Actions: []string{"sts:GetCallerIdentity"}}}, IdentityPolicy); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("got %v, want ErrUnsupported", err)
	}
}
