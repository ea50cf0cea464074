package arn

import (
	"bufio"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

func readList(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		out = append(out, line)
	}
	require.NoError(t, sc.Err())
	require.NotEmpty(t, out)
	return out
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want ARN
	}{
		{"arn:aws:s3:::b/k", ARN{Partition: "aws", Service: "s3", Resource: "b/k"}},
		{"arn:aws:lambda:us-east-1:111122223333:function:fn:PROD", ARN{"aws", "lambda", "us-east-1", "111122223333", "function:fn:PROD"}},
		{"arn:aws:iam::111122223333:user/a/b", ARN{"aws", "iam", "", "111122223333", "user/a/b"}},
	}
	for _, tc := range tests {
		got, err := Parse(tc.in)
		require.NoError(t, err, tc.in)
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("Parse(%q) (-want +got):\n%s", tc.in, d)
		}
		require.Equal(t, tc.in, got.String())
	}
	_, err := Parse("arn:aws:s3")
	var e *Error
	require.True(t, errors.As(err, &e))
	require.Equal(t, 10, e.Offset)
	require.EqualError(t, err, `arn: has 2 of the 5 colons an ARN needs at offset 10 in "arn:aws:s3"`)
}

func TestAcceptedLists(t *testing.T) {
	for _, s := range readList(t, "testdata/valid.txt") {
		a, err := Parse(s)
		require.NoError(t, err, s)
		require.Equal(t, s, a.String())
	}
	for _, s := range readList(t, "testdata/invalid.txt") {
		_, err := Parse(s)
		var e *Error
		require.True(t, errors.As(err, &e), "%q must be rejected", s)
	}
}
