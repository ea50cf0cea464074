package arn

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// vars is a Resolver over a map.
type vars map[string]string

func (v vars) Lookup(k string) (string, bool) { s, ok := v[k]; return s, ok }

type matchCase struct {
	value string
	want  bool
}

func checkMatches(t *testing.T, pattern string, opts []Option, r Resolver, cases []matchCase) {
	t.Helper()
	p, err := CompilePattern(pattern, opts...)
	require.NoError(t, err, pattern)
	for _, c := range cases {
		require.Equal(t, c.want, p.Match(c.value, r), "%q against %q", pattern, c.value)
	}
}

// TestResourceWildcards is the table of docs/semantics.md §5.2 (IUG
// reference_policies_elements_resource.md and its current page).
func TestResourceWildcards(t *testing.T) {
	const b = "arn:aws:s3:::DOC-EXAMPLE-BUCKET/"
	checkMatches(t, b+"*/test/*", nil, nil, []matchCase{
		{b + "1/test/object.jpg", true},
		{b + "1/2/test/3/object.jpg", true},
		{b + "1///test///object.jpg", true},
		{b + "/test/object.jpg", true},
		{b + "1/test/", true},
		{b + "1-test/object.jpg", false},
		{b + "test/object.jpg", false},
		{b + "1/2/test.jpg", false},
	})
	checkMatches(t, "arn:aws:lambda:us-east-1:111122223333:function:fn*", nil, nil, []matchCase{
		{"arn:aws:lambda:us-east-1:111122223333:function:fn:PROD", true},
		{"arn:aws:lambda:us-east-1:111122223333:function:fn", true},
		{"arn:aws:lambda:us-east-1:111122223333:function:other", false},
	})
	checkMatches(t, "arn:aws:ec2:us-east-1:*", nil, nil, []matchCase{
		{"arn:aws:ec2:us-east-1:111122223333:instance/i-1", true},
		{"arn:aws:ec2:us-west-2:111122223333:instance/i-1", false},
	})
	// A '*' not ending a segment stays inside it.
	checkMatches(t, "arn:aws:lambda:us-east-1:111122223333:function:f*n", nil, nil, []matchCase{
		{"arn:aws:lambda:us-east-1:111122223333:function:fn", true},
		{"arn:aws:lambda:us-east-1:111122223333:function:f:x:n", false},
	})
	// A '*' before ':' crosses colons.
	checkMatches(t, "arn:aws:sns:*:111122223333:topic", nil, nil, []matchCase{
		{"arn:aws:sns:us-east-1:111122223333:topic", true},
		{"arn:aws:sns::111122223333:topic", true},
	})
	// '?' is one character other than ':'.
	checkMatches(t, "arn:aws:s3:::b/k?", nil, nil, []matchCase{{"arn:aws:s3:::b/k1", true}, {"arn:aws:s3:::b/k", false}, {"arn:aws:s3:::b/k12", false}})
	checkMatches(t, "arn:aws:s3:::b/a?b", nil, nil, []matchCase{{"arn:aws:s3:::b/a:b", false}})
	// Case-sensitive, and every other glob character is literal.
	checkMatches(t, "arn:aws:s3:::Bkt/*", nil, nil, []matchCase{{"arn:aws:s3:::bkt/x", false}, {"arn:aws:s3:::Bkt/x", true}})
	checkMatches(t, "arn:aws:s3:::b/[ab]{c,d}\\!", nil, nil, []matchCase{
		{"arn:aws:s3:::b/[ab]{c,d}\\!", true},
		{"arn:aws:s3:::b/ac!", false},
	})
	// "*" alone matches everything, including "*".
	checkMatches(t, "*", nil, nil, []matchCase{{"*", true}, {"arn:aws:s3:::b", true}, {"", true}})
}

func TestCompileErrors(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		opts    []Option
		offset  int
	}{
		{"bucket", nil, 0},
		{"arn:aws:s3::b", nil, 13},
		{"arn:aws:s*:::b", nil, 9},
		{"arn:aws:s3:::b/${aws:username", nil, 15},
		{"arn:aws:s3:${aws:username}::b", nil, 11},
		{"arn:aws:s3:::b/${aws:username, default}", nil, 15},
		{"${}", []Option{WithMode(GlobMode)}, 0},
	} {
		_, err := CompilePattern(tc.pattern, tc.opts...)
		var e *Error
		require.ErrorAs(t, err, &e, tc.pattern)
		require.Equal(t, tc.offset, e.Offset, tc.pattern)
	}
	// Without variables, "${" is ordinary text.
	_, err := CompilePattern("arn:aws:s3:::b/${aws:username", WithoutVariables())
	require.NoError(t, err)
}

