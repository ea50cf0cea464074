package policy

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/require"
)

// problem is what a test expects of one reported error.
type problem struct {
	Code Code
	Path string
	Line int
	Col  int
}

func problems(t *testing.T, err error) []problem {
	t.Helper()
	es := AsErrors(err)
	require.NotEmpty(t, es, "want errors, got %v", err)
	out := make([]problem, len(es))
	for i, e := range es {
		out[i] = problem{Code: e.Code, Path: e.Path, Line: e.Pos.Line, Col: e.Pos.Column}
	}
	return out
}

func TestParseValid(t *testing.T) {
	src := `{
  "Version": "2012-10-17",
  "Id": "doc1",
  "Statement": [
    {
      "Sid": "ReadBucket",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:List*"],
      "Resource": "arn:aws:s3:::bucket/${aws:username}/*",
      "Condition": {
        "NumericLessThanEquals": {"s3:max-keys": 10},
        "Bool": {"aws:SecureTransport": true},
        "ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["a*", "b?"]}
      }
    },
    {
      "Effect": "Deny",
      "Principal": "*",
      "NotAction": "iam:*",
      "NotResource": ["arn:aws:iam::111111111111:role/x"]
    }
  ]
}`
	p, err := Parse([]byte(src), WithSource("p.json"))
	require.NoError(t, err)
	want := &Policy{
		Version: "2012-10-17", ID: "doc1",
		Statements: []Statement{
			{
				Sid: "ReadBucket", Effect: Allow,
				Action:   []string{"s3:GetObject", "s3:List*"},
				Resource: []string{"arn:aws:s3:::bucket/${aws:username}/*"},
				Conditions: []Condition{
					{Operator: "NumericLessThanEquals", Key: "s3:max-keys", Values: []string{"10"}},
					{Operator: "Bool", Key: "aws:SecureTransport", Values: []string{"true"}},
					{Operator: "ForAnyValue:StringLikeIfExists", Key: "aws:TagKeys", Values: []string{"a*", "b?"}},
				},
			},
			{
				Effect: Deny, Principal: &Principals{Wildcard: true},
				NotAction: []string{"iam:*"}, NotResource: []string{"arn:aws:iam::111111111111:role/x"},
			},
		},
	}
	ignore := cmpopts.IgnoreTypes(Span{}, []Span{})
	if d := cmp.Diff(want, p, ignore); d != "" {
		t.Errorf("Parse (-want +got):\n%s", d)
	}
	// Positions: the first statement starts at line 5, column 5; the second
	// condition (its key) at line 12, column 18.
	require.Equal(t, Position{Source: "p.json", Line: 5, Column: 5, Offset: strings.Index(src, "{\n      \"Sid\"")}, p.Statements[0].Span.Start)
	require.Equal(t, 12, p.Statements[0].Conditions[1].Span.Start.Line)
	require.Equal(t, 18, p.Statements[0].Conditions[1].Span.Start.Column) // the key, after `"Bool": {`
	require.Equal(t, 15, p.Statements[0].Span.End.Line)
	require.Equal(t, "p.json:5:5", p.Statements[0].Span.Start.String())
	// Each Action and Resource value has its own span, starting at its
	// opening quote: "s3:List*" on line 8 after `      "Action": ["s3:GetObject", `.
	require.Len(t, p.Statements[0].ActionSpans, 2)
	require.Equal(t, "p.json:8:34", p.Statements[0].ActionSpans[1].Start.String())
	require.Equal(t, strings.Index(src, `"s3:List*"`), p.Statements[0].ActionSpans[1].Start.Offset)
	require.Equal(t, strings.Index(src, `"s3:List*"`)+len(`"s3:List*"`), p.Statements[0].ActionSpans[1].End.Offset)
	require.Equal(t, "p.json:9:19", p.Statements[0].ResourceSpans[0].Start.String())
	// NotAction and NotResource values have them too.
	require.Equal(t, strings.Index(src, `"iam:*"`), p.Statements[1].ActionSpans[0].Start.Offset)
	require.Equal(t, strings.Index(src, `"arn:aws:iam::111111111111:role/x"`), p.Statements[1].ResourceSpans[0].Start.Offset)
}

