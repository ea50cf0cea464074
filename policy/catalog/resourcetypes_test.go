package catalog

import (
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestResourceTypesFor reads real ARNs against the Service Authorization
// Reference's formats. Expected types follow AWS's naming rules for the
// resource: SSM parameter hierarchies, Secrets Manager names, ECR
// namespaces, KMS aliases (alias/aws/... is AWS's own), EKS OIDC provider
// hosts and log group names all hold "/"; a DynamoDB stream label is an ISO
// 8601 time with ":"; API Gateway writes two formats for a stage; DMS
// writes "endpoint:*"; a Multi-Region Access Point has no region, unlike an
// access point.
func TestResourceTypesFor(t *testing.T) {
	for _, tc := range []struct {
		arn  string
		want []string
	}{
		// Strict reading, unchanged.
		{"arn:aws:s3:::bucket/key", []string{"s3/object"}},
		{"arn:aws:s3:::bucket/a:b", []string{"s3/object"}},
		{"arn:aws:dynamodb:us-east-1:111111111111:table/Music", []string{"dynamodb/table"}},
		{"arn:aws:dynamodb:us-east-1:111111111111:table/Music/index/i1", []string{"dynamodb/index"}},
		{"arn:aws:lambda:us-east-1:111111111111:function:fn", []string{"lambda/function"}},
		{"arn:aws:ssm:us-east-1:111111111111:parameter/flat", []string{"ssm/parameter"}},
		// Two formats joined by ", ".
		{"arn:aws:apigateway:us-east-1::/restapis/abc/stages/prod", []string{"apigateway/Stage", "wafv2/apigateway"}},
		{"arn:aws:apigateway:us-east-1::/apis/abc/stages/prod", []string{"apigateway/Stage"}},
		// An empty region written in the format wins over ${Region}.
		{"arn:aws:s3::111111111111:accesspoint/x.mrap", []string{"s3/multiregionaccesspoint"}},
		{"arn:aws:s3:us-east-1:111111111111:accesspoint/ap", []string{"s3/accesspoint"}},
		// Lenient reading, when nothing fits strictly.
		{"arn:aws:ssm:us-east-1:111111111111:parameter/app/prod/db-password", []string{"ssm/parameter"}},
		{"arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/db/password-a1b2c3", []string{"secretsmanager/Secret"}},
		{"arn:aws:ecr:us-east-1:111111111111:repository/team/my-repo", []string{"ecr/repository"}},
		{"arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC", []string{"iam/oidc-provider"}},
		{"arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/fn", []string{"logs/log-group"}},
		{"arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/fn:log-stream:2024/01/01/x", []string{"logs/log-stream"}},
		{"arn:aws:dynamodb:us-east-1:111111111111:table/Music/stream/2016-11-16T21:20:00.000", []string{"dynamodb/stream"}},
		{"arn:aws:dms:us-east-1:111111111111:endpoint:ABCDEF", []string{"dms/Endpoint"}},
		// Not an ARN of anything.
		{"arn:aws:s3x:::bucket", nil},
		{"not-an-arn", nil},
	} {
		var got []string
		for _, rt := range ResourceTypesFor(tc.arn) {
			got = append(got, rt.Service+"/"+rt.Name)
		}
		sort.Strings(got)
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.arn, d)
		}
	}
	// AppliesTo reads the same way.
	get, _ := Lookup("ssm:GetParameter")
	if get == nil || !get.AppliesTo("arn:aws:ssm:us-east-1:111111111111:parameter/app/prod/db-password") {
		t.Error("ssm:GetParameter should apply to a parameter in a hierarchy")
	}
	del, _ := Lookup("s3:DeleteAccessPoint")
	if del == nil || del.AppliesTo("arn:aws:s3::111111111111:accesspoint/x.mrap") {
		t.Error("s3:DeleteAccessPoint acts on single-Region access points, not on a Multi-Region Access Point")
	}
}

// TestConcurrentResourceTypesFor reads ARNs from several goroutines (CI
// runs it under the race detector): the catalog is shared by every caller
// and must not be written to.
func TestConcurrentResourceTypesFor(t *testing.T) {
	arns := []string{"arn:aws:s3:::bucket/key", "arn:aws:ssm:us-east-1:111111111111:parameter/a/b",
		"arn:aws:apigateway:us-east-1::/restapis/abc/stages/prod", "arn:aws:s3::111111111111:accesspoint/x.mrap"}
	want := make([]int, len(arns))
	for i, a := range arns {
		want[i] = len(ResourceTypesFor(a))
	}
	done := make(chan string, 8)
	for g := 0; g < 8; g++ {
		go func() {
			for i := 0; i < 200; i++ {
				k := (i + g) % len(arns)
				if n := len(ResourceTypesFor(arns[k])); n != want[k] {
					done <- arns[k]
					return
				}
				get, _ := Lookup("s3:GetObject")
				get.AppliesTo(arns[k])
			}
			done <- ""
		}()
	}
	for g := 0; g < 8; g++ {
		if bad := <-done; bad != "" {
			t.Errorf("%s: a different answer under concurrency", bad)
		}
	}
}
