package catalog

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func names(as []*Action) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.FullName())
	}
	return out
}

// The expected sets are the AWS Service Authorization Reference's action
// tables (docs.aws.amazon.com/service-authorization/latest/reference/):
// list_awsidentityandaccessmanagementiam.html, list_amazons3.html,
// list_awssecuritytokenservice.html, list_amazonsqs.html.
func TestExpand(t *testing.T) {
	tests := []struct {
		pattern string
		want    []string
	}{
		// docs/semantics.md §10 row 44: the five IAM actions whose names hold AccessKey.
		{"iam:*AccessKey*", []string{"iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:GetAccessKeyLastUsed", "iam:ListAccessKeys", "iam:UpdateAccessKey"}},
		// docs/semantics.md §10 row 45: ? is exactly one character.
		{"s3:Get?bject", []string{"s3:GetObject"}},
		{"S3:GETOBJECT", []string{"s3:GetObject"}},
		{"sts:AssumeRole*", []string{"sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"}},
		{"sqs:*Message", []string{"sqs:DeleteMessage", "sqs:ReceiveMessage", "sqs:SendMessage"}},
		{"s3:GetObjects", nil},
		{"nosuchservice:*", nil},
		{"s3", nil},
	}
	for _, tc := range tests {
		t.Run(tc.pattern, func(t *testing.T) {
			require.Empty(t, cmp.Diff(tc.want, names(Expand(tc.pattern))))
		})
	}
	// The SQS table lists 20 actions (the batch APIs are authorized by
	// their single-message actions and are not actions of their own).
	require.Len(t, Expand("sqs:*"), 20)
	require.Len(t, Expand("*"), NumActions())
	require.Greater(t, NumActions(), 20000, "the catalog covers AWS (about 22,000 actions)")
	require.Greater(t, len(Services()), 400)
}

func TestExpandHostilePattern(t *testing.T) {
	// 5,000 stars against every IAM action name: linear, not exponential.
	start := time.Now()
	require.Empty(t, Expand("iam:"+strings.Repeat("*a", 5000)+"zzz"))
	require.Less(t, time.Since(start), 5*time.Second)
}

func TestLookup(t *testing.T) {
	a, ok := Lookup("S3:getobject")
	require.True(t, ok)
	require.Equal(t, "s3:GetObject", a.FullName())
	require.Equal(t, Read, a.AccessLevel())
	require.True(t, a.SupportsConditionKey("s3:ExistingObjectTag/Team"))
	require.True(t, a.SupportsConditionKey("S3:TLSVERSION"))
	require.False(t, a.SupportsConditionKey("s3:max-keys"), "ListBucket's key, not GetObject's")

	tag, ok := Lookup("sts:TagSession")
	require.True(t, ok)
	require.Equal(t, Tagging, tag.AccessLevel())
	list, _ := Lookup("iam:ListAccessKeys")
	require.Equal(t, List, list.AccessLevel())
	put, _ := Lookup("iam:PutRolePolicy")
	require.Equal(t, PermissionsManagement, put.AccessLevel())
	del, _ := Lookup("s3:DeleteObject")
	require.Equal(t, Write, del.AccessLevel())

	for _, bad := range []string{"", "s3", "s3:", ":GetObject", "s3:GetObjects", "s4:GetObject"} {
		_, ok := Lookup(bad)
		require.False(t, ok, bad)
	}
	require.Equal(t, "Permissions management", PermissionsManagement.String())
	require.Equal(t, "unknown", AccessLevel(0).String())
}

func TestResourceTypes(t *testing.T) {
	s3, ok := LookupService("S3")
	require.True(t, ok)
	require.Equal(t, "Amazon S3", s3.Name)
	bucket, ok := s3.ResourceType("bucket")
	require.True(t, ok)
	object, ok := s3.ResourceType("object")
	require.True(t, ok)
	require.True(t, bucket.Match("arn:aws:s3:::amzn-s3-demo-bucket"))
	require.False(t, bucket.Match("arn:aws:s3:::amzn-s3-demo-bucket/k"))
	require.True(t, object.Match("arn:aws:s3:::amzn-s3-demo-bucket/dir/k:v"))
	require.False(t, object.Match("arn:aws:s3:::amzn-s3-demo-bucket"))

	iam, _ := LookupService("iam")
	role, ok := iam.ResourceType("role")
	require.True(t, ok)
	require.True(t, role.Match("arn:aws:iam::111122223333:role/division_abc/subdivision_xyz/app"))
	require.False(t, role.Match("arn:aws:iam::111122223333:user/alice"))

	get, _ := Lookup("s3:GetObject")
	require.True(t, get.AppliesTo("arn:aws:s3:::b/k"))
	require.False(t, get.AppliesTo("arn:aws:s3:::b"))
	require.True(t, get.AppliesTo("*"))
	listBuckets, _ := Lookup("s3:ListAllMyBuckets")
	require.Empty(t, listBuckets.ResourceTypes, "ListAllMyBuckets takes Resource \"*\"")
	require.False(t, listBuckets.AppliesTo("arn:aws:s3:::b"))
}

