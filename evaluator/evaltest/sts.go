package evaltest

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/sts"
	"github.com/iamsim/iamsim/policy"
)

// SessionCall is a case's STS call: the case's request is made with the
// credentials it returns, or the call itself is expected to fail. Exactly
// one of the inputs is set. The case's identityPolicies and
// permissionsBoundary are the role's (for GetFederationToken, the calling
// user's); its resourcePolicy, scps and rcps bear on the session's request.
type SessionCall struct {
	AssumeRole                *sts.AssumeRoleInput
	AssumeRoleWithSAML        *sts.AssumeRoleWithSAMLInput
	AssumeRoleWithWebIdentity *sts.AssumeRoleWithWebIdentityInput
	GetFederationToken        *sts.GetFederationTokenInput
}

// Call makes the STS call.
func (sc *SessionCall) Call() (*sts.Session, error) {
	switch {
	case sc.AssumeRole != nil:
		return sts.AssumeRole(*sc.AssumeRole)
	case sc.AssumeRoleWithSAML != nil:
		return sts.AssumeRoleWithSAML(*sc.AssumeRoleWithSAML)
	case sc.AssumeRoleWithWebIdentity != nil:
		return sts.AssumeRoleWithWebIdentity(*sc.AssumeRoleWithWebIdentity)
	case sc.GetFederationToken != nil:
		return sts.GetFederationToken(*sc.GetFederationToken)
	}
	return nil, errors.New("evaltest: empty SessionCall")
}

// ExpectedError is the STS error a case expects its call to fail with.
type ExpectedError struct {
	// Code is the AWS error code (ValidationError, AccessDenied, ...).
	Code string
	// Parameter, when not empty, is the STS parameter the error must name.
	Parameter string
}

// String renders "Code" or "Code (Parameter)".
func (e ExpectedError) String() string {
	if e.Parameter == "" {
		return e.Code
	}
	return e.Code + " (" + e.Parameter + ")"
}

// The fields each STS block takes, by case-file key.
var stsFields = map[string][]string{
	"assumeRole": {"roleArn", "roleId", "trustPolicy", "maxSessionDuration", "roleTags", "caller",
		"roleSessionName", "policy", "policyArns", "managedPolicies", "durationSeconds", "tags",
		"transitiveTagKeys", "sourceIdentity", "externalId", "serialNumber", "tokenCode", "issuedAt"},
	"assumeRoleWithSAML": {"roleArn", "roleId", "trustPolicy", "maxSessionDuration", "roleTags",
		"principalArn", "claims", "roleSessionName", "policy", "policyArns", "managedPolicies",
		"durationSeconds", "tags", "transitiveTagKeys", "sourceIdentity", "issuedAt"},
	"assumeRoleWithWebIdentity": {"roleArn", "roleId", "trustPolicy", "maxSessionDuration", "roleTags",
		"provider", "claims", "roleSessionName", "policy", "policyArns", "managedPolicies",
		"durationSeconds", "tags", "transitiveTagKeys", "sourceIdentity", "issuedAt"},
	"getFederationToken": {"caller", "name", "policy", "policyArns", "managedPolicies",
		"durationSeconds", "tags", "issuedAt"},
}

// fieldsOf checks that n is a mapping holding only the allowed keys, each
// once, and returns the values by key.
func fieldsOf(n *yaml.Node, what string, allowed []string) (map[string]*yaml.Node, error) {
	return fieldsOfOnce(n, what, allowed, map[*yaml.Node]bool{})
}

