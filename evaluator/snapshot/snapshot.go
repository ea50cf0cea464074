package snapshot

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/iamsim/iamsim/arn"
	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/policy"
)

// PrincipalType says whether a snapshot principal is an IAM user or a role.
type PrincipalType uint8

const (
	// User is an IAM user.
	User PrincipalType = iota + 1
	// Role is an IAM role; it acts through its sessions.
	Role
)

// String returns "user" or "role".
func (t PrincipalType) String() string {
	switch t {
	case User:
		return "user"
	case Role:
		return "role"
	}
	return fmt.Sprintf("PrincipalType(%d)", uint8(t))
}

// Principal is a user or role of a snapshot, with its policies.
type Principal struct {
	// ARN is the user's or role's ARN, with its path.
	ARN     string
	Type    PrincipalType
	Account string
	// Tags are the principal's tags. The snapshot lists every tag: a tag
	// not here is absent.
	Tags map[string]string
	// Identity holds the identity-based policies: inline, attached managed
	// and, for a user, its groups' inline and attached managed policies.
	Identity []evaluator.Input
	// PermissionsBoundary is the principal's boundary, if it has one.
	PermissionsBoundary *evaluator.Input
	// Trust is a role's trust policy.
	Trust *evaluator.Input

	// services are the lower-case service prefixes the identity policies'
	// Allow statements name; allServices is set when one can reach any
	// service (NotAction, "*", a wildcard in the prefix).
	services    []string
	allServices bool
	// tagContext holds Tags as aws:PrincipalTag/KEY keys.
	tagContext evaluator.Context
	// caller and issuer are Caller("").
	caller, issuer string
	// engine holds the principal side compiled (identity, boundary, SCPs
	// and the organization's facts), set by Snapshot.prepare.
	engine *evaluator.Engine
}

// Caller returns what a request of the principal names as its caller: a
// user's ARN, or for a role a session of it, arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION
// with the role's ARN as session issuer (session "who-can" when empty).
func (p *Principal) Caller(session string) (principal, sessionIssuer string) {
	if p.Type == User {
		return p.ARN, ""
	}
	if session == "" && p.caller != "" {
		return p.caller, p.issuer
	}
	if session == "" {
		session = "who-can"
	}
	a, _ := arn.Parse(p.ARN)
	name := a.Resource[strings.LastIndexByte(a.Resource, '/')+1:]
	return "arn:" + a.Partition + ":sts::" + a.Account + ":assumed-role/" + name + "/" + session, p.ARN
}

// TagContext returns the principal's tags as aws:PrincipalTag/KEY context
// keys, for the principal's requests (a role session's principal tags are
// the role's tags; who-can's sessions have no session tags). The map is
// shared: do not modify it.
func (p *Principal) TagContext() evaluator.Context { return p.tagContext }

// reaches reports whether the principal's identity policies can allow an
// action of service (lower case).
func (p *Principal) reaches(service string) bool {
	if p.allServices {
		return true
	}
	_, ok := slices.BinarySearch(p.services, service)
	return ok
}

// Snapshot is one or more accounts' authorization details, with the
// resource policies and organization levels loaded beside them. Load
// everything, then ask questions: a Snapshot is safe for concurrent queries
// once loading is done, but loading is not safe concurrently with anything.
type Snapshot struct {
	principals []*Principal
	byARN      map[string]*Principal
	accounts   []string // sorted
	// awsManaged shares AWS managed policies between accounts, by ARN and
	// version.
	awsManaged map[string]*policy.Policy
	// fallback holds the AWS managed policies LoadAWSManaged loaded, by ARN.
	fallback  map[string]awsManagedEntry
	resources map[string]*evaluator.Input
	org       *Org
	compiler  *evaluator.Compiler
	prepared  bool
	prepOnce  sync.Once
	prepErr   error
}

// New returns an empty Snapshot.
func New() *Snapshot {
	return &Snapshot{byARN: map[string]*Principal{}, awsManaged: map[string]*policy.Policy{},
		resources: map[string]*evaluator.Input{}, compiler: evaluator.NewCompiler()}
}

