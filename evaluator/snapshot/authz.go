package snapshot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/iamsim/iamsim/policy"
)

// The response shapes of IAM's GetAccountAuthorizationDetails (IAM API
// Reference: GetAccountAuthorizationDetails, UserDetail, GroupDetail,
// RoleDetail, ManagedPolicyDetail, PolicyVersion, PolicyDetail,
// AttachedPolicy, AttachedPermissionsBoundary, InstanceProfile, Role,
// RoleLastUsed, Tag), every documented field listed so that an unknown one
// is an error. Fields iamsim does not use are kept as raw JSON, whatever
// their type.

type authzDetails struct {
	UserDetailList  []json.RawMessage
	GroupDetailList []json.RawMessage
	RoleDetailList  []json.RawMessage
	Policies        []json.RawMessage
	IsTruncated     *bool
	Marker          json.RawMessage
}

type userDetail struct {
	Path                    string
	UserName                string
	UserId                  json.RawMessage
	Arn                     string
	CreateDate              json.RawMessage
	UserPolicyList          []policyDetail
	GroupList               []string
	AttachedManagedPolicies []attachedPolicy
	PermissionsBoundary     *attachedBoundary
	Tags                    []tag
}

type groupDetail struct {
	Path                    string
	GroupName               string
	GroupId                 json.RawMessage
	Arn                     string
	CreateDate              json.RawMessage
	GroupPolicyList         []policyDetail
	AttachedManagedPolicies []attachedPolicy
}

type roleDetail struct {
	Path                     string
	RoleName                 string
	RoleId                   json.RawMessage
	Arn                      string
	CreateDate               json.RawMessage
	AssumeRolePolicyDocument json.RawMessage
	InstanceProfileList      []instanceProfile
	RolePolicyList           []policyDetail
	AttachedManagedPolicies  []attachedPolicy
	PermissionsBoundary      *attachedBoundary
	Tags                     []tag
	RoleLastUsed             *roleLastUsed
}

type instanceProfile struct {
	Path                string
	InstanceProfileName string
	InstanceProfileId   json.RawMessage
	Arn                 string
	CreateDate          json.RawMessage
	Roles               []role
	Tags                []tag
}

// role is the Role shape, as an instance profile lists its roles.
type role struct {
	Path                     string
	RoleName                 string
	RoleId                   json.RawMessage
	Arn                      string
	CreateDate               json.RawMessage
	AssumeRolePolicyDocument json.RawMessage
	Description              json.RawMessage
	MaxSessionDuration       json.RawMessage
	PermissionsBoundary      *attachedBoundary
	Tags                     []tag
	RoleLastUsed             *roleLastUsed
}

type roleLastUsed struct {
	LastUsedDate json.RawMessage
	Region       json.RawMessage
}

type managedPolicyDetail struct {
	PolicyName                    string
	PolicyId                      json.RawMessage
	Arn                           string
	Path                          string
	DefaultVersionId              string
	AttachmentCount               json.RawMessage
	PermissionsBoundaryUsageCount json.RawMessage
	IsAttachable                  json.RawMessage
	Description                   json.RawMessage
	CreateDate                    json.RawMessage
	UpdateDate                    json.RawMessage
	PolicyVersionList             []policyVersion
}

type policyVersion struct {
	Document         json.RawMessage
	VersionId        string
	IsDefaultVersion bool
	CreateDate       json.RawMessage
}

type policyDetail struct {
	PolicyName     string
	PolicyDocument json.RawMessage
}

type attachedPolicy struct {
	PolicyName string
	PolicyArn  string
}

type attachedBoundary struct {
	PermissionsBoundaryType json.RawMessage
	PermissionsBoundaryArn  string
}

type tag struct {
	Key   string
	Value string
}

// decodeStrict decodes src into v, refusing unknown fields; path names src
// in the error.
func decodeStrict(src []byte, v any, path string) error {
	d := json.NewDecoder(bytes.NewReader(src))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", path, jsonError(err))
	}
	if d.More() {
		return fmt.Errorf("%s: data after the JSON value", path)
	}
	return nil
}

// jsonError makes encoding/json's messages read without the Go types.
func jsonError(err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "json: ")
	return fmt.Errorf("%s", msg)
}

// documentBytes returns a policy document's JSON text: the object itself as
// the AWS CLI prints it, or the string the raw API returns, URL-encoded
// (RFC 3986) JSON text, decoded.
func documentBytes(raw json.RawMessage) ([]byte, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return nil, fmt.Errorf("no policy document")
	case raw[0] == '{':
		return raw, nil
	case raw[0] != '"':
		return nil, fmt.Errorf("a policy document must be a JSON object or a (URL-encoded) string")
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, err
	}
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "{") {
		return []byte(s), nil // JSON text, not encoded
	}
	dec, err := url.QueryUnescape(s)
	if err != nil {
		return nil, fmt.Errorf("URL-encoded policy document: %v", err)
	}
	return []byte(dec), nil
}

// parseDocument parses a document found at path of file name.
func parseDocument(raw json.RawMessage, name, path string, aws bool) (*policy.Policy, error) {
	src, err := documentBytes(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	opts := []policy.ParseOption{policy.WithSource(name + "#" + path)}
	if aws {
		opts = append(opts, policy.ParseAs(policy.AWSManaged))
	}
	p, err := policy.Parse(src, opts...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}
