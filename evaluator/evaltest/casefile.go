package evaltest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/policy"
)

// File is a parsed case file.
type File struct {
	// Path is the file's path as given to LoadFile.
	Path string
	// Name is the file's name element.
	Name string
	// Cases are the file's valid cases with defaults applied, in file
	// order.
	Cases []*Case
	// Invalid holds the cases that could not be loaded, in file order
	// (see Load).
	Invalid []*CaseError
}

// CaseError is a case of a case file that could not be loaded: a field is
// missing or malformed, a policy cannot be read or parsed, or its name is
// already used.
type CaseError struct {
	// Path is the case file; Line the case's line; Index its position in
	// the file's cases, counting from 0.
	Path  string
	Line  int
	Index int
	// Name is the case's name, when it could be read.
	Name string
	Err  error
}

// Error renders "path:line: case N: problem", counting cases from 1 as a
// reader of the file does.
func (e *CaseError) Error() string {
	return fmt.Sprintf("%s:%d: case %d: %v", e.Path, e.Line, e.Index+1, e.Err)
}

// Unwrap returns the problem.
func (e *CaseError) Unwrap() error { return e.Err }

// Case is one what-if check: a policy set, a request and the expected
// decision.
type Case struct {
	Name string
	// File and Line locate the case in its case file.
	File string
	Line int
	// Policies and Request are what the case evaluates.
	Policies evaluator.PolicySet
	Request  evaluator.Request
	// Expect is the expected decision.
	Expect evaluator.Decision
	// ExpectMatched, when not nil, names the statements expected in
	// Result.Matched: each by its Sid, or by its policy id when it has no Sid.
	ExpectMatched []string
	// Source says where the expectation comes from: an AWS documentation
	// page, or "derived: <reasoning>".
	Source string
	// Session, when set, is the STS call whose session makes the request:
	// Request.Principal is then the session's, and Policies hold the
	// role's (or federating user's) policies and the resource policy.
	Session *SessionCall
	// ExpectError, when set, is the STS error the Session call must fail
	// with; Expect is then unused.
	ExpectError *ExpectedError
	// AllowUnknownAction admits a request action the catalog does not
	// know (one newer than it); without it such a case fails (see
	// CheckRequest). Case files set it with allowUnknownAction: true.
	AllowUnknownAction bool

	// engines, set for the cases of a loaded file, compiles the file's
	// policy sets once each (see engineCache); nil compiles per call.
	engines *engineCache
}

// rawCase holds a case's fields as YAML nodes by field name, so that
// defaults can be applied field by field before decoding.
type rawCase map[string]*yaml.Node

// caseFields are the fields a case (or the defaults) may give.
var caseFields = []string{"name", "principal", "sessionIssuer", "action", "resource", "resourceAccount",
	"context", "identityPolicies", "permissionsBoundary", "sessionPolicies", "resourcePolicy", "scps",
	"rcps", "managementAccount", "orgAccounts", "assumeRole", "assumeRoleWithSAML",
	"assumeRoleWithWebIdentity", "getFederationToken", "expect", "expectMatched", "expectError", "source", "snapshot",
	"allowUnknownAction"}

// sessionFields are the fields that make an STS call; a case gives at most one.
var sessionFields = []string{"assumeRole", "assumeRoleWithSAML", "assumeRoleWithWebIdentity", "getFederationToken"}

type rawFile struct {
	Name     string     `yaml:"name"`
	Defaults *yamlNode  `yaml:"defaults"`
	Cases    []yamlNode `yaml:"cases"`
}

// yamlNode keeps a node so each case can be decoded strictly on its own.
type yamlNode struct{ yaml.Node }

func (n *yamlNode) UnmarshalYAML(v *yaml.Node) error { n.Node = *v; return nil }

