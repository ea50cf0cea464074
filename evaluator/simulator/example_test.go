package simulator_test

import (
	"encoding/json"
	"fmt"

	"github.com/iamsim/iamsim/evaluator/simulator"
)

// The same JSON as "aws iam simulate-custom-policy --cli-input-json"
// decodes into SimulateCustomPolicyInput; the response has AWS's shape.
// Deleting needs MFA here, and the request says it has none.
func ExampleSimulateCustomPolicy() {
	input := `{
	  "PolicyInputList": ["{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"s3:DeleteObject\",\"Resource\":\"*\",\"Condition\":{\"BoolIfExists\":{\"aws:MultiFactorAuthPresent\":\"false\"}}}]}"],
	  "ActionNames": ["s3:GetObject", "s3:DeleteObject"],
	  "ResourceArns": ["arn:aws:s3:::example-bucket/report.csv"],
	  "ContextEntries": [{"ContextKeyName": "aws:MultiFactorAuthPresent", "ContextKeyValues": ["false"], "ContextKeyType": "boolean"}]
	}`
	var in simulator.SimulateCustomPolicyInput
	if err := json.Unmarshal([]byte(input), &in); err != nil {
		panic(err)
	}
	resp, err := simulator.SimulateCustomPolicy(in)
	if err != nil {
		panic(err)
	}
	for _, r := range resp.EvaluationResults {
		fmt.Printf("%s on %s: %s\n", r.EvalActionName, r.EvalResourceName, r.EvalDecision)
		for _, m := range r.MatchedStatements {
			fmt.Printf("  matched %s at %d:%d\n", m.SourcePolicyId, m.StartPosition.Line, m.StartPosition.Column)
		}
	}
	// Output:
	// s3:GetObject on arn:aws:s3:::example-bucket/report.csv: allowed
	//   matched PolicyInputList.1 at 1:39
	// s3:DeleteObject on arn:aws:s3:::example-bucket/report.csv: explicitDeny
	//   matched PolicyInputList.1 at 1:89
}
