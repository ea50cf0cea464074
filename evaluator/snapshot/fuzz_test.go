package snapshot_test

import (
	"os"
	"testing"

	"github.com/iamsim/iamsim/evaluator/snapshot"
)

// FuzzLoad: any input either loads or is an error; a loaded snapshot
// answers a query without panicking.
func FuzzLoad(f *testing.F) {
	src, err := os.ReadFile("testdata/account.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(src, []byte(`{"arn:aws:s3:::reports": "%7B%7D"}`))
	f.Add([]byte(`{"UserDetailList":[{"Arn":"arn:aws:iam::111122223333:user/a","UserPolicyList":[{"PolicyName":"p","PolicyDocument":"%7B%22Statement%22%3A%5B%5D%7D"}]}]}`), []byte(`{}`))
	f.Fuzz(func(t *testing.T, authz, rp []byte) {
		s := snapshot.New()
		if s.Load(authz, "authz.json") != nil {
			return
		}
		_ = s.LoadResourcePolicies(rp, "rp.json")
		if s.Prepare() != nil {
			return
		}
		if _, err := s.WhoCan(snapshot.Query{Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/a"}); err != nil {
			t.Fatalf("who-can on a loaded snapshot: %v", err)
		}
	})
}
