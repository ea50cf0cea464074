package snapshot_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/arn"
	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/internal/genaccount"
	"github.com/iamsim/iamsim/evaluator/snapshot"
	"github.com/iamsim/iamsim/policy"
)

const managedPath = "../../policy/awsmanaged/aws-managed-policies.json.gz"

var awsManaged = sync.OnceValues(func() (map[string]genaccount.Managed, error) {
	return genaccount.LoadAWSManaged(managedPath)
})

func genConfig(t testing.TB, users, roles int) genaccount.Config {
	m, err := awsManaged()
	require.NoError(t, err)
	return genaccount.Config{Account: "111122223333", Users: users, Roles: roles, Groups: max(users/20, 2),
		CustomerPolicies: max((users+roles)/3, 5), Buckets: 8, Seed: 7, AWSManaged: m, AWSManagedCount: 25,
		URLEncodedPercent: 30, ExternalAccount: "444455556666"}
}

func loadGenerated(t testing.TB, cfg genaccount.Config) (*snapshot.Snapshot, genaccount.Account) {
	acct := genaccount.Generate(cfg)
	s := snapshot.New()
	require.NoError(t, s.Load(acct.AuthorizationDetails, "generated.json"))
	require.NoError(t, s.LoadResourcePolicies(acct.ResourcePolicies, "generated-rp.json"))
	require.NoError(t, s.Prepare())
	return s, acct
}

func contextOf(m map[string]string) evaluator.Context {
	if m == nil {
		return nil
	}
	c := evaluator.Context{}
	for k, v := range m {
		c[k] = evaluator.Single(v)
	}
	return c
}

// reference answers a query the slow way: every principal, a fresh
// Compile of its whole policy set (the resource's policy found here, not by
// the snapshot), evaluated with the plain engine under both bounds.
func reference(t testing.TB, s *snapshot.Snapshot, q snapshot.Query) []snapshot.Answer {
	t.Helper()
	var rp *evaluator.Input
	a, err := arn.Parse(q.Resource)
	require.NoError(t, err)
	switch {
	case a.Service == "iam" && strings.HasPrefix(q.Action, "sts:AssumeRole"):
		if p, ok := s.Principal(q.Resource); ok {
			rp = p.Trust
		}
	case a.Service == "s3":
		b, _, _ := strings.Cut(a.Resource, "/")
		rp, _ = s.ResourcePolicy("arn:aws:s3:::" + b)
		if bucketPolicies != nil {
			rp = bucketPolicies[b]
		}
	}
	var out []snapshot.Answer
	for _, p := range s.Principals() {
		set, err := s.PolicySet(p.ARN, "111122223333")
		require.NoError(t, err)
		set.Resource = rp
		eng, err := evaluator.Compile(set)
		require.NoError(t, err)
		principal, issuer := p.Caller("")
		ctx := evaluator.Context{}
		for k, v := range p.TagContext() {
			ctx[k] = v
		}
		for k, v := range q.Context {
			ctx[k] = v
		}
		req := evaluator.Request{Principal: principal, SessionIssuer: issuer, Action: q.Action, Resource: q.Resource, Context: ctx}
		pess := eng.Evaluate(req, evaluator.WithPrincipalTagsComplete(), evaluator.WithUnknownContext(evaluator.UnknownPessimistic))
		if pess.Decision == evaluator.Allowed {
			out = append(out, snapshot.Answer{Principal: p.ARN, Decision: snapshot.Allowed, Missing: []string{}, Kind: p.Type.String()})
			// Soundness: allowed must hold for concrete values of every key
			// the generator's policies use.
			for _, asg := range assignments {
				c := evaluator.Context{}
				for k, v := range asg {
					c[k] = evaluator.Single(v)
				}
				for k, v := range ctx {
					c[k] = v
				}
				r := eng.Evaluate(evaluator.Request{Principal: principal, SessionIssuer: issuer, Action: q.Action, Resource: q.Resource, Context: c})
				if r.Decision != evaluator.Allowed {
					t.Errorf("%s: %s reported allowed but denied with %v: %s", q.Action, p.ARN, asg, r.Decision)
				}
			}
			continue
		}
		opt := eng.Evaluate(req, evaluator.WithPrincipalTagsComplete(), evaluator.WithUnknownContext(evaluator.UnknownOptimistic))
		if opt.Decision == evaluator.Allowed {
			m := append(append([]string{}, opt.MissingContext...), pess.MissingContext...)
			out = append(out, snapshot.Answer{Principal: p.ARN, Decision: snapshot.Conditional, Missing: sortedSet(m), Kind: p.Type.String()})
		}
	}
	return out
}

// assignments are concrete values for the keys the generator uses.
var assignments = []map[string]string{
	{},
	{"aws:SourceVpc": "vpc-0", "aws:MultiFactorAuthPresent": "true", "aws:RequestedRegion": "us-east-1", "aws:SourceIp": "10.1.2.3", "aws:SecureTransport": "true", "aws:ResourceTag/team": "red"},
	{"aws:SourceVpc": "vpc-9", "aws:MultiFactorAuthPresent": "false", "aws:RequestedRegion": "ap-south-1", "aws:SourceIp": "192.0.2.1", "aws:SecureTransport": "false", "aws:ResourceTag/team": "nobody"},
	{"aws:MultiFactorAuthPresent": "false", "aws:SecureTransport": "true"},
}

var bucketPolicies map[string]*evaluator.Input

