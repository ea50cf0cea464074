package policy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func mustParse(t *testing.T, src string) *Policy {
	t.Helper()
	p, err := Parse([]byte(src))
	require.NoError(t, err)
	return p
}

func TestValidateKinds(t *testing.T) {
	const (
		identity   = `{"Version":"2012-10-17","Statement":{"Sid":"S1","Effect":"Allow","Action":"s3:*","Resource":"*"}}`
		withID     = `{"Version":"2012-10-17","Id":"x","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`
		noResource = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*"}}`
		bucket     = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}}`
		notPrinAll = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}}`
		notPrinDen = `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}}`
		spaceSid   = `{"Version":"2012-10-17","Statement":{"Sid":"has space","Effect":"Allow","Action":"s3:*","Resource":"*"}}`
		trust      = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}}`
		scpNoVer   = `{"Statement":{"Effect":"Deny","Action":"ec2:*","Resource":"*"}}`
		rcpFull    = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}`
		rcpAllow   = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`
		rcpDeny    = `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:PrincipalOrgID":"o-123"}}}}`
		rcpNoPrin  = `{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotAction":"s3:*","Resource":"*"}}`
	)
	tests := []struct {
		name string
		src  string
		kind Kind
		want []Code
	}{
		{"identity ok", identity, Identity, nil},
		{"identity with Id", withID, Identity, []Code{CodeElementNotAllowed}},
		{"boundary with Id", withID, PermissionsBoundary, []Code{CodeElementNotAllowed}},
		{"session without Resource", noResource, Session, []Code{CodeMissingElement}},
		{"identity with Principal", bucket, Identity, []Code{CodeElementNotAllowed}},
		{"session with Principal", bucket, Session, []Code{CodeElementNotAllowed}},
		{"resource policy ok", bucket, Resource, nil},
		{"resource policy with Id", withID, Resource, []Code{CodeMissingElement}},
		{"resource policy without Resource is fine", `{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*"}}`, Resource, nil},
		{"NotPrincipal with Allow", notPrinAll, Resource, []Code{CodeNotPrincipalAllow}},
		{"NotPrincipal with Deny", notPrinDen, Resource, nil},
		{"NotPrincipal in a trust policy", notPrinDen, TrustPolicy, []Code{CodeElementNotAllowed}},
		{"IAM Sid with a space", spaceSid, Identity, []Code{CodeInvalidSid}},
		{"SCP Sid with a space is accepted", `{"Version":"2012-10-17","Statement":{"Sid":"has space","Effect":"Allow","Action":"s3:*","Resource":"*"}}`, SCP, nil},
		{"trust ok", trust, TrustPolicy, nil},
		{"trust without principal", identity, TrustPolicy, []Code{CodeMissingElement}},
		{"key policy without principal", identity, KeyPolicy, []Code{CodeMissingElement}},
		{"SCP without Version", scpNoVer, SCP, []Code{CodeMissingElement}},
		{"SCP 2008 Version", `{"Version":"2008-10-17","Statement":{"Effect":"Deny","Action":"ec2:*","Resource":"*"}}`, SCP, []Code{CodeInvalidVersion}},
		{"SCP with Principal", bucket, SCP, []Code{CodeElementNotAllowed}},
		{"RCP full access", rcpFull, RCP, nil},
		{"RCP other Allow", rcpAllow, RCP, []Code{CodeElementNotAllowed}},
		{"RCP deny ok", rcpDeny, RCP, nil},
		{"RCP without Principal, with NotAction", rcpNoPrin, RCP, []Code{CodeMissingElement, CodeElementNotAllowed}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Validate(mustParse(t, tc.src), tc.kind)
			var got []Code
			for _, e := range AsErrors(err) {
				got = append(got, e.Code)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("Validate codes (-want +got):\n%s\n%v", d, err)
			}
		})
	}
}

