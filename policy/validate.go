package policy

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Size quotas, in characters, measured on the compact JSON form that
// MarshalJSON writes (whitespace outside strings not counted), as IAM
// measures them (docs/semantics.md §4.4).
const (
	QuotaIdentity            = 10240 // aggregate inline policy size of a role, the largest identity quota
	QuotaManaged             = 6144  // a managed policy, which every permissions boundary is
	QuotaSession             = 2048  // the plaintext session policy of an STS call
	QuotaTrustPolicy         = 2048  // a role trust policy, by default (adjustable to 4,096)
	QuotaTrustPolicyMax      = 4096  // the most a trust-policy quota increase allows
	QuotaOrganizationsPolicy = 5120  // an SCP or RCP document
	QuotaKeyPolicy           = 32768 // a KMS key policy
)

// ValidateOption configures Validate.
type ValidateOption func(*validateConfig)

type validateConfig struct {
	trustLimit int
	scpStrict  bool
	noQuota    bool
	text       []byte
	provenance Provenance
}

// WithText gives the text the policy was parsed from, so that its size
// quota is measured on the document as written, as AWS measures it: every
// character of an SCP, an RCP or a session policy (whose quota is on its
// plaintext), and the characters other than JSON whitespace outside strings
// for the other kinds. Without it, the quota is measured on the policy's
// compact JSON (MarshalJSON), which for a parsed policy can differ from its
// text by a few characters (a lone Statement object is written as a list,
// a one-element list as a string, escapes decoded), and for an SCP, RCP or
// session policy counts no whitespace.
func WithText(src []byte) ValidateOption { return func(c *validateConfig) { c.text = src } }

// WithTrustPolicyLimit sets the account's role trust policy quota, which AWS
// lets accounts raise from 2,048 to 4,096 characters. n is clamped to that
// range.
func WithTrustPolicyLimit(n int) ValidateOption {
	return func(c *validateConfig) { c.trustLimit = min(max(n, QuotaTrustPolicy), QuotaTrustPolicyMax) }
}

// WithoutQuota skips the size quota. Use it for managed policies, which IAM
// held to their quota when it stored them, and which may be passed where an
// inline policy of the same kind has a smaller quota (a managed session
// policy named in an STS call's PolicyArns counts only its ARN there). AWS
// managed policies, which have no quota at all, take ValidateAs(AWSManaged).
func WithoutQuota() ValidateOption { return func(c *validateConfig) { c.noQuota = true } }

// SCP2023Strict applies the SCP syntax AWS Organizations documented until
// 2024: NotAction and Condition only in Deny statements, Allow statements
// with Resource "*" only, no NotResource, and action wildcards only as the
// whole name or at its end. Current AWS accepts the full IAM language in SCPs.
func SCP2023Strict() ValidateOption { return func(c *validateConfig) { c.scpStrict = true } }

// Validate applies the rules that depend on the kind of policy (docs/semantics.md §4.2 and
// 4.4): which elements the kind requires or forbids, Sid characters, the
// restrictions of SCPs and RCPs, and the size quota (which, like the
// fifth-colon rule for variables, binds only policies customers write: see
// ValidateAs). It also re-checks the
// grammar Parse checks, so that a Policy built by hand is held to the same
// rules. Every problem is reported, sorted, as Errors.
func Validate(p *Policy, k Kind, opts ...ValidateOption) error {
	cfg := validateConfig{trustLimit: QuotaTrustPolicy}
	for _, o := range opts {
		o(&cfg)
	}
	if p == nil {
		return Errors{{Code: CodeMissingElement, Message: "no policy"}}
	}
	v := &validator{p: p, kind: k, cfg: cfg}
	v.grammar()
	v.kindRules()
	v.quota()
	if len(v.errs) == 0 {
		return nil
	}
	return sortErrors(v.errs)
}

type validator struct {
	p    *Policy
	kind Kind
	cfg  validateConfig
	errs Errors
}

func (v *validator) add(code Code, path string, pos Position, format string, args ...any) {
	v.errs = append(v.errs, &Error{Code: code, Path: path, Pos: pos, Message: fmt.Sprintf(format, args...)})
}

