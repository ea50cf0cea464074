package evaluator_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/evaluator"
)

const s3All = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`

// The shapes follow the AWS SDK's EvaluationResult documentation (SPEC 8.1):
// EvalDecisionDetails is absent for "*", present and empty for a
// same-account resource ARN, and filled for a cross-account simulation;
// OrganizationsDecisionDetail appears when organization policies apply.
func TestSimulateShapes(t *testing.T) {
	out, err := evaluator.SimulateCustomPolicy(evaluator.SimulateCustomPolicyInput{
		PolicyInputList: []string{s3All},
		ActionNames:     []string{"s3:GetObject", "s3:PutObject"},
		ResourceArns:    []string{"*", "arn:aws:s3:::amzn-s3-demo-bucket/k"},
		CallerArn:       "arn:aws:iam::111122223333:user/alice",
		ResourceOwner:   "arn:aws:iam::111122223333:root",
	})
	require.NoError(t, err)
	require.Len(t, out.EvaluationResults, 4, "every action on every resource")
	star, arn := out.EvaluationResults[0], out.EvaluationResults[1]
	require.Equal(t, "*", star.EvalResourceName)
	require.Nil(t, star.EvalDecisionDetails)
	require.Nil(t, star.ResourceSpecificResults)
	require.NotNil(t, arn.EvalDecisionDetails)
	require.Empty(t, *arn.EvalDecisionDetails)
	require.Len(t, arn.ResourceSpecificResults, 1)
	require.Equal(t, evaluator.Allowed, arn.ResourceSpecificResults[0].EvalResourceDecision)
	require.Nil(t, arn.OrganizationsDecisionDetail)
	b, err := json.Marshal(arn)
	require.NoError(t, err)
	require.Contains(t, string(b), `"EvalDecision":"allowed"`)
	require.Contains(t, string(b), `"EvalDecisionDetails":{}`)

	// Cross-account: the bucket's owner is another account and there is no
	// bucket policy (SPEC 3.2): denied, with the per-type details.
	out, err = evaluator.SimulateCustomPolicy(evaluator.SimulateCustomPolicyInput{
		PolicyInputList: []string{s3All},
		ActionNames:     []string{"s3:GetObject"},
		ResourceArns:    []string{"arn:aws:s3:::amzn-s3-demo-bucket/k"},
		CallerArn:       "arn:aws:iam::111122223333:user/alice",
		ResourceOwner:   "444455556666",
		SCPInputList:    [][]string{{s3All}},
	})
	require.NoError(t, err)
	r := out.EvaluationResults[0]
	require.Equal(t, evaluator.ImplicitDeny, r.EvalDecision)
	require.Equal(t, map[string]evaluator.Decision{"identity": evaluator.Allowed, "resource": evaluator.ImplicitDeny}, *r.EvalDecisionDetails)
	require.Equal(t, &evaluator.OrganizationsDecisionDetail{AllowedByOrganizations: true}, r.OrganizationsDecisionDetail)
}

func TestSimulateResourcePolicyAndPaging(t *testing.T) {
	in := evaluator.SimulateCustomPolicyInput{
		PolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:ReceiveMessage","Resource":"*"}]}`},
		ResourcePolicy:  `{"Version":"2012-10-17","Statement":[{"Sid":"Send","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sqs:SendMessage","Resource":"*"}]}`,
		CallerArn:       "arn:aws:iam::111122223333:user/alice",
		ActionNames:     []string{"sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"},
		ResourceArns:    []string{"arn:aws:sqs:us-east-1:111122223333:queue1"},
		MaxItems:        2,
	}
	out, err := evaluator.SimulateCustomPolicy(in)
	require.NoError(t, err)
	require.True(t, out.IsTruncated)
	require.Len(t, out.EvaluationResults, 2)
	// A same-account queue policy naming the user grants it (SPEC 1.4).
	send := out.EvaluationResults[0]
	require.Equal(t, evaluator.Allowed, send.EvalDecision)
	require.Equal(t, "ResourcePolicy", send.MatchedStatements[0].SourcePolicyId)
	require.Equal(t, "resource", send.MatchedStatements[0].SourcePolicyType)

	in.Marker = out.Marker
	out, err = evaluator.SimulateCustomPolicy(in)
	require.NoError(t, err)
	require.False(t, out.IsTruncated)
	require.Len(t, out.EvaluationResults, 1)
	require.Equal(t, "sqs:DeleteMessage", out.EvaluationResults[0].EvalActionName)
	require.Equal(t, evaluator.ImplicitDeny, out.EvaluationResults[0].EvalDecision)
}

// iamsim's extension: a role session with a session policy, which AWS's
// simulator cannot simulate (IUG access_policies_testing-policies).
func TestSimulateSessionExtension(t *testing.T) {
	out, err := evaluator.SimulateCustomPolicy(evaluator.SimulateCustomPolicyInput{
		PolicyInputList:        []string{s3All},
		SessionPolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`},
		CallerArn:              "arn:aws:sts::111122223333:assumed-role/S3Access/s1",
		ActionNames:            []string{"s3:GetObject", "s3:PutObject"},
	})
	require.NoError(t, err)
	require.Equal(t, evaluator.Allowed, out.EvaluationResults[0].EvalDecision)
	require.Equal(t, evaluator.ImplicitDeny, out.EvaluationResults[1].EvalDecision)
	require.Len(t, out.EvaluationResults[0].MatchedStatements, 2)
	require.Equal(t, "SessionPolicyInputList.1", out.EvaluationResults[0].MatchedStatements[1].SourcePolicyId)
}

func TestSimulateRefusals(t *testing.T) {
	for _, in := range []evaluator.SimulateCustomPolicyInput{
		{ActionNames: []string{"s3:GetObject"}},
		{PolicyInputList: []string{s3All}},
		{PolicyInputList: []string{s3All}, ActionNames: []string{"s3:GetObject"}, ResourceHandlingOption: "EC2-VPC-InstanceStore"},
		{PolicyInputList: []string{s3All}, ActionNames: []string{"s3:GetObject"}, PermissionsBoundaryPolicyInputList: []string{s3All, s3All}},
		{PolicyInputList: []string{s3All}, ActionNames: []string{"s3:GetObject"}, ResourceOwner: "nobody"},
		{PolicyInputList: []string{s3All}, ActionNames: []string{"s3:GetObject"}, Marker: "x"},
		{PolicyInputList: []string{s3All}, ActionNames: []string{"s3:GetObject"}, ContextEntries: []evaluator.ContextEntry{{ContextKeyName: "aws:SourceIp", ContextKeyValues: []string{"1.2.3.4", "5.6.7.8"}, ContextKeyType: "ip"}}},
	} {
		_, err := evaluator.SimulateCustomPolicy(in)
		var se *evaluator.SimulateError
		require.ErrorAs(t, err, &se, "%+v", in)
		require.Equal(t, "InvalidInput", se.Code)
	}
}