func TestParseSingleStatementObject(t *testing.T) {
	p, err := Parse([]byte(`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`))
	require.NoError(t, err)
	require.Len(t, p.Statements, 1)
	require.Equal(t, "", p.Version)
	require.False(t, p.VariablesEnabled())
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []problem
	}{
		{"malformed JSON", `{"Statement": [}`, []problem{{CodeInvalidJSON, "", 1, 16}}},
		{"trailing text", `{"Statement": []} x`, []problem{{CodeInvalidJSON, "", 1, 19}}},
		{"not an object", `["x"]`, []problem{{CodeInvalidType, "", 1, 1}}},
		{"duplicate key", "{\"Statement\":{\"Effect\":\"Allow\",\n\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}}",
			[]problem{{CodeDuplicateKey, "/Statement/Effect", 2, 1}}},
		{"unknown element", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Actions":"x"}}`,
			[]problem{{CodeUnknownElement, "/Statement/Actions", 1, 60}}},
		{"element case", `{"version":"2012-10-17","Statement":{"Effect":"Allow","action":"*","Resource":"*"}}`,
			[]problem{{CodeElementCase, "/version", 1, 2}, {CodeMissingElement, "/Statement", 1, 37}, {CodeElementCase, "/Statement/action", 1, 55}}},
		{"wrong type", `{"Statement":{"Effect":"Allow","Action":5,"Resource":"*"}}`,
			[]problem{{CodeInvalidType, "/Statement/Action", 1, 41}}},
		{"bad effect", `{"Statement":{"Effect":"allow","Action":"*","Resource":"*"}}`,
			[]problem{{CodeInvalidEffect, "/Statement/Effect", 1, 24}}},
		{"missing effect", `{"Statement":{"Action":"*","Resource":"*"}}`,
			[]problem{{CodeMissingElement, "/Statement", 1, 14}}},
		{"bad version", `{"Version":"2012-10-18","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
			[]problem{{CodeInvalidVersion, "/Version", 1, 12}}},
		{"action and notaction", `{"Statement":{"Effect":"Allow","Action":"*","NotAction":"s3:*","Resource":"*"}}`,
			[]problem{{CodeConflict, "/Statement/NotAction", 1, 45}}},
		{"neither action nor notaction", `{"Statement":[{"Effect":"Allow","Resource":"*"}]}`,
			[]problem{{CodeMissingElement, "/Statement/0", 1, 15}}},
		{"resource and notresource", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"*"}}`,
			[]problem{{CodeConflict, "/Statement/NotResource", 1, 60}}},
		{"principal and notprincipal", `{"Statement":{"Effect":"Deny","Principal":"*","NotPrincipal":"*","Action":"*","Resource":"*"}}`,
			[]problem{{CodeConflict, "/Statement/NotPrincipal", 1, 47}}},
		{"bad actions", `{"Statement":{"Effect":"Allow","Action":["s3","s3:","s3:Get Object","*:x","iam:a:b"],"Resource":"*"}}`,
			[]problem{{CodeInvalidAction, "/Statement/Action/0", 1, 42}, {CodeInvalidAction, "/Statement/Action/1", 1, 47},
				{CodeInvalidAction, "/Statement/Action/2", 1, 53}, {CodeInvalidAction, "/Statement/Action/4", 1, 75}}},
		{"bad resource", `{"Statement":{"Effect":"Allow","Action":"*","Resource":["bucket","arn:aws:s3:::ok"]}}`,
			[]problem{{CodeInvalidResource, "/Statement/Resource/0", 1, 57}}},
		{"bad variable", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b/${aws:username"}}`,
			[]problem{{CodeInvalidVariable, "/Statement/Resource", 1, 79}}},
		{"bad principals", `{"Statement":{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111111111111:user/*","arn:aws:iam::111111111111:group/g","12345"],"Service":"*","aws":"x"},"Action":"*"}}`,
			[]problem{{CodeInvalidPrincipal, "/Statement/Principal/AWS/0", 1, 52}, {CodeInvalidPrincipal, "/Statement/Principal/AWS/1", 1, 87},
				{CodeInvalidPrincipal, "/Statement/Principal/AWS/2", 1, 123}, {CodeInvalidPrincipal, "/Statement/Principal/Service", 1, 142},
				{CodeElementCase, "/Statement/Principal/aws", 1, 146}}},
		{"principal string", `{"Statement":{"Effect":"Allow","Principal":"arn:aws:iam::111111111111:root","Action":"*"}}`,
			[]problem{{CodeInvalidPrincipal, "/Statement/Principal", 1, 44}}},
		{"unknown operator", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqual":{"k":"v"},"stringequals":{"k":"v"},"NullIfExists":{"k":"true"}}}}`,
			[]problem{{CodeUnknownOperator, "/Statement/Condition/StringEqual", 1, 73}, {CodeUnknownOperator, "/Statement/Condition/stringequals", 1, 97},
				{CodeUnknownOperator, "/Statement/Condition/NullIfExists", 1, 122}}},
		{"typed condition values", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericEquals":{"n":"ten"},"DateLessThan":{"d":"yesterday"},"IpAddress":{"i":"300.1.1.1/8"},"BinaryEquals":{"b":"!!"},"Bool":{"x":"yes"},"Null":{"y":"maybe"}}}}`,
			[]problem{{CodeInvalidCondValue, "/Statement/Condition/NumericEquals/n", 1, 94}, {CodeInvalidCondValue, "/Statement/Condition/DateLessThan/d", 1, 121},
				{CodeInvalidCondValue, "/Statement/Condition/IpAddress/i", 1, 151}, {CodeInvalidCondValue, "/Statement/Condition/BinaryEquals/b", 1, 186},
				{CodeInvalidCondValue, "/Statement/Condition/Bool/x", 1, 204}, {CodeInvalidCondValue, "/Statement/Condition/Null/y", 1, 223}}},
		{"empty values", `{"Statement":[{"Effect":"Allow","Action":[],"Resource":"*","Condition":{}}]}`,
			[]problem{{CodeEmptyValue, "/Statement/0/Action", 1, 42}, {CodeEmptyValue, "/Statement/0/Condition", 1, 72}}},
		{"empty statement list", `{"Statement":[]}`, []problem{{CodeEmptyValue, "/Statement", 1, 14}}},
		{"no statement", `{"Version":"2012-10-17"}`, []problem{{CodeMissingElement, "", 1, 1}}},
		{"duplicate sid", `{"Statement":[{"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"*","Resource":"*"}]}`,
			[]problem{{CodeDuplicateSid, "/Statement/1/Sid", 1, 72}}},
		{"character outside the range", "{\"Statement\":{\"Sid\":\"\u20ac\",\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}",
			[]problem{{CodeInvalidCharacter, "", 1, 22}}},
		{"escaped NUL", `{"Statement":{"Sid":"a\u0000","Effect":"Allow","Action":"*","Resource":"*"}}`,
			[]problem{{CodeInvalidCharacter, "/Statement/Sid", 1, 21}}},
		{"invalid UTF-8", "{\"Statement\":{\"Sid\":\"\xff\",\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}",
			[]problem{{CodeInvalidCharacter, "", 1, 22}}},
		{"null value", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":null}}}}`,
			[]problem{{CodeInvalidType, "/Statement/Condition/StringEquals/k", 1, 93}}},
		// docs/semantics.md §7 and reference_policies_variables: variables are allowed in
		// Resource and in condition values only.
		{"variable in a principal", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/${aws:username}"},"Action":"*"}}`,
			[]problem{{CodeInvalidPrincipal, "/Statement/Principal/AWS", 1, 74}}},
		{"variable in a condition key", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/${aws:username}":"x"}}}}`,
			[]problem{{CodeInvalidVariable, "/Statement/Condition/StringEquals/aws:ResourceTag~1${aws:username}", 1, 112}}},
		// docs/semantics.md §6.1: key names are case-insensitive, so these are one key twice
		// (Access Analyzer: "Duplicate keys with different case").
		{"condition key twice in different case", `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:username":"a","AWS:UserName":"b"}}}}`,
			[]problem{{CodeDuplicateKey, "/Statement/Condition/StringEquals/AWS:UserName", 1, 108}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse([]byte(tc.src))
			require.Nil(t, p)
			if d := cmp.Diff(tc.want, problems(t, err)); d != "" {
				t.Errorf("problems (-want +got):\n%s\n%v", d, err)
			}
			for _, w := range tc.want {
				require.ErrorIs(t, err, w.Code)
			}
		})
	}
}