func TestModes(t *testing.T) {
	glob := []Option{WithMode(GlobMode)}
	checkMatches(t, "iam:*accesskey*", glob, nil, []matchCase{{"iam:updateaccesskey", true}, {"iam:listusers", false}})
	checkMatches(t, "s3:get?bject", glob, nil, []matchCase{{"s3:getobject", true}, {"s3:getobjectacl", false}})
	checkMatches(t, "a*b", glob, nil, []matchCase{{"a:x/y:b", true}, {"ab", true}, {"a", false}})
	checkMatches(t, "[x]", glob, nil, []matchCase{{"[x]", true}, {"x", false}})

	// ArnLike (docs/semantics.md §10 row 66): each of the six parts is matched on its own.
	const sourceArn = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"
	checkMatches(t, "arn:aws:someservice:*:111122223333:finance/*", []Option{WithMode(ARNMode)}, nil, []matchCase{
		{sourceArn, false},
		{"arn:aws:someservice:us-east-2:111122223333:finance/document.txt", true},
		{"arn:aws:someservice:us-east-2:111122223333:finance/a:b", true},
		{"not-an-arn", false},
	})
	checkMatches(t, "arn:aws:someservice:*:111122223333:finance/*", glob, nil, []matchCase{{sourceArn, true}})
	checkMatches(t, "*", []Option{WithMode(ARNMode)}, nil, []matchCase{{"anything", true}})
	checkMatches(t, "arn:aws:sns", []Option{WithMode(ARNMode)}, nil, []matchCase{{"arn:aws:sns", false}})

	lit := []Option{WithMode(LiteralMode)}
	checkMatches(t, "a*b", lit, nil, []matchCase{{"a*b", true}, {"axb", false}})
}

func TestVariables(t *testing.T) {
	alice := vars{"aws:username": "alice", "aws:PrincipalTag/team": "blue"}
	checkMatches(t, "arn:aws:s3:::b/${aws:username}/*", nil, alice, []matchCase{
		{"arn:aws:s3:::b/alice/x", true}, {"arn:aws:s3:::b/bob/x", false},
	})
	// An unresolved variable without a default matches nothing.
	checkMatches(t, "arn:aws:s3:::b/${aws:username}/*", nil, vars{}, []matchCase{{"arn:aws:s3:::b//x", false}, {"arn:aws:s3:::b/${aws:username}/x", false}})
	checkMatches(t, "arn:aws:s3:::b/${aws:username}/*", nil, nil, []matchCase{{"arn:aws:s3:::b//x", false}})
	// Defaults.
	def := "arn:aws:s3:::bkt-${aws:PrincipalTag/team, 'company-wide'}/*"
	checkMatches(t, def, nil, vars{}, []matchCase{{"arn:aws:s3:::bkt-company-wide/k", true}})
	checkMatches(t, def, nil, alice, []matchCase{{"arn:aws:s3:::bkt-blue/k", true}, {"arn:aws:s3:::bkt-company-wide/k", false}})
	// Specials are literal.
	checkMatches(t, "arn:aws:s3:::bkt/a${*}b${?}c${$}", nil, nil, []matchCase{{"arn:aws:s3:::bkt/a*b?c$", true}, {"arn:aws:s3:::bkt/axbycz", false}})
	// Substituted text is literal: a '*' in a tag value is not a wildcard.
	checkMatches(t, "arn:aws:s3:::b/${aws:PrincipalTag/team}", nil, vars{"aws:PrincipalTag/team": "*"}, []matchCase{
		{"arn:aws:s3:::b/*", true}, {"arn:aws:s3:::b/blue", false},
	})
	// Without variables the text is literal.
	checkMatches(t, "arn:aws:s3:::b/${aws:username}", []Option{WithoutVariables()}, alice, []matchCase{
		{"arn:aws:s3:::b/${aws:username}", true}, {"arn:aws:s3:::b/alice", false},
	})
	// Variables in the other modes.
	checkMatches(t, "home/${aws:username}/*", []Option{WithMode(GlobMode)}, alice, []matchCase{{"home/alice/x", true}, {"home/bob/x", false}})
	checkMatches(t, "arn:aws:iam::*:role/${aws:PrincipalTag/team}-*", []Option{WithMode(ARNMode)}, alice, []matchCase{
		{"arn:aws:iam::111122223333:role/blue-admin", true}, {"arn:aws:iam::111122223333:role/red-admin", false},
	})
	// A substituted value holding ':' does not add ARN parts.
	checkMatches(t, "arn:aws:iam::111122223333:${aws:x}", []Option{WithMode(ARNMode)}, vars{"aws:x": "a:b"}, []matchCase{
		{"arn:aws:iam::111122223333:a:b", true},
	})
	p := MustCompilePattern("${aws:username}-${aws:PrincipalTag/team, 'x'}", WithMode(LiteralMode))
	require.True(t, p.HasVariables())
	require.Equal(t, []string{"aws:username", "aws:PrincipalTag/team"}, p.Variables())
	s, ok := p.Expand(alice)
	require.True(t, ok)
	require.Equal(t, "alice-blue", s)
	_, ok = p.Expand(nil)
	require.False(t, ok)
	require.True(t, p.Match("alice-blue", alice))
}

