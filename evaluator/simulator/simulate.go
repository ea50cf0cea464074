package simulator

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/iamsim/iamsim/arn"
	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/policy"
)

// SimulateCustomPolicyInput mirrors the request of AWS's
// iam:SimulateCustomPolicy (and the JSON of "aws iam simulate-custom-policy
// --cli-input-json"), with iamsim's extensions as clearly named extra
// fields. Field names are AWS's, so the same JSON decodes into it.
type SimulateCustomPolicyInput struct {
	// PolicyInputList holds the identity-based policies, as JSON text.
	PolicyInputList []string `json:",omitempty"`
	// PermissionsBoundaryPolicyInputList holds at most one permissions
	// boundary, as JSON text.
	PermissionsBoundaryPolicyInputList []string `json:",omitempty"`
	// ActionNames are the actions to simulate, without wildcards.
	ActionNames []string `json:",omitempty"`
	// ResourceArns are the resources to simulate each action on; none
	// means "*".
	ResourceArns []string `json:",omitempty"`
	// ResourcePolicy is the resource-based policy of the resources, as JSON
	// text. It needs CallerArn.
	ResourcePolicy string `json:",omitempty"`
	// ResourceOwner is the account owning resources whose ARN names no
	// account: an account ARN (arn:aws:iam::ACCOUNT:root) or an account ID.
	ResourceOwner string `json:",omitempty"`
	// CallerArn is the simulated caller. AWS accepts only an IAM user ARN;
	// iamsim also accepts any principal Request.Principal does (a role
	// session, a federated user, ...).
	CallerArn string `json:",omitempty"`
	// ContextEntries are the request's condition keys.
	ContextEntries []ContextEntry `json:",omitempty"`
	// ResourceHandlingOption selects an EC2 scenario; iamsim does not
	// model them and refuses a non-empty value.
	ResourceHandlingOption string `json:",omitempty"`
	// MaxItems and Marker page the results: at most MaxItems results
	// (default 100) from Marker on.
	MaxItems int    `json:",omitempty"`
	Marker   string `json:",omitempty"`

	// SessionPolicyInputList (iamsim extension) holds the session policies
	// of a CallerArn that is a session, as JSON text.
	SessionPolicyInputList []string `json:",omitempty"`
	// SCPInputList and RCPInputList (iamsim extensions) hold the SCPs of
	// the caller's account and the RCPs of the resource's account, one list
	// per org level (root first), as JSON text.
	SCPInputList [][]string `json:",omitempty"`
	RCPInputList [][]string `json:",omitempty"`
	// ManagementAccount (iamsim extension) is the organization's
	// management account, which SCPs and RCPs do not reach.
	ManagementAccount string `json:",omitempty"`
}

// ContextEntry is one condition key of a simulation, as AWS's ContextEntry.
type ContextEntry struct {
	ContextKeyName   string
	ContextKeyValues []string
	// ContextKeyType is string, numeric, boolean, date, ip or binary, or
	// one of their ...List forms for a multi-valued key.
	ContextKeyType string
}

// SimulatePolicyResponse mirrors AWS's SimulatePolicyResponse.
type SimulatePolicyResponse struct {
	EvaluationResults []EvaluationResult
	IsTruncated       bool   `json:",omitempty"`
	Marker            string `json:",omitempty"`
}

// EvaluationResult mirrors AWS's EvaluationResult: one action on one
// resource.
type EvaluationResult struct {
	EvalActionName   string
	EvalResourceName string
	EvalDecision     evaluator.Decision
	// MatchedStatements are the deciding statements: only the Deny
	// statements when a deny decides.
	MatchedStatements []SimulatedStatement
	// MissingContextValues lists the condition keys the policies consulted
	// that the request lacked; for a resource ARN they are reported in
	// ResourceSpecificResults instead.
	MissingContextValues []string
	// OrganizationsDecisionDetail is present when SCPs (or RCPs) applied.
	OrganizationsDecisionDetail *OrganizationsDecisionDetail `json:",omitempty"`
	// PermissionsBoundaryDecisionDetail is present when a boundary applied.
	PermissionsBoundaryDecisionDetail *PermissionsBoundaryDecisionDetail `json:",omitempty"`
	// EvalDecisionDetails gives, for a cross-account simulation, each
	// policy type's decision, keyed by iamsim's layer names (identity,
	// resource, boundary, session, scp, rcp); it is present but empty for a
	// same-account simulation of a resource ARN, and absent for "*".
	EvalDecisionDetails *map[string]evaluator.Decision `json:",omitempty"`
	// ResourceSpecificResults holds, for a resource ARN, the result on it.
	ResourceSpecificResults []ResourceSpecificResult `json:",omitempty"`
}