func sortedSet(s []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// TestWhoCanMatchesReference compares who-can with the reference over a
// generated account and a batch of queries: the same principals, the same
// decisions and missing keys.
func TestWhoCanMatchesReference(t *testing.T) {
	cfg := genConfig(t, 120, 80)
	s, acct := loadGenerated(t, cfg)
	// The bucket policies, for the reference, from their own load.
	rs := snapshot.New()
	require.NoError(t, rs.LoadResourcePolicies(acct.ResourcePolicies, "rp.json"))
	bucketPolicies = map[string]*evaluator.Input{}
	for _, b := range acct.Buckets {
		in, ok := rs.ResourcePolicy("arn:aws:s3:::" + b)
		require.True(t, ok, b)
		bucketPolicies[b] = in
	}
	allowed, conditional := 0, 0
	for i, gq := range genaccount.Queries(cfg, 60, 3) {
		q := snapshot.Query{Action: gq.Action, Resource: gq.Resource, Context: contextOf(gq.Context)}
		got, err := s.WhoCan(q)
		require.NoError(t, err)
		var inSnapshot []snapshot.Answer
		for _, a := range got {
			switch a.Kind {
			case "user", "role":
				inSnapshot = append(inSnapshot, a)
				if a.Decision == snapshot.Allowed {
					allowed++
				} else {
					conditional++
				}
			}
		}
		want := reference(t, s, q)
		require.Empty(t, cmp.Diff(want, inSnapshot), fmt.Sprintf("query %d %+v (-reference +who-can)", i, gq))
	}
	t.Logf("%d allowed, %d conditional answers", allowed, conditional)
	require.Greater(t, allowed, 20, "the batch should allow some")
	require.Greater(t, conditional, 20, "the batch should have conditional answers")
}

// TestWhoCanConcurrent asks queries from many goroutines at once (run
// with -race), each answer equal to the one asked alone.
func TestWhoCanConcurrent(t *testing.T) {
	cfg := genConfig(t, 60, 40)
	s, _ := loadGenerated(t, cfg)
	qs := genaccount.Queries(cfg, 16, 5)
	want := make([][]snapshot.Answer, len(qs))
	for i, gq := range qs {
		var err error
		want[i], err = s.WhoCan(snapshot.Query{Action: gq.Action, Resource: gq.Resource, Context: contextOf(gq.Context)})
		require.NoError(t, err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i, gq := range qs {
				got, err := s.WhoCan(snapshot.Query{Action: gq.Action, Resource: gq.Resource, Context: contextOf(gq.Context)})
				if err != nil || !cmp.Equal(want[i], got) {
					t.Errorf("query %d: concurrent answer differs (%v)", i, err)
				}
			}
		})
	}
	wg.Wait()
}

// TestWhoCanMatchesIndependent compares who-can with principals whose
// policy sets are read from the generated JSON without package snapshot,
// each compiled afresh and evaluated under both bounds: the same allowed
// and conditional principals.
func TestWhoCanMatchesIndependent(t *testing.T) {
	cfg := genConfig(t, 150, 100)
	s, acct := loadGenerated(t, cfg)
	people := readIndependent(t, acct.AuthorizationDetails)
	require.Len(t, people, 250)
	var rps map[string]any
	require.NoError(t, json.Unmarshal(acct.ResourcePolicies, &rps))
	bucket := map[string]*evaluator.Input{}
	for k, v := range rps {
		var src []byte
		if str, ok := v.(string); ok {
			dec, err := url.QueryUnescape(str)
			require.NoError(t, err)
			src = []byte(dec)
		} else {
			src, _ = json.Marshal(v)
		}
		p, err := policy.Parse(src)
		require.NoError(t, err)
		bucket[k] = &evaluator.Input{ID: k, Policy: p}
	}
	for i, gq := range genaccount.Queries(cfg, 50, 11) {
		q := snapshot.Query{Action: gq.Action, Resource: gq.Resource, Context: contextOf(gq.Context)}
		got, err := s.WhoCan(q)
		require.NoError(t, err)
		gotBy := map[string]snapshot.Answer{}
		for _, a := range got {
			if a.Kind == "user" || a.Kind == "role" {
				gotBy[a.Principal] = a
			}
		}
		want := map[string]snapshot.Answer{}
		for _, in := range people {
			set := in.set
			switch {
			case strings.HasPrefix(q.Action, "sts:AssumeRole") && strings.HasPrefix(q.Resource, "arn:aws:iam::"):
				for _, o := range people {
					if o.arn == q.Resource {
						set.Resource = o.trust
					}
				}
			case strings.HasPrefix(q.Resource, "arn:aws:s3:::"):
				b, _, _ := strings.Cut(strings.TrimPrefix(q.Resource, "arn:aws:s3:::"), "/")
				set.Resource = bucket["arn:aws:s3:::"+b]
			}
			eng, err := evaluator.Compile(set)
			require.NoError(t, err)
			ctx := evaluator.Context{}
			for k, v := range in.tags {
				ctx[k] = v
			}
			for k, v := range q.Context {
				ctx[k] = v
			}
			req := evaluator.Request{Principal: in.caller, SessionIssuer: in.issuer, Action: q.Action, Resource: q.Resource, Context: ctx}
			if eng.Evaluate(req, evaluator.WithPrincipalTagsComplete(), evaluator.WithUnknownContext(evaluator.UnknownPessimistic)).Decision == evaluator.Allowed {
				want[in.arn] = snapshot.Answer{Principal: in.arn, Decision: snapshot.Allowed}
			} else if eng.Evaluate(req, evaluator.WithPrincipalTagsComplete(), evaluator.WithUnknownContext(evaluator.UnknownOptimistic)).Decision == evaluator.Allowed {
				want[in.arn] = snapshot.Answer{Principal: in.arn, Decision: snapshot.Conditional}
			}
		}
		require.Equal(t, len(want), len(gotBy), "query %d %+v", i, gq)
		for arn, w := range want {
			require.Equal(t, w.Decision, gotBy[arn].Decision, "query %d %+v: %s", i, gq, arn)
		}
	}
}
