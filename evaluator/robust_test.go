package evaluator_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/evaltest"
	"github.com/iamsim/iamsim/policy"
)

// bounded runs f and fails the test if it has not returned within limit:
// a hang is a defect, whatever the answer. The limit is generous; speed is
// measured by the benchmarks, not here.
func bounded(t *testing.T, limit time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(limit):
		t.Fatalf("did not finish within %v", limit)
	}
}

func requireCode(t *testing.T, err error, code policy.Code) {
	t.Helper()
	require.Error(t, err)
	require.True(t, errors.Is(err, code), "want %s, got %v", code, err)
}

func TestHostileDocuments(t *testing.T) {
	t.Run("10 MB document is too large by default", func(t *testing.T) {
		doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"` + strings.Repeat("a", 10<<20) + `"}]}`
		bounded(t, 30*time.Second, func() {
			_, err := policy.Parse([]byte(doc))
			requireCode(t, err, policy.CodeTooLarge)
		})
	})
	t.Run("JSON nested 10,000 deep", func(t *testing.T) {
		doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":` +
			strings.Repeat(`{"a":`, 10000) + `1` + strings.Repeat(`}`, 10000) + `}]}`
		bounded(t, 30*time.Second, func() {
			_, err := policy.Parse([]byte(doc))
			requireCode(t, err, policy.CodeTooDeep)
		})
		bounded(t, 30*time.Second, func() {
			_, err := policy.Parse([]byte(strings.Repeat("[", 10000) + strings.Repeat("]", 10000)))
			require.Error(t, err)
		})
	})
	t.Run("invalid UTF-8 and NUL bytes", func(t *testing.T) {
		for _, bad := range []string{"\xff\xfe", "a\x00b"} {
			doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/` + bad + `"}]}`
			_, err := policy.Parse([]byte(doc))
			requireCode(t, err, policy.CodeInvalidCharacter)
		}
		_, err := policy.Parse([]byte("\x00"))
		require.Error(t, err)
	})
}

