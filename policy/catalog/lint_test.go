package catalog

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/policy"
)

func TestLint(t *testing.T) {
	tests := []struct {
		name, stmt string
		want       []string // code and path of each warning
	}{
		{"clean", `{"Effect":"Allow","Action":["s3:GetObject","s3:Get*"],"Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"s3:ExistingObjectTag/team":"blue","aws:SourceVpce":"vpce-1"}}}`, nil},
		{"typo with a suggestion", `{"Effect":"Allow","Action":"s3:GetObjects","Resource":"*"}`,
			[]string{"unknown_action /Statement/0/Action/0"}},
		{"unknown service", `{"Effect":"Allow","Action":["s4:GetObject","s3:GetObject"],"Resource":"*"}`,
			[]string{"unknown_service /Statement/0/Action/0"}},
		{"wildcard that matches nothing", `{"Effect":"Allow","Action":["s3:Fly*","*:Teleport*"],"Resource":"*"}`,
			[]string{"wildcard_matches_nothing /Statement/0/Action/0", "wildcard_matches_nothing /Statement/0/Action/1"}},
		{"condition key no action supports", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"NumericLessThanEquals":{"s3:max-keys":"10"}}}`,
			[]string{"unsupported_condition_key /Statement/0/Condition"}},
		{"condition key one action supports", `{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":"*","Condition":{"NumericLessThanEquals":{"s3:max-keys":"10"}}}`, nil},
		{"tag key the action does not list", `{"Effect":"Allow","Action":"sts:GetCallerIdentity","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/team":"blue"}}}`,
			[]string{"unsupported_condition_key /Statement/0/Condition"}},
		{"resource of another service", `{"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:dynamodb:us-east-1:111122223333:table/T","arn:aws:s3:::b/*"]}`,
			[]string{"resource_service_mismatch /Statement/0/Resource/0"}},
		{"a role is AssumeRole's resource", `{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111122223333:role/app"}`, nil},
		{"NotAction and * are not judged", `{"Effect":"Deny","NotAction":"s3:Nothing","Resource":"arn:aws:dynamodb:us-east-1:111122223333:table/T","Condition":{"StringEquals":{"s3:nokey":"x"}}}`, nil},
		// An S3 bucket or object ARN has an empty region and account
		// (arn:${Partition}:s3:::${BucketName}/${ObjectName}); one colon
		// short, or with a region, it is no S3 resource GetObject acts on.
		{"an S3 ARN missing a colon", `{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":["arn:aws:s3:::acme-data/*","arn:aws:s3::acme-data/*"]}`,
			[]string{"resource_type_mismatch /Statement/0/Resource/1"}},
		{"an S3 object ARN with a region", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:us-east-1::bucket/key"}`,
			[]string{"resource_type_mismatch /Statement/0/Resource/0"}},
		{"a bucket is not an object", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket"}`,
			[]string{"resource_type_mismatch /Statement/0/Resource/0"}},
		{"wildcards and variables that may fit", `{"Effect":"Allow","Action":"s3:GetObject","Resource":["*","arn:aws:s3:::*","arn:*:s3:::b/*","arn:aws:s3:*:*:*","arn:aws:s3:*:111122223333:accesspoint/*","arn:aws:s3:::${aws:username}","arn:aws:s3:::b?k?t/*"]}`, nil},
		// AWS documents s3:ListAllMyBuckets with Resource "*", but
		// policies write arn:aws:s3:::* for it.
		{"an action without resource types takes any ARN of its service", `{"Effect":"Allow","Action":["s3:ListAllMyBuckets","s3:GetObject"],"Resource":["arn:aws:s3:::*","arn:aws:s3:us-east-1:111122223333:whatever"]}`, nil},
		{"but not a malformed one", `{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3::acme-data/*"}`,
			[]string{"resource_type_mismatch /Statement/0/Resource/0"}},
		{"a role in a path, a secret with slashes, a log stream", `{"Effect":"Allow","Action":["sts:AssumeRole","secretsmanager:GetSecretValue","logs:PutLogEvents"],"Resource":["arn:aws:iam::111122223333:role/team/app","arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db/password-AbCdEf","arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/f:log-stream:2026/01/01/[$LATEST]abc"]}`, nil},
		{"a user is not a role", `{"Effect":"Allow","Action":"iam:GetRole","Resource":"arn:aws:iam::111122223333:user/bob"}`,
			[]string{"resource_type_mismatch /Statement/0/Resource/0"}},
		// The global condition keys page lists aws:username and the
		// aws:PrincipalTag/tag-key family; a near miss or a stray space is
		// a key no request carries.
		{"aws: keys that are not global keys", `{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:usernamez":"a","aws:username ":"b","aws:PrincipalTag/team":"c","AWS:SOURCEACCOUNT":"111122223333","aws:SourceOwner":"111122223333"}}}`,
			[]string{"unknown_global_condition_key /Statement/0/Condition/StringEquals/aws:usernamez", "unknown_global_condition_key /Statement/0/Condition/StringEquals/aws:username "}},
		{"global keys are checked under NotAction too", `{"Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresnt":"false"},"StringNotEquals":{"aws:PrincipalTags/team":"x"}}}`,
			[]string{"unknown_global_condition_key /Statement/0/Condition/Bool/aws:MultiFactorAuthPresnt", "unknown_global_condition_key /Statement/0/Condition/StringNotEquals/aws:PrincipalTags~1team"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[`+tc.stmt+`]}`), policy.WithSource("p.json"))
			require.NoError(t, err)
			var got []string
			for _, w := range Lint(p) {
				got = append(got, string(w.Code)+" "+w.Path)
				require.True(t, w.Pos.IsValid(), "warning has a position")
			}
			require.Empty(t, cmp.Diff(tc.want, got))
		})
	}
}

func TestLintMessages(t *testing.T) {
	p, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObjects","Resource":"*"}]}`), policy.WithSource("p.json"))
	require.NoError(t, err)
	ws := Lint(p)
	require.Len(t, ws, 1)
	require.Equal(t, `p.json:1:65: warning: unknown_action: action "s3:GetObjects" is not a s3 action; did you mean "s3:GetObject"?`, ws[0].String())
}

