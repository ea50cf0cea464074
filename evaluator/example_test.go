package evaluator_test

import (
	"fmt"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/policy"
)

func must(p *policy.Policy, err error) *policy.Policy {
	if err != nil {
		panic(err)
	}
	return p
}

// A role may use all of S3, but the session was started with a session
// policy that allows only reading reports: the session can do only what both
// allow (IUG access_policies.md, "Session policies").
func Example() {
	role := must(policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[
  {"Sid":"S3FullAccess","Effect":"Allow","Action":"s3:*","Resource":"*"}]}`), policy.WithSource("role.json")))
	session := must(policy.Parse([]byte(`{"Version":"2012-10-17","Statement":[
  {"Sid":"ReadReports","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::example-bucket/reports/*"}]}`), policy.WithSource("session.json")))

	eng, err := evaluator.Compile(evaluator.PolicySet{
		Identity: []evaluator.Input{{ID: "role.json", Policy: role}},
		Session:  []evaluator.Input{{ID: "session.json", Policy: session}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, action := range []string{"s3:GetObject", "s3:PutObject"} {
		r := eng.Evaluate(evaluator.Request{
			Principal: "arn:aws:sts::111122223333:assumed-role/S3Access/report-job",
			Action:    action,
			Resource:  "arn:aws:s3:::example-bucket/reports/q3.csv",
		})
		fmt.Printf("%s: %s (decided by %s)\n", action, r.Decision, r.DecidedBy)
		for _, m := range r.Matched {
			fmt.Println("  matched", m)
		}
	}
	// Output:
	// s3:GetObject: allowed (decided by identity)
	//   matched role.json[0] (S3FullAccess) at role.json:2:3
	//   matched session.json[0] (ReadReports) at session.json:2:3
	// s3:PutObject: implicitDeny (decided by session)
}