// LoadFile reads and checks a case file (YAML or JSON). Every problem names
// the file and line.
//
// A {file: path} reference is relative to the case file and must stay,
// after following symbolic links, inside the case file's root: the nearest
// directory at or above the case file that holds a go.mod or .git, else
// the case file's own directory. Absolute paths, ".." escapes and symbolic
// links out of the root are refused (ErrOutsideRoot), so that a case file
// from an untrusted change cannot read other files of the machine that
// runs it. WithRoot sets the root; AllowFilesOutside lifts the check. Of
// the options, LoadFile and Load heed only those two.
func LoadFile(path string, opts ...Option) (*File, error) {
	src, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return Load(path, src, opts...)
}

// Load parses case-file text; path names it in errors and anchors relative
// policy paths. A .json path is read with a JSON decoder, anything else as
// YAML (of which JSON is a subset).
//
// A problem with the file as a whole (its syntax, its defaults, no cases)
// returns a nil File and the error. Invalid cases do not stop the others:
// Load then returns the File, holding the valid cases in Cases and the
// invalid ones in Invalid, and an error joining the *CaseError of each
// invalid case.
//
// The cases of a loaded file share the policies they have in common
// (their *policy.Policy values; do not modify them in place) and compile
// each distinct policy set once, whichever goroutine runs them.
func Load(path string, src []byte, opts ...Option) (*File, error) {
	var rf rawFile
	if strings.EqualFold(filepath.Ext(path), ".json") {
		var err error
		if rf, err = jsonRawFile(src); err != nil {
			return nil, fmt.Errorf("%s:%w", path, err)
		}
	} else if err := decodeYAMLFile(src, &rf); err != nil {
		return nil, yamlError(path, src, err)
	}
	f := &File{Path: path, Name: rf.Name}
	ld := newLoader(path, newRunConfig(opts))
	defaults := rawCase{}
	if rf.Defaults != nil {
		var err error
		if defaults, err = decodeCase(&rf.Defaults.Node); err != nil {
			return nil, fmt.Errorf("%s:%d: defaults: %w", path, rf.Defaults.Line, err)
		}
	}
	if len(rf.Cases) == 0 {
		return nil, fmt.Errorf("%s: no cases", path)
	}
	var errs []error
	names := map[string]int{}
	engines := &engineCache{}
	for i := range rf.Cases {
		n := &rf.Cases[i].Node
		line := n.Line
		invalid := func(name string, err error) {
			ce := &CaseError{Path: path, Line: line, Index: i, Name: name, Err: err}
			f.Invalid = append(f.Invalid, ce)
			errs = append(errs, ce)
		}
		c, name, err := buildNode(ld, n, defaults)
		// Release the case's nodes once it is built: a large file's tree
		// shrinks as its cases grow.
		rf.Cases[i] = yamlNode{}
		switch {
		case err != nil:
			invalid(name, err)
		case names[c.Name] != 0:
			invalid(c.Name, fmt.Errorf("case name %q already used at line %d", c.Name, names[c.Name]))
		default:
			names[c.Name] = c.Line
			c.engines = engines
			f.Cases = append(f.Cases, c)
		}
	}
	return f, errors.Join(errs...)
}

// buildNode builds the case at n, with the file's defaults; on error it
// returns the case's name if it could be read.
func buildNode(ld *loader, n *yaml.Node, defaults rawCase) (*Case, string, error) {
	rc, err := decodeCase(n)
	if err != nil {
		return nil, "", err
	}
	c, err := buildCase(ld, n.Line, merge(rc, defaults))
	if err != nil {
		name, _ := str(rc["name"], "name", false)
		return nil, name, err
	}
	return c, c.Name, nil
}

// decodeYAMLFile reads a YAML case file's top level.
func decodeYAMLFile(src []byte, rf *rawFile) error {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	return dec.Decode(rf)
}

// decodeCase collects a case mapping's fields as nodes, rejecting keys a
// case does not define and keys given twice.
func decodeCase(n *yaml.Node) (rawCase, error) {
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: a case must be a mapping", n.Line)
	}
	resolveAliases(n, 0)
	rc, err := fieldsOf(n, "case", caseFields)
	return rawCase(rc), err
}

