package accesscheck

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/policy"
	"github.com/iamsim/iamsim/policy/catalog"
)

// publicTypes maps the resource types of Access Analyzer's
// CheckNoPublicAccess (API reference, resourceType "Valid Values") to the
// service prefixes of their actions.
var publicTypes = map[string][]string{
	"AWS::DynamoDB::Table":               {"dynamodb"},
	"AWS::DynamoDB::Stream":              {"dynamodb"},
	"AWS::EFS::FileSystem":               {"elasticfilesystem"},
	"AWS::OpenSearchService::Domain":     {"es"},
	"AWS::Kinesis::Stream":               {"kinesis"},
	"AWS::Kinesis::StreamConsumer":       {"kinesis"},
	"AWS::KMS::Key":                      {"kms"},
	"AWS::Lambda::Function":              {"lambda"},
	"AWS::S3::Bucket":                    {"s3"},
	"AWS::S3::AccessPoint":               {"s3"},
	"AWS::S3Express::DirectoryBucket":    {"s3express"},
	"AWS::S3::Glacier":                   {"glacier"},
	"AWS::S3Outposts::Bucket":            {"s3-outposts"},
	"AWS::S3Outposts::AccessPoint":       {"s3-outposts"},
	"AWS::SecretsManager::Secret":        {"secretsmanager"},
	"AWS::SNS::Topic":                    {"sns"},
	"AWS::SQS::Queue":                    {"sqs"},
	"AWS::IAM::AssumeRolePolicyDocument": {"sts"},
	"AWS::S3Tables::TableBucket":         {"s3tables"},
	"AWS::ApiGateway::RestApi":           {"execute-api"},
	"AWS::CodeArtifact::Domain":          {"codeartifact"},
	"AWS::Backup::BackupVault":           {"backup"},
	"AWS::CloudTrail::Dashboard":         {"cloudtrail"},
	"AWS::CloudTrail::EventDataStore":    {"cloudtrail"},
	"AWS::S3Tables::Table":               {"s3tables"},
	"AWS::S3Express::AccessPoint":        {"s3express"},
}

