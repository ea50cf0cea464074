package snapshot

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/iamsim/iamsim/arn"
	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/policy"
)

// Query asks who can make one request.
type Query struct {
	Action   string
	Resource string
	// ResourceAccount is the account owning the resource. When empty it is
	// the account in the resource's ARN, else (an S3 ARN holds none) the
	// snapshot's account when it holds one account only, else the
	// principal's own account.
	ResourceAccount string
	// Context holds the condition keys the request is known to carry. Every
	// other key, except those derived from the principal (its ARN, account,
	// type, name and tags), is unknown: it may be absent or hold any value.
	Context evaluator.Context
}

// Access is a who-can answer's decision.
type Access uint8

const (
	// Allowed means allowed whatever values the unknown keys take.
	Allowed Access = iota + 1
	// Conditional means allowed for some values of the unknown keys (those
	// in Answer.Missing), not for all.
	Conditional
)

// String returns "allowed" or "conditional".
func (a Access) String() string {
	switch a {
	case Allowed:
		return "allowed"
	case Conditional:
		return "conditional"
	}
	return fmt.Sprintf("Access(%d)", uint8(a))
}

// MarshalText returns String's text.
func (a Access) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// Answer is one principal that can make the request, or may.
type Answer struct {
	// Principal is the user's or role's ARN (a role's sessions are
	// evaluated, the role is reported), or for a principal outside the
	// snapshot granted by the resource policy: "*" (the anonymous caller:
	// anyone, when listed alone), arn:PARTITION:iam::*:user/* or
	// arn:PARTITION:sts::*:assumed-role/*/* (a user or role session of any
	// other account), arn:PARTITION:iam::ACCOUNT:user/* or
	// arn:PARTITION:sts::ACCOUNT:assumed-role/*/* (one of an account a
	// condition on aws:PrincipalAccount or aws:PrincipalArn names), an
	// account's root ARN, a principal ARN of another account (a user, role
	// or role session the policy names, or an aws:PrincipalArn value), or a
	// service principal. See WhoCan for how a `*` principal is evaluated.
	Principal string `json:"principal"`
	Decision  Access `json:"decision"`
	// Missing lists the condition keys the query's context did not give on
	// which the decision rests, sorted.
	Missing []string `json:"missing"`
	// Kind is "user" or "role" for a snapshot principal; for one outside
	// the snapshot "public" (anonymous, or any other account), "account"
	// (a specific account), "external" (a user, role or session ARN of
	// another account, its own account's policies assumed to allow),
	// "service" or "federated" (an identity provider a trust policy names,
	// for sts:AssumeRoleWithSAML and sts:AssumeRoleWithWebIdentity).
	Kind string `json:"kind"`
}

// prepare compiles every principal's policies once (the managed ones shared
// through the snapshot's Compiler), reporting every problem by principal.
func (s *Snapshot) prepare() error {
	s.prepOnce.Do(func() {
		s.prepared = true
		s.sortPrincipals()
		var errs []error
		var mu sync.Mutex
		parallel(len(s.principals), func(lo, hi int) {
			for _, p := range s.principals[lo:hi] {
				eng, err := s.compiler.Compile(s.policySet(p, ""))
				if err == nil && p.Trust != nil {
					_, err = s.compiler.Compile(evaluator.PolicySet{Resource: p.Trust})
				}
				if err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("%s %s: %w", p.Type, p.ARN, err))
					mu.Unlock()
					continue
				}
				p.engine = eng
			}
		})
		for _, in := range s.resources {
			if _, err := s.compiler.Compile(evaluator.PolicySet{Resource: in}); err != nil {
				errs = append(errs, fmt.Errorf("resource policy of %s: %w", in.ID, err))
			}
		}
		sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
		s.prepErr = errors.Join(errs...)
	})
	return s.prepErr
}

// Prepare validates and compiles every policy of the snapshot, as the first
// query would, and reports every problem naming its principal. Loading ends
// with it.
func (s *Snapshot) Prepare() error { return s.prepare() }

// policySet returns p's policies for a request on a resource of account
// resAcct ("" when unknown): identity, boundary, its account's SCP levels
// and resAcct's RCP levels, and the organization's facts.
func (s *Snapshot) policySet(p *Principal, resAcct string) evaluator.PolicySet {
	set := evaluator.PolicySet{Identity: p.Identity, PermissionsBoundary: p.PermissionsBoundary}
	s.orgFacts(&set, p.Account, resAcct)
	return set
}