// merge returns c with every field it lacks taken from d.
func merge(c, d rawCase) rawCase {
	out := rawCase{}
	for k, v := range d {
		out[k] = v
	}
	for k, v := range c {
		out[k] = v
	}
	return out
}

func str(n *yaml.Node, field string, required bool) (string, error) {
	if n == nil {
		if required {
			return "", fmt.Errorf("missing %s", field)
		}
		return "", nil
	}
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", fmt.Errorf("line %d: %s must be a string", n.Line, field)
	}
	return n.Value, nil
}

func buildCase(ld *loader, line int, rc rawCase) (*Case, error) {
	c := &Case{File: ld.path, Line: line}
	// A field set to null is absent (it removes what the defaults give).
	for k, n := range rc {
		if isNull(n) {
			delete(rc, k)
		}
	}
	var sessionKey string
	for _, k := range sessionFields {
		if rc[k] == nil {
			continue
		}
		if sessionKey != "" {
			return nil, fmt.Errorf("line %d: a case makes one STS call: %s and %s both given", rc[k].Line, sessionKey, k)
		}
		sessionKey = k
	}
	if sessionKey != "" {
		for _, k := range []string{"principal", "sessionIssuer", "sessionPolicies"} {
			if rc[k] != nil {
				return nil, fmt.Errorf("line %d: %s comes from the %s call; do not give it", rc[k].Line, k, sessionKey)
			}
		}
	}
	expectsError := rc["expectError"] != nil
	var err error
	get := func(field string, required bool) string {
		if err != nil {
			return ""
		}
		var s string
		s, err = str(rc[field], field, required)
		return s
	}
	c.Name = get("name", true)
	c.Request.Principal = get("principal", sessionKey == "")
	c.Request.SessionIssuer = get("sessionIssuer", false)
	c.Request.Action = get("action", !expectsError)
	c.Request.Resource = get("resource", false)
	c.Request.ResourceAccount = get("resourceAccount", false)
	c.Policies.ManagementAccount = get("managementAccount", false)
	expect := get("expect", !expectsError)
	c.Source = get("source", false)
	if err != nil {
		return nil, err
	}
	if c.Request.Resource == "" {
		c.Request.Resource = "*"
	}
	if n := rc["allowUnknownAction"]; n != nil {
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
			return nil, fmt.Errorf("line %d: allowUnknownAction must be true or false", n.Line)
		}
		c.AllowUnknownAction = n.Value == "true"
	}
	if expectsError {
		if sessionKey == "" {
			return nil, fmt.Errorf("line %d: expectError needs an STS call (%s)", rc["expectError"].Line, strings.Join(sessionFields, ", "))
		}
		if rc["expect"] != nil || rc["expectMatched"] != nil {
			return nil, fmt.Errorf("line %d: a case expects either an STS error or a decision, not both", rc["expectError"].Line)
		}
		if c.ExpectError, err = expectedError(rc["expectError"]); err != nil {
			return nil, err
		}
	} else if c.Expect, err = evaluator.ParseDecision(expect); err != nil {
		return nil, fmt.Errorf("line %d: %w", rc["expect"].Line, err)
	}
	if n := rc["expectMatched"]; n != nil {
		if c.ExpectMatched, err = strList(n, "expectMatched"); err != nil {
			return nil, err
		}
		if c.ExpectMatched == nil {
			c.ExpectMatched = []string{}
		}
	}
	if n := rc["orgAccounts"]; n != nil {
		if c.Policies.OrgAccounts, err = strList(n, "orgAccounts"); err != nil {
			return nil, err
		}
	}
	if c.Request.Context, err = context(rc["context"]); err != nil {
		return nil, err
	}
	check := c.Request
	if sessionKey != "" {
		check.Principal = "anonymous" // the session's; only the other fields are checked here
	}
	if !expectsError || c.Request.Action != "" {
		if err := check.Validate(); err != nil {
			return nil, err
		}
	}
	if c.Policies.Identity, err = ld.policyList(rc["identityPolicies"], "identityPolicies"); err != nil {
		return nil, err
	}
	if c.Policies.Session, err = ld.policyList(rc["sessionPolicies"], "sessionPolicies"); err != nil {
		return nil, err
	}
	if n := rc["permissionsBoundary"]; n != nil {
		in, err := ld.loadPolicy(n, "permissionsBoundary")
		if err != nil {
			return nil, err
		}
		c.Policies.PermissionsBoundary = &in
	}
	if n := rc["resourcePolicy"]; n != nil {
		in, err := ld.loadPolicy(n, "resourcePolicy")
		if err != nil {
			return nil, err
		}
		c.Policies.Resource = &in
	}
	if c.Policies.SCPs, err = ld.policyLevels(rc["scps"], "scps"); err != nil {
		return nil, err
	}
	if c.Policies.RCPs, err = ld.policyLevels(rc["rcps"], "rcps"); err != nil {
		return nil, err
	}
	if n := rc["snapshot"]; n != nil {
		if err := ld.applySnapshot(n, rc, c); err != nil {
			return nil, err
		}
	}
	if sessionKey != "" {
		if c.Session, err = buildSession(ld, sessionKey, rc[sessionKey], c.Policies, &c.Request); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// resolveAliases replaces YAML aliases (*name) under n by the nodes they
// name, so that a case can reuse a policy written once with &name. Each
// node is visited once, so aliases that refer to each other many times
// over (a "billion laughs" document) cost time in proportion to the
// document, not to its expansion.
func resolveAliases(n *yaml.Node, depth int) {
	resolveAliasesOnce(n, depth, map[*yaml.Node]bool{})
}

func resolveAliasesOnce(n *yaml.Node, depth int, seen map[*yaml.Node]bool) {
	if depth > 100 || seen[n] {
		return
	}
	seen[n] = true
	for i, c := range n.Content {
		for c.Kind == yaml.AliasNode && c.Alias != nil {
			c = c.Alias
		}
		n.Content[i] = c
		resolveAliasesOnce(c, depth+1, seen)
	}
}

// isNull reports whether a field is written as null, which a case uses to
// remove a policy its file's defaults give.
func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

func strList(n *yaml.Node, field string) ([]string, error) {
	if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		return []string{n.Value}, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("line %d: %s must be a list of strings", n.Line, field)
	}
	var out []string
	for _, e := range n.Content {
		if e.Kind != yaml.ScalarNode || e.Tag == "!!null" {
			return nil, fmt.Errorf("line %d: %s must be a list of strings", e.Line, field)
		}
		out = append(out, e.Value)
	}
	return out, nil
}