// PublicResourceTypes returns the resource types CheckNoPublicAccess
// accepts, sorted.
func PublicResourceTypes() []string {
	out := make([]string, 0, len(publicTypes))
	for t := range publicTypes {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// pinningKeys are the condition keys whose fixed values make a grant not
// public: S3's "The meaning of public" (a fixed aws:SourceArn, SourceVpc,
// SourceVpce, SourceOwner, SourceAccount,
// s3:x-amz-server-side-encryption-aws-kms-key-id, aws:userid), the
// organization keys Access Analyzer also honours (aws:PrincipalOrgID,
// aws:PrincipalOrgPaths, aws:SourceOrgID, aws:SourceOrgPaths), and KMS's
// kms:CallerAccount. aws:SourceIp pins with a narrow CIDR (see
// narrowPrefix).
var pinningKeys = map[string]bool{
	"aws:sourcearn": true, "aws:sourcevpc": true, "aws:sourcevpce": true, "aws:sourceowner": true,
	"aws:sourceaccount": true, "aws:principalorgid": true, "aws:principalorgpaths": true,
	"aws:sourceorgid": true, "aws:sourceorgpaths": true, "aws:userid": true,
	"s3:x-amz-server-side-encryption-aws-kms-key-id": true, "kms:calleraccount": true,
	"aws:sourceip": true,
}

// narrowPrefix reports whether a CIDR block pins callers: an IPv4 block of
// /8 or narrower, an IPv6 block of /32 or narrower. Wider blocks (0.0.0.0/0
// and the like) are public.
func narrowPrefix(p netip.Prefix) bool {
	if p.Addr().Is4() {
		return p.Bits() >= 8
	}
	return p.Bits() >= 32
}

// pinFilter returns the witness filter of no-public-access: a value of a
// pinning key is dropped when it copies a fixed value the policy gives
// that key (a value without wildcards, or an address inside a narrow CIDR
// block), so that a counterexample is a caller the policy does not know.
func pinFilter(p *policy.Policy) func(key string, w keyWitness) bool {
	fixed := map[string][]string{}
	var prefixes []netip.Prefix
	for _, st := range p.Statements {
		for _, c := range st.Conditions {
			k := strings.ToLower(c.Key)
			if !pinningKeys[k] {
				continue
			}
			for _, v := range c.Values {
				if k == "aws:sourceip" {
					if pr, ok := policy.ParseIP(v); ok && narrowPrefix(pr) {
						prefixes = append(prefixes, pr.Masked())
					}
					continue
				}
				if !strings.ContainsAny(v, "*?") && !strings.Contains(v, "${") {
					fixed[k] = append(fixed[k], v)
				}
			}
		}
	}
	return func(key string, w keyWitness) bool {
		if w.absent || !pinningKeys[key] {
			return true
		}
		for _, v := range w.values {
			if key == "aws:sourceip" {
				a, err := netip.ParseAddr(v)
				if err != nil {
					continue
				}
				for _, pr := range prefixes {
					if pr.Contains(a) {
						return false
					}
				}
				continue
			}
			for _, f := range fixed[key] {
				if strings.EqualFold(f, v) {
					return false
				}
			}
		}
		return true
	}
}

// CheckNoPublicAccess reports whether a resource policy of the given
// resource type (one of PublicResourceTypes) can grant an action of that
// type's service to an anonymous caller or to a principal of an account
// that is neither the owner nor named in the policy, with condition values
// that do not copy the policy's pinning values (see pinningKeys): FAIL with
// the statements that grant it and counterexamples, or PASS.
func CheckNoPublicAccess(p *policy.Policy, resourceType string, opts ...Option) (*Result, error) {
	cfg := configOf(opts)
	svcs, ok := publicTypes[resourceType]
	if !ok {
		return nil, fmt.Errorf("resource type %q: want one of %s", resourceType, strings.Join(PublicResourceTypes(), ", "))
	}
	s, err := newSide(p, ResourcePolicy, "policy")
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	if keys, err := variableKeys(p); err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	} else if len(keys) > 0 {
		opts := append(slices.Clone(opts), withDeadline(cfg.deadline), func(c *config) { c.pinsFrom = p })
		res, err := decideOneWithVars(p, ResourcePolicy, keys, func(q *policy.Policy) (*Result, error) {
			return CheckNoPublicAccess(q, resourceType, opts...)
		})
		if err != nil || res.Result == Pass {
			return res, err
		}
		for _, ce := range res.Counterexamples {
			if err := verify(ce, s, true); err != nil {
				return nil, err
			}
		}
		return res, nil
	}
	pins := p
	if cfg.pinsFrom != nil {
		pins = cfg.pinsFrom
	}
	sp := &space{cfg: cfg, typ: ResourcePolicy, filter: pinFilter(pins)}
	if err := sp.addPolicy(p, "policy"); err != nil {
		return nil, err
	}
	if sp.principals, err = resourcePrincipals(cfg.owner, true, p); err != nil {
		return nil, err
	}
	var cands []string
	for _, svc := range svcs {
		if sv, ok := catalog.LookupService(svc); ok {
			for _, a := range sv.Actions() {
				cands = append(cands, a.FullName())
			}
		} else {
			cands = append(cands, svc+":IamsimUnnamedAction")
		}
	}
	skip := func(cls actionClass) bool {
		for _, i := range cls.rel {
			if p.Statements[i].Effect == policy.Allow {
				return false
			}
		}
		return true
	}
	col := newCollector(cfg.maxCE)
	err = sp.enumerate(sp.actionClasses(cands), skip, func(cls actionClass, req evaluator.Request) bool {
		if ok, refs, full := s.decide(req); ok {
			col.add(cls, req, refs, full, func(r evaluator.StatementRef) string {
				return fmt.Sprintf("Public access granted in the statement with index: %d.", r.Index)
			})
		}
		return false
	})
	if err != nil {
		return nil, err
	}
	if s.err != nil {
		return nil, s.err
	}
	res := &Result{Evaluations: sp.evals, Reasons: []Reason{}}
	if len(col.ces) == 0 {
		res.Result, res.Message = Pass, "The resource policy does not grant public access for the given resource type."
		return res, nil
	}
	v, err := newSide(p, ResourcePolicy, "policy")
	if err != nil {
		return nil, err
	}
	filter := pinFilter(pins)
	for i := range col.ces {
		col.fitAction(i, func(c Counterexample) bool { return verify(c, v, true) == nil })
		ce := col.ces[i]
		if err := verify(ce, v, true); err != nil {
			return nil, err
		}
		for k, val := range ce.Context {
			if !filter(strings.ToLower(k), keyWitness{values: val.Values, multi: val.Multi}) {
				return nil, fmt.Errorf("internal error: counterexample %+v copies the policy's pinning value of %s", ce, k)
			}
		}
	}
	res.Result, res.Message = Fail, "The resource policy grants public access for the given resource type."
	res.Reasons, res.Counterexamples = sortReasons(col.reasons), col.ces
	return res, nil
}