// fieldsOfOnce is fieldsOf; seen holds the mappings already merged, so that
// merges of merges are read once each.
func fieldsOfOnce(n *yaml.Node, what string, allowed []string, seen map[*yaml.Node]bool) (map[string]*yaml.Node, error) {
	seen[n] = true
	if n.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("line %d: %s must be a mapping", n.Line, what)
	}
	out := map[string]*yaml.Node{}
	var merged []*yaml.Node // mappings merged in with YAML's "<<" key
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		for v.Kind == yaml.AliasNode && v.Alias != nil {
			v = v.Alias
		}
		if k.Tag == "!!merge" || (k.Value == "<<" && k.Style == 0) {
			switch v.Kind {
			case yaml.MappingNode:
				merged = append(merged, v)
			case yaml.SequenceNode:
				merged = append(merged, v.Content...)
			default:
				return nil, fmt.Errorf("line %d: %s: << must merge a mapping", k.Line, what)
			}
			continue
		}
		ok := false
		for _, a := range allowed {
			ok = ok || a == k.Value
		}
		if !ok {
			return nil, fmt.Errorf("line %d: unknown %s field %q (want one of %s)", k.Line, what, k.Value, strings.Join(allowed, ", "))
		}
		if _, dup := out[k.Value]; dup {
			return nil, fmt.Errorf("line %d: %s field %q given twice", k.Line, what, k.Value)
		}
		out[k.Value] = v
	}
	// Keys given explicitly win over merged ones; earlier merges win over
	// later ones, as YAML specifies.
	for _, m := range merged {
		for m.Kind == yaml.AliasNode && m.Alias != nil {
			m = m.Alias
		}
		if seen[m] {
			continue
		}
		mf, err := fieldsOfOnce(m, what, allowed, seen)
		if err != nil {
			return nil, err
		}
		for k, v := range mf {
			if _, ok := out[k]; !ok {
				out[k] = v
			}
		}
	}
	return out, nil
}

// stsBuilder decodes one STS block.
type stsBuilder struct {
	ld   *loader
	what string
	f    map[string]*yaml.Node
	err  error
}

func (b *stsBuilder) fail(err error) {
	if b.err == nil {
		b.err = err
	}
}

func (b *stsBuilder) str(key string, required bool) string {
	n := b.f[key]
	if (n == nil || isNull(n)) && !required {
		return "" // absent, or null to drop a value merged in from defaults
	}
	s, err := str(n, b.what+"."+key, required)
	b.fail(err)
	return s
}

func (b *stsBuilder) num(key string) int {
	s := b.str(key, false)
	if s == "" {
		return 0
	}
	v, err := strconv.Atoi(s)
	switch {
	case errors.Is(err, strconv.ErrRange):
		b.fail(fmt.Errorf("line %d: %s.%s %s is out of range", b.f[key].Line, b.what, key, s))
	case err != nil:
		b.fail(fmt.Errorf("line %d: %s.%s must be a whole number", b.f[key].Line, b.what, key))
	}
	return v
}

func (b *stsBuilder) list(key string) []string {
	n := b.f[key]
	if n == nil {
		return nil
	}
	l, err := strList(n, b.what+"."+key)
	b.fail(err)
	return l
}

// tags reads a mapping of tag key to value, keeping its order.
func (b *stsBuilder) tags(key string) []sts.Tag {
	n := b.f[key]
	if n == nil || isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		b.fail(fmt.Errorf("line %d: %s.%s must be a mapping of tag key to value", n.Line, b.what, key))
		return nil
	}
	var out []sts.Tag
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			b.fail(fmt.Errorf("line %d: %s.%s %q: the value must be a string", v.Line, b.what, key, k.Value))
			return nil
		}
		out = append(out, sts.Tag{Key: k.Value, Value: v.Value})
	}
	return out
}

// policyText returns the inline session policy as text: a string as
// written, a {file: path} as the file's bytes, a policy mapping as compact
// JSON.
func (b *stsBuilder) policyText(key string) string {
	n := b.f[key]
	if n == nil || isNull(n) {
		return ""
	}
	switch {
	case n.Kind == yaml.ScalarNode:
		return n.Value
	case n.Kind == yaml.MappingNode && len(n.Content) == 2 && n.Content[0].Value == "file":
		full, err := b.ld.refs.resolve(n.Content[1].Value)
		if err != nil {
			b.fail(fmt.Errorf("line %d: %s.%s: %w", n.Line, b.what, key, err))
			return ""
		}
		src, err := readFile(full)
		if err != nil {
			b.fail(fmt.Errorf("line %d: %s.%s: %w", n.Line, b.what, key, err))
		}
		return string(src)
	}
	var buf bytes.Buffer
	if err := nodeJSON(&buf, n); err != nil {
		b.fail(fmt.Errorf("line %d: %s.%s: %w", n.Line, b.what, key, err))
	}
	return buf.String()
}

