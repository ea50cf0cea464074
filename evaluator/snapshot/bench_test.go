package snapshot_test

import (
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/evaluator/internal/genaccount"
	"github.com/iamsim/iamsim/evaluator/snapshot"
)

// benchQuery is a query many generated principals can make: reading an
// object of a bucket.
func benchQuery(cfg genaccount.Config) snapshot.Query {
	return snapshot.Query{Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket-1/home/user-3/doc.txt", ResourceAccount: cfg.Account}
}

// BenchmarkLoad3000 loads and compiles a generated account of 3,000
// principals (1,500 users, 1,500 roles).
func BenchmarkLoad3000(b *testing.B) {
	cfg := genConfig(b, 1500, 1500)
	acct := genaccount.Generate(cfg)
	b.ReportAllocs()
	defer b.ReportMetric(float64(len(acct.AuthorizationDetails))/1e6, "MB-input")
	for b.Loop() {
		s := snapshot.New()
		require.NoError(b, s.Load(acct.AuthorizationDetails, "gen.json"))
		require.NoError(b, s.LoadResourcePolicies(acct.ResourcePolicies, "rp.json"))
		require.NoError(b, s.Prepare())
		if n := len(s.Principals()); n != 3000 {
			b.Fatalf("%d principals, want 3000", n)
		}
	}
}

// BenchmarkWhoCan3000 answers one who-can query over the 3,000-principal
// account, checked against the reference (a fresh Compile per principal).
func BenchmarkWhoCan3000(b *testing.B) {
	cfg := genConfig(b, 1500, 1500)
	s, _ := loadGenerated(b, cfg)
	q := benchQuery(cfg)
	want := reference(b, s, q)
	require.NotEmpty(b, want)
	got, err := s.WhoCan(q)
	require.NoError(b, err)
	var in []snapshot.Answer
	for _, a := range got {
		if a.Kind == "user" || a.Kind == "role" {
			in = append(in, a)
		}
	}
	if d := cmp.Diff(want, in); d != "" {
		b.Fatalf("(-reference +who-can):\n%s", d)
	}
	b.ReportAllocs()
	for b.Loop() {
		again, err := s.WhoCan(q)
		if err != nil || len(again) != len(got) {
			b.Fatalf("%d answers (%v), want %d", len(again), err, len(got))
		}
	}
	b.ReportMetric(float64(len(got)), "answers")
}

// heap returns the live heap after a collection.
func heap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestScaleOrg50k loads a generated organization of 20 accounts and 50,000
// principals and answers a who-can query, reporting time and memory. It
// runs when IAMSIM_SCALE is set (it takes a while and 1-2 GB).
func TestScaleOrg50k(t *testing.T) {
	if os.Getenv("IAMSIM_SCALE") == "" {
		t.Skip("set IAMSIM_SCALE=1 to run the 50,000-principal organization")
	}
	const accounts, perAccount = 20, 2500
	m, err := awsManaged()
	require.NoError(t, err)
	var files [][]byte
	var rps [][]byte
	for i := range accounts {
		cfg := genaccount.Config{Account: fmt.Sprintf("1000000000%02d", i), Users: perAccount / 2, Roles: perAccount / 2,
			Groups: 60, CustomerPolicies: 800, Buckets: 0, Seed: uint64(100 + i), AWSManaged: m, AWSManagedCount: 25,
			URLEncodedPercent: 30, UserPrefix: fmt.Sprintf("a%d-", i), RolePrefix: fmt.Sprintf("a%d-", i)}
		a := genaccount.Generate(cfg)
		files = append(files, a.AuthorizationDetails)
		if i == 0 {
			cfg.Buckets = 8
			rps = append(rps, genaccount.Generate(cfg).ResourcePolicies)
		}
	}
	org := []byte(`{"managementAccount":"999999999999","accounts":{`)
	for i := range accounts {
		if i > 0 {
			org = append(org, ',')
		}
		org = append(org, fmt.Sprintf(`"1000000000%02d":{"path":["r-abcd","ou-abcd-%08d"]}`, i, i%4)...)
	}
	org = append(org, `},"scps":{"r-abcd":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}]`...)
	for i := range 4 {
		org = append(org, fmt.Sprintf(`,"ou-abcd-%08d":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}]`, i)...)
	}
	for i := range accounts {
		org = append(org, fmt.Sprintf(`,"1000000000%02d":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}]`, i)...)
	}
	org = append(org, `}}`...)

	before := heap()
	start := time.Now()
	s := snapshot.New()
	for i, f := range files {
		require.NoError(t, s.Load(f, fmt.Sprintf("account-%d.json", i)))
	}
	require.NoError(t, s.LoadResourcePolicies(rps[0], "rp.json"))
	require.NoError(t, s.LoadOrg(org, "org.json"))
	require.NoError(t, s.Prepare())
	load := time.Since(start)
	files, rps = nil, nil
	after := heap()
	n := len(s.Principals())
	require.Equal(t, accounts*perAccount, n)

	q := snapshot.Query{Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket-1/home/a0-user-3/doc.txt", ResourceAccount: "100000000000"}
	got, err := s.WhoCan(q) // warm
	require.NoError(t, err)
	const rounds = 5
	start = time.Now()
	for range rounds {
		got2, err := s.WhoCan(q)
		require.NoError(t, err)
		require.Equal(t, len(got), len(got2))
	}
	per := time.Since(start) / rounds
	// Check the answers of one account's principals against the reference.
	var mine []snapshot.Answer
	for _, a := range got {
		if a.Kind == "user" || a.Kind == "role" {
			mine = append(mine, a)
		}
	}
	require.NotEmpty(t, mine)
	// The worst case: a resource of no account ("*"), so every principal
	// that can reach the service is evaluated in its own account.
	wide := snapshot.Query{Action: "ec2:DescribeInstances", Resource: "*"}
	wideGot, err := s.WhoCan(wide)
	require.NoError(t, err)
	start = time.Now()
	for range rounds {
		_, err := s.WhoCan(wide)
		require.NoError(t, err)
	}
	widePer := time.Since(start) / rounds
	require.Greater(t, len(wideGot), 1000)
	t.Logf("50k org: who-can %s on * over every account: %v (%d answers)", wide.Action, widePer.Round(time.Microsecond), len(wideGot))
	var peak runtime.MemStats
	runtime.ReadMemStats(&peak)
	t.Logf("50k org: %d principals, load+compile %v, live heap %.0f MB (%.1f KB/principal), Sys %.0f MB; who-can %v (%d answers)",
		n, load.Round(time.Millisecond), float64(after-before)/1e6, float64(after-before)/float64(n)/1e3, float64(peak.Sys)/1e6, per.Round(time.Microsecond), len(got))
	require.Less(t, after-before, uint64(2<<30))
}