// grammar repeats Parse's value checks for policies that were not parsed.
func (v *validator) grammar() {
	p := v.p
	if p.Version != "" && p.Version != Version2012 && p.Version != Version2008 {
		v.add(CodeInvalidVersion, "/Version", p.Span.Start, "Version %q is not %q or %q", p.Version, Version2012, Version2008)
	}
	if len(p.Statements) == 0 {
		v.add(CodeMissingElement, "/Statement", p.Span.Start, "the policy has no statements")
	}
	sids := make(map[string]int, len(p.Statements))
	vars := p.VariablesEnabled()
	for i := range p.Statements {
		st := &p.Statements[i]
		// The statement's path is built only for an error: validating a
		// valid policy builds no strings.
		path := func() string { return pointer("/Statement", i) }
		pos := st.Span.Start
		if st.Sid != "" {
			if j, dup := sids[st.Sid]; dup {
				v.add(CodeDuplicateSid, path()+"/Sid", pos, "Sid %q is already used by statement %d", st.Sid, j)
			} else {
				sids[st.Sid] = i
			}
		}
		if st.Effect != Allow && st.Effect != Deny {
			v.add(CodeInvalidEffect, path()+"/Effect", pos, "the statement's Effect is not Allow or Deny")
		}
		pair := func(a, b string, x, y []string, required bool) {
			switch {
			case x != nil && y != nil:
				v.add(CodeConflict, path()+"/"+b, pos, "a statement may have %s or %s, not both", a, b)
			case required && x == nil && y == nil:
				v.add(CodeMissingElement, path(), pos, "the statement has neither %s nor %s", a, b)
			case (x != nil && len(x) == 0) || (y != nil && len(y) == 0):
				v.add(CodeEmptyValue, path(), pos, "the statement has an empty %s or %s list", a, b)
			}
		}
		pair("Action", "NotAction", st.Action, st.NotAction, true)
		pair("Resource", "NotResource", st.Resource, st.NotResource, false)
		if st.Principal != nil && st.NotPrincipal != nil {
			v.add(CodeConflict, path()+"/NotPrincipal", pos, "a statement may have Principal or NotPrincipal, not both")
		}
		for _, list := range [2][]string{st.Action, st.NotAction} {
			for _, a := range list {
				if code, msg := checkAction(a); code != "" {
					v.add(code, path(), pos, "%s", msg)
				}
			}
		}
		for _, list := range [2][]string{st.Resource, st.NotResource} {
			for _, r := range list {
				if code, msg := checkResource(r, vars, v.cfg.provenance == AWSManaged); code != "" {
					v.add(code, path(), pos, "%s", msg)
				}
			}
		}
		for _, el := range [2]struct {
			name string
			pr   *Principals
		}{{"Principal", st.Principal}, {"NotPrincipal", st.NotPrincipal}} {
			name, pr := el.name, el.pr
			if pr == nil {
				continue
			}
			if !pr.Wildcard && len(pr.AWS)+len(pr.Federated)+len(pr.Service)+len(pr.CanonicalUser) == 0 {
				v.add(CodeEmptyValue, path()+"/"+name, pos, "%s names no principal", name)
			}
			for _, tl := range [4]struct {
				typ  string
				list []string
			}{{"AWS", pr.AWS}, {"Federated", pr.Federated}, {"Service", pr.Service}, {"CanonicalUser", pr.CanonicalUser}} {
				for _, s := range tl.list {
					if msg := checkPrincipal(tl.typ, s); msg != "" {
						v.add(CodeInvalidPrincipal, path()+"/"+name, pos, "%s", msg)
					}
				}
			}
		}
		var seen map[[2]string]bool
		for ci, c := range st.Conditions {
			cpath := func() string { return pointer(path()+"/Condition", c.Operator, c.Key) }
			op, ok := LookupOperator(c.Operator)
			if !ok {
				v.add(CodeUnknownOperator, cpath(), c.Span.Start, "%s", unknownOperatorMessage(c.Operator))
				continue
			}
			if code, msg := checkConditionKey(c.Key); code != "" {
				v.add(code, cpath(), c.Span.Start, "%s", msg)
			}
			if condSeen(st.Conditions, ci, &seen) {
				v.add(CodeDuplicateKey, cpath(), c.Span.Start, "condition key %q appears more than once under %s (key names are case-insensitive)", c.Key, c.Operator)
			}
			if len(c.Values) == 0 {
				v.add(CodeEmptyValue, cpath(), c.Span.Start, "condition %s %s has no values", c.Operator, c.Key)
			}
			for _, val := range c.Values {
				if code, msg := checkConditionValue(op, val, vars); code != "" {
					v.add(code, cpath(), c.Span.Start, "%s %s: %s", c.Operator, c.Key, msg)
				}
			}
		}
	}
}