func TestParseLimits(t *testing.T) {
	big := []byte(`{"Statement":[` + strings.Repeat(`{"Effect":"Allow","Action":"*","Resource":"*"},`, 30000) + `]}`)
	_, err := Parse(big)
	require.ErrorIs(t, err, CodeTooLarge)
	_, err = Parse(big[:200], WithMaxSize(100))
	require.ErrorIs(t, err, CodeTooLarge)

	deep := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	_, err = Parse([]byte(deep))
	require.ErrorIs(t, err, CodeTooDeep)

	many := `{"Statement":[` + strings.Repeat(`{"Effect":"maybe","Action":"*","Resource":"*"},`, 500) + `{"Effect":"maybe","Action":"*","Resource":"*"}]}`
	_, err = Parse([]byte(many))
	es := AsErrors(err)
	require.Len(t, es, MaxErrors)
	require.Contains(t, es[MaxErrors-1].Message, "more problems not shown")
}

func TestErrorRendering(t *testing.T) {
	_, err := Parse([]byte(`{"Statement":{"Effect":"Allow","Action":"s3","Resource":"*"}}`), WithSource("a.json"))
	require.EqualError(t, err, `a.json:1:41: invalid_action: action "s3" is not "*" or of the form "service:ActionName"`)
	var pe *Error
	require.True(t, errors.As(err, &pe))
	require.Equal(t, "/Statement/Action", pe.Path)
}

