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
	// Cases are the file's cases with defaults applied, in file order.
	Cases []*Case
}

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
}

// rawCase holds a case's fields as YAML nodes, so that defaults can be
// applied field by field before decoding.
type rawCase struct {
	Name                *yaml.Node
	Principal           *yaml.Node
	SessionIssuer       *yaml.Node
	Action              *yaml.Node
	Resource            *yaml.Node
	ResourceAccount     *yaml.Node
	Context             *yaml.Node
	IdentityPolicies    *yaml.Node
	PermissionsBoundary *yaml.Node
	SessionPolicies     *yaml.Node
	ResourcePolicy      *yaml.Node
	SCPs                *yaml.Node
	RCPs                *yaml.Node
	ManagementAccount   *yaml.Node
	OrgAccounts         *yaml.Node
	Expect              *yaml.Node
	ExpectMatched       *yaml.Node
	Source              *yaml.Node
}

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
func LoadFile(path string) (*File, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Load(path, src)
}

// Load parses case-file text; path names it in errors and anchors relative
// policy paths.
func Load(path string, src []byte) (*File, error) {
	var rf rawFile
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&rf); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	f := &File{Path: path, Name: rf.Name}
	var defaults rawCase
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
	for i := range rf.Cases {
		n := &rf.Cases[i].Node
		rc, err := decodeCase(n)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: case %d: %w", path, n.Line, i, err))
			continue
		}
		c, err := buildCase(path, n.Line, merge(rc, defaults))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: case %d: %w", path, n.Line, i, err))
			continue
		}
		if prev, dup := names[c.Name]; dup {
			errs = append(errs, fmt.Errorf("%s:%d: case name %q already used at line %d", path, n.Line, c.Name, prev))
			continue
		}
		names[c.Name] = n.Line
		f.Cases = append(f.Cases, c)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return f, nil
}

// decodeCase collects a case mapping's fields as nodes, rejecting keys a
// case does not define and keys given twice.
func decodeCase(n *yaml.Node) (rawCase, error) {
	var rc rawCase
	if n.Kind != yaml.MappingNode {
		return rc, fmt.Errorf("line %d: a case must be a mapping", n.Line)
	}
	fields := map[string]**yaml.Node{
		"name": &rc.Name, "principal": &rc.Principal, "sessionIssuer": &rc.SessionIssuer,
		"action": &rc.Action, "resource": &rc.Resource, "resourceAccount": &rc.ResourceAccount,
		"context": &rc.Context, "identityPolicies": &rc.IdentityPolicies,
		"permissionsBoundary": &rc.PermissionsBoundary, "sessionPolicies": &rc.SessionPolicies,
		"resourcePolicy": &rc.ResourcePolicy, "scps": &rc.SCPs, "rcps": &rc.RCPs,
		"managementAccount": &rc.ManagementAccount, "orgAccounts": &rc.OrgAccounts,
		"expect": &rc.Expect, "expectMatched": &rc.ExpectMatched, "source": &rc.Source,
	}
	resolveAliases(n, 0)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		dst, ok := fields[k.Value]
		if !ok {
			return rc, fmt.Errorf("line %d: unknown case field %q (want one of %s)", k.Line, k.Value, strings.Join(caseFields, ", "))
		}
		if *dst != nil {
			return rc, fmt.Errorf("line %d: case field %q given twice", k.Line, k.Value)
		}
		*dst = n.Content[i+1]
	}
	return rc, nil
}

var caseFields = []string{"name", "principal", "sessionIssuer", "action", "resource", "resourceAccount",
	"context", "identityPolicies", "permissionsBoundary", "sessionPolicies", "resourcePolicy", "scps",
	"rcps", "managementAccount", "orgAccounts", "expect", "expectMatched", "source"}