func TestConditionKeys(t *testing.T) {
	s3, _ := LookupService("s3")
	k, ok := s3.ConditionKey("aws:RequestTag/team")
	require.True(t, ok)
	require.Equal(t, ConditionKey{Name: "aws:RequestTag/${TagKey}", Type: "String"}, k)
	k, ok = s3.ConditionKey("AWS:TAGKEYS")
	require.True(t, ok)
	require.Equal(t, "ArrayOfString", k.Type)
	_, ok = s3.ConditionKey("s3:nosuchkey")
	require.False(t, ok)

	for _, tc := range []struct {
		def, key string
		want     bool
	}{
		{"aws:RequestTag/${TagKey}", "aws:requesttag/Team", true},
		{"aws:RequestTag/${TagKey}", "aws:RequestTag/", false},
		{"s3:ExistingObjectTag/<key>", "s3:ExistingObjectTag/a", true},
		{"codebuild:environment.environmentVariables/${name}.value", "codebuild:environment.environmentVariables/X.value", true},
		{"codebuild:environment.environmentVariables/${name}.value", "codebuild:environment.environmentVariables/X.type", false},
		{"s3:prefix", "s3:Prefix", true},
		{"s3:prefix", "s3:prefixes", false},
	} {
		require.Equal(t, tc.want, keyMatches(tc.def, tc.key), "%s ~ %s", tc.def, tc.key)
	}
	require.True(t, IsGlobalKey("aws:SourceIp"))
	require.True(t, IsGlobalKey("aws:PrincipalTag/team"))
	require.False(t, IsGlobalKey("aws:RequestTag/team"))
	require.False(t, IsGlobalKey("s3:prefix"))
	// Only the keys of the global condition keys page are global.
	require.True(t, IsGlobalKey("AWS:USERNAME"))
	require.True(t, IsGlobalKey("aws:VpceOrgPaths"))
	require.False(t, IsGlobalKey("aws:usernamez"))
	require.False(t, IsGlobalKey("aws:username "))
	require.False(t, IsGlobalKey("aws:PrincipalTag/"))
}

func TestCheckAction(t *testing.T) {
	require.NoError(t, CheckAction("s3:DeleteObject"))
	require.NoError(t, CheckAction("S3:deleteobject")) // IAM compares action names without case
	for _, tc := range []struct{ action, want string }{
		{"s3:DeleteObjct", "unknown action s3:DeleteObjct; did you mean s3:DeleteObject?"},
		{"s4:GetObject", `unknown action s4:GetObject (no service has the prefix "s4"); did you mean s3:GetObject?`},
		{"s3:CompletelyDifferentThing", "unknown action s3:CompletelyDifferentThing"},
		{"s3:Get*", "unknown action s3:Get*"},
	} {
		err := CheckAction(tc.action)
		var ue *UnknownActionError
		require.ErrorAs(t, err, &ue, tc.action)
		require.Equal(t, tc.want, err.Error())
	}
	var ue *UnknownActionError
	require.ErrorAs(t, CheckAction("nosuchservice:Action"), &ue)
	require.True(t, ue.UnknownService)
}

func TestSuggest(t *testing.T) {
	require.Equal(t, "s3:GetObject", Suggest("s3:GetObjects", 3)[0].FullName())
	require.Equal(t, "s3:GetObject", Suggest("s3:getobjcet", 3)[0].FullName())
	require.Equal(t, "s3:GetObject", Suggest("s4:GetObject", 3)[0].FullName())
	require.Empty(t, Suggest("s3:CompletelyDifferentThing", 3))
}

func TestVersionAndRCP(t *testing.T) {
	require.Equal(t, "0.21.202609231", Version())
	require.True(t, strings.HasPrefix(Updated(), "2026-09-23"))
	require.Contains(t, RCPServices(), "s3")
	require.Contains(t, RCPServices(), "kms")
}

func TestParseRejectsBrokenData(t *testing.T) {
	_, err := parse([]byte("not gzip"))
	require.Error(t, err)
}