func TestValidateSCP2023Strict(t *testing.T) {
	p := mustParse(t, `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","NotAction":"iam:*","Resource":"arn:aws:s3:::b","Condition":{"Bool":{"aws:SecureTransport":"true"}}},
		{"Effect":"Deny","Action":["ec2:*Instances","s3:Get*"],"NotResource":"arn:aws:s3:::b"}]}`)
	require.NoError(t, Validate(p, SCP), "current SCP syntax accepts the full IAM language")
	var got []string
	for _, e := range AsErrors(Validate(p, SCP, SCP2023Strict())) {
		got = append(got, e.Path)
	}
	require.Equal(t, []string{"/Statement/0/Condition", "/Statement/0/NotAction", "/Statement/0/Resource",
		"/Statement/1", "/Statement/1/NotResource"}, got)
}

// statementOfSize returns an identity-style policy whose compact JSON is
// exactly n characters long.
func policyOfSize(t *testing.T, n int) *Policy {
	t.Helper()
	// {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::X"}]}
	base := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::"}]}`
	require.Greater(t, n, len(base))
	src := strings.Replace(base, `:::"`, `:::`+strings.Repeat("b", n-len(base))+`"`, 1)
	require.Len(t, src, n)
	return mustParse(t, src)
}

func TestValidateQuotas(t *testing.T) {
	tests := []struct {
		kind  Kind
		limit int
	}{
		{Session, 2048}, {PermissionsBoundary, 6144}, {Identity, 10240}, {TrustPolicy, 2048},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.kind), func(t *testing.T) {
			p := policyOfSize(t, tc.limit)
			if tc.kind == TrustPolicy {
				p.Statements[0].Principal = &Principals{Wildcard: true}
				p.Statements[0].Resource[0] = p.Statements[0].Resource[0][:len(p.Statements[0].Resource[0])-len(`,"Principal":"*"`)]
			}
			require.NoError(t, Validate(p, tc.kind), "exactly at the quota")
			p.Statements[0].Resource[0] += "x"
			require.ErrorIs(t, Validate(p, tc.kind), CodeQuotaExceeded, "one character over")
		})
	}
	// Whitespace outside strings does not count.
	p := policyOfSize(t, 2048)
	out, err := p.MarshalJSON()
	require.NoError(t, err)
	require.Len(t, out, 2048)
	// The trust-policy quota can be raised to 4,096.
	big := policyOfSize(t, 3000)
	big.Statements[0].Principal = &Principals{Wildcard: true}
	require.ErrorIs(t, Validate(big, TrustPolicy), CodeQuotaExceeded)
	require.NoError(t, Validate(big, TrustPolicy, WithTrustPolicyLimit(4096)))
}

