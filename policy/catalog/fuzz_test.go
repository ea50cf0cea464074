package catalog

import (
	"testing"

	"github.com/iamsim/iamsim/policy"
)

// FuzzLint lints random one-statement policies: never a panic, every
// warning has a code and a path.
func FuzzLint(f *testing.F) {
	f.Add("s3:GetObjects", "arn:aws:dynamodb:us-east-1:111122223333:table/T", "s3:max-keys")
	f.Add("*:Get*", "*", "aws:RequestTag/x")
	f.Add("iam:*AccessKey*", "arn:aws:iam::111122223333:user/${aws:username}", "iam:PassedToService")
	f.Fuzz(func(t *testing.T, action, resource, key string) {
		p := &policy.Policy{Version: policy.Version2012, Statements: []policy.Statement{{
			Effect: policy.Allow, Action: []string{action}, Resource: []string{resource},
			Conditions: []policy.Condition{{Operator: "StringEquals", Key: key, Values: []string{"v"}}},
		}}}
		for _, w := range Lint(p) {
			if w.Code == "" || w.Path == "" || w.Message == "" {
				t.Fatalf("incomplete warning %+v", w)
			}
		}
	})
}