// merge returns c with every field it lacks taken from d.
func merge(c, d rawCase) rawCase {
	pick := func(a, b *yaml.Node) *yaml.Node {
		if a != nil {
			return a
		}
		return b
	}
	return rawCase{
		Name: pick(c.Name, d.Name), Principal: pick(c.Principal, d.Principal),
		SessionIssuer: pick(c.SessionIssuer, d.SessionIssuer), Action: pick(c.Action, d.Action),
		Resource: pick(c.Resource, d.Resource), ResourceAccount: pick(c.ResourceAccount, d.ResourceAccount),
		Context: pick(c.Context, d.Context), IdentityPolicies: pick(c.IdentityPolicies, d.IdentityPolicies),
		PermissionsBoundary: pick(c.PermissionsBoundary, d.PermissionsBoundary),
		SessionPolicies:     pick(c.SessionPolicies, d.SessionPolicies),
		ResourcePolicy:      pick(c.ResourcePolicy, d.ResourcePolicy),
		SCPs:                pick(c.SCPs, d.SCPs), RCPs: pick(c.RCPs, d.RCPs),
		ManagementAccount: pick(c.ManagementAccount, d.ManagementAccount),
		OrgAccounts:       pick(c.OrgAccounts, d.OrgAccounts),
		Expect:            pick(c.Expect, d.Expect), ExpectMatched: pick(c.ExpectMatched, d.ExpectMatched),
		Source: pick(c.Source, d.Source),
	}
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

func buildCase(path string, line int, rc rawCase) (*Case, error) {
	c := &Case{File: path, Line: line}
	var err error
	get := func(n *yaml.Node, field string, required bool) string {
		if err != nil {
			return ""
		}
		var s string
		s, err = str(n, field, required)
		return s
	}
	c.Name = get(rc.Name, "name", true)
	c.Request.Principal = get(rc.Principal, "principal", true)
	c.Request.SessionIssuer = get(rc.SessionIssuer, "sessionIssuer", false)
	c.Request.Action = get(rc.Action, "action", true)
	c.Request.Resource = get(rc.Resource, "resource", false)
	c.Request.ResourceAccount = get(rc.ResourceAccount, "resourceAccount", false)
	c.Policies.ManagementAccount = get(rc.ManagementAccount, "managementAccount", false)
	expect := get(rc.Expect, "expect", true)
	c.Source = get(rc.Source, "source", false)
	if err != nil {
		return nil, err
	}
	if c.Request.Resource == "" {
		c.Request.Resource = "*"
	}
	if c.Expect, err = evaluator.ParseDecision(expect); err != nil {
		return nil, fmt.Errorf("line %d: %w", rc.Expect.Line, err)
	}
	if rc.ExpectMatched != nil {
		if c.ExpectMatched, err = strList(rc.ExpectMatched, "expectMatched"); err != nil {
			return nil, err
		}
		if c.ExpectMatched == nil {
			c.ExpectMatched = []string{}
		}
	}
	if rc.OrgAccounts != nil {
		if c.Policies.OrgAccounts, err = strList(rc.OrgAccounts, "orgAccounts"); err != nil {
			return nil, err
		}
	}
	if c.Request.Context, err = context(rc.Context); err != nil {
		return nil, err
	}
	if err := c.Request.Validate(); err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	if c.Policies.Identity, err = policyList(dir, path, rc.IdentityPolicies, "identityPolicies"); err != nil {
		return nil, err
	}
	if c.Policies.Session, err = policyList(dir, path, rc.SessionPolicies, "sessionPolicies"); err != nil {
		return nil, err
	}
	if rc.PermissionsBoundary != nil && !isNull(rc.PermissionsBoundary) {
		in, err := loadPolicy(dir, path, rc.PermissionsBoundary, "permissionsBoundary")
		if err != nil {
			return nil, err
		}
		c.Policies.PermissionsBoundary = &in
	}
	if rc.ResourcePolicy != nil && !isNull(rc.ResourcePolicy) {
		in, err := loadPolicy(dir, path, rc.ResourcePolicy, "resourcePolicy")
		if err != nil {
			return nil, err
		}
		c.Policies.Resource = &in
	}
	if c.Policies.SCPs, err = policyLevels(dir, path, rc.SCPs, "scps"); err != nil {
		return nil, err
	}
	if c.Policies.RCPs, err = policyLevels(dir, path, rc.RCPs, "rcps"); err != nil {
		return nil, err
	}
	return c, nil
}

// resolveAliases replaces YAML aliases (*name) under n by the nodes they
// name, so that a case can reuse a policy written once with &name.
func resolveAliases(n *yaml.Node, depth int) {
	if depth > 100 {
		return
	}
	for i, c := range n.Content {
		for c.Kind == yaml.AliasNode && c.Alias != nil {
			c = c.Alias
		}
		n.Content[i] = c
		resolveAliases(c, depth+1)
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

func policyList(dir, path string, n *yaml.Node, field string) ([]evaluator.Input, error) {
	if n == nil || isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("line %d: %s must be a list of policies", n.Line, field)
	}
	var out []evaluator.Input
	for i, e := range n.Content {
		in, err := loadPolicy(dir, path, e, fmt.Sprintf("%s[%d]", field, i))
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, nil
}

func policyLevels(dir, path string, n *yaml.Node, field string) ([][]evaluator.Input, error) {
	if n == nil || isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("line %d: %s must be a list of org levels, each a list of policies", n.Line, field)
	}
	var out [][]evaluator.Input
	for l, lv := range n.Content {
		pols, err := policyList(dir, path, lv, fmt.Sprintf("%s[%d]", field, l))
		if err != nil {
			return nil, err
		}
		out = append(out, pols)
	}
	return out, nil
}

// loadPolicy reads an inline policy or a {file: path} reference.
func loadPolicy(dir, path string, n *yaml.Node, id string) (evaluator.Input, error) {
	if n.Kind != yaml.MappingNode {
		return evaluator.Input{}, fmt.Errorf("line %d: %s must be a policy object or {file: path}", n.Line, id)
	}
	if len(n.Content) == 2 && n.Content[0].Value == "file" {
		rel := n.Content[1].Value
		full := rel
		if !filepath.IsAbs(rel) {
			full = filepath.Join(dir, rel)
		}
		src, err := os.ReadFile(full)
		if err != nil {
			return evaluator.Input{}, fmt.Errorf("line %d: %s: %w", n.Line, id, err)
		}
		p, err := policy.Parse(src, policy.WithSource(full))
		if err != nil {
			return evaluator.Input{}, fmt.Errorf("line %d: %s: %w", n.Line, id, err)
		}
		return evaluator.Input{ID: strings.TrimSuffix(filepath.Base(rel), filepath.Ext(rel)), Policy: p}, nil
	}
	var b bytes.Buffer
	if err := nodeJSON(&b, n); err != nil {
		return evaluator.Input{}, fmt.Errorf("line %d: %s: %w", n.Line, id, err)
	}
	p, err := policy.Parse(b.Bytes(), policy.WithSource(fmt.Sprintf("%s:%d(%s)", path, n.Line, id)))
	if err != nil {
		return evaluator.Input{}, fmt.Errorf("line %d: %s: %w", n.Line, id, err)
	}
	return evaluator.Input{ID: id, Policy: p}, nil
}

// nodeJSON writes a YAML node as JSON, keeping key order and scalar types,
// so that the strict policy parser sees exactly what the user wrote.
func nodeJSON(b *bytes.Buffer, n *yaml.Node) error {
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

// Files returns the case files under each path: a file as is, a directory
// searched recursively for *.json, *.yaml and *.yml. The result is sorted.
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
				if !d.IsDir() {
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
