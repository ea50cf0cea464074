package jsonpos

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	src := "{\"a\": [1, -2.5e3, true, null],\n \"a\": \"x\\u00e9\\ud83d\\ude00\\n\"}"
	n, err := Parse([]byte(src), 10)
	require.NoError(t, err)
	require.Equal(t, Object, n.Kind)
	require.Len(t, n.Members, 2, "duplicate keys are kept for the caller")
	arr := n.Members[0].Value
	require.Equal(t, Array, arr.Kind)
	require.Equal(t, "1", arr.Elems[0].Text)
	require.Equal(t, "-2.5e3", arr.Elems[1].Text)
	require.Equal(t, Bool, arr.Elems[2].Kind)
	require.Equal(t, Null, arr.Elems[3].Kind)
	require.Equal(t, "x\u00e9\U0001F600\n", n.Members[1].Value.Text)
	// The second key starts on line 2, column 2.
	l, c := NewLines([]byte(src)).Position(n.Members[1].KeyStart)
	require.Equal(t, [2]int{2, 2}, [2]int{l, c})
}

func TestSyntaxErrors(t *testing.T) {
	for _, tc := range []struct {
		src    string
		offset int
	}{
		{`{"a" 1}`, 5},
		{`{"a": 01}`, 7},
		{`{"a": [1,]}`, 9},
		{`{"a": "\x"}`, 7},
		{`{"a": tru}`, 6},
		{"\"a\nb\"", 2},
		{`{"a": 1} {}`, 9},
		{``, 0},
	} {
		_, err := Parse([]byte(tc.src), 10)
		se, ok := err.(*SyntaxError)
		require.True(t, ok, "%q: %v", tc.src, err)
		require.Equal(t, tc.offset, se.Offset, "%q: %v", tc.src, err)
	}
	_, err := Parse([]byte(strings.Repeat("[", 20)+strings.Repeat("]", 20)), 10)
	require.True(t, err.(*SyntaxError).TooDeep)
}
