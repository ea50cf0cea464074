package snapshot_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/snapshot"
)

const (
	alice = "arn:aws:iam::111122223333:user/alice"
	bob   = "arn:aws:iam::111122223333:user/staff/bob"
	carol = "arn:aws:iam::111122223333:user/carol"
	app   = "arn:aws:iam::111122223333:role/service/app"
)

func load(t *testing.T, org bool) *snapshot.Snapshot {
	t.Helper()
	s := snapshot.New()
	require.NoError(t, s.LoadFile("testdata/account.json"))
	require.NoError(t, s.LoadResourcePoliciesFile("testdata/resource-policies.json"))
	if org {
		require.NoError(t, s.LoadOrgFile("testdata/org.json"))
	}
	return s
}

// TestWhoCan checks who-can on testdata/account.json; the reasoning of each
// expectation is written beside it.
func TestWhoCan(t *testing.T) {
	none := []string{}
	tests := []struct {
		name string
		org  bool
		q    snapshot.Query
		want []snapshot.Answer
	}{{
		// alice: her inline policy allows GetObject on reports/*. carol:
		// TeamReports' default version v2 allows it for team blue, her tag
		// (v1's s3:* is not the default). bob: the same policy, but his tag
		// is red: known, so never. app: its inline policy needs
		// aws:SourceVpc, not given: conditional. The bucket policy grants
		// account 444455556666, outside the snapshot: its root is allowed
		// cross-account.
		name: "get object",
		q:    snapshot.Query{Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/q1.csv"},
		want: []snapshot.Answer{
			{Principal: app, Decision: snapshot.Conditional, Missing: []string{"aws:SourceVpc"}, Kind: "role"},
			{Principal: alice, Decision: snapshot.Allowed, Missing: none, Kind: "user"},
			{Principal: carol, Decision: snapshot.Allowed, Missing: none, Kind: "user"},
			{Principal: "arn:aws:iam::444455556666:root", Decision: snapshot.Allowed, Missing: none, Kind: "account"},
		},
	}, {
		// alice: AmazonS3FullAccess (group admins) allows, but the group's
		// URL-encoded inline policy denies DeleteObject unless MFA is
		// present (BoolIfExists): unknown, so conditional. carol: team
		// blue, allowed. bob: team red. The bucket policy grants only
		// GetObject.
		name: "delete object",
		q:    snapshot.Query{Action: "s3:DeleteObject", Resource: "arn:aws:s3:::reports/x"},
		want: []snapshot.Answer{
			{Principal: alice, Decision: snapshot.Conditional, Missing: []string{"aws:MultiFactorAuthPresent"}, Kind: "user"},
			{Principal: carol, Decision: snapshot.Allowed, Missing: none, Kind: "user"},
		},
	}, {
		// With MFA given, alice's deny does not apply.
		name: "delete object with MFA",
		q: snapshot.Query{Action: "s3:DeleteObject", Resource: "arn:aws:s3:::reports/x",
			Context: evaluator.Context{"aws:MultiFactorAuthPresent": evaluator.Single("true")}},
		want: []snapshot.Answer{
			{Principal: alice, Decision: snapshot.Allowed, Missing: none, Kind: "user"},
			{Principal: carol, Decision: snapshot.Allowed, Missing: none, Kind: "user"},
		},
	}, {
		// The account's SCP denies DeleteObject: nobody.
		name: "delete object under the org's SCP",
		org:  true,
		q:    snapshot.Query{Action: "s3:DeleteObject", Resource: "arn:aws:s3:::reports/x"},
		want: nil,
	}, {
		// The SCPs allow GetObject at every level: as without the org.
		name: "get object under the org's SCP",
		org:  true,
		q:    snapshot.Query{Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/q1.csv"},
		want: []snapshot.Answer{
			{Principal: app, Decision: snapshot.Conditional, Missing: []string{"aws:SourceVpc"}, Kind: "role"},
			{Principal: alice, Decision: snapshot.Allowed, Missing: none, Kind: "user"},
			{Principal: carol, Decision: snapshot.Allowed, Missing: none, Kind: "user"},
			{Principal: "arn:aws:iam::444455556666:root", Decision: snapshot.Allowed, Missing: none, Kind: "account"},
		},
	}, {
		// The role's trust policy (from the snapshot) names bob directly
		// (same account: that alone grants) and the EC2 service. Nobody's
		// identity policies allow sts:AssumeRole.
		name: "assume the role",
		q:    snapshot.Query{Action: "sts:AssumeRole", Resource: app},
		want: []snapshot.Answer{
			{Principal: bob, Decision: snapshot.Allowed, Missing: none, Kind: "user"},
			{Principal: "ec2.amazonaws.com", Decision: snapshot.Allowed, Missing: none, Kind: "service"},
		},
	}, {
		// Nobody's policies name IAM.
		name: "nobody",
		q:    snapshot.Query{Action: "iam:CreateUser", Resource: "arn:aws:iam::111122223333:user/x"},
		want: nil,
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := load(t, tc.org)
			got, err := s.WhoCan(tc.q)
			require.NoError(t, err)
			require.Empty(t, cmp.Diff(tc.want, got), "(-want +got)")
		})
	}
}

// mutate loads testdata/account.json, lets f change it and returns the
// result as JSON.
func mutate(t *testing.T, f func(m map[string]any)) []byte {
	t.Helper()
	src, err := os.ReadFile("testdata/account.json")
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(src, &m))
	f(m)
	out, err := json.Marshal(m)
	require.NoError(t, err)
	return out
}