// orgFacts adds the SCP levels of principal account pAcct, the RCP levels
// of resAcct and the organization's facts to set.
func (s *Snapshot) orgFacts(set *evaluator.PolicySet, pAcct, resAcct string) {
	if s.org == nil {
		return
	}
	set.ManagementAccount = s.org.ManagementAccount
	set.OrgAccounts = s.org.members()
	if pAcct != "" {
		set.SCPs = s.org.levels(pAcct, s.org.SCPs)
	}
	if resAcct != "" {
		set.RCPs = s.org.levels(resAcct, s.org.RCPs)
	}
}

// PolicySet returns the policies that bear on the requests of the
// principal with that user or role ARN against resources of account
// resourceAccount ("" for none: no RCPs): its identity policies, boundary
// and SCP levels, and resourceAccount's RCP levels. Add the resource's
// policy to ask about a resource that has one. With Principal.Caller and
// Principal.TagContext it makes the request an Engine decides as who-can
// does (a what-if case naming a snapshot principal).
func (s *Snapshot) PolicySet(principalARN, resourceAccount string) (evaluator.PolicySet, error) {
	p, ok := s.byARN[principalARN]
	if !ok {
		return evaluator.PolicySet{}, fmt.Errorf("snapshot: no user or role %s", principalARN)
	}
	return s.policySet(p, resourceAccount), nil
}

// WhoCan returns every principal of the snapshot that the query's request
// is allowed for, or may be depending on the keys its context lacks, and
// the principals outside the snapshot that the resource's policy grants
// directly, in that order, each sorted by ARN.
//
// Each principal is evaluated with the engine of its real policy set, the
// resource's policy (a role's trust policy for sts:AssumeRole*,
// sts:TagSession and sts:SetSourceIdentity on it) and the organization's
// levels, under both bounds over the unknown keys: allowed with every
// unknown key resolved against it (evaluator.UnknownPessimistic) is
// Allowed, whatever the unknown keys hold; else allowed with them resolved
// for it (UnknownOptimistic) is Conditional; else it is not listed. (The
// optimistic bound is evaluated first: it settles most principals alone.)
// A user is evaluated as itself, a role as a session of it
// (arn:aws:sts::ACCOUNT:assumed-role/NAME/who-can, without session
// policies or tags). Principals whose policies name no action of the
// query's service are skipped unless the resource's policy could grant
// them, and, across accounts, those the resource's policy does not name.
//
// A principal outside the snapshot is evaluated with its own account's
// policies assumed to allow everything, so its answer says what the
// resource side grants. A `*` principal is evaluated as representative
// callers, because the principal-derived keys (aws:PrincipalAccount,
// aws:PrincipalArn, aws:PrincipalType) come from the caller: the anonymous
// caller ("*"); a user and a role session of a foreign account, neither
// the resource's, nor a snapshot account, nor named in the policy (the
// first of 000000000000, 000000000001, ... that is none of these), listed
// as arn:PARTITION:iam::*:user/* and arn:PARTITION:sts::*:assumed-role/*/*
// (kind "public") where their answer differs from the anonymous caller's;
// a user and a role session of every account outside the snapshot that a
// condition on aws:PrincipalAccount or aws:PrincipalArn names (kind
// "account") and each user or role an aws:PrincipalArn value names (kind
// "external"), listed where their answer differs from the foreign
// account's. Representatives are named who-can (user/who-can,
// assumed-role/who-can/who-can) in the resource's partition.
func (s *Snapshot) WhoCan(q Query) ([]Answer, error) {
	if err := s.prepare(); err != nil {
		return nil, err
	}
	if q.Action == "" || strings.ContainsAny(q.Action, "*?") || !strings.Contains(q.Action, ":") {
		return nil, fmt.Errorf("who-can: action %q: want service:Operation, without wildcards", q.Action)
	}
	if q.Resource == "" {
		return nil, errors.New("who-can: no resource (give an ARN, or * for actions without one)")
	}
	if err := q.Context.Validate(); err != nil {
		return nil, fmt.Errorf("who-can: %w", err)
	}
	action := strings.ToLower(q.Action)
	service, _, _ := strings.Cut(action, ":")
	rp := s.resourcePolicy(action, q.Resource)
	resAcct := s.resourceAccount(q)
	named := namedBy(rp, service)

	// The resource side (its policy and the RCPs of its account), compiled
	// once per resource account and joined to each principal's engine.
	sides := map[string]*evaluator.Engine{}
	side := func(acct string) (*evaluator.Engine, error) {
		if e, ok := sides[acct]; ok {
			return e, nil
		}
		set := evaluator.PolicySet{Resource: rp}
		s.orgFacts(&set, "", acct)
		if rp == nil && len(set.RCPs) == 0 {
			sides[acct] = nil // nothing to join: the principal's engine alone
			return nil, nil
		}
		e, err := s.compiler.Compile(set)
		sides[acct] = e
		return e, err
	}
	type cand struct {
		p    *Principal
		side *evaluator.Engine
		acct string
	}
	var cands []cand
	for _, p := range s.principals {
		acct := resAcct
		if acct == "" {
			acct = p.Account
		}
		// Only the resource's policy can grant a principal whose identity
		// policies name no action of the service, and cross-account only
		// it can: it must name the principal.
		if !named.names(p) && (!p.reaches(service) || p.Account != acct) {
			continue
		}
		e, err := side(acct)
		if err != nil {
			return nil, fmt.Errorf("resource side of %s: %w", q.Resource, err)
		}
		cands = append(cands, cand{p, e, acct})
	}
	answers := make([]*Answer, len(cands))
	parallel(len(cands), func(lo, hi int) {
		var pess, opt evaluator.Result
		for i := lo; i < hi; i++ {
			c := cands[i]
			eng := c.p.engine
			if c.side != nil {
				eng = eng.WithResourceSide(c.side)
			}
			req := evaluator.Request{Principal: c.p.caller, SessionIssuer: c.p.issuer, Action: action,
				Resource: q.Resource, ResourceAccount: c.acct, Context: mergeContext(q.Context, c.p.tagContext)}
			if c.p.Type == User {
				req.Principal = c.p.ARN
			}
			if a := decide(eng, req, &pess, &opt); a != nil {
				a.Principal, a.Kind = c.p.ARN, c.p.Type.String()
				answers[i] = a
			}
		}
	})
	var out []Answer
	for _, a := range answers {
		if a != nil {
			out = append(out, *a)
		}
	}
	if rp != nil {
		ext, err := s.external(rp, action, q, resAcct)
		if err != nil {
			return nil, err
		}
		out = append(out, ext...)
	}
	return out, nil
}

