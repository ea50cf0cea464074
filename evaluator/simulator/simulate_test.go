package simulator_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/simulator"
)

const s3All = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`

// The shapes follow the IAM API Reference (docs/semantics.md §8.1): EvalDecisionDetails
// is absent for "*", present and empty for a same-account resource ARN,
// and filled for a cross-account simulation ("If the simulation evaluates
// policies within the same account and includes a resource ARN, then the
// parameter is present but the response is empty"); in a
// ResourceSpecificResult it is "returned only for cross-account
// simulations"; OrganizationsDecisionDetail appears when organization
// policies apply.
func TestSimulateShapes(t *testing.T) {
	alice := "arn:aws:iam::111122223333:user/alice"
	out, err := simulator.SimulateCustomPolicy(simulator.SimulateCustomPolicyInput{
		PolicyInputList: []string{s3All}, ActionNames: []string{"s3:GetObject", "s3:PutObject"}, CallerArn: alice,
	})
	require.NoError(t, err)
	require.Len(t, out.EvaluationResults, 2, "one result per action")
	star := out.EvaluationResults[0]
	require.Equal(t, "*", star.EvalResourceName)
	require.Nil(t, star.EvalDecisionDetails)
	require.Nil(t, star.ResourceSpecificResults)

	out, err = simulator.SimulateCustomPolicy(simulator.SimulateCustomPolicyInput{
		PolicyInputList: []string{s3All}, ActionNames: []string{"s3:GetObject"}, CallerArn: alice,
		ResourceArns: []string{"arn:aws:s3:::amzn-s3-demo-bucket/k"}, ResourceOwner: "arn:aws:iam::111122223333:root",
	})
	require.NoError(t, err)
	arn := out.EvaluationResults[0]
	require.NotNil(t, arn.EvalDecisionDetails)
	require.Empty(t, *arn.EvalDecisionDetails)
	require.Len(t, arn.ResourceSpecificResults, 1)
	require.Equal(t, evaluator.Allowed, arn.ResourceSpecificResults[0].EvalResourceDecision)
	require.Nil(t, arn.ResourceSpecificResults[0].EvalDecisionDetails, "same account: not in the per-resource result")
	require.Nil(t, arn.OrganizationsDecisionDetail)
	b, err := json.Marshal(arn)
	require.NoError(t, err)
	require.Contains(t, string(b), `"EvalDecision":"allowed"`)
	require.Equal(t, 1, strings.Count(string(b), `"EvalDecisionDetails":{}`))

	// Cross-account: the bucket's owner is another account and there is no
	// bucket policy (docs/semantics.md §3.2): denied, with the per-type details, in the
	// per-resource result too.
	out, err = simulator.SimulateCustomPolicy(simulator.SimulateCustomPolicyInput{
		PolicyInputList: []string{s3All}, ActionNames: []string{"s3:GetObject"}, CallerArn: alice,
		ResourceArns:  []string{"arn:aws:s3:::amzn-s3-demo-bucket/k"},
		ResourceOwner: "444455556666",
		SCPInputList:  [][]string{{s3All}},
	})
	require.NoError(t, err)
	r := out.EvaluationResults[0]
	require.Equal(t, evaluator.ImplicitDeny, r.EvalDecision)
	want := map[string]evaluator.Decision{"identity": evaluator.Allowed, "resource": evaluator.ImplicitDeny}
	require.Equal(t, want, *r.EvalDecisionDetails)
	require.Equal(t, want, *r.ResourceSpecificResults[0].EvalDecisionDetails)
	require.Equal(t, &simulator.OrganizationsDecisionDetail{AllowedByOrganizations: true}, r.OrganizationsDecisionDetail)
}

// TestSimulateOneResultPerAction: "The simulator now returns a single
// EvaluationResult per action, regardless of how many resource ARNs are
// provided ... The top-level EvalDecision reflects the most restrictive
// decision across all resources" (IAM API Reference, EvaluationResult).
func TestSimulateOneResultPerAction(t *testing.T) {
	out, err := simulator.SimulateCustomPolicy(simulator.SimulateCustomPolicyInput{
		PolicyInputList: []string{`{"Version":"2012-10-17","Statement":[
			{"Sid":"Read","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/*"},
			{"Sid":"NotSecret","Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::bkt/secret"}]}`},
		ActionNames:  []string{"s3:GetObject", "s3:PutObject"},
		ResourceArns: []string{"arn:aws:s3:::bkt/k", "arn:aws:s3:::bkt/secret"},
		CallerArn:    "arn:aws:iam::111111111111:user/alice",
	})
	require.NoError(t, err)
	require.Len(t, out.EvaluationResults, 2)
	get := out.EvaluationResults[0]
	require.Equal(t, "s3:GetObject", get.EvalActionName)
	require.Equal(t, evaluator.ExplicitDeny, get.EvalDecision)
	require.Len(t, get.MatchedStatements, 1, "only the deny decides the aggregate")
	require.Equal(t, 3, get.MatchedStatements[0].StartPosition.Line)
	require.Len(t, get.ResourceSpecificResults, 2)
	require.Equal(t, "arn:aws:s3:::bkt/k", get.ResourceSpecificResults[0].EvalResourceName)
	require.Equal(t, evaluator.Allowed, get.ResourceSpecificResults[0].EvalResourceDecision)
	require.Equal(t, evaluator.ExplicitDeny, get.ResourceSpecificResults[1].EvalResourceDecision)
	put := out.EvaluationResults[1]
	require.Equal(t, evaluator.ImplicitDeny, put.EvalDecision)
	require.Len(t, put.ResourceSpecificResults, 2)
}

// TestSimulateResourceOwner: ResourceOwner is "the owner of any simulated
// resource that does not identify its owner in the resource ARN"
// (SimulateCustomPolicy): a queue ARN names its account, so the call below
// is cross-account whatever ResourceOwner says.
func TestSimulateResourceOwner(t *testing.T) {
	out, err := simulator.SimulateCustomPolicy(simulator.SimulateCustomPolicyInput{
		PolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:DescribeInstances","Resource":"*"}]}`},
		ActionNames:     []string{"sqs:SendMessage"},
		ResourceArns:    []string{"arn:aws:sqs:us-east-1:222222222222:q"},
		ResourcePolicy:  `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/alice"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:222222222222:q"}]}`,
		CallerArn:       "arn:aws:iam::111111111111:user/alice",
		ResourceOwner:   "arn:aws:iam::111111111111:root",
	})
	require.NoError(t, err)
	require.Equal(t, evaluator.ImplicitDeny, out.EvaluationResults[0].EvalDecision, "cross-account: the identity policy must allow too")
}