// context converts the context mapping: a scalar is a single-valued key, a
// list a multi-valued one.
func context(n *yaml.Node) (evaluator.Context, error) {
	if n == nil {
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: context must be a mapping of key to value(s)", n.Line)
	}
	ctx := evaluator.Context{}
	for i := 0; i < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if _, dup := ctx[k.Value]; dup {
			return nil, fmt.Errorf("line %d: context key %q repeated", k.Line, k.Value)
		}
		switch {
		case v.Kind == yaml.ScalarNode && v.Tag != "!!null":
			ctx[k.Value] = evaluator.Single(v.Value)
		case v.Kind == yaml.SequenceNode:
			vals, err := strList(v, "context "+k.Value)
			if err != nil {
				return nil, err
			}
			ctx[k.Value] = evaluator.Multi(vals...)
		default:
			return nil, fmt.Errorf("line %d: context %q must be a string, number, boolean or list", v.Line, k.Value)
		}
	}
	return ctx, nil
}

func (ld *loader) policyList(n *yaml.Node, field string) ([]evaluator.Input, error) {
	if n == nil || isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("line %d: %s must be a list of policies", n.Line, field)
	}
	var out []evaluator.Input
	for i, e := range n.Content {
		in, err := ld.loadPolicy(e, fmt.Sprintf("%s[%d]", field, i))
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}

