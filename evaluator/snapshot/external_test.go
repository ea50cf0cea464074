package snapshot_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/evaluator/snapshot"
)

// TestWhoCanOutside checks who-can's principals outside the snapshot
// (testdata/account.json, account 111122223333) that a bucket policy
// grants; the reasoning of each expectation is written beside it. Only
// those are compared: the snapshot's own users and roles are TestWhoCan's.
func TestWhoCanOutside(t *testing.T) {
	none := []string{}
	tests := []struct {
		name     string
		bucket   string // resource policy's ARN
		policy   string // its Statement array
		resource string // the query's resource
		want     []snapshot.Answer
	}{{
		// Principal "*" restricted by aws:PrincipalAccount: the key comes
		// from the caller, so only a caller of account 999999999999
		// satisfies it. The anonymous caller's account is "anonymous"
		// and a foreign account's is not 999999999999: neither is
		// granted. Its user and its role session are (their own
		// account's policies assumed to allow).
		name:   "principal account condition",
		bucket: "arn:aws:s3:::open",
		policy: `[{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::open/*",
			"Condition": {"StringEquals": {"aws:PrincipalAccount": "999999999999"}}}]`,
		resource: "arn:aws:s3:::open/k",
		want: []snapshot.Answer{
			{Principal: "arn:aws:iam::999999999999:user/*", Decision: snapshot.Allowed, Missing: none, Kind: "account"},
			{Principal: "arn:aws:sts::999999999999:assumed-role/*/*", Decision: snapshot.Allowed, Missing: none, Kind: "account"},
		},
	}, {
		// aws:PrincipalType AssumedRole: a role session of any account
		// is granted; the anonymous caller (type Anonymous) and a user
		// (type User) are not.
		name:   "principal type condition",
		bucket: "arn:aws:s3:::open",
		policy: `[{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::open/*",
			"Condition": {"StringEquals": {"aws:PrincipalType": "AssumedRole"}}}]`,
		resource: "arn:aws:s3:::open/k",
		want: []snapshot.Answer{
			{Principal: "arn:aws:sts::*:assumed-role/*/*", Decision: snapshot.Allowed, Missing: none, Kind: "public"},
		},
	}, {
		// An unconditional "*": anyone, anonymous included. The foreign
		// account's user and session are granted alike, so only "*" is
		// listed, as before representatives of other accounts were
		// evaluated (a guard against listing them needlessly: it passes
		// on the code before the fix too).
		name:     "plain star",
		bucket:   "arn:aws:s3:::open",
		policy:   `[{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::open/*"}]`,
		resource: "arn:aws:s3:::open/k",
		want: []snapshot.Answer{
			{Principal: "*", Decision: snapshot.Allowed, Missing: none, Kind: "public"},
		},
	}, {
		// "*" for signed callers only: a Deny takes the anonymous caller
		// (type Anonymous) away. A user and a role session of any account
		// are still granted, and are listed since their answer is no
		// longer the anonymous caller's.
		name:   "star for signed callers",
		bucket: "arn:aws:s3:::open",
		policy: `[{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::open/*"},
			{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::open/*",
			"Condition": {"StringEquals": {"aws:PrincipalType": "Anonymous"}}}]`,
		resource: "arn:aws:s3:::open/k",
		want: []snapshot.Answer{
			{Principal: "arn:aws:iam::*:user/*", Decision: snapshot.Allowed, Missing: none, Kind: "public"},
			{Principal: "arn:aws:sts::*:assumed-role/*/*", Decision: snapshot.Allowed, Missing: none, Kind: "public"},
		},
	}, {
		// A bare account ID in an aws-cn bucket's policy is that
		// account's root in aws-cn, the resource's partition: an aws
		// root would not match the policy's principal there.
		name:     "account principal in aws-cn",
		bucket:   "arn:aws-cn:s3:::cn",
		policy:   `[{"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "s3:GetObject", "Resource": "arn:aws-cn:s3:::cn/*"}]`,
		resource: "arn:aws-cn:s3:::cn/k",
		want: []snapshot.Answer{
			{Principal: "arn:aws-cn:iam::444455556666:root", Decision: snapshot.Allowed, Missing: none, Kind: "account"},
		},
	}, {
		// A role session named as the principal: that session of
		// another account is granted, an external principal.
		name:     "session principal",
		bucket:   "arn:aws:s3:::open",
		policy:   `[{"Effect": "Allow", "Principal": {"AWS": "arn:aws:sts::444455556666:assumed-role/R/s"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::open/*"}]`,
		resource: "arn:aws:s3:::open/k",
		want: []snapshot.Answer{
			{Principal: "arn:aws:sts::444455556666:assumed-role/R/s", Decision: snapshot.Allowed, Missing: none, Kind: "external"},
		},
	}, {
		// aws:PrincipalArn naming a role pattern of 999999999999: a
		// session of a role whose name matches Admin* is granted; the
		// account's representative user and role session (role who-can)
		// do not match, nor anyone else.
		name:   "principal ARN condition",
		bucket: "arn:aws:s3:::open",
		policy: `[{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::open/*",
			"Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::999999999999:role/Admin*"}}}]`,
		resource: "arn:aws:s3:::open/k",
		want: []snapshot.Answer{
			{Principal: "arn:aws:iam::999999999999:role/Admin*", Decision: snapshot.Allowed, Missing: none, Kind: "external"},
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := load(t, false)
			src := `{"` + tc.bucket + `": {"Version": "2012-10-17", "Statement": ` + tc.policy + `}}`
			require.NoError(t, s.LoadResourcePolicies([]byte(src), "extra.json"))
			got, err := s.WhoCan(snapshot.Query{Action: "s3:GetObject", Resource: tc.resource})
			require.NoError(t, err)
			var outside []snapshot.Answer
			for _, a := range got {
				if a.Kind != "user" && a.Kind != "role" {
					outside = append(outside, a)
				}
			}
			require.Empty(t, cmp.Diff(tc.want, outside), "(-want +got)")
		})
	}
}