// decide evaluates req both ways and returns the answer, or nil when the
// request is allowed for no value of the unknown keys. The optimistic
// bound comes first: most principals are not allowed even so, and one
// evaluation settles them.
func decide(eng *evaluator.Engine, req evaluator.Request, pess, opt *evaluator.Result) *Answer {
	eng.EvaluateInto(opt, req, evaluator.WithoutLayers(), evaluator.WithPrincipalTagsComplete(),
		evaluator.WithUnknownContext(evaluator.UnknownOptimistic))
	if opt.Decision != evaluator.Allowed {
		return nil
	}
	if len(opt.MissingContext) == 0 {
		// No statement met a key the request lacks (each such meeting is
		// reported missing): nothing was unknown, and the pessimistic bound
		// would decide the same.
		return &Answer{Decision: Allowed, Missing: []string{}}
	}
	eng.EvaluateInto(pess, req, evaluator.WithoutLayers(), evaluator.WithPrincipalTagsComplete(),
		evaluator.WithUnknownContext(evaluator.UnknownPessimistic))
	if pess.Decision == evaluator.Allowed {
		return &Answer{Decision: Allowed, Missing: []string{}}
	}
	missing := append(slices.Clone(opt.MissingContext), pess.MissingContext...)
	sort.Strings(missing)
	return &Answer{Decision: Conditional, Missing: slices.Compact(missing)}
}

// mergeContext returns q's keys with tags' added where q lacks them.
func mergeContext(q, tags evaluator.Context) evaluator.Context {
	switch {
	case len(tags) == 0:
		return q
	case len(q) == 0:
		return tags
	}
	m := make(evaluator.Context, len(q)+len(tags))
	for k, v := range tags {
		m[k] = v
	}
	for k, v := range q {
		for tk := range tags {
			if strings.EqualFold(tk, k) {
				delete(m, tk)
			}
		}
		m[k] = v
	}
	return m
}

// naming is which snapshot principals a resource policy's Allow statements
// (those that can name an action of the query's service) can name: all,
// or those of some accounts, or some ARNs. Fail safe: anything not
// understood names all.
type naming struct {
	all      bool
	accounts map[string]bool
	arns     map[string]bool
}

func (n *naming) names(p *Principal) bool {
	return n.all || n.accounts[p.Account] || n.arns[p.ARN]
}