func (ld *loader) policyLevels(n *yaml.Node, field string) ([][]evaluator.Input, error) {
	if n == nil || isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("line %d: %s must be a list of org levels, each a list of policies", n.Line, field)
	}
	var out [][]evaluator.Input
	for l, lv := range n.Content {
		pols, err := ld.policyList(lv, fmt.Sprintf("%s[%d]", field, l))
		if err != nil {
			return nil, err
		}
		out = append(out, pols)
	}
	return out, nil
}

// referenceFields are the keys of a {file: path} policy reference.
var referenceFields = []string{"file", "awsManaged"}

// loadPolicy reads an inline policy or a {file: path} reference, which may
// add awsManaged: true to mark an AWS managed policy. A policy whose id is
// an AWS managed policy ARN (a managedPolicies key) is AWS managed too.
// Each file and each inline policy node is read and parsed once per case
// file (see loader): cases sharing them share the *policy.Policy.
func (ld *loader) loadPolicy(n *yaml.Node, id string) (evaluator.Input, error) {
	if n.Kind != yaml.MappingNode {
		return evaluator.Input{}, fmt.Errorf("line %d: %s must be a policy object or {file: path}", n.Line, id)
	}
	if isReference(n) {
		f, err := fieldsOf(n, id+" policy reference", referenceFields)
		if err != nil {
			return evaluator.Input{}, err
		}
		rel, err := str(f["file"], id+".file", true)
		if err != nil {
			return evaluator.Input{}, fmt.Errorf("line %d: %w", n.Line, err)
		}
		aws := policy.ProvenanceOf(id) == policy.AWSManaged
		if m := f["awsManaged"]; m != nil {
			if m.Kind != yaml.ScalarNode || m.Tag != "!!bool" {
				return evaluator.Input{}, fmt.Errorf("line %d: %s.awsManaged must be true or false", m.Line, id)
			}
			aws, _ = strconv.ParseBool(m.Value)
		}
		full, err := ld.refs.resolve(rel)
		if err != nil {
			return evaluator.Input{}, fmt.Errorf("line %d: %s: %w", n.Line, id, err)
		}
		pf := ld.file(full, aws)
		if pf.err != nil {
			return evaluator.Input{}, fmt.Errorf("line %d: %s: %w", n.Line, id, pf.err)
		}
		return evaluator.Input{ID: strings.TrimSuffix(filepath.Base(rel), filepath.Ext(rel)), Policy: pf.policy, Text: pf.text, AWSManaged: aws}, nil
	}
	k := inlineKey{n, id}
	pi, ok := ld.inline[k]
	if !ok {
		pi.policy, pi.err = ld.parseInline(n, id)
		ld.inline[k] = pi
	}
	if pi.err != nil {
		return evaluator.Input{}, pi.err
	}
	return evaluator.Input{ID: id, Policy: pi.policy}, nil
}

// parseInline converts an inline policy to JSON, parses it and places its
// statements in the case file.
func (ld *loader) parseInline(n *yaml.Node, id string) (*policy.Policy, error) {
	var b bytes.Buffer
	if err := nodeJSON(&b, n); err != nil {
		return nil, fmt.Errorf("line %d: %s: %w", n.Line, id, err)
	}
	p, err := policy.Parse(b.Bytes(), policy.WithSource(fmt.Sprintf("%s:%d(%s)", ld.path, n.Line, id)))
	if err != nil {
		return nil, fmt.Errorf("line %d: %s: %w", n.Line, id, err)
	}
	placeStatements(p, n, ld.path)
	return p, nil
}

// isReference reports whether a policy mapping is a {file: path}
// reference rather than an inline policy: it has a file or awsManaged key
// (policy documents have neither).
func isReference(n *yaml.Node) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i].Value; k == "file" || k == "awsManaged" {
			return true
		}
	}
	return false
}

