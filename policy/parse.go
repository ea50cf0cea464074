package policy

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/iamsim/iamsim/arn"
	"github.com/iamsim/iamsim/policy/internal/jsonpos"
)

// DefaultMaxSize is the largest document Parse accepts unless WithMaxSize
// says otherwise. It is far above every AWS policy quota (the largest, a KMS
// key policy, is 32 KB), so only hostile input reaches it.
const DefaultMaxSize = 1 << 20

// maxDepth bounds JSON nesting. The deepest valid policy nests 6 levels
// (document, Statement array, statement, Condition, operator, key, value list).
const maxDepth = 16

// ParseOption configures Parse.
type ParseOption func(*parseConfig)

type parseConfig struct {
	source     string
	maxSize    int
	provenance Provenance
}

// WithSource names the document in positions and error messages, typically
// with its file name.
func WithSource(name string) ParseOption { return func(c *parseConfig) { c.source = name } }

// WithMaxSize sets the largest document, in bytes, that Parse accepts
// (default DefaultMaxSize). n <= 0 means the default.
func WithMaxSize(n int) ParseOption { return func(c *parseConfig) { c.maxSize = n } }

// Parse parses a policy document strictly. It reports every problem it finds,
// sorted by position, as Errors; each has a Code, a JSON Pointer and a
// line:column. On error the returned policy is nil: a document with any
// problem is never half-used.
//
// Parse checks the grammar shared by all policy kinds (docs/semantics.md §4.1): JSON
// syntax, allowed characters, duplicate keys, element names and their case,
// JSON types, Version, Effect, the form of actions, resources, principals
// and condition values. Rules that depend on where a policy is used
// (Principal required or forbidden, quotas, SCP and RCP restrictions) are
// Validate's.
func Parse(src []byte, opts ...ParseOption) (*Policy, error) {
	cfg := parseConfig{maxSize: DefaultMaxSize}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.maxSize <= 0 {
		cfg.maxSize = DefaultMaxSize
	}
	p := &parser{src: src, source: cfg.source, anywhere: cfg.provenance == AWSManaged}
	if len(src) > cfg.maxSize {
		p.errs = append(p.errs, &Error{Code: CodeTooLarge, Pos: Position{Source: cfg.source, Line: 1, Column: 1},
			Message: fmt.Sprintf("document is %d bytes, more than the limit of %d", len(src), cfg.maxSize)})
		return nil, p.errs
	}
	p.lines = jsonpos.NewLines(src)
	p.checkCharacters()
	root, err := jsonpos.Parse(src, maxDepth)
	if err != nil {
		se := err.(*jsonpos.SyntaxError)
		code := CodeInvalidJSON
		if se.TooDeep {
			code = CodeTooDeep
		}
		p.add(code, "", se.Offset, "%s", se.Message)
		return nil, sortErrors(p.errs)
	}
	pol := p.document(root)
	if len(p.errs) > 0 {
		return nil, sortErrors(p.errs)
	}
	return pol, nil
}

// UnmarshalJSON parses data with Parse, so that a Policy embedded in a
// larger JSON document is checked just as strictly.
func (p *Policy) UnmarshalJSON(data []byte) error {
	q, err := Parse(data)
	if err != nil {
		return err
	}
	*p = *q
	return nil
}

type parser struct {
	src       []byte
	source    string
	lines     jsonpos.Lines
	errs      Errors
	variables bool
	anywhere  bool // variables anywhere in a Resource ARN (AWS managed)
	badChars  int
}

func (p *parser) pos(off int) Position {
	l, c := p.lines.Position(off)
	return Position{Source: p.source, Line: l, Column: c, Offset: off}
}

func (p *parser) span(n *jsonpos.Node) Span { return Span{Start: p.pos(n.Start), End: p.pos(n.End)} }

func (p *parser) add(code Code, path string, off int, format string, args ...any) {
	p.errs = append(p.errs, &Error{Code: code, Path: path, Pos: p.pos(off), Message: fmt.Sprintf(format, args...)})
}