func namedBy(rp *evaluator.Input, service string) *naming {
	n := &naming{accounts: map[string]bool{}, arns: map[string]bool{}}
	if rp == nil {
		return n
	}
	for _, st := range rp.Policy.Statements {
		if !allowsService(&st, service) {
			continue
		}
		if st.Principal == nil || st.NotPrincipal != nil || st.Principal.Wildcard {
			n.all = true
			return n
		}
		for _, a := range st.Principal.AWS {
			if arn.IsAccountID(a) {
				n.accounts[a] = true
				continue
			}
			pa, err := arn.Parse(a)
			switch {
			case err != nil || a == "*":
				n.all = true
				return n
			case pa.Service == "iam" && (strings.HasPrefix(pa.Resource, "user/") || strings.HasPrefix(pa.Resource, "role/")):
				n.arns[a] = true
			default: // root, sessions, anything else: the whole account
				n.accounts[pa.Account] = true
			}
		}
	}
	return n
}

// grantsService reports whether an Allow statement of p can name an action
// of service (fail safe: NotAction and wildcard prefixes can).
func grantsService(p *policy.Policy, service string) bool {
	for i := range p.Statements {
		if allowsService(&p.Statements[i], service) {
			return true
		}
	}
	return false
}

// allowsService reports whether st is an Allow that may name an action of
// service: its NotAction (which names every other action) or an Action
// whose service part is service or holds a wildcard.
func allowsService(st *policy.Statement, service string) bool {
	if st.Effect != policy.Allow {
		return false
	}
	svcs, all := actionServices(st)
	return all || slices.Contains(svcs, service)
}

// actionServices returns the lower-case service prefixes st's Action
// names, or all when it may name any service (NotAction, or a wildcard in
// a service part).
func actionServices(st *policy.Statement) (svcs []string, all bool) {
	if st.NotAction != nil {
		return nil, true
	}
	for _, a := range st.Action {
		svc, _, _ := strings.Cut(strings.ToLower(a), ":")
		if strings.ContainsAny(svc, "*?") {
			return nil, true
		}
		svcs = append(svcs, svc)
	}
	return svcs, false
}