// ResourceSpecificResult mirrors AWS's ResourceSpecificResult.
type ResourceSpecificResult struct {
	EvalResourceName                  string
	EvalResourceDecision              evaluator.Decision
	MatchedStatements                 []SimulatedStatement
	MissingContextValues              []string
	EvalDecisionDetails               *map[string]evaluator.Decision     `json:",omitempty"`
	PermissionsBoundaryDecisionDetail *PermissionsBoundaryDecisionDetail `json:",omitempty"`
}

// SimulatedStatement mirrors AWS's Statement: which input policy, and
// where in it.
type SimulatedStatement struct {
	// SourcePolicyId names the input: PolicyInputList.N,
	// PermissionsBoundaryPolicyInputList.N, ResourcePolicy, and for
	// iamsim's extensions SessionPolicyInputList.N, SCPInputList.L.N,
	// RCPInputList.L.N (N and L from 1).
	SourcePolicyId string
	// SourcePolicyType is "resource" for the resource policy; AWS leaves it
	// out for custom policy inputs, and so does iamsim.
	SourcePolicyType string `json:",omitempty"`
	StartPosition    *SimulatedPosition
	EndPosition      *SimulatedPosition
}

// SimulatedPosition mirrors AWS's Position. AWS counts the statement's
// start as the column after its opening brace and its end as the column
// after its closing brace.
type SimulatedPosition struct {
	Line, Column int
}

// OrganizationsDecisionDetail mirrors AWS's type of that name.
type OrganizationsDecisionDetail struct{ AllowedByOrganizations bool }

// PermissionsBoundaryDecisionDetail mirrors AWS's type of that name.
type PermissionsBoundaryDecisionDetail struct{ AllowedByPermissionsBoundary bool }

// Error is a simulation request refused as AWS's IAM would refuse
// it: Code is InvalidInput (a malformed request or policy).
type Error struct {
	Code    string
	Message string
	Err     error
}

