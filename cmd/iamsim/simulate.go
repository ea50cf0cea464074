package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/iamsim/iamsim/evaluator/simulator"
)

const simulateUsage = `usage: iamsim simulate-custom-policy --cli-input-json file://in.json

Runs the request of "aws iam simulate-custom-policy --cli-input-json"
offline and prints AWS's response JSON (EvaluationResults with
EvalActionName, EvalResourceName, EvalDecision, MatchedStatements,
MissingContextValues, ...), so scripts written against AWS's simulator run
unchanged. The input takes AWS's fields (PolicyInputList,
PermissionsBoundaryPolicyInputList, ActionNames, ResourceArns,
ResourcePolicy, ResourceOwner, CallerArn, ContextEntries,
ResourceHandlingOption, MaxItems, Marker) and iamsim's extensions
(SessionPolicyInputList, SCPInputList, RCPInputList, ManagementAccount);
unknown fields are errors. --cli-input-json takes file://PATH, "-" for
standard input, or the JSON itself.
One EvaluationResult per action: its decision is the most restrictive
over the resources, each resource's own is in ResourceSpecificResults.
Exit status: 0 simulated; 254 refused (InvalidInput, printed on standard
error as the AWS CLI prints it, with the AWS CLI's status for an error the
service returned); 2 bad usage.
`

// lineCol converts a byte offset of src to a 1-based line and column
// (counting bytes).
func lineCol(src []byte, off int64) (line, col int) {
	line, col = 1, 1
	for i := 0; i < len(src) && int64(i) < off; i++ {
		if src[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// exitServiceError is the AWS CLI's exit status when "a request was made to
// the specified service but the service returned an error" (AWS CLI
// return codes).
const exitServiceError = 254

func runSimulate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("simulate-custom-policy", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	input := fs.String("cli-input-json", "", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, simulateUsage)
			return 0
		}
		fmt.Fprintf(stderr, "iamsim simulate-custom-policy: %v\n%s", err, simulateUsage)
		return 2
	}
	if *input == "" || fs.NArg() > 0 {
		fmt.Fprintf(stderr, "iamsim simulate-custom-policy: give --cli-input-json and nothing else\n%s", simulateUsage)
		return 2
	}
	var src []byte
	var err error
	switch {
	case *input == "-" || strings.HasPrefix(*input, "file://"):
		src, _, err = readInput(*input, stdin)
	default:
		src = []byte(*input)
		if t := strings.TrimSpace(*input); !strings.HasPrefix(t, "{") {
			if _, statErr := os.Stat(*input); statErr == nil {
				fmt.Fprintf(stderr, "iamsim simulate-custom-policy: --cli-input-json %q is a file: write file://%s\n", *input, *input)
				return 2
			}
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "iamsim simulate-custom-policy: %v\n", err)
		return 2
	}
	var in simulator.SimulateCustomPolicyInput
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.DisallowUnknownFields()
	err = dec.Decode(&in)
	if err == nil && len(bytes.TrimSpace(src[dec.InputOffset():])) > 0 {
		err = errors.New("text after the JSON value")
	}
	if err != nil {
		line, col := lineCol(src, dec.InputOffset())
		fmt.Fprintf(stderr, "iamsim simulate-custom-policy: --cli-input-json:%d:%d: %v\n", line, col, inputWords(src, err))
		return 2
	}
	out, err := simulator.SimulateCustomPolicy(in)
	if err != nil {
		// As the AWS CLI reports an error the service returned: on standard
		// error, with exit status 254.
		msg := err.Error()
		var se *simulator.Error
		if errors.As(err, &se) {
			msg = se.Message
			if se.Err != nil {
				msg += ": " + se.Err.Error()
			}
		}
		fmt.Fprintf(stderr, "An error occurred (%s) when calling the SimulateCustomPolicy operation: %s\n", codeOf(err), msg)
		return exitServiceError
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "    ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}

func codeOf(err error) string {
	var se *simulator.Error
	if errors.As(err, &se) {
		return se.Code
	}
	return "InvalidInput"
}

// policyFields are the input fields that hold policy documents as JSON
// strings, by depth of list: 0 a string, 1 a list, 2 a list of lists.
var policyFields = map[string]int{
	"PolicyInputList": 1, "PermissionsBoundaryPolicyInputList": 1, "SessionPolicyInputList": 1,
	"ResourcePolicy": 0, "SCPInputList": 2, "RCPInputList": 2,
}

// inputWords words an error of decoding the input for a person, not in Go's
// terms ("json: cannot unmarshal object into Go struct field ..."). A policy
// document written as a JSON object, where AWS wants it as a string, is
// named by its place: "PolicyInputList[0] must be a JSON string holding the
// policy document, not an object".
func inputWords(src []byte, err error) error {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return err
	}
	if at, kind := policyNotString(src); at != "" {
		return fmt.Errorf("%s must be a JSON string holding the policy document, not %s %s; write it as a string, its quotes escaped (\"{\\\"Version\\\": ...}\")", at, article(kind), kind)
	}
	want := "a value of another type"
	switch te.Type.String() {
	case "string":
		want = "a string"
	case "[]string":
		want = "a list of strings"
	case "[][]string":
		want = "a list of lists of strings"
	case "int":
		want = "a whole number"
	case "[]simulator.ContextEntry":
		want = "a list of context entries"
	case "simulator.ContextEntry":
		want = "a context entry (an object)"
	}
	field := te.Field
	if field == "" {
		field = "the input"
	}
	return fmt.Errorf("%s must be %s, not %s %s", field, want, article(te.Value), te.Value)
}

// policyNotString returns the place of the first policy document in the
// input given as something other than a string ("PolicyInputList[0]",
// "SCPInputList[1][0]", "ResourcePolicy") and the JSON kind it has, or "".
func policyNotString(src []byte) (at, kind string) {
	var top map[string]json.RawMessage
	if json.Unmarshal(src, &top) != nil {
		return "", ""
	}
	var find func(raw json.RawMessage, depth int, at string) (string, string)
	find = func(raw json.RawMessage, depth int, at string) (string, string) {
		if depth == 0 {
			t := bytes.TrimSpace(raw)
			if len(t) == 0 || t[0] == '"' || bytes.Equal(t, []byte("null")) {
				return "", ""
			}
			switch t[0] {
			case '{':
				return at, "object"
			case '[':
				return at, "array"
			case 't', 'f':
				return at, "bool"
			}
			return at, "number"
		}
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) != nil {
			return "", ""
		}
		for i, el := range list {
			if found, kind := find(el, depth-1, fmt.Sprintf("%s[%d]", at, i)); found != "" {
				return found, kind
			}
		}
		return "", ""
	}
	names := make([]string, 0, len(policyFields))
	for name := range policyFields {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if raw, ok := top[name]; ok {
			if at, kind := find(raw, policyFields[name], name); at != "" {
				return at, kind
			}
		}
	}
	return "", ""
}

// article is "an" before a JSON kind that starts with a vowel, else "a".
func article(kind string) string {
	if strings.IndexByte("aeiou", kind[0]) >= 0 {
		return "an"
	}
	return "a"
}