func TestLintPositions(t *testing.T) {
	src := `{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": ["s3:GetObject", "s3:GetObjcet"],
    "Resource": [
      "arn:aws:s3:::acme-data/*",
      "arn:aws:s3::acme-data/*"
    ],
    "Condition": {"StringEquals": {"aws:PrincipalTag/team": "blue", "aws:usernamez": "alice"}}
  }]
}`
	p, err := policy.Parse([]byte(src), policy.WithSource("p.json"))
	require.NoError(t, err)
	var got []string
	for _, w := range Lint(p) {
		got = append(got, w.String())
	}
	want := []string{
		`p.json:5:32: warning: unknown_action: action "s3:GetObjcet" is not a s3 action; did you mean "s3:GetObject"?`,
		`p.json:8:7: warning: resource_type_mismatch: resource "arn:aws:s3::acme-data/*" has the ARN format of no resource the statement's actions (s3:GetObject) act on; they act on arn:${Partition}:s3:${Region}:${Account}:accesspoint/${AccessPointName}/object/${ObjectName}, arn:${Partition}:s3:::${BucketName}/${ObjectName}`,
		`p.json:10:69: warning: unknown_global_condition_key: condition key "aws:usernamez" is not an AWS global condition key; did you mean "aws:username"?`,
	}
	require.Empty(t, cmp.Diff(want, got))
}

func TestLintGlobalKeyMessages(t *testing.T) {
	for _, tc := range []struct{ key, want string }{
		{"aws:username ", `condition key "aws:username " is not an AWS global condition key (it has spaces around it); did you mean "aws:username"?`},
		{"aws:PrincipleTag/team", `condition key "aws:PrincipleTag/team" is not an AWS global condition key; did you mean "aws:PrincipalTag/team"?`},
		{"aws:CompletelyMadeUp", `condition key "aws:CompletelyMadeUp" is not an AWS global condition key`},
	} {
		p, err := policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"` + tc.key + `":"x"}}}]}`))
		require.NoError(t, err)
		ws := Lint(p)
		require.Len(t, ws, 1, tc.key)
		require.Equal(t, WarnUnknownGlobalKey, ws[0].Code)
		require.Equal(t, tc.want, ws[0].Message)
	}
}