func (b *stsBuilder) managed() sts.ManagedPolicies {
	n := b.f["managedPolicies"]
	if n == nil || isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		b.fail(fmt.Errorf("line %d: %s.managedPolicies must be a mapping of policy ARN to policy", n.Line, b.what))
		return nil
	}
	out := sts.ManagedPolicies{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		in, err := b.ld.loadPolicy(n.Content[i+1], n.Content[i].Value)
		b.fail(err)
		out[n.Content[i].Value] = in.Policy
	}
	return out
}

func (b *stsBuilder) context(key string) evaluator.Context {
	ctx, err := context(b.f[key])
	b.fail(err)
	return ctx
}

func (b *stsBuilder) issuedAt(req *evaluator.Request) time.Time {
	s := b.str("issuedAt", false)
	if s == "" {
		// Default: the time of the case's request, if it gives one.
		if v, ok := req.Context.Lookup("aws:CurrentTime"); ok && len(v.Values) == 1 {
			s = v.Values[0]
		} else {
			return time.Time{}
		}
	}
	t, ok := policy.ParseDate(s)
	if !ok {
		b.fail(fmt.Errorf("%s.issuedAt %q is not a date", b.what, s))
	}
	return t
}

// role reads the role fields shared by the AssumeRole* blocks; the role's
// policies are the case's.
func (b *stsBuilder) role(set evaluator.PolicySet) sts.Role {
	r := sts.Role{ARN: b.str("roleArn", true), ID: b.str("roleId", false), Tags: b.tags("roleTags")}
	if n := b.f["trustPolicy"]; n == nil {
		b.fail(fmt.Errorf("%s: missing trustPolicy", b.what))
	} else {
		in, err := b.ld.loadPolicy(n, "trustPolicy")
		b.fail(err)
		r.TrustPolicy = &in
	}
	// Check the seconds before they become a time.Duration, which a huge
	// number overflows (2^55+3600 seconds would be one hour).
	if m := b.num("maxSessionDuration"); m != 0 && (m < int(sts.DefaultRoleSessionDuration/time.Second) || m > int(sts.MaxRoleSessionDuration/time.Second)) {
		b.fail(fmt.Errorf("line %d: %s.maxSessionDuration %d must be from %d to %d seconds", b.f["maxSessionDuration"].Line, b.what, m,
			int(sts.DefaultRoleSessionDuration/time.Second), int(sts.MaxRoleSessionDuration/time.Second)))
	} else {
		r.MaxSessionDuration = time.Duration(m) * time.Second
	}
	r.Policies = principalSet(set)
	return r
}

// caller reads a caller mapping: principal, sessionIssuer, context and, when
// own is true, the caller's own policies.
func (b *stsBuilder) caller(own bool) sts.Caller {
	n := b.f["caller"]
	if n == nil {
		b.fail(fmt.Errorf("%s: missing caller", b.what))
		return sts.Caller{}
	}
	allowed := []string{"principal", "sessionIssuer", "context"}
	if own {
		allowed = append(allowed, "identityPolicies", "permissionsBoundary", "sessionPolicies", "scps")
	}
	f, err := fieldsOf(n, b.what+".caller", allowed)
	if err != nil {
		b.fail(err)
		return sts.Caller{}
	}
	cb := &stsBuilder{ld: b.ld, what: b.what + ".caller", f: f}
	c := sts.Caller{Principal: cb.str("principal", true), SessionIssuer: cb.str("sessionIssuer", false), Context: cb.context("context")}
	if own {
		var err error
		if c.Policies.Identity, err = b.ld.policyList(f["identityPolicies"], "caller.identityPolicies"); err != nil {
			cb.fail(err)
		}
		if pb := f["permissionsBoundary"]; pb != nil && !isNull(pb) {
			in, err := b.ld.loadPolicy(pb, "caller.permissionsBoundary")
			cb.fail(err)
			c.Policies.PermissionsBoundary = &in
		}
		if c.Policies.Session, err = b.ld.policyList(f["sessionPolicies"], "caller.sessionPolicies"); err != nil {
			cb.fail(err)
		}
		if c.Policies.SCPs, err = b.ld.policyLevels(f["scps"], "caller.scps"); err != nil {
			cb.fail(err)
		}
	}
	b.fail(cb.err)
	return c
}