// condSeen reports whether conds[i] repeats the operator and key (in any
// case) of an earlier condition of the statement: a few conditions are
// compared pairwise, many through *seen.
func condSeen(conds []Condition, i int, seen *map[[2]string]bool) bool {
	c := conds[i]
	if len(conds) <= 16 {
		for _, d := range conds[:i] {
			if d.Operator == c.Operator && strings.EqualFold(d.Key, c.Key) {
				return true
			}
		}
		return false
	}
	if *seen == nil {
		*seen = make(map[[2]string]bool, len(conds))
	}
	k := [2]string{c.Operator, strings.ToLower(c.Key)}
	dup := (*seen)[k]
	(*seen)[k] = true
	return dup
}

func (v *validator) notAllowed(path string, pos Position, format string, args ...any) {
	v.add(CodeElementNotAllowed, path, pos, "%s policy: %s", v.kind, fmt.Sprintf(format, args...))
}

func (v *validator) kindRules() {
	p, k := v.p, v.kind
	identityLike := k == Identity || k == PermissionsBoundary || k == Session
	if (identityLike || k == SCP) && p.ID != "" {
		v.notAllowed("/Id", p.Span.Start, "the Id element is not allowed")
	}
	if (k == SCP || k == RCP) && p.Version != Version2012 {
		if p.Version == "" {
			v.add(CodeMissingElement, "/Version", p.Span.Start, "%s policy: Version \"2012-10-17\" is required", k)
		} else {
			v.add(CodeInvalidVersion, "/Version", p.Span.Start, "%s policy: Version must be \"2012-10-17\"", k)
		}
	}
	for i := range p.Statements {
		st := &p.Statements[i]
		path := pointer("/Statement", i)
		pos := st.Span.Start
		if (identityLike || k == TrustPolicy) && st.Sid != "" && !isAlnum(st.Sid) {
			v.add(CodeInvalidSid, path+"/Sid", pos, "%s policy: Sid %q may hold only letters and digits", k, st.Sid)
		}
		switch {
		case identityLike || k == SCP:
			if st.Principal != nil {
				v.notAllowed(path+"/Principal", pos, "the Principal element is not allowed")
			}
			if st.NotPrincipal != nil {
				v.notAllowed(path+"/NotPrincipal", pos, "the NotPrincipal element is not allowed")
			}
			if st.Resource == nil && st.NotResource == nil {
				v.add(CodeMissingElement, path, pos, "%s policy: the statement needs Resource or NotResource", k)
			}
		default: // resource-based kinds
			if st.Principal == nil && st.NotPrincipal == nil {
				v.add(CodeMissingElement, path, pos, "%s policy: the statement needs a Principal", k)
			}
			if st.NotPrincipal != nil {
				switch {
				case k == TrustPolicy || k == RCP:
					v.notAllowed(path+"/NotPrincipal", pos, "the NotPrincipal element is not allowed")
				case st.Effect == Allow:
					v.add(CodeNotPrincipalAllow, path+"/NotPrincipal", pos, "NotPrincipal may be used only with \"Effect\": \"Deny\"")
				}
			}
		}
		switch k {
		case SCP:
			v.scpStatement(st, path, pos)
		case RCP:
			v.rcpStatement(st, path, pos)
		}
	}
}

