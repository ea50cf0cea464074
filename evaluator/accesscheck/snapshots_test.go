package accesscheck

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/snapshot"
)

// loadSnap loads testdata/snapdiff/NAME with the shared resource policies.
func loadSnap(t *testing.T, name string) *snapshot.Snapshot {
	t.Helper()
	s := snapshot.New()
	dir := filepath.Join("testdata", "snapdiff")
	if err := s.LoadFile(filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
	if err := s.LoadResourcePoliciesFile(filepath.Join(dir, "resource-policies.json")); err != nil {
		t.Fatal(err)
	}
	return s
}

// verifySnapCE checks a counterexample with the plain engine on each
// side's policy set (Snapshot.PolicySet and the resource's own policy):
// allowed after, not before (a principal absent before has no policies).
func verifySnapCE(t *testing.T, before, after *snapshot.Snapshot, principal string, ce Counterexample) {
	t.Helper()
	req := ce.Request()
	decide := func(s *snapshot.Snapshot) evaluator.Decision {
		if _, ok := s.Principal(principal); !ok {
			return evaluator.ImplicitDeny
		}
		set, err := s.PolicySet(principal, req.ResourceAccount)
		if err != nil {
			t.Fatal(err)
		}
		set.Resource = s.ResourcePolicyFor(req.Action, req.Resource)
		if p, _ := s.Principal(principal); p.Type == snapshot.Role {
			if req.Principal, req.SessionIssuer = p.Caller(""); req.Principal != ce.Principal || req.SessionIssuer != ce.SessionIssuer {
				t.Errorf("%s: counterexample caller %s (issuer %s), want %s (%s)", principal, ce.Principal, ce.SessionIssuer, req.Principal, req.SessionIssuer)
			}
		}
		e, err := evaluator.Compile(set)
		if err != nil {
			t.Fatal(err)
		}
		return e.Evaluate(req).Decision
	}
	if d := decide(after); d != evaluator.Allowed {
		t.Errorf("%s: counterexample %+v: after: %v, want allowed", principal, ce, d)
	}
	if d := decide(before); d == evaluator.Allowed {
		t.Errorf("%s: counterexample %+v: allowed before too", principal, ce)
	}
}

func TestCheckNoNewAccessSnapshots(t *testing.T) {
	before := loadSnap(t, "before.json")
	principalsOf := func(r *SnapshotResult) []string {
		var out []string
		for _, p := range r.Principals {
			out = append(out, p.Principal)
		}
		return out
	}
	for _, tc := range []struct {
		name, after string
		want        []string // principals that gain access; nil: PASS
	}{
		// (1) The same file loaded again: every document is equal by text
		// though not by pointer, so nothing is compared and nothing is new.
		{"unchanged", "unchanged.json", nil},
		// (2) Group devs gains s3:DeleteObject on arn:aws:s3:::data/*:
		// alice and bob are its members and could not delete before (no
		// statement allowed it, and the bucket policy grants only
		// 444455556666); carol is not a member, the roles have no such
		// statement.
		{"group gains delete", "group-delete.json", []string{
			"arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:user/bob"}},
		// (3) A new role reporter, absent before (no access there), can
		// read data's objects: every request it can make is new.
		{"new role", "new-role.json", []string{"arn:aws:iam::111122223333:role/reporter"}},
		// (4) Role app loses dynamodb:PutItem: its access shrinks.
		{"narrowed", "narrowed.json", nil},
		// (5) Role old is gone: losing access is not new access, and no one
		// else's policies changed (its trust policy is gone as a resource,
		// which allows nothing new).
		{"removed", "removed.json", nil},
		// (6) Only role app's trust policy changes: it now names user
		// carol, and in the same account a trust policy naming the caller
		// allows sts:AssumeRole without an identity policy; no one else is
		// named.
		{"trust names carol", "trust-grant.json", []string{"arn:aws:iam::111122223333:user/carol"}},
		// (7) carol (tag team=blue, the same on both sides) gains
		// s3:PutObject only when aws:PrincipalTag/team is red: the snapshot
		// lists every tag, so the condition never holds for her.
		{"tag condition not met", "tag-condition.json", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			after := loadSnap(t, tc.after)
			res, err := CheckNoNewAccessSnapshots(before, after)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want == nil {
				if res.Result != Pass || len(res.Principals) != 0 {
					t.Fatalf("got %s %v, want PASS", res.Result, principalsOf(res))
				}
				if tc.after == "unchanged.json" && res.Compared != 0 {
					t.Errorf("compared %d principals, want 0 (nothing changed)", res.Compared)
				}
				return
			}
			if res.Result != Fail {
				t.Fatalf("got %s, want FAIL", res.Result)
			}
			if got := principalsOf(res); !slices.Equal(got, tc.want) {
				t.Fatalf("principals %v, want %v", got, tc.want)
			}
			for _, p := range res.Principals {
				if p.Result.Result != Fail || len(p.Result.Counterexamples) == 0 {
					t.Fatalf("%s: %+v, want a FAIL with counterexamples", p.Principal, p.Result)
				}
				for _, ce := range p.Result.Counterexamples {
					verifySnapCE(t, before, after, p.Principal, ce)
				}
			}
			if tc.after == "group-delete.json" {
				for _, p := range res.Principals {
					found := false
					for _, ce := range p.Result.Counterexamples {
						found = found || ce.Action == "s3:DeleteObject"
					}
					if !found {
						t.Errorf("%s: no s3:DeleteObject counterexample in %+v", p.Principal, p.Result.Counterexamples)
					}
				}
			}
		})
	}
}

// TestCheckNoNewAccessSnapshotsReverse: the changes undone are losses only.
func TestCheckNoNewAccessSnapshotsReverse(t *testing.T) {
	after := loadSnap(t, "before.json")
	for _, name := range []string{"group-delete.json", "new-role.json"} {
		res, err := CheckNoNewAccessSnapshots(loadSnap(t, name), after)
		if err != nil {
			t.Fatal(err)
		}
		if res.Result != Pass {
			t.Errorf("%s undone: got %s for %+v, want PASS", name, res.Result, res.Principals)
		}
	}
}

// TestCheckNoNewAccessSnapshotsUndecided: a limit hit is an error naming
// the principal, never a PASS.
func TestCheckNoNewAccessSnapshotsUndecided(t *testing.T) {
	before := loadSnap(t, "before.json")
	after := loadSnap(t, "narrowed.json")
	_, err := CheckNoNewAccessSnapshots(before, after, WithMaxEvaluations(1))
	if !errors.Is(err, ErrTooComplex) {
		t.Fatalf("err %v, want ErrTooComplex", err)
	}
}

// TestCheckNoNewAccessSnapshotsTagsChanged: carol's tag turns red and a
// statement reading aws:PrincipalTag/team is added: one request cannot
// carry both sides' tags, so she is undecided, an error naming her, not a
// PASS.
func TestCheckNoNewAccessSnapshotsTagsChanged(t *testing.T) {
	_, err := CheckNoNewAccessSnapshots(loadSnap(t, "before.json"), loadSnap(t, "tag-changed.json"))
	if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "user/carol") {
		t.Fatalf("err %v, want ErrUnsupported naming carol", err)
	}
}