// Principals returns the snapshot's principals, sorted by ARN. The slice is
// the caller's; the principals are shared.
func (s *Snapshot) Principals() []*Principal {
	s.sortPrincipals()
	return slices.Clone(s.principals)
}

// Principal returns the principal with that user or role ARN.
func (s *Snapshot) Principal(arn string) (*Principal, bool) {
	p, ok := s.byARN[arn]
	return p, ok
}

// Accounts returns the accounts of the loaded authorization details, sorted.
func (s *Snapshot) Accounts() []string { return slices.Clone(s.accounts) }

func (s *Snapshot) sortPrincipals() {
	if !sort.SliceIsSorted(s.principals, func(i, j int) bool { return s.principals[i].ARN < s.principals[j].ARN }) {
		sort.Slice(s.principals, func(i, j int) bool { return s.principals[i].ARN < s.principals[j].ARN })
	}
}

// LoadFile loads an authorization-details file (see Load).
func (s *Snapshot) LoadFile(path string) error {
	src, err := policy.ReadFile(path)
	if err != nil {
		return err
	}
	return s.Load(src, path)
}

// Load adds the principals of one account's authorization details: the
// output of "aws iam get-account-authorization-details", with policy
// documents as JSON objects (as the AWS CLI prints them) or as URL-encoded
// JSON strings (as the API returns them). name names src in errors. An
// unknown field, a malformed document, a truncated listing, a managed
// policy or group a principal refers to that the file does not hold, and a
// principal loaded before are errors naming the principal and the JSON
// path; nothing is dropped.
func (s *Snapshot) Load(src []byte, name string) error {
	if s.prepared {
		return errors.New("snapshot: Load after the first query")
	}
	var top authzDetails
	if err := decodeStrict(src, &top, name); err != nil {
		return err
	}
	if top.IsTruncated != nil && *top.IsTruncated {
		return fmt.Errorf("%s: IsTruncated is true: the listing is one page of several (the AWS CLI paginates by itself; with the API, join every page)", name)
	}
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(name+": "+format, args...)) }

	// Managed policies, by ARN: the default version.
	managed := map[string]*policy.Policy{}
	for i, raw := range top.Policies {
		path := fmt.Sprintf("/Policies/%d", i)
		var mp managedPolicyDetail
		if err := decodeStrict(raw, &mp, name+"#"+path); err != nil {
			errs = append(errs, err)
			continue
		}
		if _, dup := managed[mp.Arn]; dup {
			fail("%s: policy %s listed twice", path, mp.Arn)
			continue
		}
		aws := policy.ProvenanceOf(mp.Arn) == policy.AWSManaged
		def := -1
		for j, v := range mp.PolicyVersionList {
			if v.IsDefaultVersion {
				if def >= 0 {
					fail("%s (%s): versions %d and %d are both the default", path, mp.Arn, def, j)
				}
				def = j
			}
		}
		if def < 0 {
			fail("%s (%s): no default version in PolicyVersionList", path, mp.Arn)
			continue
		}
		v := mp.PolicyVersionList[def]
		if mp.DefaultVersionId != "" && v.VersionId != "" && mp.DefaultVersionId != v.VersionId {
			fail("%s (%s): DefaultVersionId %s but version %s is marked default", path, mp.Arn, mp.DefaultVersionId, v.VersionId)
			continue
		}
		key := mp.Arn + "@" + v.VersionId
		if aws {
			if p, ok := s.awsManaged[key]; ok {
				managed[mp.Arn] = p
				continue
			}
		}
		p, err := parseDocument(v.Document, name, fmt.Sprintf("%s/PolicyVersionList/%d/Document", path, def), aws)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: policy %s: %w", name, mp.Arn, err))
			continue
		}
		managed[mp.Arn] = p
		if aws {
			s.awsManaged[key] = p
		}
	}
	// lookup finds a managed policy in the file, or an AWS managed one in
	// the fallback.
	lookup := func(a string) (*policy.Policy, bool) {
		if p, ok := managed[a]; ok {
			return p, true
		}
		p, ok, err := s.fallbackPolicy(a)
		if err != nil {
			fail("AWS managed policy %s: %v", a, err)
			return nil, false
		}
		if ok {
			managed[a] = p
		}
		return p, ok
	}
	attach := func(who, path string, list []attachedPolicy, dst *[]evaluator.Input) {
		for i, a := range list {
			p, ok := lookup(a.PolicyArn)
			if !ok {
				fail("%s: %s/%d: managed policy %s is not in Policies", who, path, i, a.PolicyArn)
				continue
			}
			*dst = append(*dst, evaluator.Input{ID: a.PolicyArn, Policy: p, Managed: true})
		}
	}
	boundary := func(who, path string, b *attachedBoundary) *evaluator.Input {
		if b == nil || b.PermissionsBoundaryArn == "" {
			return nil
		}
		p, ok := lookup(b.PermissionsBoundaryArn)
		if !ok {
			fail("%s: %s/PermissionsBoundary: managed policy %s is not in Policies", who, path, b.PermissionsBoundaryArn)
			return nil
		}
		return &evaluator.Input{ID: b.PermissionsBoundaryArn, Policy: p, Managed: true}
	}

	// Groups, by name.
	groups := map[string][]evaluator.Input{}
	for i, raw := range top.GroupDetailList {
		path := fmt.Sprintf("/GroupDetailList/%d", i)
		var g groupDetail
		if err := decodeStrict(raw, &g, name+"#"+path); err != nil {
			errs = append(errs, err)
			continue
		}
		who := "group " + g.Arn
		pols, perrs := parseInlines(name, who, g.Arn, path+"/GroupPolicyList", g.GroupPolicyList)
		errs = append(errs, perrs...)
		attach(who, path+"/AttachedManagedPolicies", g.AttachedManagedPolicies, &pols)
		groups[g.GroupName] = pols
	}

	var added []*Principal
	add := func(p *Principal, path string) {
		a, err := arn.Parse(p.ARN)
		if err != nil || !arn.IsAccountID(a.Account) || a.Service != "iam" || !strings.HasPrefix(a.Resource, p.Type.String()+"/") ||
			strings.HasSuffix(a.Resource, "/") {
			fail("%s: Arn %q is not an IAM %s ARN", path, p.ARN, p.Type)
			return
		}
		if _, dup := s.byARN[p.ARN]; dup {
			fail("%s: %s %s loaded twice", path, p.Type, p.ARN)
			return
		}
		p.Account = a.Account
		s.byARN[p.ARN] = p
		added = append(added, p)
	}
	tagsOf := func(who, path string, tags []tag) map[string]string {
		if len(tags) == 0 {
			return nil
		}
		m := make(map[string]string, len(tags))
		for i, t := range tags {
			if _, dup := m[t.Key]; dup {
				fail("%s: %s/Tags/%d: tag %q listed twice", who, path, i, t.Key)
			}
			m[t.Key] = t.Value
		}
		return m
	}
	// Users and roles: decoded, with their inline and trust policies
	// parsed, on every core; then joined to groups and managed policies in
	// order.
	users := make([]decodedPrincipal, len(top.UserDetailList))
	parallel(len(users), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			d := &users[i]
			d.path = fmt.Sprintf("/UserDetailList/%d", i)
			var u userDetail
			if d.err = decodeStrict(top.UserDetailList[i], &u, name+"#"+d.path); d.err != nil {
				continue
			}
			d.user = &u
			d.inline, d.errs = parseInlines(name, "user "+u.Arn, u.Arn, d.path+"/UserPolicyList", u.UserPolicyList)
		}
	})
	roles := make([]decodedPrincipal, len(top.RoleDetailList))
	parallel(len(roles), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			d := &roles[i]
			d.path = fmt.Sprintf("/RoleDetailList/%d", i)
			var r roleDetail
			if d.err = decodeStrict(top.RoleDetailList[i], &r, name+"#"+d.path); d.err != nil {
				continue
			}
			d.role = &r
			who := "role " + r.Arn
			d.inline, d.errs = parseInlines(name, who, r.Arn, d.path+"/RolePolicyList", r.RolePolicyList)
			if len(r.AssumeRolePolicyDocument) > 0 {
				tp, err := parseDocument(r.AssumeRolePolicyDocument, name, d.path+"/AssumeRolePolicyDocument", false)
				if err != nil {
					d.errs = append(d.errs, fmt.Errorf("%s: %s: %w", name, who, err))
				} else {
					d.trust = &evaluator.Input{ID: r.Arn + "#trust", Policy: tp}
				}
			}
		}
	})
	for _, d := range users {
		if d.err != nil {
			errs = append(errs, d.err)
			continue
		}
		u, path := d.user, d.path
		errs = append(errs, d.errs...)
		who := "user " + u.Arn
		p := &Principal{ARN: u.Arn, Type: User, Tags: tagsOf(who, path, u.Tags), Identity: d.inline}
		attach(who, path+"/AttachedManagedPolicies", u.AttachedManagedPolicies, &p.Identity)
		for j, g := range u.GroupList {
			pols, ok := groups[g]
			if !ok {
				fail("%s: %s/GroupList/%d: group %q is not in GroupDetailList", who, path, j, g)
				continue
			}
			p.Identity = append(p.Identity, pols...)
		}
		p.PermissionsBoundary = boundary(who, path, u.PermissionsBoundary)
		add(p, path)
	}
	for _, d := range roles {
		if d.err != nil {
			errs = append(errs, d.err)
			continue
		}
		r, path := d.role, d.path
		errs = append(errs, d.errs...)
		who := "role " + r.Arn
		p := &Principal{ARN: r.Arn, Type: Role, Tags: tagsOf(who, path, r.Tags), Identity: d.inline, Trust: d.trust}
		attach(who, path+"/AttachedManagedPolicies", r.AttachedManagedPolicies, &p.Identity)
		p.PermissionsBoundary = boundary(who, path, r.PermissionsBoundary)
		add(p, path)
	}
	if len(errs) > 0 {
		for _, p := range added {
			delete(s.byARN, p.ARN)
		}
		return errors.Join(errs...)
	}
	for _, p := range added {
		p.index()
		if !slices.Contains(s.accounts, p.Account) {
			s.accounts = append(s.accounts, p.Account)
			slices.Sort(s.accounts)
		}
	}
	s.principals = append(s.principals, added...)
	return nil
}