// checkCharacters reports characters IAM does not accept in policy text:
// anything but tab, LF, CR and U+0020-U+00FF, and invalid UTF-8.
func (p *parser) checkCharacters() {
	for i := 0; i < len(p.src); {
		c := p.src[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				p.badChar(i, fmt.Sprintf("control character U+%04X is not allowed in a policy", c))
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(p.src[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			p.badChar(i, "invalid UTF-8")
		case r > 0xFF:
			p.badChar(i, fmt.Sprintf("character %q (U+%04X) is outside U+0020-U+00FF, which IAM policies are limited to", r, r))
		}
		i += size
	}
}

func (p *parser) badChar(off int, msg string) {
	p.badChars++
	if p.badChars <= 10 {
		p.add(CodeInvalidCharacter, "", off, "%s", msg)
	}
}

// checkString applies the character rule to a decoded string, which may hold
// characters written as \u escapes.
func (p *parser) checkString(n *jsonpos.Node, path string) {
	if !bytes.ContainsRune(p.src[n.Start:n.End], '\\') {
		return // checkCharacters has seen the raw text
	}
	for _, r := range n.Text {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r > 0xFF {
			p.add(CodeInvalidCharacter, path, n.Start, "escaped character U+%04X is not allowed in a policy", r)
			return
		}
	}
}

// pointerEscaper escapes a JSON Pointer token (RFC 6901).
var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

func pointer(parent string, tokens ...any) string {
	var b strings.Builder
	b.WriteString(parent)
	for _, t := range tokens {
		b.WriteByte('/')
		switch t := t.(type) {
		case int:
			b.WriteString(strconv.Itoa(t))
		case string:
			b.WriteString(pointerEscaper.Replace(t))
		}
	}
	return b.String()
}

// members checks an object's keys against the element names allowed there
// and returns the value of each known element. Duplicate keys, wrongly-cased
// and unknown names are reported.
func (p *parser) members(obj *jsonpos.Node, path string, names []string, what string) map[string]*jsonpos.Member {
	out := map[string]*jsonpos.Member{}
	seen := map[string]bool{}
	for i := range obj.Members {
		m := &obj.Members[i]
		mp := pointer(path, m.Key)
		if seen[m.Key] {
			p.add(CodeDuplicateKey, mp, m.KeyStart, "%s element %q appears more than once", what, m.Key)
			continue
		}
		seen[m.Key] = true
		known, folded := "", ""
		for _, n := range names {
			if n == m.Key {
				known = n
			} else if strings.EqualFold(n, m.Key) {
				folded = n
			}
		}
		switch {
		case known != "":
			out[known] = m
		case folded != "":
			p.add(CodeElementCase, mp, m.KeyStart, "element %q must be written %q (element names are case-sensitive)", m.Key, folded)
		default:
			p.add(CodeUnknownElement, mp, m.KeyStart, "unknown %s element %q (want one of %s)", what, m.Key, strings.Join(names, ", "))
		}
	}
	return out
}

var (
	documentElements  = []string{"Version", "Id", "Statement"}
	statementElements = []string{"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction",
		"Resource", "NotResource", "Condition"}
	principalTypes = []string{"AWS", "Federated", "Service", "CanonicalUser"}
)

func (p *parser) document(root *jsonpos.Node) *Policy {
	if root.Kind != jsonpos.Object {
		p.add(CodeInvalidType, "", root.Start, "a policy must be a JSON object, not %s", root.Kind)
		return nil
	}
	pol := &Policy{Span: p.span(root)}
	els := p.members(root, "", documentElements, "policy")
	if m := els["Version"]; m != nil {
		if s, ok := p.stringValue(m.Value, "/Version", "Version"); ok {
			if s != Version2012 && s != Version2008 {
				p.add(CodeInvalidVersion, "/Version", m.Value.Start, "Version %q is not %q or %q", s, Version2012, Version2008)
			}
			pol.Version = s
		}
	}
	p.variables = pol.VariablesEnabled()
	if m := els["Id"]; m != nil {
		if s, ok := p.stringValue(m.Value, "/Id", "Id"); ok {
			pol.ID = s
		}
	}
	m := els["Statement"]
	if m == nil {
		p.add(CodeMissingElement, "", root.Start, "the policy has no Statement element")
		return pol
	}
	switch v := m.Value; v.Kind {
	case jsonpos.Object:
		pol.Statements = append(pol.Statements, p.statement(v, "/Statement"))
	case jsonpos.Array:
		if len(v.Elems) == 0 {
			p.add(CodeEmptyValue, "/Statement", v.Start, "Statement is an empty list")
		}
		for i, e := range v.Elems {
			path := pointer("/Statement", i)
			if e.Kind != jsonpos.Object {
				p.add(CodeInvalidType, path, e.Start, "a statement must be a JSON object, not %s", e.Kind)
				continue
			}
			pol.Statements = append(pol.Statements, p.statement(e, path))
		}
	default:
		p.add(CodeInvalidType, "/Statement", v.Start, "Statement must be an object or a list of objects, not %s", v.Kind)
	}
	sids := map[string]int{}
	for i, st := range pol.Statements {
		if st.Sid == "" {
			continue
		}
		if j, dup := sids[st.Sid]; dup {
			p.add(CodeDuplicateSid, pointer("/Statement", i, "Sid"), st.Span.Start.Offset,
				"Sid %q is already used by statement %d", st.Sid, j)
			continue
		}
		sids[st.Sid] = i
	}
	return pol
}

func (p *parser) stringValue(n *jsonpos.Node, path, what string) (string, bool) {
	if n.Kind != jsonpos.String {
		p.add(CodeInvalidType, path, n.Start, "%s must be a string, not %s", what, n.Kind)
		return "", false
	}
	p.checkString(n, path)
	return n.Text, true
}

// stringList reads an element that is a string or a list of strings. With
// scalars set, unquoted numbers and booleans are accepted as their text.
func (p *parser) stringList(n *jsonpos.Node, path, what string, scalars bool) ([]string, bool) {
	one := func(e *jsonpos.Node, path string) (string, bool) {
		switch {
		case e.Kind == jsonpos.String:
			p.checkString(e, path)
			return e.Text, true
		case scalars && (e.Kind == jsonpos.Number || e.Kind == jsonpos.Bool):
			return e.Text, true
		}
		want := "a string"
		if scalars {
			want = "a string, number or boolean"
		}
		p.add(CodeInvalidType, path, e.Start, "%s value must be %s, not %s", what, want, e.Kind)
		return "", false
	}
	if n.Kind != jsonpos.Array {
		s, ok := one(n, path)
		if !ok {
			return nil, false
		}
		return []string{s}, true
	}
	if len(n.Elems) == 0 {
		p.add(CodeEmptyValue, path, n.Start, "%s is an empty list", what)
		return nil, false
	}
	out := make([]string, 0, len(n.Elems))
	ok := true
	for i, e := range n.Elems {
		s, good := one(e, pointer(path, i))
		ok = ok && good
		out = append(out, s)
	}
	return out, ok
}

func (p *parser) statement(n *jsonpos.Node, path string) Statement {
	st := Statement{Span: p.span(n)}
	els := p.members(n, path, statementElements, "statement")
	if m := els["Sid"]; m != nil {
		if s, ok := p.stringValue(m.Value, pointer(path, "Sid"), "Sid"); ok {
			st.Sid = s
		}
	}
	if m := els["Effect"]; m == nil {
		p.add(CodeMissingElement, path, n.Start, "the statement has no Effect element")
	} else if s, ok := p.stringValue(m.Value, pointer(path, "Effect"), "Effect"); ok {
		switch s {
		case "Allow":
			st.Effect = Allow
		case "Deny":
			st.Effect = Deny
		default:
			hint := ""
			if strings.EqualFold(s, "allow") || strings.EqualFold(s, "deny") {
				hint = " (Effect is case-sensitive)"
			}
			p.add(CodeInvalidEffect, pointer(path, "Effect"), m.Value.Start, "Effect %q is not \"Allow\" or \"Deny\"%s", s, hint)
		}
	}
	conflict := func(a, b string) {
		if els[a] != nil && els[b] != nil {
			m := els[b]
			p.add(CodeConflict, pointer(path, b), m.KeyStart, "a statement may have %s or %s, not both", a, b)
		}
	}
	conflict("Principal", "NotPrincipal")
	conflict("Action", "NotAction")
	conflict("Resource", "NotResource")
	if els["Action"] == nil && els["NotAction"] == nil {
		p.add(CodeMissingElement, path, n.Start, "the statement has neither Action nor NotAction")
	}
	if m := els["Principal"]; m != nil {
		st.Principal = p.principals(m.Value, pointer(path, "Principal"))
	}
	if m := els["NotPrincipal"]; m != nil {
		st.NotPrincipal = p.principals(m.Value, pointer(path, "NotPrincipal"))
	}
	for _, name := range []string{"Action", "NotAction"} {
		m := els[name]
		if m == nil {
			continue
		}
		vp := pointer(path, name)
		list, _ := p.stringList(m.Value, vp, name, false)
		for i, a := range list {
			if code, msg := checkAction(a); code != "" {
				p.add(code, elemPath(vp, m.Value, i), elemStart(m.Value, i), "%s", msg)
			}
		}
		if name == "Action" {
			st.Action = list
		} else {
			st.NotAction = list
		}
		st.ActionSpans = p.elemSpans(m.Value, len(list))
	}
	for _, name := range []string{"Resource", "NotResource"} {
		m := els[name]
		if m == nil {
			continue
		}
		vp := pointer(path, name)
		list, _ := p.stringList(m.Value, vp, name, false)
		for i, r := range list {
			if code, msg := checkResource(r, p.variables, p.anywhere); code != "" {
				p.add(code, elemPath(vp, m.Value, i), elemStart(m.Value, i), "%s", msg)
			}
		}
		if name == "Resource" {
			st.Resource = list
		} else {
			st.NotResource = list
		}
		st.ResourceSpans = p.elemSpans(m.Value, len(list))
	}
	if m := els["Condition"]; m != nil {
		st.Conditions = p.conditions(m.Value, pointer(path, "Condition"))
	}
	return st
}

// elemSpans returns the spans of the n values of a string-or-list element:
// the string's, or each list entry's; nil when n is 0.
func (p *parser) elemSpans(v *jsonpos.Node, n int) []Span {
	if n == 0 {
		return nil
	}
	out := make([]Span, n)
	for i := range out {
		e := v
		if v.Kind == jsonpos.Array && i < len(v.Elems) {
			e = v.Elems[i]
		}
		out[i] = p.span(e)
	}
	return out
}

func elemPath(path string, n *jsonpos.Node, i int) string {
	if n.Kind == jsonpos.Array {
		return pointer(path, i)
	}
	return path
}

func elemStart(n *jsonpos.Node, i int) int {
	if n.Kind == jsonpos.Array && i < len(n.Elems) {
		return n.Elems[i].Start
	}
	return n.Start
}

func (p *parser) principals(n *jsonpos.Node, path string) *Principals {
	pr := &Principals{Span: p.span(n)}
	switch n.Kind {
	case jsonpos.String:
		p.checkString(n, path)
		if n.Text != "*" {
			p.add(CodeInvalidPrincipal, path, n.Start, "a principal written as a string must be \"*\"; name principals as {\"AWS\": %q}, {\"Service\": ...}, ...", n.Text)
			return pr
		}
		pr.Wildcard = true
		return pr
	case jsonpos.Object:
	default:
		p.add(CodeInvalidType, path, n.Start, "a principal must be \"*\" or an object, not %s", n.Kind)
		return pr
	}
	if len(n.Members) == 0 {
		p.add(CodeEmptyValue, path, n.Start, "the principal object is empty")
		return pr
	}
	els := p.members(n, path, principalTypes, "principal type")
	for _, typ := range principalTypes {
		m := els[typ]
		if m == nil {
			continue
		}
		vp := pointer(path, typ)
		list, _ := p.stringList(m.Value, vp, typ, false)
		for i, v := range list {
			if msg := checkPrincipal(typ, v); msg != "" {
				p.add(CodeInvalidPrincipal, elemPath(vp, m.Value, i), elemStart(m.Value, i), "%s", msg)
			}
		}
		switch typ {
		case "AWS":
			pr.AWS = list
		case "Federated":
			pr.Federated = list
		case "Service":
			pr.Service = list
		case "CanonicalUser":
			pr.CanonicalUser = list
		}
	}
	return pr
}

func (p *parser) conditions(n *jsonpos.Node, path string) []Condition {
	if n.Kind != jsonpos.Object {
		p.add(CodeInvalidType, path, n.Start, "Condition must be an object of operators, not %s", n.Kind)
		return nil
	}
	if len(n.Members) == 0 {
		p.add(CodeEmptyValue, path, n.Start, "the Condition block is empty")
		return nil
	}
	var out []Condition
	seenOp := map[string]bool{}
	for _, om := range n.Members {
		op := om.Key
		opPath := pointer(path, op)
		if seenOp[op] {
			p.add(CodeDuplicateKey, opPath, om.KeyStart, "condition operator %q appears more than once in this Condition block", op)
			continue
		}
		seenOp[op] = true
		operator, known := LookupOperator(op)
		if !known {
			p.add(CodeUnknownOperator, opPath, om.KeyStart, "%s", unknownOperatorMessage(op))
		}
		body := om.Value
		if body.Kind != jsonpos.Object {
			p.add(CodeInvalidType, opPath, body.Start, "the value of condition operator %q must be an object of condition keys, not %s", op, body.Kind)
			continue
		}
		if len(body.Members) == 0 {
			p.add(CodeEmptyValue, opPath, body.Start, "condition operator %q has no condition keys", op)
			continue
		}
		seenKey := map[string]bool{}
		for _, km := range body.Members {
			keyPath := pointer(opPath, km.Key)
			lk := strings.ToLower(km.Key)
			if seenKey[lk] {
				p.add(CodeDuplicateKey, keyPath, km.KeyStart, "condition key %q appears more than once under %s (key names are case-insensitive)", km.Key, op)
				continue
			}
			seenKey[lk] = true
			if code, msg := checkConditionKey(km.Key); code != "" {
				p.add(code, keyPath, km.KeyStart, "%s", msg)
				continue
			}
			vals, ok := p.stringList(km.Value, keyPath, "condition", true)
			if !ok {
				continue
			}
			if known {
				for i, v := range vals {
					if code, msg := checkConditionValue(operator, v, p.variables); code != "" {
						p.add(code, elemPath(keyPath, km.Value, i), elemStart(km.Value, i), "%s %s: %s", op, km.Key, msg)
					}
				}
			}
			out = append(out, Condition{Operator: op, Key: km.Key, Values: vals,
				Span: Span{Start: p.pos(km.KeyStart), End: p.pos(km.Value.End)}})
		}
	}
	return out
}

func unknownOperatorMessage(op string) string {
	rest := op
	for _, q := range []string{"ForAllValues:", "ForAnyValue:"} {
		if len(rest) >= len(q) && strings.EqualFold(rest[:len(q)], q) {
			rest = rest[len(q):]
		}
	}
	rest = strings.TrimSuffix(rest, "IfExists")
	for _, b := range baseOperators {
		if strings.EqualFold(b.Name, rest) && b.Name != rest {
			return fmt.Sprintf("unknown condition operator %q (operator names are case-sensitive: %q)", op, b.Name)
		}
		if b.Name == rest {
			switch {
			case !b.IfExistsAllowed && strings.HasSuffix(op, "IfExists"):
				return fmt.Sprintf("condition operator %q: %s does not take IfExists", op, b.Name)
			case !b.SetQualifiable && rest != op:
				return fmt.Sprintf("condition operator %q: %s does not take ForAllValues:/ForAnyValue:", op, b.Name)
			}
		}
	}
	return fmt.Sprintf("unknown condition operator %q", op)
}

// checkAction checks one Action or NotAction value: "*" or "service:name",
// where both parts are non-empty and may hold the wildcards * and ?.
func checkAction(a string) (Code, string) {
	if a == "*" {
		return "", ""
	}
	svc, name, ok := strings.Cut(a, ":")
	if !ok || svc == "" || name == "" || strings.Contains(name, ":") {
		return CodeInvalidAction, fmt.Sprintf("action %q is not \"*\" or of the form \"service:ActionName\"", a)
	}
	for _, r := range svc {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '*' || r == '?') {
			return CodeInvalidAction, fmt.Sprintf("action %q: service prefix %q has character %q", a, svc, r)
		}
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' || r == '*' || r == '?') {
			return CodeInvalidAction, fmt.Sprintf("action %q: action name %q has character %q", a, name, r)
		}
	}
	return "", ""
}

