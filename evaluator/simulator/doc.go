// Package simulator answers AWS IAM's SimulateCustomPolicy request offline:
// it takes the request as AWS's API and "aws iam simulate-custom-policy
// --cli-input-json" shape it, evaluates every action on every resource with
// an evaluator.Engine, and returns AWS's response shape, so that scripts
// written against the AWS policy simulator run unchanged.
//
// Field names are AWS's, so the same JSON decodes into
// SimulateCustomPolicyInput; iamsim's extensions (session policies, SCPs,
// RCPs, a management account) are extra fields. A request AWS would refuse
// is an *Error with AWS's error code.
package simulator
