package snapshot

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/iamsim/iamsim/arn"
	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/policy"
)

// LoadResourcePoliciesFile loads a resource-policies file (see
// LoadResourcePolicies).
func (s *Snapshot) LoadResourcePoliciesFile(path string) error {
	src, err := policy.ReadFile(path)
	if err != nil {
		return err
	}
	return s.LoadResourcePolicies(src, path)
}

// LoadResourcePolicies loads a JSON object mapping resource ARNs to their
// resource-based policies (bucket, key, queue, topic, secret policies...),
// each a document or a JSON string holding one (URL-encoded or not). An S3
// bucket's policy is keyed by the bucket's ARN, arn:aws:s3:::BUCKET, and
// governs the bucket and its objects. Role trust policies come from the
// authorization details, not from here. name names src in errors.
func (s *Snapshot) LoadResourcePolicies(src []byte, name string) error {
	if s.prepared {
		return errors.New("snapshot: LoadResourcePolicies after the first query")
	}
	var m map[string]json.RawMessage
	if err := decodeStrict(src, &m, name); err != nil {
		return err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var errs []error
	add := map[string]*evaluator.Input{}
	for _, k := range keys {
		ptr := "/" + strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
		a, err := arn.Parse(k)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("%s#%s: %q is not an ARN", name, ptr, k))
			continue
		case a.Service == "s3" && strings.Contains(a.Resource, "/"):
			errs = append(errs, fmt.Errorf("%s#%s: an S3 policy is keyed by the bucket's ARN, not an object's", name, ptr))
			continue
		case a.Service == "iam" && strings.HasPrefix(a.Resource, "role/"):
			errs = append(errs, fmt.Errorf("%s#%s: a role's trust policy comes from the authorization details", name, ptr))
			continue
		}
		if _, dup := s.resources[k]; dup {
			errs = append(errs, fmt.Errorf("%s#%s: resource %s has a policy already", name, ptr, k))
			continue
		}
		p, err := parseDocument(m[k], name, ptr, false)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		add[k] = &evaluator.Input{ID: k, Policy: p}
	}
	if len(errs) > 0 {
		return errors.Join(errs...) // nothing of a bad file is kept
	}
	for k, in := range add {
		s.resources[k] = in
	}
	return nil
}

// ResourcePolicyFor returns the resource-based policy that governs a
// request of action on resource, or nil: a role's trust policy for
// sts:AssumeRole*, sts:TagSession and sts:SetSourceIdentity on it, an S3
// object's or bucket's bucket policy, or the policy loaded for the
// resource's ARN.
func (s *Snapshot) ResourcePolicyFor(action, resource string) *evaluator.Input {
	return s.resourcePolicy(action, resource)
}

// resourcePolicy returns the policy governing resource for action: a
// role's trust policy for the STS actions that need it, an S3 object's
// bucket policy, or the policy keyed by the resource's ARN.
func (s *Snapshot) resourcePolicy(action, resource string) *evaluator.Input {
	a, err := arn.Parse(resource)
	if err != nil {
		return nil
	}
	if a.Service == "iam" && strings.HasPrefix(a.Resource, "role/") {
		l := strings.ToLower(action)
		if strings.HasPrefix(l, "sts:assumerole") || l == "sts:tagsession" || l == "sts:setsourceidentity" {
			if p, ok := s.byARN[resource]; ok && p.Type == Role {
				return p.Trust
			}
			return nil
		}
	}
	if a.Service == "s3" {
		bucket, _, _ := strings.Cut(a.Resource, "/")
		return s.resources["arn:"+a.Partition+":s3:::"+bucket]
	}
	return s.resources[resource]
}

// ResourcePolicy returns the policy loaded for a resource ARN (a bucket's
// by the bucket's ARN).
func (s *Snapshot) ResourcePolicy(resourceARN string) (*evaluator.Input, bool) {
	in, ok := s.resources[resourceARN]
	return in, ok
}

// ResourceARNs returns the ARNs of the resources with a loaded
// resource-based policy (a bucket's by the bucket's ARN), sorted. Role
// trust policies are the roles' (Principal.Trust).
func (s *Snapshot) ResourceARNs() []string {
	out := make([]string, 0, len(s.resources))
	for k := range s.resources {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
