package catalog

import (
	"strings"
	"testing"

	"github.com/iamsim/iamsim/policy"
)

// FuzzLint lints random one-statement policies: never a panic, every
// warning has a code and a path.
func FuzzLint(f *testing.F) {
	f.Add("s3:GetObjects", "arn:aws:dynamodb:us-east-1:111122223333:table/T", "s3:max-keys")
	f.Add("*:Get*", "*", "aws:RequestTag/x")
	f.Add("iam:*AccessKey*", "arn:aws:iam::111122223333:user/${aws:username}", "iam:PassedToService")
	f.Add("s3:GetObject", "arn:aws:s3::acme-data/*", "aws:usernamez")
	f.Add("s3:ListAllMyBuckets", "arn:aws:s3:::${*}?*${", "aws:PrincipalTag/")
	f.Add("ec2:RunInstances", "arn:aws:ec2:*:*:instance/*", "aws:username ")
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

// FuzzResourceTypesFor reads random ARNs: never a panic, and every type it
// returns has formats that name the ARN's service (or a placeholder).
func FuzzResourceTypesFor(f *testing.F) {
	for _, s := range []string{"arn:aws:s3:::b/k", "arn:aws:logs:us-east-1:1:log-group:/a/b:*", "arn:aws:apigateway:us-east-1::/restapis/x/stages/p",
		"arn:aws:s3::1:accesspoint/x.mrap", "arn:aws:dms:us-east-1:1:endpoint:X", "arn:::::", "arn:aws:ssm:r:1:parameter/a/b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, arn string) {
		types := ResourceTypesFor(arn)
		for _, rt := range types {
			if rt.arnService != "" && !strings.Contains(rt.arnService, "$") && !strings.EqualFold(strings.SplitN(arn, ":", 4)[2], rt.arnService) {
				t.Fatalf("%s: type %s/%s of service field %q", arn, rt.Service, rt.Name, rt.arnService)
			}
		}
	})
}