// checkResource checks one Resource or NotResource value: "*" or an ARN
// pattern (docs/semantics.md §5.2), with well-formed policy variables when they are on,
// after the fifth colon unless anywhere (an AWS managed policy) is set.
func checkResource(r string, variables, anywhere bool) (Code, string) {
	if r == "*" {
		return "", ""
	}
	var opts []arn.Option
	if !variables {
		opts = append(opts, arn.WithoutVariables())
	}
	if anywhere {
		opts = append(opts, arn.WithVariablesAnywhere())
	}
	err := arn.CheckPattern(r, opts...)
	if err == nil {
		return "", ""
	}
	if variables && strings.Contains(r, "${") {
		// The variables are at fault when the ARN is sound with each
		// written as plain text.
		if err2 := arn.CheckPattern(plainVariables(r), arn.WithoutVariables()); err2 == nil {
			return CodeInvalidVariable, fmt.Sprintf("resource %q: %v", r, err)
		}
	}
	return CodeInvalidResource, fmt.Sprintf("resource %q is not \"*\" or a valid ARN pattern: %v", r, err)
}

// plainVariables returns r with each closed "${...}" written as "x", so
// that the colons of a variable's key are not read as the ARN's.
func plainVariables(r string) string {
	var b strings.Builder
	for {
		i := strings.Index(r, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(r[i:], '}')
		if j < 0 {
			break
		}
		b.WriteString(r[:i])
		b.WriteByte('x')
		r = r[i+j+1:]
	}
	b.WriteString(r)
	return b.String()
}

// checkConditionKey checks a condition key's name: not empty, and without
// policy variables, which IAM substitutes only in values (docs/semantics.md §7).
func checkConditionKey(key string) (Code, string) {
	switch {
	case strings.TrimSpace(key) == "":
		return CodeEmptyValue, "empty condition key name"
	case strings.Contains(key, "${"):
		return CodeInvalidVariable, fmt.Sprintf("condition key %q: policy variables are allowed in condition values, not in condition keys (docs/semantics.md §7)", key)
	}
	return "", ""
}

// isCloudFrontOAI reports whether v is a CloudFront origin access
// identity, the one AWS principal ARN whose account is not a number:
// arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ID, as
// S3 bucket policies written for CloudFront name it.
func isCloudFrontOAI(v string) bool {
	id, ok := strings.CutPrefix(v, "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity ")
	return ok && id != "" && isAlnum(id)
}

// checkPrincipal checks one principal value of the given type and returns a
// message when it is malformed (docs/semantics.md §4.3).
func checkPrincipal(typ, v string) string {
	if v == "" {
		return fmt.Sprintf("empty %s principal", typ)
	}
	if strings.Contains(v, "${") {
		return fmt.Sprintf("%s principal %q: policy variables are allowed only in Resource and in condition values, not in Principal (docs/semantics.md §7)", typ, v)
	}
	switch typ {
	case "AWS":
		if v == "*" || arn.IsAccountID(v) || isUniqueID(v) || isCloudFrontOAI(v) {
			return ""
		}
		a, err := arn.Parse(v)
		if err != nil {
			return fmt.Sprintf("AWS principal %q is not \"*\", an account ID or a principal ARN: %v", v, err)
		}
		if strings.ContainsAny(v, "*?") {
			return fmt.Sprintf("AWS principal %q: wildcards may not stand for part of a principal ARN (use \"*\" with a condition on aws:PrincipalArn)", v)
		}
		if !arn.IsAccountID(a.Account) || a.Region != "" {
			return fmt.Sprintf("AWS principal %q: want arn:PARTITION:iam::ACCOUNT-ID:... with a 12-digit account", v)
		}
		switch a.Service {
		case "iam":
			if a.Resource == "root" || hasNamedPrefix(a.Resource, "user/") || hasNamedPrefix(a.Resource, "role/") {
				return ""
			}
			if strings.HasPrefix(a.Resource, "group/") {
				return fmt.Sprintf("AWS principal %q: IAM groups cannot be principals", v)
			}
		case "sts":
			if r, ok := strings.CutPrefix(a.Resource, "assumed-role/"); ok {
				role, sess, ok := strings.Cut(r, "/")
				if ok && role != "" && sess != "" && !strings.Contains(sess, "/") {
					return ""
				}
			} else if hasNamedPrefix(a.Resource, "federated-user/") && !strings.Contains(a.Resource[len("federated-user/"):], "/") {
				return ""
			}
		}
		return fmt.Sprintf("AWS principal %q is not an account root, user, role, assumed-role session or federated user ARN", v)
	case "Service":
		if strings.ContainsAny(v, "*? /:") || !strings.Contains(v, ".") {
			return fmt.Sprintf("Service principal %q is not a service name such as \"ec2.amazonaws.com\"", v)
		}
	case "Federated":
		if strings.ContainsAny(v, "*? ") {
			return fmt.Sprintf("Federated principal %q may not hold wildcards or spaces", v)
		}
	case "CanonicalUser":
		if len(v) != 64 || strings.Trim(strings.ToLower(v), "0123456789abcdef") != "" {
			return fmt.Sprintf("CanonicalUser principal %q is not 64 hexadecimal digits", v)
		}
	}
	return ""
}

func hasNamedPrefix(s, prefix string) bool {
	return strings.HasPrefix(s, prefix) && len(s) > len(prefix)
}

// isUniqueID recognises an IAM unique ID (AIDA..., AROA..., ...), which AWS
// shows in place of a principal that was deleted.
func isUniqueID(s string) bool {
	if len(s) < 16 || len(s) > 128 || s[0] != 'A' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !(s[i] >= 'A' && s[i] <= 'Z' || s[i] >= '0' && s[i] <= '9') {
			return false
		}
	}
	return true
}