func TestUnmarshalJSON(t *testing.T) {
	var p Policy
	require.NoError(t, p.UnmarshalJSON([]byte(`{"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`)))
	require.Equal(t, Deny, p.Statements[0].Effect)
	require.ErrorIs(t, p.UnmarshalJSON([]byte(`{"Statement":{"Effect":"Deny"}}`)), CodeMissingElement)
}

// TestRoundTrip checks that MarshalJSON output parses back to an equal
// policy, for every valid policy in testdata/valid.
func TestRoundTrip(t *testing.T) {
	files, err := filepath.Glob("testdata/valid/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			require.NoError(t, err)
			p, err := Parse(src, WithSource(f))
			require.NoError(t, err)
			out, err := p.MarshalJSON()
			require.NoError(t, err)
			q, err := Parse(out)
			require.NoError(t, err, "%s", out)
			if d := cmp.Diff(p, q, cmpopts.IgnoreTypes(Span{}, []Span{})); d != "" {
				t.Errorf("round trip (-parsed +reparsed):\n%s", d)
			}
			out2, err := q.MarshalJSON()
			require.NoError(t, err)
			require.Equal(t, string(out), string(out2))
		})
	}
}

// TestInvalidFiles checks each testdata/invalid file, whose first line names
// the codes Parse must report, in order, as "// codes: a b c".
func TestInvalidFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			require.NoError(t, err)
			head, body, _ := strings.Cut(string(src), "\n")
			codes, ok := strings.CutPrefix(head, "// codes: ")
			require.True(t, ok, "first line must be // codes: ...")
			_, err = Parse([]byte(body))
			var got []string
			for _, e := range AsErrors(err) {
				got = append(got, string(e.Code))
			}
			require.Equal(t, strings.Fields(codes), got, "%v", err)
		})
	}
}