// external evaluates the principals outside the snapshot that the resource
// policy's Allow statements name. A bare account ID or root ARN is its
// root, a role ARN a session of the role, a session ARN
// (arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION) that session,
// each in the resource's partition when the policy gives only an account.
//
// A `*` principal (anyone) is evaluated as representative callers, since
// the principal-derived keys (aws:PrincipalAccount, aws:PrincipalArn,
// aws:PrincipalType, ...) come from the caller:
//
//   - "*" (kind public): an anonymous caller;
//   - arn:PARTITION:iam::*:user/* and arn:PARTITION:sts::*:assumed-role/*/*
//     (kind public): a user and a role session of a foreign account, one
//     that is neither the resource's account, nor a snapshot account, nor
//     named in the policy (the first such of 000000000000, 000000000001,
//     ...); listed only where their answer differs from the anonymous
//     caller's;
//   - arn:PARTITION:iam::ACCOUNT:user/* and
//     arn:PARTITION:sts::ACCOUNT:assumed-role/*/* (kind account): a user and
//     a role session of each account outside the snapshot that a condition
//     on aws:PrincipalAccount or aws:PrincipalArn names; listed only where
//     their answer differs from the foreign account's;
//   - an aws:PrincipalArn value naming a user or role of an account outside
//     the snapshot (kind external): that user, or a session of that role
//     (wildcards in its name filled in); listed only where its answer
//     differs from the foreign account's.
func (s *Snapshot) external(rp *evaluator.Input, action string, q Query, resAcct string) ([]Answer, error) {
	part := "aws"
	if a, err := arn.Parse(q.Resource); err == nil && a.Partition != "" {
		part = a.Partition
	}
	type ext = extCaller
	seen := map[string]bool{}
	var list []ext
	addExt := func(e ext) {
		if !seen[e.name] {
			seen[e.name] = true
			list = append(list, e)
		}
	}
	public := false
	for _, st := range rp.Policy.Statements {
		if st.Effect != policy.Allow || st.Principal == nil {
			continue
		}
		ps := st.Principal
		if ps.Wildcard {
			public = true
		}
		for _, a := range ps.AWS {
			switch {
			case a == "*":
				public = true
			case arn.IsAccountID(a):
				if !slices.Contains(s.accounts, a) {
					root := "arn:" + part + ":iam::" + a + ":root"
					addExt(ext{name: root, kind: "account", principal: root})
				}
			default:
				pa, err := arn.Parse(a)
				if err != nil || slices.Contains(s.accounts, pa.Account) {
					continue // a snapshot account's principals are evaluated already
				}
				switch {
				case pa.Resource == "root":
					addExt(ext{name: a, kind: "account", principal: a})
				case pa.Service == "iam" && strings.HasPrefix(pa.Resource, "role/"):
					name := pa.Resource[strings.LastIndexByte(pa.Resource, '/')+1:]
					addExt(ext{name: a, kind: "external", principal: "arn:" + pa.Partition + ":sts::" + pa.Account + ":assumed-role/" + name + "/who-can", issuer: a})
				case pa.Service == "iam" && strings.HasPrefix(pa.Resource, "user/"):
					addExt(ext{name: a, kind: "external", principal: a})
				case pa.Service == "sts" && strings.Count(pa.Resource, "/") == 2 && strings.HasPrefix(pa.Resource, "assumed-role/"):
					addExt(ext{name: a, kind: "external", principal: a})
				}
			}
		}
		for _, svc := range ps.Service {
			addExt(ext{name: svc, kind: "service", principal: svc})
		}
		for _, idp := range ps.Federated {
			addExt(ext{name: idp, kind: "federated", principal: idp})
		}
	}
	if public {
		for _, e := range s.publicCallers(rp, part, resAcct) {
			addExt(e)
		}
	}
	if len(list) == 0 {
		return nil, nil
	}
	// The principal's own account is outside the snapshot: its policies
	// are assumed to allow, so the answer says what the resource side
	// grants.
	set := evaluator.PolicySet{Resource: rp, Identity: []evaluator.Input{assumedOwn}}
	s.orgFacts(&set, "", resAcct)
	eng, err := s.compiler.Compile(set)
	if err != nil {
		return nil, err
	}
	got := make(map[string]*Answer, len(list))
	var pess, opt evaluator.Result
	for _, e := range list {
		req := evaluator.Request{Principal: e.principal, SessionIssuer: e.issuer, Action: action,
			Resource: q.Resource, ResourceAccount: resAcct, Context: q.Context}
		got[e.name] = decide(eng, req, &pess, &opt)
	}
	var out []Answer
	for _, e := range list {
		a := got[e.name]
		if a == nil || e.base != "" && sameAnswer(a, got[e.base]) {
			continue
		}
		a.Principal, a.Kind = e.name, e.kind
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Principal < out[j].Principal })
	return out, nil
}

// extCaller is a caller outside the snapshot that external evaluates.
type extCaller struct {
	// name and kind are reported; principal and issuer make the request.
	name, kind, principal, issuer string
	// base names the caller whose answer, when this one's is the same,
	// makes this one's redundant ("" for none).
	base string
}

// publicCallers returns the representatives of a `*` principal (see
// external) in partition part.
func (s *Snapshot) publicCallers(rp *evaluator.Input, part, resAcct string) []extCaller {
	type ext = extCaller
	anyUser := "arn:" + part + ":iam::*:user/*"
	anySession := "arn:" + part + ":sts::*:assumed-role/*/*"
	outside := func(acct string) bool { return acct != "" && !slices.Contains(s.accounts, acct) }
	// callers returns a user and a role session of acct.
	callers := func(acct, kind, user, session, userBase, sessionBase string) []ext {
		role := "arn:" + part + ":iam::" + acct + ":role/who-can"
		return []ext{
			{user, kind, "arn:" + part + ":iam::" + acct + ":user/who-can", "", userBase},
			{session, kind, "arn:" + part + ":sts::" + acct + ":assumed-role/who-can/who-can", role, sessionBase},
		}
	}
	text := ""
	if b, err := rp.Policy.MarshalJSON(); err == nil {
		text = string(b)
	}
	foreign := ""
	for i := 0; ; i++ {
		foreign = fmt.Sprintf("%012d", i)
		if foreign != resAcct && outside(foreign) && !strings.Contains(text, foreign) {
			break
		}
	}
	out := []ext{{"*", "public", "anonymous", "", ""}}
	out = append(out, callers(foreign, "public", anyUser, anySession, "*", "*")...)

	var accounts []string
	var named []ext
	for _, st := range rp.Policy.Statements {
		for _, c := range st.Conditions {
			switch {
			case strings.EqualFold(c.Key, "aws:PrincipalAccount"):
				for _, v := range c.Values {
					if arn.IsAccountID(v) && outside(v) {
						accounts = append(accounts, v)
					}
				}
			case strings.EqualFold(c.Key, "aws:PrincipalArn"):
				for _, v := range c.Values {
					pa, err := arn.Parse(v)
					if err != nil || !arn.IsAccountID(pa.Account) || !outside(pa.Account) {
						continue
					}
					accounts = append(accounts, pa.Account)
					// A concrete principal the pattern matches: each *
					// stands for "who-can", each ? for "x".
					fill := strings.NewReplacer("*", "who-can", "?", "x").Replace
					res := fill(pa.Resource)
					switch {
					case pa.Service != "iam":
					case strings.HasPrefix(res, "user/"):
						named = append(named, ext{v, "external", "arn:" + pa.Partition + ":iam::" + pa.Account + ":" + res, "", anyUser})
					case strings.HasPrefix(res, "role/"):
						roleARN := "arn:" + pa.Partition + ":iam::" + pa.Account + ":" + res
						name := res[strings.LastIndexByte(res, '/')+1:]
						named = append(named, ext{v, "external", "arn:" + pa.Partition + ":sts::" + pa.Account + ":assumed-role/" + name + "/who-can", roleARN, anySession})
					}
				}
			}
		}
	}
	sort.Strings(accounts)
	for _, acct := range slices.Compact(accounts) {
		out = append(out, callers(acct, "account", "arn:"+part+":iam::"+acct+":user/*", "arn:"+part+":sts::"+acct+":assumed-role/*/*", anyUser, anySession)...)
	}
	return append(out, named...)
}