// TestValidateQuotasOnText measures quotas on the document as written
// (WithText): IAM does not count whitespace ("IAM does not count white space
// when calculating the size of a policy against these quotas",
// reference_iam-quotas), but counts a lone Statement object and escapes as
// written; Organizations counts every character of an SCP or RCP ("All
// characters in your SCP count against its maximum size",
// orgs_manage_policies_scps_syntax); a session policy's quota is on its
// plaintext (STS AssumeRole, Policy), whitespace included, as the STS calls
// count it.
func TestValidateQuotasOnText(t *testing.T) {
	// sized returns an identity-style document of exactly n characters,
	// with a lone Statement object and a string Resource.
	sized := func(n int, pre string) string {
		head := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/` + pre
		tail := `"}}`
		return head + strings.Repeat("a", n-len(head)-len(tail)) + tail
	}
	check := func(t *testing.T, src string, k Kind, wantErr bool) {
		t.Helper()
		p := mustParse(t, src)
		err := Validate(p, k, WithText([]byte(src)))
		if wantErr {
			require.ErrorIs(t, err, CodeQuotaExceeded)
		} else {
			require.NoError(t, err)
		}
	}
	t.Run("identity at and over 10,240 as written", func(t *testing.T) {
		check(t, sized(10240, ""), Identity, false)
		check(t, sized(10241, ""), Identity, true)
		// Without the text, the compact form writes the lone Statement as a
		// list: two characters more, over the quota.
		require.ErrorIs(t, Validate(mustParse(t, sized(10240, "")), Identity), CodeQuotaExceeded)
	})
	t.Run("escapes count as written", func(t *testing.T) {
		// \u0061 is six characters as written, one once decoded.
		src := sized(10240, `\u0061\u0061`)
		check(t, src, Identity, false)
		check(t, sized(10241, `\u0061\u0061`), Identity, true)
	})
	t.Run("whitespace does not count for IAM kinds", func(t *testing.T) {
		src := sized(6144, "")
		pretty := strings.Replace(src, `{"Effect"`, "\n  {\n    \"Effect\"", 1)
		check(t, pretty, PermissionsBoundary, false)
	})
	t.Run("every character counts for SCPs and RCPs", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n")
		for i := 0; i < 60; i++ {
			if i > 0 {
				b.WriteString(",\n")
			}
			fmt.Fprintf(&b, "    {\n      \"Sid\": \"D%02d\",\n      \"Effect\": \"Deny\",\n      \"Action\": \"ec2:RunInstances\",\n      \"Resource\": \"*\"\n    }", i)
		}
		b.WriteString("\n  ]\n}\n")
		src := b.String()
		require.Greater(t, len(src), QuotaOrganizationsPolicy)
		require.LessOrEqual(t, countNonSpace([]byte(src)), QuotaOrganizationsPolicy)
		check(t, src, SCP, true)
		require.NoError(t, Validate(mustParse(t, src), SCP), "without the text, only the compact form is known")
		rcp := strings.ReplaceAll(src, `"Effect": "Deny",`, `"Effect": "Deny", "Principal": "*",`)
		rcp = strings.ReplaceAll(rcp, "ec2:RunInstances", "s3:PutObject")
		check(t, rcp, RCP, true)
	})
	t.Run("a session policy's plaintext counts whitespace", func(t *testing.T) {
		src := sized(2000, "")
		pretty := strings.Replace(src, `{"Effect"`, "{"+strings.Repeat(" ", 60)+`"Effect"`, 1)
		check(t, src, Session, false)
		check(t, pretty, Session, true)
	})
}

func TestValidateHandBuilt(t *testing.T) {
	p := &Policy{Statements: []Statement{{Action: []string{"s3"}, Resource: []string{"*"}}}}
	var got []Code
	for _, e := range AsErrors(Validate(p, Identity)) {
		got = append(got, e.Code)
	}
	require.ElementsMatch(t, []Code{CodeInvalidEffect, CodeInvalidAction}, got)
	require.ErrorIs(t, Validate(nil, Identity), CodeMissingElement)
	require.ErrorIs(t, Validate(&Policy{}, Identity), CodeMissingElement)
}

// TestValidateMorePrincipalsAndKeys: the CloudFront origin access identity
// is a valid AWS principal (bucket policies written for CloudFront name it:
// CloudFront Developer Guide, restricting access to an S3 origin), and a
// hand-built policy is held to the parser's rules on condition keys.
func TestValidateMorePrincipalsAndKeys(t *testing.T) {
	oai := mustParse(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`)
	require.NoError(t, Validate(oai, Resource))
	_, err := Parse([]byte(`{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::cloudfront:user/someone"},"Action":"s3:GetObject","Resource":"*"}}`))
	require.ErrorIs(t, err, CodeInvalidPrincipal, "only the origin access identity form has a non-numeric account")

	p := &Policy{Version: Version2012, Statements: []Statement{{Effect: Allow, Action: []string{"*"}, Resource: []string{"*"},
		Conditions: []Condition{
			{Operator: "StringEquals", Key: "aws:username", Values: []string{"a"}},
			{Operator: "StringLike", Key: "AWS:UserName", Values: []string{"b*"}}, // another operator: fine
			{Operator: "StringEquals", Key: "AWS:UserName", Values: []string{"b"}},
			{Operator: "StringEquals", Key: "aws:PrincipalTag/${aws:username}", Values: []string{"x"}},
		}}}}
	err = Validate(p, Identity)
	require.ErrorIs(t, err, CodeDuplicateKey)
	require.ErrorIs(t, err, CodeInvalidVariable)
	require.Len(t, AsErrors(err), 2)
}