// buildSession decodes the case's STS block (key is its case-file name).
// set holds the case's policies: the role's, or the federating user's.
// principalSet is the case's policy set without the session's and the
// resource's policies: the role's (or federating user's) own.
func principalSet(set evaluator.PolicySet) evaluator.PolicySet {
	set.Session, set.Resource = nil, nil
	return set
}

func buildSession(ld *loader, key string, n *yaml.Node, set evaluator.PolicySet, req *evaluator.Request) (*SessionCall, error) {
	f, err := fieldsOf(n, key, stsFields[key])
	if err != nil {
		return nil, err
	}
	b := &stsBuilder{ld: ld, what: key, f: f}
	sc := &SessionCall{}
	switch key {
	case "assumeRole":
		sc.AssumeRole = &sts.AssumeRoleInput{
			Caller: b.caller(true), Role: b.role(set), RoleSessionName: b.str("roleSessionName", true),
			Policy: b.policyText("policy"), PolicyArns: b.list("policyArns"), ManagedPolicies: b.managed(),
			DurationSeconds: b.num("durationSeconds"), Tags: b.tags("tags"), TransitiveTagKeys: b.list("transitiveTagKeys"),
			SourceIdentity: b.str("sourceIdentity", false), ExternalID: b.str("externalId", false),
			SerialNumber: b.str("serialNumber", false), TokenCode: b.str("tokenCode", false), Now: b.issuedAt(req),
		}
	case "assumeRoleWithSAML":
		sc.AssumeRoleWithSAML = &sts.AssumeRoleWithSAMLInput{
			Role: b.role(set), PrincipalArn: b.str("principalArn", true), Claims: b.context("claims"),
			RoleSessionName: b.str("roleSessionName", true),
			Policy:          b.policyText("policy"), PolicyArns: b.list("policyArns"), ManagedPolicies: b.managed(),
			DurationSeconds: b.num("durationSeconds"), Tags: b.tags("tags"), TransitiveTagKeys: b.list("transitiveTagKeys"),
			SourceIdentity: b.str("sourceIdentity", false), Now: b.issuedAt(req),
		}
	case "assumeRoleWithWebIdentity":
		sc.AssumeRoleWithWebIdentity = &sts.AssumeRoleWithWebIdentityInput{
			Role: b.role(set), Provider: b.str("provider", true), Claims: b.context("claims"),
			RoleSessionName: b.str("roleSessionName", true),
			Policy:          b.policyText("policy"), PolicyArns: b.list("policyArns"), ManagedPolicies: b.managed(),
			DurationSeconds: b.num("durationSeconds"), Tags: b.tags("tags"), TransitiveTagKeys: b.list("transitiveTagKeys"),
			SourceIdentity: b.str("sourceIdentity", false), Now: b.issuedAt(req),
		}
	case "getFederationToken":
		c := b.caller(false)
		c.Policies = principalSet(set)
		sc.GetFederationToken = &sts.GetFederationTokenInput{
			Caller: c, Name: b.str("name", true),
			Policy: b.policyText("policy"), PolicyArns: b.list("policyArns"), ManagedPolicies: b.managed(),
			DurationSeconds: b.num("durationSeconds"), Tags: b.tags("tags"), Now: b.issuedAt(req),
		}
	}
	if b.err != nil {
		return nil, b.err
	}
	return sc, nil
}

// expectedError reads expectError: a code, or {code, parameter}.
func expectedError(n *yaml.Node) (*ExpectedError, error) {
	if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		return &ExpectedError{Code: n.Value}, nil
	}
	f, err := fieldsOf(n, "expectError", []string{"code", "parameter"})
	if err != nil {
		return nil, err
	}
	b := &stsBuilder{what: "expectError", f: f}
	e := &ExpectedError{Code: b.str("code", true), Parameter: b.str("parameter", false)}
	return e, b.err
}