// sameAnswer reports whether a and b (nil: not allowed) decide alike.
func sameAnswer(a, b *Answer) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Decision == b.Decision && slices.Equal(a.Missing, b.Missing)
}

// assumedOwn stands for the own policies of a principal outside the
// snapshot: assumed to allow everything, so that its answer says what the
// resource side grants.
var assumedOwn = evaluator.Input{ID: "outside-the-snapshot (assumed to allow)",
	Policy: &policy.Policy{Version: "2012-10-17", Statements: []policy.Statement{{Effect: policy.Allow, Action: []string{"*"}, Resource: []string{"*"}}}}}

// parallel runs f over [0, n) in chunks on every core.
func parallel(n int, f func(lo, hi int)) {
	w := runtime.GOMAXPROCS(0)
	if n < 64 || w == 1 {
		f(0, n)
		return
	}
	chunk := (n + w - 1) / w
	var wg sync.WaitGroup
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Go(func() { f(lo, hi) })
	}
	wg.Wait()
}

// Engine returns the engine and the request with which WhoCan decides
// q for one principal of the snapshot (a user or role ARN): the
// principal's compiled policies joined to the resource's policy and the
// RCPs of the resource's account, and a request naming the caller (a
// role's session) with the principal's tags in its context. Evaluate the
// request with the engine, with or without WithUnknownContext, to check
// one principal in a what-if test.
func (s *Snapshot) Engine(principalARN string, q Query) (*evaluator.Engine, evaluator.Request, error) {
	if err := s.prepare(); err != nil {
		return nil, evaluator.Request{}, err
	}
	p, ok := s.byARN[principalARN]
	if !ok {
		return nil, evaluator.Request{}, fmt.Errorf("snapshot: no user or role %s", principalARN)
	}
	acct := s.resourceAccount(q)
	if acct == "" {
		acct = p.Account
	}
	set := evaluator.PolicySet{Resource: s.resourcePolicy(q.Action, q.Resource)}
	s.orgFacts(&set, "", acct)
	side, err := s.compiler.Compile(set)
	if err != nil {
		return nil, evaluator.Request{}, fmt.Errorf("resource side of %s: %w", q.Resource, err)
	}
	req := evaluator.Request{Principal: p.caller, SessionIssuer: p.issuer, Action: q.Action, Resource: q.Resource,
		ResourceAccount: acct, Context: mergeContext(q.Context, p.tagContext)}
	return p.engine.WithResourceSide(side), req, nil
}

// resourceAccount returns q's resource account: given, in the resource's
// ARN, or the snapshot's only account; "" when none of these tells.
func (s *Snapshot) resourceAccount(q Query) string {
	if q.ResourceAccount != "" {
		return q.ResourceAccount
	}
	if a, err := arn.Parse(q.Resource); err == nil && arn.IsAccountID(a.Account) {
		return a.Account
	}
	if len(s.accounts) == 1 {
		return s.accounts[0]
	}
	return ""
}