// index fills the principal's service index and tag context.
func (p *Principal) index() {
	set := map[string]bool{}
	for _, in := range p.Identity {
		for i := range in.Policy.Statements {
			st := &in.Policy.Statements[i]
			if st.Effect != policy.Allow {
				continue
			}
			svcs, all := actionServices(st)
			p.allServices = p.allServices || all
			for _, svc := range svcs {
				set[svc] = true
			}
		}
	}
	for svc := range set {
		p.services = append(p.services, svc)
	}
	slices.Sort(p.services)
	p.caller, p.issuer = p.Caller("")
	if len(p.Tags) > 0 {
		p.tagContext = make(evaluator.Context, len(p.Tags))
		for k, v := range p.Tags {
			p.tagContext["aws:PrincipalTag/"+k] = evaluator.Single(v)
		}
	}
}

// decodedPrincipal is a user or role of a file, decoded with its inline
// (and trust) policies parsed, or why it could not be.
type decodedPrincipal struct {
	path   string
	user   *userDetail
	role   *roleDetail
	inline []evaluator.Input
	trust  *evaluator.Input
	err    error   // the item could not be decoded
	errs   []error // its inline or trust policies could not be parsed
}

// parseInlines parses the inline policies of owner (who names it in
// errors) found at path of file name.
func parseInlines(name, who, owner, path string, list []policyDetail) ([]evaluator.Input, []error) {
	var out []evaluator.Input
	var errs []error
	for i, d := range list {
		p, err := parseDocument(d.PolicyDocument, name, fmt.Sprintf("%s/%d/PolicyDocument", path, i), false)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %s: %w", name, who, err))
			continue
		}
		out = append(out, evaluator.Input{ID: owner + "#inline/" + d.PolicyName, Policy: p})
	}
	return out, errs
}
