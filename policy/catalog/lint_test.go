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
	require.Equal(t, `p.json:1:38: warning: unknown_action: action "s3:GetObjects" is not a s3 action; did you mean "s3:GetObject"?`, ws[0].String())
}
