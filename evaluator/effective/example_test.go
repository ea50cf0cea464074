package effective_test

import (
	"fmt"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/effective"
	"github.com/iamsim/iamsim/policy"
)

// compile compiles a role's identity policy and, if given, a session
// policy.
func compile(role, session string) *evaluator.Engine {
	parse := func(id, src string) evaluator.Input {
		p, err := policy.Parse([]byte(src), policy.WithSource(id))
		if err != nil {
			panic(err)
		}
		return evaluator.Input{ID: id, Policy: p}
	}
	set := evaluator.PolicySet{Identity: []evaluator.Input{parse("role", role)}}
	if session != "" {
		set.Session = []evaluator.Input{parse("session", session)}
	}
	e, err := evaluator.Compile(set)
	if err != nil {
		panic(err)
	}
	return e
}

// What can a session of a role that may read and write one DynamoDB table
// do there, when writes need MFA? The report lists every DynamoDB action
// the catalog knows on the table; those printed are the ones allowed, or
// allowed given condition keys the request did not have.
func ExampleEvaluate() {
	eng := compile(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:Query"],"Resource":"*"},
		{"Effect":"Allow","Action":"dynamodb:PutItem","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`, "")
	rep := effective.Evaluate(eng, effective.Request{
		Principal: "arn:aws:sts::111122223333:assumed-role/app/s1",
		Resource:  "arn:aws:dynamodb:us-east-1:111122223333:table/orders",
		Services:  []string{"dynamodb"},
	})
	for _, e := range rep.Entries {
		switch {
		case e.Decision == evaluator.Allowed:
			fmt.Println(e.Action, e.AccessLevel, "allowed")
		case e.Conditional:
			fmt.Println(e.Action, e.AccessLevel, "allowed only with", e.ConditionKeys)
		}
	}
	// Output:
	// dynamodb:GetItem Read allowed
	// dynamodb:PutItem Write allowed only with [aws:MultiFactorAuthPresent]
	// dynamodb:Query Read allowed
}

// Diff shows what a session policy takes away from its role.
func ExampleDiff() {
	role := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:SendMessage","sqs:ReceiveMessage","sqs:DeleteMessage"],"Resource":"*"}]}`
	session := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:ReceiveMessage","Resource":"*"}]}`
	req := effective.Request{Principal: "arn:aws:sts::111122223333:assumed-role/worker/s1", Services: []string{"sqs"}}
	before := effective.Evaluate(compile(role, ""), req)
	after := effective.Evaluate(compile(role, session), req)
	for _, c := range effective.Diff(before, after) {
		fmt.Printf("%s: %s -> %s (lost %v)\n", c.Action, c.Before.Decision, c.After.Decision, c.Lost())
	}
	// Output:
	// sqs:DeleteMessage: allowed -> implicitDeny (lost true)
	// sqs:SendMessage: allowed -> implicitDeny (lost true)
}