// TestHugePolicies evaluates policy sets far beyond AWS's quotas (managed
// inputs skip the quota): 100,000 statements, a 100,000-value condition
// list, and 10,000-star patterns against long non-matching values. Each
// gives the right answer, in bounded time.
func TestHugePolicies(t *testing.T) {
	alice := "arn:aws:iam::111122223333:user/alice"
	compile := func(t *testing.T, src string) *evaluator.Engine {
		t.Helper()
		p, err := policy.Parse([]byte(src), policy.WithMaxSize(64<<20))
		require.NoError(t, err)
		eng, err := evaluator.Compile(evaluator.PolicySet{Identity: []evaluator.Input{{ID: "huge", Policy: p, Managed: true}}})
		require.NoError(t, err)
		return eng
	}
	t.Run("100,000 statements", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(`{"Version":"2012-10-17","Statement":[`)
		for i := 0; i < 100000; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket-%d/*"}`, i)
		}
		b.WriteString(`]}`)
		bounded(t, 60*time.Second, func() {
			eng := compile(t, b.String())
			// Only the last statement names bucket-99999 (docs/semantics.md §5.2).
			require.Equal(t, evaluator.Allowed, eng.Evaluate(evaluator.Request{Principal: alice, Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket-99999/k"}).Decision)
			require.Equal(t, evaluator.ImplicitDeny, eng.Evaluate(evaluator.Request{Principal: alice, Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket-100000/k"}).Decision)
		})
	})
	t.Run("a condition with 100,000 values", func(t *testing.T) {
		vals := make([]string, 100000)
		for i := range vals {
			vals[i] = fmt.Sprintf(`"vpce-%d"`, i)
		}
		src := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":[` + strings.Join(vals, ",") + `]}}}]}`
		bounded(t, 60*time.Second, func() {
			eng := compile(t, src)
			// A single-valued key matches when it equals any of the values (docs/semantics.md §6.1).
			req := evaluator.Request{Principal: alice, Action: "s3:GetObject", Resource: "*", Context: evaluator.Context{"aws:SourceVpce": evaluator.Single("vpce-99999")}}
			require.Equal(t, evaluator.Allowed, eng.Evaluate(req).Decision)
			req.Context = evaluator.Context{"aws:SourceVpce": evaluator.Single("vpce-100000")}
			require.Equal(t, evaluator.ImplicitDeny, eng.Evaluate(req).Decision)
		})
	})
	t.Run("10,000 stars in Action, Resource and StringLike", func(t *testing.T) {
		stars := strings.Repeat("*a", 10000) + "*b"
		src := `{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":"s3:` + stars + `","Resource":"*"},
			{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::` + stars + `"},
			{"Effect":"Allow","Action":"s3:PutObject","Resource":"*","Condition":{"StringLike":{"s3:prefix":"` + stars + `"}}}]}`
		long := strings.Repeat("a", 100000) + "c"
		bounded(t, 60*time.Second, func() {
			eng := compile(t, src)
			// None of the patterns matches a value without a final b.
			require.Equal(t, evaluator.ImplicitDeny, eng.Evaluate(evaluator.Request{Principal: alice, Action: "s3:" + long, Resource: "*"}).Decision)
			require.Equal(t, evaluator.ImplicitDeny, eng.Evaluate(evaluator.Request{Principal: alice, Action: "s3:GetObject", Resource: "arn:aws:s3:::" + long}).Decision)
			require.Equal(t, evaluator.ImplicitDeny, eng.Evaluate(evaluator.Request{Principal: alice, Action: "s3:PutObject", Resource: "*",
				Context: evaluator.Context{"s3:prefix": evaluator.Single(long)}}).Decision)
			// And each matches a value that ends in b after enough a's.
			match := strings.Repeat("a", 10001) + "b"
			require.Equal(t, evaluator.Allowed, eng.Evaluate(evaluator.Request{Principal: alice, Action: "s3:GetObject", Resource: "arn:aws:s3:::" + match}).Decision)
		})
	})
	t.Run("a chunk of 500 segments against 50,000 colons", func(t *testing.T) {
		// The '*' before the first ':' may cross colons, so the 500 '?'
		// segments and the final "c*" are tried at every ':' of the value:
		// the matcher's worst shape, quadratic but never exponential.
		src := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::*:` + strings.Repeat("?:", 500) + `c*"}]}`
		bounded(t, 60*time.Second, func() {
			eng := compile(t, src)
			// No segment of the value is "c...": no placement fits.
			require.Equal(t, evaluator.ImplicitDeny, eng.Evaluate(evaluator.Request{Principal: alice, Action: "s3:GetObject",
				Resource: "arn:aws:s3:::" + strings.Repeat("a:", 50000) + "x"}).Decision)
			// 500 one-character segments and then "c" fit the end of this one.
			require.Equal(t, evaluator.Allowed, eng.Evaluate(evaluator.Request{Principal: alice, Action: "s3:GetObject",
				Resource: "arn:aws:s3:::" + strings.Repeat("a:", 50000) + "cd"}).Decision)
			// One segment short: 499 before the "c".
			require.Equal(t, evaluator.ImplicitDeny, eng.Evaluate(evaluator.Request{Principal: alice, Action: "s3:GetObject",
				Resource: "arn:aws:s3:::x:" + strings.Repeat("a:", 499) + "c"}).Decision)
		})
	})
}

// TestHostileCaseFiles feeds case files built to explode: YAML aliases
// that double 26 times, and merges of merges. They fail with an error,
// quickly.
func TestHostileCaseFiles(t *testing.T) {
	var b strings.Builder
	b.WriteString("cases:\n  - name: bomb\n    principal: arn:aws:iam::111111111111:user/alice\n    action: s3:GetObject\n    expect: allowed\n")
	b.WriteString("    identityPolicies:\n      - Version: \"2012-10-17\"\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n")
	b.WriteString("            Resource: &a0 [\"arn:aws:s3:::x\"]\n            Condition:\n              StringEquals:\n")
	for i := 1; i <= 26; i++ {
		fmt.Fprintf(&b, "                k%d: &a%d [*a%d, *a%d]\n", i, i, i-1, i-1)
	}
	bounded(t, 30*time.Second, func() {
		_, err := evaltest.Load("bomb.yaml", []byte(b.String()))
		require.ErrorContains(t, err, "YAML aliases expanding too far")
	})

	// A chain of 30 cases, each merging the previous one twice.
	bounded(t, 30*time.Second, func() {
		doc := "cases:\n" +
			"  - &c0 {name: a, principal: \"arn:aws:iam::111111111111:user/alice\", action: s3:GetObject, expect: implicitDeny}\n"
		for i := 1; i <= 30; i++ {
			doc += fmt.Sprintf("  - &c%d {<<: [*c%d, *c%d], name: n%d}\n", i, i-1, i-1, i)
		}
		f, err := evaltest.Load("merges.yaml", []byte(doc))
		require.NoError(t, err)
		require.Len(t, f.Cases, 31)
	})
}