// placeStatements gives the statements of an inline policy the positions
// of their mappings in the case file, so that traces and coverage point a
// reader at the case file's line rather than at the JSON made from it.
func placeStatements(p *policy.Policy, n *yaml.Node, path string) {
	var items []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value != "Statement" {
			continue
		}
		v := n.Content[i+1]
		for v.Kind == yaml.AliasNode && v.Alias != nil {
			v = v.Alias
		}
		switch v.Kind {
		case yaml.SequenceNode:
			items = v.Content
		case yaml.MappingNode:
			items = []*yaml.Node{v}
		}
	}
	if len(items) != len(p.Statements) {
		return
	}
	for i, it := range items {
		pos := policy.Position{Source: path, Line: it.Line, Column: it.Column}
		p.Statements[i].Span = policy.Span{Start: pos, End: pos}
	}
}

// nodeJSON writes a YAML node as JSON, keeping key order and scalar types,
// so that the strict policy parser sees exactly what the user wrote. It
// stops with an error once the JSON passes policy.DefaultMaxSize, which
// YAML aliases could otherwise expand without bound.
func nodeJSON(b *bytes.Buffer, n *yaml.Node) error {
	if b.Len() > policy.DefaultMaxSize {
		return fmt.Errorf("line %d: the policy is larger than %d bytes as JSON (YAML aliases expanding too far?)", n.Line, policy.DefaultMaxSize)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		return nodeJSON(b, n.Content[0])
	case yaml.AliasNode:
		return nodeJSON(b, n.Alias)
	case yaml.MappingNode:
		b.WriteString("{")
		for i := 0; i < len(n.Content); i += 2 {
			if i > 0 {
				b.WriteString(",")
			}
			k, _ := json.Marshal(n.Content[i].Value)
			b.Write(k)
			b.WriteString(":")
			if err := nodeJSON(b, n.Content[i+1]); err != nil {
				return err
			}
		}
		b.WriteString("}")
	case yaml.SequenceNode:
		b.WriteString("[")
		for i, e := range n.Content {
			if i > 0 {
				b.WriteString(",")
			}
			if err := nodeJSON(b, e); err != nil {
				return err
			}
		}
		b.WriteString("]")
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			b.WriteString("null")
		case "!!bool":
			v, err := strconv.ParseBool(n.Value)
			if err != nil {
				return fmt.Errorf("line %d: bad boolean %q", n.Line, n.Value)
			}
			b.WriteString(strconv.FormatBool(v))
		case "!!int", "!!float":
			if json.Valid([]byte(n.Value)) {
				b.WriteString(n.Value)
				break
			}
			fallthrough
		default:
			s, _ := json.Marshal(n.Value)
			b.Write(s)
		}
	default:
		return fmt.Errorf("line %d: unsupported YAML node", n.Line)
	}
	return nil
}

// isPolicyDocument reports whether a .json file found in a directory is a
// policy document (a top-level object with a Statement and no cases), kept
// beside case files to be named by {file: ...}, rather than a case file.
func isPolicyDocument(path string) bool {
	if !strings.EqualFold(filepath.Ext(path), ".json") {
		return false
	}
	b, err := readFile(path)
	if err != nil {
		return false // the case-file loader reports it
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(b, &top) != nil {
		return false
	}
	_, statement := top["Statement"]
	_, cases := top["cases"]
	return statement && !cases
}

// Files returns the case files under each path: a file as is, a directory
// searched recursively for *.json, *.yaml and *.yml, leaving out JSON policy
// documents kept beside the case files (an object with a Statement and no
// cases). The result is sorted.
func Files(paths ...string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		err = filepath.WalkDir(p, func(f string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			switch strings.ToLower(filepath.Ext(f)) {
			case ".json", ".yaml", ".yml":
				if !d.IsDir() && !isPolicyDocument(f) {
					out = append(out, f)
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(out)
	return out, nil
}
