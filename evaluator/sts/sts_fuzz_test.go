package sts_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/sts"
	"github.com/iamsim/iamsim/policy"
)

// FuzzAssumeRole calls AssumeRole with random parameters: it never panics,
// every refusal is an *sts.Error with a code, and a session it returns
// carries the requested name and can never do more than the role allows
// (the role allows s3:GetObject only).
func FuzzAssumeRole(f *testing.F) {
	f.Add("s1", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`, 0, "team", "blue", "s3:GetObject")
	f.Add("x", "", 899, "", "", "s3:PutObject")
	f.Add("report job", "{", 43201, "aws:x", "v", "iam:CreateUser")
	f.Add("a_b+c=d,e.f@g-h", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`, 3600, "Team", "", "*")
	trust := evaluator.Input{ID: "trust", Policy: must(policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":["sts:AssumeRole","sts:TagSession"]}]}`)))}
	role := sts.Role{
		ARN: "arn:aws:iam::111122223333:role/app", TrustPolicy: &trust,
		Policies: evaluator.PolicySet{Identity: []evaluator.Input{{ID: "role", Policy: must(policy.Parse([]byte(
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)))}}},
	}
	f.Fuzz(func(t *testing.T, name, policyText string, duration int, tagKey, tagValue, action string) {
		in := sts.AssumeRoleInput{
			Caller: sts.Caller{Principal: "arn:aws:iam::111122223333:user/alice"},
			Role:   role, RoleSessionName: name, Policy: policyText, DurationSeconds: duration,
			Now: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC),
		}
		if tagKey != "" {
			in.Tags = []sts.Tag{{Key: tagKey, Value: tagValue}}
		}
		s, err := sts.AssumeRole(in)
		if err != nil {
			var se *sts.Error
			if !errors.As(err, &se) || se.Code == "" {
				t.Fatalf("refusal is not a coded sts.Error: %v", err)
			}
			return
		}
		if !strings.HasSuffix(s.ARN, "/"+name) {
			t.Fatalf("session %s for name %q", s.ARN, name)
		}
		r, err := s.Evaluate(evaluator.Request{Action: action, Resource: "*"})
		if err != nil {
			return
		}
		if r.Decision == evaluator.Allowed && !strings.EqualFold(action, "s3:GetObject") && !strings.EqualFold(action, "sts:GetCallerIdentity") {
			t.Fatalf("session allowed %q, which the role does not allow", action)
		}
	})
}