func item(m map[string]any, list string, i int) map[string]any {
	return m[list].([]any)[i].(map[string]any)
}

// TestLoadErrors checks that every kind of bad input is an error naming
// the principal or the JSON path.
func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		edit func(m map[string]any)
		want []string // substrings of the error
	}{{
		name: "unknown top-level field",
		edit: func(m map[string]any) { m["Users"] = []any{} },
		want: []string{"unknown field", "Users"},
	}, {
		name: "unknown user field",
		edit: func(m map[string]any) { item(m, "UserDetailList", 1)["Color"] = "red" },
		want: []string{"/UserDetailList/1", "unknown field", "Color"},
	}, {
		name: "unknown nested field",
		edit: func(m map[string]any) {
			item(m, "RoleDetailList", 0)["RoleLastUsed"].(map[string]any)["Where"] = "x"
		},
		want: []string{"/RoleDetailList/0", "Where"},
	}, {
		// A customer managed policy has no other source; the AWS managed
		// AmazonS3FullAccess the listing also loses comes from the
		// built-in documents (TestAWSManagedFallback).
		name: "missing managed policy",
		edit: func(m map[string]any) { m["Policies"] = m["Policies"].([]any)[:1] },
		want: []string{"user " + bob, "NoDeletes", "not in Policies"},
	}, {
		name: "missing group",
		edit: func(m map[string]any) { m["GroupDetailList"] = []any{} },
		want: []string{"user " + alice, "/UserDetailList/0/GroupList/0", `"admins"`},
	}, {
		name: "malformed inline document",
		edit: func(m map[string]any) {
			item(m, "RoleDetailList", 0)["RolePolicyList"].([]any)[0].(map[string]any)["PolicyDocument"] = "%7B%22Version%22"
		},
		want: []string{"role " + app, "/RoleDetailList/0/RolePolicyList/0/PolicyDocument"},
	}, {
		name: "bad URL encoding",
		edit: func(m map[string]any) {
			item(m, "RoleDetailList", 0)["RolePolicyList"].([]any)[0].(map[string]any)["PolicyDocument"] = "%zz"
		},
		want: []string{"role " + app, "URL-encoded"},
	}, {
		name: "no default version",
		edit: func(m map[string]any) {
			item(m, "Policies", 0)["PolicyVersionList"].([]any)[1].(map[string]any)["IsDefaultVersion"] = false
		},
		want: []string{"/Policies/0", "no default version"},
	}, {
		name: "a role's ARN for a user",
		edit: func(m map[string]any) { item(m, "UserDetailList", 2)["Arn"] = "arn:aws:iam::111122223333:role/carol" },
		want: []string{"/UserDetailList/2", "not an IAM user ARN"},
	}, {
		name: "truncated",
		edit: func(m map[string]any) { m["IsTruncated"] = true; m["Marker"] = "abc" },
		want: []string{"IsTruncated"},
	}, {
		name: "wrong type",
		edit: func(m map[string]any) { item(m, "UserDetailList", 0)["GroupList"] = "admins" },
		want: []string{"/UserDetailList/0", "GroupList"},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := snapshot.New()
			err := s.Load(mutate(t, tc.edit), "authz.json")
			require.Error(t, err)
			for _, w := range tc.want {
				require.Contains(t, err.Error(), w)
			}
			require.Empty(t, s.Principals(), "nothing of a bad file is kept")
		})
	}
}

