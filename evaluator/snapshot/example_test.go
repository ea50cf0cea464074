package snapshot_test

import (
	"fmt"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/snapshot"
)

// Who can delete objects of the reports bucket? carol's managed policy
// allows it for her team; alice's group allows it but denies it without
// MFA, which the query does not say: she is conditional on it.
func ExampleSnapshot_WhoCan() {
	s := snapshot.New()
	if err := s.LoadFile("testdata/account.json"); err != nil {
		fmt.Println(err)
		return
	}
	answers, err := s.WhoCan(snapshot.Query{Action: "s3:DeleteObject", Resource: "arn:aws:s3:::reports/2026/q1.csv"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range answers {
		fmt.Println(a.Decision, a.Kind, a.Principal, a.Missing)
	}
	// Output:
	// conditional user arn:aws:iam::111122223333:user/alice [aws:MultiFactorAuthPresent]
	// allowed user arn:aws:iam::111122223333:user/carol []
}

// A what-if check on one principal of a snapshot: its real policy set,
// caller and tags make the request an Engine decides.
func ExampleSnapshot_PolicySet() {
	s := snapshot.New()
	if err := s.LoadFile("testdata/account.json"); err != nil {
		fmt.Println(err)
		return
	}
	const role = "arn:aws:iam::111122223333:role/service/app"
	set, err := s.PolicySet(role, "111122223333")
	if err != nil {
		fmt.Println(err)
		return
	}
	eng, err := evaluator.Compile(set)
	if err != nil {
		fmt.Println(err)
		return
	}
	p, _ := s.Principal(role)
	caller, issuer := p.Caller("nightly")
	res := eng.Evaluate(evaluator.Request{Principal: caller, SessionIssuer: issuer, Action: "s3:PutObject",
		Resource: "arn:aws:s3:::reports/out.csv", Context: evaluator.Context{"aws:SourceVpc": evaluator.Single("vpc-1")}})
	fmt.Println(caller, res.Decision)
	// Output:
	// arn:aws:sts::111122223333:assumed-role/app/nightly allowed
}
