package policy

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestEveryCode shows, for each error code, one document that produces it,
// so that no code is dead and none changes meaning unnoticed. Validate codes
// name the kind they are checked for.
func TestEveryCode(t *testing.T) {
	ok := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`
	tests := []struct {
		code Code
		src  string
		kind Kind
		opts []ParseOption
	}{
		{CodeInvalidJSON, `{"Statement":`, 0, nil},
		{CodeTooLarge, ok, 0, []ParseOption{WithMaxSize(10)}},
		{CodeTooDeep, `{"Statement":[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]}`, 0, nil},
		{CodeInvalidCharacter, "{\"Statement\":\x01}", 0, nil},
		{CodeDuplicateKey, `{"Statement":{"Effect":"Allow","Action":"*","Action":"*","Resource":"*"}}`, 0, nil},
		{CodeUnknownElement, `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Principals":"*"}}`, 0, nil},
		{CodeElementCase, `{"Statement":{"effect":"Allow","Action":"*","Resource":"*"}}`, 0, nil},
		{CodeInvalidType, `{"Statement":"Allow"}`, 0, nil},
		{CodeMissingElement, `{"Version":"2012-10-17"}`, 0, nil},
		{CodeConflict, `{"Statement":{"Effect":"Allow","Action":"*","NotAction":"*","Resource":"*"}}`, 0, nil},
		{CodeEmptyValue, `{"Statement":{"Effect":"Allow","Action":"*","Resource":[]}}`, 0, nil},
		{CodeInvalidVersion, `{"Version":"2012-10-17 ","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, 0, nil},
		{CodeInvalidEffect, `{"Statement":{"Effect":"Alow","Action":"*","Resource":"*"}}`, 0, nil},
		{CodeInvalidSid, `{"Statement":{"Sid":"a-b","Effect":"Allow","Action":"*","Resource":"*"}}`, Identity, nil},
		{CodeDuplicateSid, `{"Statement":[{"Sid":"a","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"a","Effect":"Allow","Action":"*","Resource":"*"}]}`, 0, nil},
		{CodeInvalidAction, `{"Statement":{"Effect":"Allow","Action":"GetObject","Resource":"*"}}`, 0, nil},
		{CodeInvalidResource, `{"Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3*:::b"}}`, 0, nil},
		{CodeInvalidPrincipal, `{"Statement":{"Effect":"Allow","Principal":{"AWS":"alice"},"Action":"*"}}`, 0, nil},
		{CodeUnknownOperator, `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddressIfExist":{"k":"10.0.0.1"}}}}`, 0, nil},
		{CodeInvalidCondValue, `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"k":"1e3"}}}}`, 0, nil},
		{CodeInvalidVariable, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":"${aws:username, default}"}}}}`, 0, nil},
		{CodeElementNotAllowed, `{"Version":"2012-10-17","Id":"x","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`, Session, nil},
		{CodeNotPrincipalAllow, `{"Statement":{"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"*"}}`, Resource, nil},
		{CodeQuotaExceeded, `{"Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::` + repeat("x", 2100) + `"}}`, Session, nil},
	}
	seen := map[Code]bool{}
	for _, tc := range tests {
		t.Run(string(tc.code), func(t *testing.T) {
			p, err := Parse([]byte(tc.src), tc.opts...)
			if err == nil {
				err = Validate(p, tc.kind)
			}
			require.ErrorIs(t, err, tc.code, "%v", err)
		})
		seen[tc.code] = true
	}
	// CodeUnsupported is reserved for valid IAM the evaluator cannot use; no
	// document produces it today.
	for _, c := range allCodes {
		if c != CodeUnsupported {
			require.True(t, seen[c], "no test produces %s", c)
		}
	}
}

func repeat(s string, n int) string {
	out := make([]byte, 0, len(s)*n)
	for range n {
		out = append(out, s...)
	}
	return string(out)
}