func TestSimulateResourcePolicyAndPaging(t *testing.T) {
	in := simulator.SimulateCustomPolicyInput{
		PolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:ReceiveMessage","Resource":"*"}]}`},
		ResourcePolicy:  `{"Version":"2012-10-17","Statement":[{"Sid":"Send","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"sqs:SendMessage","Resource":"*"}]}`,
		CallerArn:       "arn:aws:iam::111122223333:user/alice",
		ActionNames:     []string{"sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"},
		ResourceArns:    []string{"arn:aws:sqs:us-east-1:111122223333:queue1"},
		MaxItems:        2,
	}
	out, err := simulator.SimulateCustomPolicy(in)
	require.NoError(t, err)
	require.True(t, out.IsTruncated)
	require.Len(t, out.EvaluationResults, 2)
	// A same-account queue policy naming the user grants it (docs/semantics.md §1.4).
	send := out.EvaluationResults[0]
	require.Equal(t, evaluator.Allowed, send.EvalDecision)
	require.Equal(t, "ResourcePolicy", send.MatchedStatements[0].SourcePolicyId)
	require.Equal(t, "resource", send.MatchedStatements[0].SourcePolicyType)

	in.Marker = out.Marker
	out, err = simulator.SimulateCustomPolicy(in)
	require.NoError(t, err)
	require.False(t, out.IsTruncated)
	require.Len(t, out.EvaluationResults, 1)
	require.Equal(t, "sqs:DeleteMessage", out.EvaluationResults[0].EvalActionName)
	require.Equal(t, evaluator.ImplicitDeny, out.EvaluationResults[0].EvalDecision)
}

// iamsim's extension: a role session with a session policy, which AWS's
// simulator cannot simulate (IUG access_policies_testing-policies).
func TestSimulateSessionExtension(t *testing.T) {
	out, err := simulator.SimulateCustomPolicy(simulator.SimulateCustomPolicyInput{
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
	for _, in := range []simulator.SimulateCustomPolicyInput{
		{ActionNames: []string{"s3:GetObject"}},
		{PolicyInputList: []string{s3All}},
		{PolicyInputList: []string{s3All}, ActionNames: []string{"s3:GetObject"}, ResourceHandlingOption: "EC2-VPC-InstanceStore"},
		{PolicyInputList: []string{s3All}, ActionNames: []string{"s3:GetObject"}, PermissionsBoundaryPolicyInputList: []string{s3All, s3All}},
		{PolicyInputList: []string{s3All}, ActionNames: []string{"s3:GetObject"}, ResourceOwner: "nobody"},
		{PolicyInputList: []string{s3All}, ActionNames: []string{"s3:GetObject"}, Marker: "x"},
		{ActionNames: []string{"s3:GetObject"}, CallerArn: "arn:aws:iam::111122223333:user/alice", ResourcePolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}`},
		{PolicyInputList: []string{s3All}, ActionNames: []string{"s3:GetObject"}, MaxItems: 1001},
		{PolicyInputList: []string{s3All}, ActionNames: []string{"s3:GetObject"}, ContextEntries: []simulator.ContextEntry{{ContextKeyName: "aws:SourceIp", ContextKeyValues: []string{"1.2.3.4", "5.6.7.8"}, ContextKeyType: "ip"}}},
	} {
		_, err := simulator.SimulateCustomPolicy(in)
		var se *simulator.Error
		require.ErrorAs(t, err, &se, "%+v", in)
		require.Equal(t, "InvalidInput", se.Code)
	}
}