func TestZeroPattern(t *testing.T) {
	var p Pattern
	require.False(t, p.Match("", nil))
	require.False(t, p.Match("anything", nil))
	require.Equal(t, ResourceMode, p.Mode())
}

// TestManyStars checks that pathological patterns stay fast: matching must
// not be exponential in the number of stars (a 10,000-star pattern against a
// long non-matching string finishes at once).
func TestManyStars(t *testing.T) {
	pat := strings.Repeat("*a", 10000) + "*b*"
	p := MustCompilePattern(pat, WithMode(GlobMode))
	require.False(t, p.Match(strings.Repeat("a", 100000), nil))
	r := MustCompilePattern("arn:aws:s3:::"+strings.Repeat("*a", 5000)+"*c", nil...)
	require.False(t, r.Match("arn:aws:s3:::"+strings.Repeat("a", 50000), nil))
}

// TestVariablesAnywhere covers WithVariablesAnywhere, which AWS managed
// policies need: AmazonTimestreamInfluxDBServiceRolePolicy has Resource
// arn:*:kms:*:${aws:PrincipalAccount}:key/*. AWS substitutes the variable
// first, then cuts the ARN into parts (docs/semantics.md §4.4; IUG
// reference_policies_variables.md), so the value fills the account part.
func TestVariablesAnywhere(t *testing.T) {
	const kms = "arn:*:kms:*:${aws:PrincipalAccount}:key/*"
	_, err := CompilePattern(kms)
	var e *Error
	require.ErrorAs(t, err, &e, "a customer's pattern keeps the fifth-colon rule")
	require.Equal(t, strings.Index(kms, "${"), e.Offset)
	require.Contains(t, e.Message, "customers write")
	anywhere := []Option{WithVariablesAnywhere()}
	acct := vars{"aws:PrincipalAccount": "111122223333"}
	checkMatches(t, kms, anywhere, acct, []matchCase{
		{"arn:aws:kms:us-east-1:111122223333:key/abc", true},
		{"arn:aws-cn:kms:cn-north-1:111122223333:key/abc", true},
		{"arn:aws:kms:us-east-1:444455556666:key/abc", false},
		{"arn:aws:kms:us-east-1:111122223333:alias/abc", false},
		{"arn:aws:s3:us-east-1:111122223333:key/abc", false},
	})
	// Unresolved, the variable matches nothing (docs/semantics.md §7).
	checkMatches(t, kms, anywhere, vars{}, []matchCase{{"arn:aws:kms:us-east-1:111122223333:key/abc", false}})
	// The value is literal text, cut at its colons like the pattern's own
	// text: it may supply parts, and its '*' is no wildcard.
	checkMatches(t, "arn:aws:${aws:x}:key/*", anywhere, vars{"aws:x": "kms:us-east-1:111122223333"}, []matchCase{
		{"arn:aws:kms:us-east-1:111122223333:key/abc", true},
		{"arn:aws:kms:us-east-1:444455556666:key/abc", false},
	})
	checkMatches(t, "arn:aws:kms:${aws:x}:1:key/k", anywhere, vars{"aws:x": "*"}, []matchCase{
		{"arn:aws:kms:*:1:key/k", true}, {"arn:aws:kms:us-east-1:1:key/k", false},
	})
	// Colons inside "${...}" are not the ARN's: the pattern's own text needs
	// five, and a variable in the service part is not a wildcard there.
	for _, bad := range []string{"arn:aws:kms:${aws:a}:key/k", "arn:aws:${aws:b}:x"} {
		_, err := CompilePattern(bad, anywhere...)
		require.ErrorAs(t, err, &e, bad)
		require.Equal(t, len(bad), e.Offset, bad)
		require.Contains(t, e.Message, "colons", bad)
	}
	_, err = CompilePattern("arn:aws:${x}k?s:r:a:k", anywhere...)
	require.ErrorAs(t, err, &e)
	require.Equal(t, strings.Index("arn:aws:${x}k?s:r:a:k", "?"), e.Offset)
	require.NoError(t, CheckPattern("arn:aws:${aws:y, '*'}:r:a:k", anywhere...))
	// Without variables, "${...}" is text whose colons count.
	require.NoError(t, CheckPattern("arn:aws:kms:${aws:a}:key/k", append(anywhere, WithoutVariables())...))
}