func TestLoadTwice(t *testing.T) {
	s := snapshot.New()
	require.NoError(t, s.LoadFile("testdata/account.json"))
	err := s.LoadFile("testdata/account.json")
	require.ErrorContains(t, err, "loaded twice")
	require.Len(t, s.Principals(), 4)
}

// TestDocumentShapes loads the same account with every document as a JSON
// object, as a URL-encoded string and as a plain JSON string: the answers
// are the same.
func TestDocumentShapes(t *testing.T) {
	q := snapshot.Query{Action: "s3:DeleteObject", Resource: "arn:aws:s3:::reports/x"}
	base := load(t, false)
	want, err := base.WhoCan(q)
	require.NoError(t, err)
	for _, shape := range []string{"url", "string"} {
		src := mutate(t, func(m map[string]any) { rewriteDocs(m, shape) })
		require.NotContains(t, string(src), `"PolicyDocument":{`)
		s := snapshot.New()
		require.NoError(t, s.Load(src, "authz.json"))
		require.NoError(t, s.LoadResourcePoliciesFile("testdata/resource-policies.json"))
		got, err := s.WhoCan(q)
		require.NoError(t, err)
		require.Empty(t, cmp.Diff(want, got), shape)
	}
}

// rewriteDocs turns every document of m into a string of the shape.
func rewriteDocs(m map[string]any, shape string) {
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				if obj, ok := c.(map[string]any); ok && (k == "PolicyDocument" || k == "Document" || k == "AssumeRolePolicyDocument") {
					b, _ := json.Marshal(obj)
					if shape == "url" {
						x[k] = strings.ReplaceAll(queryEscape(string(b)), "+", "%20")
					} else {
						x[k] = string(b)
					}
					continue
				}
				walk(c)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(m)
}

func TestResourcePolicyErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"object key", `{"arn:aws:s3:::b/k": {"Version":"2012-10-17","Statement":[]}}`, "bucket's ARN"},
		{"not an ARN", `{"bucket": {}}`, "not an ARN"},
		{"role", `{"arn:aws:iam::111122223333:role/r": {}}`, "trust policy"},
		{"bad document", `{"arn:aws:sqs:us-east-1:111122223333:q": {"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}}`, "/arn:aws:sqs:us-east-1:111122223333:q"},
		{"not an object", `[]`, "rp.json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := snapshot.New().LoadResourcePolicies([]byte(tc.src), "rp.json")
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestOrgErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, src, want string }{
		{"unknown field", `{"accounts":{"111122223333":{"path":["r-abcd"]}},"spcs":{}}`, `unknown field "spcs"`},
		{"no accounts", `{}`, "/accounts: no member account"},
		{"bad account", `{"accounts":{"1234":{"path":["r-abcd"]}}}`, "/accounts/1234"},
		{"empty path", `{"accounts":{"111122223333":{"path":[]}}}`, "/accounts/111122223333/path: empty"},
		{"management is member", `{"managementAccount":"111122223333","accounts":{"111122223333":{"path":["r-abcd"]}}}`, "management account is not a member"},
		{"missing level", `{"accounts":{"111122223333":{"path":["r-abcd"]}},"scps":{"r-abcd":[]}}`, "no entry for level 111122223333"},
		{"stray level", `{"accounts":{"111122223333":{"path":["r-abcd"]}},"rcps":{"r-abcd":[],"111122223333":[],"ou-zzzz-00000000":[]}}`, "/rcps/ou-zzzz-00000000"},
		{"bad policy", `{"accounts":{"111122223333":{"path":["r-abcd"]}},"scps":{"r-abcd":[{"Statement":"x"}],"111122223333":[]}}`, "/scps/r-abcd/0"},
		{"missing file", `{"accounts":{"111122223333":{"path":["r-abcd"]}},"scps":{"r-abcd":[{"file":"nope.json"}],"111122223333":[]}}`, "nope.json"},
		// References stay in the org file's directory (a case file may name
		// an org file: it must not read other files of the machine).
		{"absolute file", `{"accounts":{"111122223333":{"path":["r-abcd"]}},"scps":{"r-abcd":[{"file":"/etc/hostname"}],"111122223333":[]}}`, "an absolute path"},
		{"escaping file", `{"accounts":{"111122223333":{"path":["r-abcd"]}},"scps":{"r-abcd":[{"file":"../outside.json"}],"111122223333":[]}}`, "leaves the org file's directory"},
		{"symlink out", `{"accounts":{"111122223333":{"path":["r-abcd"]}},"scps":{"r-abcd":[{"file":"link.json"}],"111122223333":[]}}`, "symbolic link out of the org file's directory"},
	}
	outside := filepath.Join(filepath.Dir(dir), "outside.json")
	require.NoError(t, os.WriteFile(outside, []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`), 0o600))
	t.Cleanup(func() { os.Remove(outside) })
	require.NoError(t, os.Symlink(outside, filepath.Join(dir, "link.json")))
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, "org.json")
			require.NoError(t, os.WriteFile(p, []byte(tc.src), 0o600))
			err := snapshot.New().LoadOrgFile(p)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

// TestInvalidPolicyNamesPrincipal: a document that parses but fails
// validation for its layer is reported with its principal at the first
// query.
func TestInvalidPolicyNamesPrincipal(t *testing.T) {
	src := mutate(t, func(m map[string]any) {
		item(m, "UserDetailList", 2)["UserPolicyList"] = []any{map[string]any{"PolicyName": "p",
			"PolicyDocument": map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
				"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}}}}}
	})
	s := snapshot.New()
	require.NoError(t, s.Load(src, "authz.json"))
	_, err := s.WhoCan(snapshot.Query{Action: "s3:GetObject", Resource: "*"})
	require.ErrorContains(t, err, "user "+carol)
}

// TestEngine: one principal's engine and request decide as who-can
// reports. bob's TeamReports needs team blue; his tag is red: denied.
// carol's tag is blue: allowed. The role app needs aws:SourceVpc: denied
// without it, allowed with vpc-1.
func TestEngine(t *testing.T) {
	s := load(t, false)
	q := snapshot.Query{Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/a"}
	for _, tc := range []struct {
		who  string
		ctx  evaluator.Context
		want evaluator.Decision
	}{
		{bob, nil, evaluator.ImplicitDeny},
		{carol, nil, evaluator.Allowed},
		{app, nil, evaluator.ImplicitDeny},
		{app, evaluator.Context{"aws:SourceVpc": evaluator.Single("vpc-1")}, evaluator.Allowed},
	} {
		q.Context = tc.ctx
		eng, req, err := s.Engine(tc.who, q)
		require.NoError(t, err)
		require.Equal(t, tc.want, eng.Evaluate(req).Decision, tc.who)
	}
	_, _, err := s.Engine("arn:aws:iam::111122223333:user/nobody", q)
	require.ErrorContains(t, err, "no user or role")
}

// TestAWSManagedFallback: without AmazonS3FullAccess in Policies, the
// group's attachment takes the policy from the documents built into
// iamsim (package awsmanaged), or from a file loaded with LoadAWSManaged,
// which replaces them (so a file without it makes the attachment fail);
// the answers are then those of the full listing (the bundled
// AmazonS3FullAccess, like the listing's, allows s3:* and
// s3-object-lambda:*).
func TestAWSManagedFallback(t *testing.T) {
	src := mutate(t, func(m map[string]any) { m["Policies"] = m["Policies"].([]any)[:2] })
	none := snapshot.New()
	require.NoError(t, none.LoadAWSManaged([]byte(`{}`), "none.json"))
	err := none.Load(src, "authz.json")
	require.ErrorContains(t, err, "arn:aws:iam::aws:policy/AmazonS3FullAccess is not in Policies")

	q := snapshot.Query{Action: "s3:DeleteObject", Resource: "arn:aws:s3:::reports/x"}
	want, err := load(t, false).WhoCan(q)
	require.NoError(t, err)
	for name, s := range map[string]*snapshot.Snapshot{"built in": snapshot.New(), "from a file": snapshot.New()} {
		if name == "from a file" {
			require.NoError(t, s.LoadAWSManagedFile("../../policy/awsmanaged/aws-managed-policies.json.gz"))
		}
		require.NoError(t, s.Load(src, "authz.json"), name)
		got, err := s.WhoCan(q)
		require.NoError(t, err, name)
		require.Empty(t, cmp.Diff(want, got), name)
	}

	require.ErrorContains(t, snapshot.New().LoadAWSManaged([]byte(`{"X":{"arn":"arn:aws:iam::111122223333:policy/X","versionId":"v1","document":"{}"}}`), "m.json"),
		"not an AWS managed policy ARN")
}

// TestWhoCanFederated: a role trusting a SAML provider (with the
// documented SAML:aud condition) and an OIDC provider without condition.
// The SAML provider may assume it depending on SAML:aud, which the query
// does not give: conditional. Google may assume the web-identity role
// outright. Nobody of the account (no identity policy names STS).
func TestWhoCanFederated(t *testing.T) {
	const authz = `{"UserDetailList":[],"GroupDetailList":[],"Policies":[],"RoleDetailList":[
	 {"Path":"/","RoleName":"sso","Arn":"arn:aws:iam::111122223333:role/sso","AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[
	   {"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:saml-provider/corp"},"Action":"sts:AssumeRoleWithSAML",
	    "Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}]},
	  "RolePolicyList":[],"AttachedManagedPolicies":[]},
	 {"Path":"/","RoleName":"web","Arn":"arn:aws:iam::111122223333:role/web","AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[
	   {"Effect":"Allow","Principal":{"Federated":"accounts.google.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]},
	  "RolePolicyList":[],"AttachedManagedPolicies":[]}]}`
	s := snapshot.New()
	require.NoError(t, s.Load([]byte(authz), "authz.json"))
	got, err := s.WhoCan(snapshot.Query{Action: "sts:AssumeRoleWithSAML", Resource: "arn:aws:iam::111122223333:role/sso"})
	require.NoError(t, err)
	require.Empty(t, cmp.Diff([]snapshot.Answer{{Principal: "arn:aws:iam::111122223333:saml-provider/corp",
		Decision: snapshot.Conditional, Missing: []string{"SAML:aud"}, Kind: "federated"}}, got))
	got, err = s.WhoCan(snapshot.Query{Action: "sts:AssumeRoleWithWebIdentity", Resource: "arn:aws:iam::111122223333:role/web"})
	require.NoError(t, err)
	require.Empty(t, cmp.Diff([]snapshot.Answer{{Principal: "accounts.google.com", Decision: snapshot.Allowed, Missing: []string{}, Kind: "federated"}}, got))
}

// TestWhoCanRCP: an RCP on the account denies reading its objects to
// principals of other accounts (aws:PrincipalAccount, derived from the
// caller, so known). The bucket policy's grant to 444455556666 is then
// denied; the account's own principals answer as without the RCP (see
// TestWhoCan's "get object").
func TestWhoCanRCP(t *testing.T) {
	dir := t.TempDir()
	org := filepath.Join(dir, "org.json")
	require.NoError(t, os.WriteFile(org, []byte(`{
	  "accounts": {"111122223333": {"path": ["r-abcd"]}},
	  "rcps": {
	    "r-abcd": [{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}],
	    "111122223333": [{"Version":"2012-10-17","Statement":[
	      {"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},
	      {"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"*",
	       "Condition":{"StringNotEquals":{"aws:PrincipalAccount":"111122223333"}}}]}]
	  }}`), 0o600))
	s := snapshot.New()
	require.NoError(t, s.LoadFile("testdata/account.json"))
	require.NoError(t, s.LoadResourcePoliciesFile("testdata/resource-policies.json"))
	require.NoError(t, s.LoadOrgFile(org))
	got, err := s.WhoCan(snapshot.Query{Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/q1.csv"})
	require.NoError(t, err)
	none := []string{}
	require.Empty(t, cmp.Diff([]snapshot.Answer{
		{Principal: app, Decision: snapshot.Conditional, Missing: []string{"aws:SourceVpc"}, Kind: "role"},
		{Principal: alice, Decision: snapshot.Allowed, Missing: none, Kind: "user"},
		{Principal: carol, Decision: snapshot.Allowed, Missing: none, Kind: "user"},
	}, got))
}

func TestWhoCanBadQuery(t *testing.T) {
	s := load(t, false)
	for _, tc := range []struct {
		name string
		q    snapshot.Query
		want string
	}{
		{"wildcard", snapshot.Query{Action: "s3:*", Resource: "*"}, "without wildcards"},
		{"no service", snapshot.Query{Action: "GetObject", Resource: "*"}, "service:Operation"},
		{"no resource", snapshot.Query{Action: "s3:GetObject"}, "no resource"},
		{"empty key", snapshot.Query{Action: "s3:GetObject", Resource: "*", Context: evaluator.Context{"": evaluator.Single("x")}}, "who-can"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.WhoCan(tc.q)
			require.ErrorContains(t, err, tc.want)
		})
	}
}
