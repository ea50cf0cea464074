package snapshot_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/policy"
)

// independent is a principal's policy set, caller and tags read straight
// from the authorization details' JSON, without package snapshot: the
// reference of TestWhoCanMatchesIndependent.
type independent struct {
	arn, caller, issuer string
	set                 evaluator.PolicySet
	trust               *evaluator.Input
	tags                evaluator.Context
}

func readIndependent(t testing.TB, authz []byte) []independent {
	var raw map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(authz, &raw))
	top := map[string][]map[string]any{}
	for _, k := range []string{"UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"} {
		var l []map[string]any
		require.NoError(t, json.Unmarshal(raw[k], &l))
		top[k] = l
	}
	doc := func(v any, aws bool) *policy.Policy {
		var src []byte
		switch d := v.(type) {
		case string:
			s, err := url.QueryUnescape(d)
			require.NoError(t, err)
			src = []byte(s)
		default:
			var err error
			src, err = json.Marshal(d)
			require.NoError(t, err)
		}
		var opts []policy.ParseOption
		if aws {
			opts = append(opts, policy.ParseAs(policy.AWSManaged))
		}
		p, err := policy.Parse(src, opts...)
		require.NoError(t, err)
		return p
	}
	managed := map[string]*policy.Policy{}
	for _, mp := range top["Policies"] {
		arn := mp["Arn"].(string)
		for _, v := range mp["PolicyVersionList"].([]any) {
			v := v.(map[string]any)
			if v["IsDefaultVersion"] == true {
				managed[arn] = doc(v["Document"], strings.HasPrefix(arn, "arn:aws:iam::aws:policy/"))
			}
		}
	}
	list := func(v any) []map[string]any {
		var out []map[string]any
		for _, x := range v.([]any) {
			out = append(out, x.(map[string]any))
		}
		return out
	}
	policies := func(owner string, d map[string]any, inlineField string) []evaluator.Input {
		var out []evaluator.Input
		for _, ip := range list(d[inlineField]) {
			out = append(out, evaluator.Input{ID: owner + "#inline/" + ip["PolicyName"].(string), Policy: doc(ip["PolicyDocument"], false)})
		}
		for _, ap := range list(d["AttachedManagedPolicies"]) {
			arn := ap["PolicyArn"].(string)
			require.NotNil(t, managed[arn], arn)
			out = append(out, evaluator.Input{ID: arn, Policy: managed[arn], Managed: true})
		}
		return out
	}
	groups := map[string][]evaluator.Input{}
	for _, g := range top["GroupDetailList"] {
		groups[g["GroupName"].(string)] = policies(g["Arn"].(string), g, "GroupPolicyList")
	}
	common := func(d map[string]any, arn, inlineField string) independent {
		in := independent{arn: arn}
		in.set.Identity = policies(arn, d, inlineField)
		if b, ok := d["PermissionsBoundary"].(map[string]any); ok {
			barn := b["PermissionsBoundaryArn"].(string)
			in.set.PermissionsBoundary = &evaluator.Input{ID: barn, Policy: managed[barn], Managed: true}
		}
		for _, tg := range list(d["Tags"]) {
			if in.tags == nil {
				in.tags = evaluator.Context{}
			}
			in.tags["aws:PrincipalTag/"+tg["Key"].(string)] = evaluator.Single(tg["Value"].(string))
		}
		return in
	}
	var out []independent
	for _, u := range top["UserDetailList"] {
		in := common(u, u["Arn"].(string), "UserPolicyList")
		for _, g := range u["GroupList"].([]any) {
			in.set.Identity = append(in.set.Identity, groups[g.(string)]...)
		}
		in.caller = in.arn
		out = append(out, in)
	}
	for _, r := range top["RoleDetailList"] {
		arn := r["Arn"].(string)
		in := common(r, arn, "RolePolicyList")
		acct := strings.Split(arn, ":")[4]
		in.caller, in.issuer = "arn:aws:sts::"+acct+":assumed-role/"+r["RoleName"].(string)+"/who-can", arn
		in.trust = &evaluator.Input{ID: arn + "#trust", Policy: doc(r["AssumeRolePolicyDocument"], false)}
		out = append(out, in)
	}
	return out
}