// checkConditionValue checks that v can be a value of op's type.
func checkConditionValue(op Operator, v string, variables bool) (Code, string) {
	hasVar := variables && op.Variables && strings.Contains(v, "${")
	if hasVar {
		mode := arn.LiteralMode
		if _, err := arn.CompilePattern(v, arn.WithMode(mode)); err != nil {
			return CodeInvalidVariable, fmt.Sprintf("value %q: %v", v, err)
		}
		return "", ""
	}
	var ok bool
	var want string
	switch op.Type {
	case TypeNumeric:
		_, ok = ParseNumber(v)
		want = "a number"
	case TypeDate:
		_, ok = ParseDate(v)
		want = "an ISO 8601 date or epoch seconds"
	case TypeBool, TypeNull:
		_, ok = ParseBool(v)
		want = "true or false"
	case TypeBinary:
		_, ok = ParseBinary(v)
		want = "base64"
	case TypeIP:
		_, ok = ParseIP(v)
		want = "an IPv4 or IPv6 address or CIDR block"
	default:
		return "", ""
	}
	if !ok {
		return CodeInvalidCondValue, fmt.Sprintf("value %q is not %s", v, want)
	}
	return "", ""
}

// String renders the position as "source:line:col", leaving out unknown
// parts; "-" when nothing is known.
func (p Position) String() string {
	var parts []string
	if p.Source != "" {
		parts = append(parts, p.Source)
	}
	if p.IsValid() {
		parts = append(parts, strconv.Itoa(p.Line), strconv.Itoa(p.Column))
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ":")
}