func (v *validator) scpStatement(st *Statement, path string, pos Position) {
	if !v.cfg.scpStrict {
		return
	}
	if st.Effect == Allow {
		if st.NotAction != nil {
			v.notAllowed(path+"/NotAction", pos, "NotAction is allowed only in Deny statements (SCP 2023 syntax)")
		}
		if len(st.Conditions) > 0 {
			v.notAllowed(path+"/Condition", pos, "Condition is allowed only in Deny statements (SCP 2023 syntax)")
		}
		if len(st.Resource) != 1 || st.Resource[0] != "*" {
			v.notAllowed(path+"/Resource", pos, "an Allow statement's Resource must be \"*\" (SCP 2023 syntax)")
		}
	}
	if st.NotResource != nil {
		v.notAllowed(path+"/NotResource", pos, "NotResource is not supported (SCP 2023 syntax)")
	}
	for _, a := range append(append([]string(nil), st.Action...), st.NotAction...) {
		if i := strings.IndexAny(a, "*?"); i >= 0 && a != "*" && (i != len(a)-1 || a[i] == '?') {
			v.notAllowed(path, pos, "action %q: a wildcard may only end the action name (SCP 2023 syntax)", a)
		}
	}
}

// rcpStatement applies the RCP rules: Principal "*"-style statements, Deny
// only (Allow only as RCPFullAWSAccess), no NotAction.
func (v *validator) rcpStatement(st *Statement, path string, pos Position) {
	if st.NotAction != nil {
		v.notAllowed(path+"/NotAction", pos, "NotAction is not supported")
	}
	if st.Effect == Allow && !isFullAccess(st) {
		v.notAllowed(path+"/Effect", pos, "Allow statements are supported only as RCPFullAWSAccess (Principal \"*\", Action \"*\", Resource \"*\", no Condition)")
	}
}

func isFullAccess(st *Statement) bool {
	return st.Principal != nil && (st.Principal.Wildcard || (len(st.Principal.AWS) == 1 && st.Principal.AWS[0] == "*" &&
		len(st.Principal.Federated)+len(st.Principal.Service)+len(st.Principal.CanonicalUser) == 0)) &&
		len(st.Action) == 1 && st.Action[0] == "*" && len(st.Resource) == 1 && st.Resource[0] == "*" && len(st.Conditions) == 0
}

func (v *validator) quota() {
	if v.cfg.noQuota || v.cfg.provenance == AWSManaged {
		return
	}
	limit := 0
	switch v.kind {
	case Identity:
		limit = QuotaIdentity
	case PermissionsBoundary:
		limit = QuotaManaged
	case Session:
		limit = QuotaSession
	case TrustPolicy:
		limit = v.cfg.trustLimit
	case SCP, RCP:
		limit = QuotaOrganizationsPolicy
	case KeyPolicy:
		limit = QuotaKeyPolicy
	default:
		return
	}
	what := "characters (whitespace not counted)"
	var n int
	switch {
	case v.cfg.text != nil && (v.kind == SCP || v.kind == RCP || v.kind == Session):
		n, what = utf8.RuneCount(v.cfg.text), "characters"
	case v.cfg.text != nil:
		n = countNonSpace(v.cfg.text)
	default:
		b, err := v.p.MarshalJSON()
		if err != nil {
			return
		}
		n = utf8.RuneCount(b)
	}
	if n > limit {
		v.add(CodeQuotaExceeded, "", v.p.Span.Start, "IAM refuses a customer %s policy over %d %s; this one has %d (AWS managed policies have no quota)", v.kind, limit, what, n)
	}
}

// countNonSpace counts the characters of a JSON text other than whitespace
// outside strings: IAM's measure of a policy's size.
func countNonSpace(src []byte) int {
	n, inString, escaped := 0, false, false
	for i := 0; i < len(src); {
		r, w := utf8.DecodeRune(src[i:])
		i += w
		switch {
		case inString && escaped:
			escaped = false
		case inString && r == '\\':
			escaped = true
		case r == '"':
			inString = !inString
		case !inString && (r == ' ' || r == '\t' || r == '\n' || r == '\r'):
			continue
		}
		n++
	}
	return n
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
