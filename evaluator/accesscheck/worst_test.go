package accesscheck

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestWorstCaseBounded feeds the checker policies built to blow up its
// classes: it must answer or fail with ErrTooComplex, quickly, never hang.
func TestWorstCaseBounded(t *testing.T) {
	var stmts []string
	for i := range 40 {
		stmts = append(stmts, fmt.Sprintf(`{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b%d*x*y%d*z?/*a*%d"}`, i, i, i))
	}
	var conds []string
	for i := range 12 {
		conds = append(conds, fmt.Sprintf(`"x:k%d":["a%d*","*b%d","c?%d"]`, i, i, i, i))
	}
	stmts = append(stmts, `{"Effect":"Allow","Action":"sqs:*","Resource":"*","Condition":{"StringLike":{`+strings.Join(conds, ",")+`}}}`)
	p := mustParse(t, doc(stmts...))
	q := mustParse(t, doc(stmts[1:]...))
	start := time.Now()
	_, err := CheckNoNewAccess(q, p, IdentityPolicy)
	if err != nil && !errors.Is(err, ErrTooComplex) {
		t.Fatalf("got %v, want a result or ErrTooComplex", err)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Fatalf("took %v", d)
	}
	t.Logf("took %v: %v", time.Since(start), err)
}

func TestTimeout(t *testing.T) {
	p := mustParse(t, doc(`{"Effect":"Allow","Action":"*","Resource":"*"}`))
	_, err := CheckNoNewAccess(p, p, IdentityPolicy, WithTimeout(-time.Second))
	if !errors.Is(err, ErrTooComplex) || !strings.Contains(err.Error(), "time limit") {
		t.Fatalf("got %v, want the time limit", err)
	}
}