// Error renders "Code: message" and the underlying problem.
func (e *Error) Error() string {
	s := e.Code + ": " + e.Message
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying problem (policy.Errors for a malformed
// policy).
func (e *Error) Unwrap() error { return e.Err }

func invalidInput(err error, format string, args ...any) *Error {
	return &Error{Code: "InvalidInput", Message: fmt.Sprintf(format, args...), Err: err}
}

// defaultMaxItems is AWS's page size when MaxItems is not given.
const defaultMaxItems = 100

// SimulateCustomPolicy simulates every action of in.ActionNames on every
// resource of in.ResourceArns, as AWS's iam:SimulateCustomPolicy does, and
// returns AWS's response shape: one EvaluationResult per action, whose
// top-level decision is the most restrictive over the resources and whose
// ResourceSpecificResults give each resource's own ("The simulator now
// returns a single EvaluationResult per action, regardless of how many
// resource ARNs are provided", IAM API Reference, EvaluationResult). opts
// are Compile options.
func SimulateCustomPolicy(in SimulateCustomPolicyInput, opts ...evaluator.Option) (*SimulatePolicyResponse, error) {
	if in.PolicyInputList == nil {
		return nil, invalidInput(nil, "PolicyInputList is required")
	}
	if in.MaxItems < 0 || in.MaxItems > 1000 {
		return nil, invalidInput(nil, "MaxItems %d is not between 1 and 1000", in.MaxItems)
	}
	if len(in.ActionNames) == 0 {
		return nil, invalidInput(nil, "ActionNames is required")
	}
	if len(in.PermissionsBoundaryPolicyInputList) > 1 {
		return nil, invalidInput(nil, "PermissionsBoundaryPolicyInputList holds at most one policy")
	}
	if in.ResourceHandlingOption != "" {
		return nil, invalidInput(nil, "ResourceHandlingOption %q: EC2 resource handling scenarios are not modelled", in.ResourceHandlingOption)
	}
	if in.ResourcePolicy != "" && in.CallerArn == "" {
		return nil, invalidInput(nil, "CallerArn is required when ResourcePolicy is given")
	}
	var set evaluator.PolicySet
	var bad []error
	parse := func(id, src string) evaluator.Input {
		p, err := policy.Parse([]byte(src), policy.WithSource(id))
		if err != nil {
			bad = append(bad, err)
		}
		return evaluator.Input{ID: id, Policy: p, Text: []byte(src)}
	}
	for i, src := range in.PolicyInputList {
		set.Identity = append(set.Identity, parse(fmt.Sprintf("PolicyInputList.%d", i+1), src))
	}
	for i, src := range in.PermissionsBoundaryPolicyInputList {
		b := parse(fmt.Sprintf("PermissionsBoundaryPolicyInputList.%d", i+1), src)
		set.PermissionsBoundary = &b
	}
	for i, src := range in.SessionPolicyInputList {
		set.Session = append(set.Session, parse(fmt.Sprintf("SessionPolicyInputList.%d", i+1), src))
	}
	if in.ResourcePolicy != "" {
		r := parse("ResourcePolicy", in.ResourcePolicy)
		set.Resource = &r
	}
	levels := func(name string, lists [][]string) [][]evaluator.Input {
		var out [][]evaluator.Input
		for l, lv := range lists {
			var level []evaluator.Input
			for i, src := range lv {
				level = append(level, parse(fmt.Sprintf("%s.%d.%d", name, l+1, i+1), src))
			}
			out = append(out, level)
		}
		return out
	}
	set.SCPs, set.RCPs = levels("SCPInputList", in.SCPInputList), levels("RCPInputList", in.RCPInputList)
	set.ManagementAccount = in.ManagementAccount
	if len(bad) > 0 {
		return nil, invalidInput(policy.AsErrors(joinErrors(bad)), "a policy is not valid JSON policy syntax")
	}
	eng, err := evaluator.Compile(set, opts...)
	if err != nil {
		return nil, invalidInput(err, "a policy is not valid for its place")
	}
	ctx, err := contextFromEntries(in.ContextEntries)
	if err != nil {
		return nil, invalidInput(err, "ContextEntries")
	}
	// ResourceOwner is the owner "of any simulated resource that does not
	// identify its owner in the resource ARN" (SimulateCustomPolicy).
	owner := in.ResourceOwner
	if a, err := arn.Parse(owner); err == nil && a.Service == "iam" && a.Resource == "root" {
		owner = a.Account
	}
	ownerOf := func(resource string) string {
		if a, err := arn.Parse(resource); err == nil && arn.IsAccountID(a.Account) {
			return ""
		}
		return owner
	}
	if owner != "" && !arn.IsAccountID(owner) {
		return nil, invalidInput(nil, "ResourceOwner %q: want an account ARN (arn:aws:iam::ACCOUNT:root) or account ID", in.ResourceOwner)
	}
	resources := in.ResourceArns
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	start := 0
	if in.Marker != "" {
		if start, err = strconv.Atoi(in.Marker); err != nil || start < 0 {
			return nil, invalidInput(nil, "Marker %q is not one this simulator returned", in.Marker)
		}
	}
	limit := in.MaxItems
	if limit <= 0 {
		limit = defaultMaxItems
	}
	out := &SimulatePolicyResponse{EvaluationResults: []EvaluationResult{}}
	for n, action := range in.ActionNames {
		if n < start {
			continue
		}
		if len(out.EvaluationResults) == limit {
			out.IsTruncated, out.Marker = true, strconv.Itoa(n)
			return out, nil
		}
		var each []EvaluationResult
		for _, resource := range resources {
			req := evaluator.Request{Principal: in.CallerArn, Action: action, Resource: resource, ResourceAccount: ownerOf(resource), Context: ctx}
			if req.Principal == "" {
				req.Principal = defaultCaller(resource, owner)
			}
			if err := req.Validate(); err != nil {
				return nil, invalidInput(err, "action %q on %q", action, resource)
			}
			each = append(each, simulated(eng.Evaluate(req), action, resource, set))
		}
		out.EvaluationResults = append(out.EvaluationResults, aggregate(each))
	}
	return out, nil
}

// restrictiveness orders decisions for aggregation: explicitDeny over
// implicitDeny over allowed.
var restrictiveness = map[evaluator.Decision]int{evaluator.Allowed: 0, evaluator.ImplicitDeny: 1, evaluator.ExplicitDeny: 2}

// aggregate makes the one EvaluationResult of an action from its results on
// each resource: the most restrictive decision, with the statements and
// details of the resources that had it; the boundary and organizations
// details allow only if they allowed on every resource; every resource's
// own result in ResourceSpecificResults. The action's EvalResourceName is
// the first resource's (AWS does not say; README, Differences).
func aggregate(each []EvaluationResult) EvaluationResult {
	if len(each) == 1 {
		return each[0]
	}
	out := each[0]
	out.ResourceSpecificResults = nil
	for _, er := range each[1:] {
		if restrictiveness[er.EvalDecision] > restrictiveness[out.EvalDecision] {
			out.EvalDecision = er.EvalDecision
		}
	}
	out.MatchedStatements = []SimulatedStatement{}
	seen := map[SimulatedStatement]bool{}
	var details map[string]evaluator.Decision
	for i, er := range each {
		out.ResourceSpecificResults = append(out.ResourceSpecificResults, er.ResourceSpecificResults...)
		if er.OrganizationsDecisionDetail != nil {
			if out.OrganizationsDecisionDetail == nil || i == 0 {
				d := *er.OrganizationsDecisionDetail
				out.OrganizationsDecisionDetail = &d
			}
			out.OrganizationsDecisionDetail.AllowedByOrganizations = out.OrganizationsDecisionDetail.AllowedByOrganizations && er.OrganizationsDecisionDetail.AllowedByOrganizations
		}
		if er.PermissionsBoundaryDecisionDetail != nil {
			if out.PermissionsBoundaryDecisionDetail == nil || i == 0 {
				d := *er.PermissionsBoundaryDecisionDetail
				out.PermissionsBoundaryDecisionDetail = &d
			}
			out.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary = out.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary && er.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary
		}
		if er.EvalDecisionDetails != nil {
			if details == nil {
				details = map[string]evaluator.Decision{}
			}
			for k, d := range *er.EvalDecisionDetails {
				if old, ok := details[k]; !ok || restrictiveness[d] > restrictiveness[old] {
					details[k] = d
				}
			}
		}
		if er.EvalDecision != out.EvalDecision {
			continue
		}
		for _, s := range er.MatchedStatements {
			key := s
			key.StartPosition, key.EndPosition = nil, nil
			if s.StartPosition != nil {
				key.SourcePolicyId += fmt.Sprintf("@%d:%d-%d:%d", s.StartPosition.Line, s.StartPosition.Column, s.EndPosition.Line, s.EndPosition.Column)
			}
			if !seen[key] {
				seen[key] = true
				out.MatchedStatements = append(out.MatchedStatements, s)
			}
		}
	}
	if details != nil {
		out.EvalDecisionDetails = &details
	}
	return out
}

// defaultCaller stands in for AWS's default caller (the user calling the
// simulation): an IAM user of the resource's account, so that the
// simulation stays within one account.
func defaultCaller(resource, owner string) string {
	acct := owner
	if acct == "" {
		if a, err := arn.Parse(resource); err == nil && arn.IsAccountID(a.Account) {
			acct = a.Account
		}
	}
	if acct == "" {
		acct = "123456789012"
	}
	return "arn:aws:iam::" + acct + ":user/iamsim-simulated-caller"
}

func joinErrors(errs []error) error {
	var all policy.Errors
	for _, e := range errs {
		all = append(all, policy.AsErrors(e)...)
	}
	return all
}

// simulated converts a Result into AWS's EvaluationResult.
func simulated(r evaluator.Result, action, resource string, set evaluator.PolicySet) EvaluationResult {
	er := EvaluationResult{
		EvalActionName: action, EvalResourceName: resource, EvalDecision: r.Decision,
		MatchedStatements: []SimulatedStatement{}, MissingContextValues: []string{},
	}
	for _, m := range r.Matched {
		s := SimulatedStatement{SourcePolicyId: m.PolicyID,
			StartPosition: &SimulatedPosition{Line: m.Span.Start.Line, Column: m.Span.Start.Column + 1},
			EndPosition:   &SimulatedPosition{Line: m.Span.End.Line, Column: m.Span.End.Column}}
		if m.Kind == policy.Resource {
			s.SourcePolicyType = "resource"
		}
		er.MatchedStatements = append(er.MatchedStatements, s)
	}
	missing := append([]string{}, r.MissingContext...)
	if allowed, applies := r.AllowedByOrganizations(); applies {
		er.OrganizationsDecisionDetail = &OrganizationsDecisionDetail{AllowedByOrganizations: allowed}
	}
	if allowed, applies := r.AllowedByPermissionsBoundary(); applies {
		er.PermissionsBoundaryDecisionDetail = &PermissionsBoundaryDecisionDetail{AllowedByPermissionsBoundary: allowed}
	}
	if resource == "*" {
		er.MissingContextValues = missing
		return er
	}
	details := map[string]evaluator.Decision{}
	if r.CrossAccount {
		for _, lr := range r.Layers {
			if lr.Layer == evaluator.LayerIdentity || lr.Layer == evaluator.LayerResource || lr.Layer == evaluator.LayerPermissionsBoundary || lr.Layer == evaluator.LayerSession {
				details[lr.Layer.String()] = lr.Decision
			}
		}
		if _, ok := details[evaluator.LayerResource.String()]; !ok && set.Resource == nil {
			details[evaluator.LayerResource.String()] = evaluator.ImplicitDeny
		}
	}
	er.EvalDecisionDetails = &details
	rs := ResourceSpecificResult{EvalResourceName: resource, EvalResourceDecision: r.Decision,
		MatchedStatements: er.MatchedStatements, MissingContextValues: missing,
		PermissionsBoundaryDecisionDetail: er.PermissionsBoundaryDecisionDetail}
	if r.CrossAccount {
		// "This parameter is returned only for cross-account simulations"
		// (ResourceSpecificResult, EvalDecisionDetails).
		rs.EvalDecisionDetails = er.EvalDecisionDetails
	}
	er.ResourceSpecificResults = []ResourceSpecificResult{rs}
	return er
}

// contextFromEntries converts AWS ContextEntries, checking each value
// against its ContextKeyType.
func contextFromEntries(entries []ContextEntry) (evaluator.Context, error) {
	if len(entries) == 0 {
		return nil, nil
	}
	ctx := evaluator.Context{}
	seen := make(map[string]bool, len(entries)) // names in lower case: a map, not a scan per entry
	for _, e := range entries {
		if e.ContextKeyName == "" {
			return nil, fmt.Errorf("a ContextEntry has no ContextKeyName")
		}
		typ := e.ContextKeyType
		if typ == "" {
			typ = "string"
		}
		check, list, ok := LookupContextKeyType(typ)
		base := strings.TrimSuffix(typ, "List")
		if !ok {
			return nil, fmt.Errorf("%s: unknown ContextKeyType %q", e.ContextKeyName, e.ContextKeyType)
		}
		for _, v := range e.ContextKeyValues {
			if !check(v) {
				return nil, fmt.Errorf("%s: %q is not a valid %s value", e.ContextKeyName, v, base)
			}
		}
		if folded := strings.ToLower(e.ContextKeyName); seen[folded] {
			return nil, fmt.Errorf("%s: given twice", e.ContextKeyName)
		} else {
			seen[folded] = true
		}
		if !list && len(e.ContextKeyValues) != 1 {
			return nil, fmt.Errorf("%s: a %s key takes one value (use %sList for several)", e.ContextKeyName, base, base)
		}
		ctx[e.ContextKeyName] = evaluator.Value{Values: append([]string(nil), e.ContextKeyValues...), Multi: list}
	}
	return ctx, nil
}

// LookupContextKeyType returns the check of a value of an AWS
// ContextKeyType (string, numeric, boolean, date, ip, binary, or their
// ...List forms) and whether the type makes a key multi-valued.
func LookupContextKeyType(name string) (valid func(string) bool, multi, ok bool) {
	base, multi := strings.CutSuffix(name, "List")
	valid, ok = contextKeyTypes[base]
	return valid, multi, ok
}

var contextKeyTypes = map[string]func(string) bool{
	"string":  func(string) bool { return true },
	"numeric": func(v string) bool { _, ok := policy.ParseNumber(v); return ok },
	"boolean": func(v string) bool { _, ok := policy.ParseBool(v); return ok },
	"date":    func(v string) bool { _, ok := policy.ParseDate(v); return ok },
	"ip":      func(v string) bool { _, ok := policy.ParseIP(v); return ok },
	"binary":  func(v string) bool { _, ok := policy.ParseBinary(v); return ok },
}
