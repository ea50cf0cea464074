package accesscheck

import (
	"fmt"
	"testing"

	"github.com/iamsim/iamsim/evaluator"
)

// typicalPair returns an existing and a new identity policy of n
// statements each, the new one adding a wildcard and dropping a condition.
func typicalPair(n int) (string, string) {
	var old, nw []string
	services := []string{"s3", "sqs", "sns", "dynamodb", "lambda", "kms", "ec2", "logs"}
	for i := range n {
		svc := services[i%len(services)]
		res := fmt.Sprintf(`"arn:aws:%s:us-east-1:111122223333:res-%d/*"`, svc, i)
		if svc == "s3" {
			res = fmt.Sprintf(`"arn:aws:s3:::bucket-%d/*"`, i)
		}
		cond := fmt.Sprintf(`,"Condition":{"StringEquals":{"aws:ResourceTag/team":"t%d"},"IpAddress":{"aws:SourceIp":"10.%d.0.0/16"}}`, i%5, i%200)
		old = append(old, fmt.Sprintf(`{"Sid":"S%d","Effect":"Allow","Action":["%s:Get*","%s:List*"],"Resource":%s%s}`, i, svc, svc, res, cond))
		if i == n/2 {
			cond = ""
		}
		nw = append(nw, fmt.Sprintf(`{"Sid":"S%d","Effect":"Allow","Action":["%s:Get*","%s:List*"],"Resource":%s%s}`, i, svc, svc, res, cond))
	}
	old = append(old, `{"Effect":"Deny","Action":"iam:*","Resource":"*"}`)
	nw = append(nw, `{"Effect":"Deny","Action":"iam:*","Resource":"*"}`)
	return doc(old...), doc(nw...)
}

func BenchmarkCheckNoNewAccess(b *testing.B) {
	for _, n := range []int{1, 10, 49} {
		oldT, newT := typicalPair(n)
		oldP, newP := mustParse(b, oldT), mustParse(b, newT)
		b.Run(fmt.Sprintf("statements=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var res *Result
			for b.Loop() {
				var err error
				res, err = CheckNoNewAccess(oldP, newP, IdentityPolicy)
				if err != nil {
					b.Fatal(err)
				}
			}
			if want := Fail; n > 1 && res.Result != want {
				b.Fatalf("got %s", res.Result)
			}
			b.ReportMetric(float64(res.Evaluations), "evals/op")
		})
	}
	b.Run("identical-admin", func(b *testing.B) {
		p := mustParse(b, doc(`{"Effect":"Allow","Action":"*","Resource":"*"}`))
		for b.Loop() {
			res, err := CheckNoNewAccess(p, p, IdentityPolicy)
			if err != nil || res.Result != Pass {
				b.Fatal(res, err)
			}
		}
	})
}

func BenchmarkCheckNoPublicAccess(b *testing.B) {
	p := mustParse(b, doc(`{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}`,
		`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"s3:*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}`,
		`{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}`))
	b.ReportAllocs()
	for b.Loop() {
		res, err := CheckNoPublicAccess(p, "AWS::S3::Bucket")
		if err != nil || res.Result != Pass {
			b.Fatal(res, err)
		}
	}
}

func BenchmarkCheckNoNewAccessSets(b *testing.B) {
	id := mustParse(b, doc(`{"Effect":"Allow","Action":["s3:*","sqs:*"],"Resource":"*"}`))
	scp := mustParse(b, doc(`{"Effect":"Allow","Action":"*","Resource":"*"}`, `{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}`))
	all := mustParse(b, doc(`{"Effect":"Allow","Action":"*","Resource":"*"}`))
	before := evaluator.PolicySet{Identity: []evaluator.Input{{ID: "id", Policy: id}}, SCPs: [][]evaluator.Input{{{ID: "scp", Policy: scp}}}}
	after := evaluator.PolicySet{Identity: []evaluator.Input{{ID: "id", Policy: id}}, SCPs: [][]evaluator.Input{{{ID: "scp", Policy: all}}}}
	b.ReportAllocs()
	for b.Loop() {
		res, err := CheckNoNewAccessSets(before, after, "arn:aws:iam::111122223333:user/alice")
		if err != nil || res.Result != Fail {
			b.Fatal(res, err)
		}
	}
}
