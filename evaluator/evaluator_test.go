package evaluator

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/policy"
	"github.com/iamsim/iamsim/policy/catalog"
)

func mustPolicy(t testing.TB, src string) *policy.Policy {
	t.Helper()
	p, err := policy.Parse([]byte(src))
	require.NoError(t, err)
	return p
}

func TestDecisionStrings(t *testing.T) {
	for _, d := range []Decision{Allowed, ExplicitDeny, ImplicitDeny} {
		got, err := ParseDecision(d.String())
		require.NoError(t, err)
		assert.Equal(t, d, got)
	}
	assert.Equal(t, "implicitDeny", Decision(0).String(), "the zero Decision must be the safe one")
	_, err := ParseDecision("Allow")
	assert.Error(t, err)
}

func TestParsePrincipal(t *testing.T) {
	tests := []struct {
		name, in, issuer string
		want             principalKind
		account          string
		serviceLinked    bool
	}{
		{name: "root", in: "arn:aws:iam::111111111111:root", want: principalRoot, account: "111111111111"},
		{name: "user with path", in: "arn:aws:iam::111111111111:user/div/alice", want: principalUser, account: "111111111111"},
		{name: "role session", in: "arn:aws:sts::111111111111:assumed-role/app/s1", want: principalRoleSession, account: "111111111111"},
		{name: "role session with issuer", in: "arn:aws:sts::111111111111:assumed-role/app/s1", issuer: "arn:aws:iam::111111111111:role/team/app", want: principalRoleSession, account: "111111111111"},
		{name: "service-linked by path", in: "arn:aws:sts::111111111111:assumed-role/X/s", issuer: "arn:aws:iam::111111111111:role/aws-service-role/autoscaling.amazonaws.com/X", want: principalRoleSession, account: "111111111111", serviceLinked: true},
		{name: "service-linked by name", in: "arn:aws:sts::111111111111:assumed-role/AWSServiceRoleForAutoScaling/s", want: principalRoleSession, account: "111111111111", serviceLinked: true},
		{name: "role ARN as caller", in: "arn:aws:iam::111111111111:role/app", want: principalRoleSession, account: "111111111111"},
		{name: "federated user", in: "arn:aws:sts::111111111111:federated-user/carol", issuer: "arn:aws:iam::111111111111:user/alice", want: principalFederatedUser, account: "111111111111"},
		{name: "service", in: "sns.amazonaws.com", want: principalService},
		{name: "anonymous", in: "anonymous", want: principalAnonymous},
		{name: "empty", in: "", want: principalInvalid},
		{name: "group is not a principal", in: "arn:aws:iam::111111111111:group/admins", want: principalInvalid},
		{name: "short account", in: "arn:aws:iam::1111:user/alice", want: principalInvalid},
		{name: "issuer of another role", in: "arn:aws:sts::111111111111:assumed-role/app/s1", issuer: "arn:aws:iam::111111111111:role/other", want: principalInvalid},
		{name: "issuer on a user", in: "arn:aws:iam::111111111111:user/alice", issuer: "arn:aws:iam::111111111111:user/bob", want: principalInvalid},
		{name: "session without name", in: "arn:aws:sts::111111111111:assumed-role/app", want: principalInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := parsePrincipal(tc.in, tc.issuer)
			assert.Equal(t, tc.want, p.kind, p.problem)
			assert.Equal(t, tc.account, p.account)
			assert.Equal(t, tc.serviceLinked, p.serviceLinked)
		})
	}
}

func TestDerivedContext(t *testing.T) {
	tests := []struct {
		name, principal, issuer, key, want string
		present                            bool
	}{
		{"user arn", "arn:aws:iam::111111111111:user/alice", "", "aws:PrincipalArn", "arn:aws:iam::111111111111:user/alice", true},
		{"user name, key case-folded", "arn:aws:iam::111111111111:user/div/alice", "", "AWS:USERNAME", "alice", true},
		{"role session arn is the role", "arn:aws:sts::111111111111:assumed-role/app/s1", "", "aws:PrincipalArn", "arn:aws:iam::111111111111:role/app", true},
		{"role session arn keeps the issuer path", "arn:aws:sts::111111111111:assumed-role/app/s1", "arn:aws:iam::111111111111:role/team/app", "aws:PrincipalArn", "arn:aws:iam::111111111111:role/team/app", true},
		{"no username for roles", "arn:aws:sts::111111111111:assumed-role/app/s1", "", "aws:username", "", false},
		{"root userid is the account", "arn:aws:iam::111111111111:root", "", "aws:userid", "111111111111", true},
		{"root type", "arn:aws:iam::111111111111:root", "", "aws:PrincipalType", "Account", true},
		{"federated userid", "arn:aws:sts::111111111111:federated-user/carol", "", "aws:userid", "111111111111:carol", true},
		{"anonymous userid", "anonymous", "", "aws:userid", "anonymous", true},
		{"anonymous has no arn", "anonymous", "", "aws:PrincipalArn", "", false},
		{"account", "arn:aws:sts::111111111111:assumed-role/app/s1", "", "aws:PrincipalAccount", "111111111111", true},
		{"anonymous account", "anonymous", "", "aws:PrincipalAccount", "anonymous", true},
		{"anonymous type", "anonymous", "", "aws:PrincipalType", "Anonymous", true},
		{"anonymous is not asked whether it is a service", "anonymous", "", "aws:PrincipalIsAWSService", "", false},
		{"a provider's unsigned call is not asked whether it is a service", "accounts.google.com", "", "aws:PrincipalIsAWSService", "", false},
		{"user is not a service", "arn:aws:iam::111111111111:user/alice", "", "aws:PrincipalIsAWSService", "false", true},
		{"service is a service", "sns.amazonaws.com", "", "aws:PrincipalIsAWSService", "true", true},
		{"service name", "sns.amazonaws.com", "", "aws:PrincipalServiceName", "sns.amazonaws.com", true},
		{"no service name for a user", "arn:aws:iam::111111111111:user/alice", "", "aws:PrincipalServiceName", "", false},
		// A unique ID the request does not give resolves to nothing (the
		// key is present with an unknown value: see TestUnknownValues).
		{"user userid unknown", "arn:aws:iam::111111111111:user/alice", "", "aws:userid", "", false},
		{"session userid unknown", "arn:aws:sts::111111111111:assumed-role/app/s1", "", "aws:userid", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := Request{Principal: tc.principal, SessionIssuer: tc.issuer}
			p := parsePrincipal(tc.principal, tc.issuer)
			require.NotEqual(t, principalInvalid, p.kind, p.problem)
			v := view{req: &req, p: &p}
			got, ok := v.Lookup(tc.key)
			assert.Equal(t, tc.present, ok)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestContextOverridesDerived(t *testing.T) {
	req := Request{Principal: "arn:aws:iam::111111111111:user/alice",
		Context: Context{"aws:username": Single("mallory")}}
	p := parsePrincipal(req.Principal, "")
	v := view{req: &req, p: &p}
	got, ok := v.Lookup("aws:UserName")
	assert.True(t, ok)
	assert.Equal(t, "mallory", got)
}

func TestRequestValidate(t *testing.T) {
	ok := Request{Principal: "arn:aws:iam::111111111111:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}
	require.NoError(t, ok.Validate())
	tests := []struct {
		name   string
		mutate func(*Request)
		want   string
	}{
		{"wildcard action", func(r *Request) { r.Action = "s3:Get*" }, "action"},
		{"no service", func(r *Request) { r.Action = "GetObject" }, "action"},
		{"empty resource", func(r *Request) { r.Resource = "" }, "resource"},
		{"resource not an ARN", func(r *Request) { r.Resource = "bucket/key" }, "resource"},
		{"bad principal", func(r *Request) { r.Principal = "alice" }, "principal"},
		{"bad resource account", func(r *Request) { r.ResourceAccount = "12" }, "resource account"},
		{"keys differing in case", func(r *Request) {
			r.Context = Context{"aws:SourceIp": Single("1.2.3.4"), "aws:sourceip": Single("1.2.3.4")}
		}, "differ only in case"},
		{"single key with two values", func(r *Request) { r.Context = Context{"k": {Values: []string{"a", "b"}}} }, "single-valued"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := ok
			tc.mutate(&r)
			err := r.Validate()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestCompileErrors(t *testing.T) {
	_, err := Compile(PolicySet{Identity: []Input{{ID: "nil"}}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"nil"`)

	withPrincipal := mustPolicy(t, `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`)
	_, err = Compile(PolicySet{Identity: []Input{{ID: "id", Policy: withPrincipal}}})
	require.Error(t, err, "an identity policy with a Principal is invalid for its layer")
	assert.ErrorIs(t, err, policy.CodeElementNotAllowed)

	_, err = Compile(PolicySet{ManagementAccount: "12"})
	require.Error(t, err)
}

// TestResultExplains checks the explanation of a simple layered decision
// by hand: an identity Allow and a boundary without the action.
func TestResultExplains(t *testing.T) {
	id := mustPolicy(t, `{"Version":"2012-10-17","Statement":[
  {"Sid":"AllowS3","Effect":"Allow","Action":"s3:*","Resource":"*"},
  {"Sid":"AllowIAM","Effect":"Allow","Action":"iam:CreateUser","Resource":"*"}]}`)
	bd := mustPolicy(t, `{"Version":"2012-10-17","Statement":[{"Sid":"OnlyS3","Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)
	eng, err := Compile(PolicySet{Identity: []Input{{ID: "id", Policy: id}}, PermissionsBoundary: &Input{ID: "bd", Policy: bd}})
	require.NoError(t, err)
	alice := "arn:aws:iam::111111111111:user/alice"

	// IUG access_policies_boundaries.md: identity allows iam:CreateUser but
	// the boundary does not, so the effective permission is denied.
	r := eng.Evaluate(Request{Principal: alice, Action: "iam:CreateUser", Resource: "*"}, WithTrace())
	assert.Equal(t, ImplicitDeny, r.Decision)
	assert.Equal(t, LayerPermissionsBoundary, r.DecidedBy)
	assert.Empty(t, r.Matched, "AWS lists no statements for an implicit deny")
	allowed, applies := r.AllowedByPermissionsBoundary()
	assert.True(t, applies)
	assert.False(t, allowed)
	assert.Contains(t, r.Trace.String(), "permissions boundary does not allow")

	r = eng.Evaluate(Request{Principal: alice, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"})
	assert.Equal(t, Allowed, r.Decision)
	var got []string
	for _, m := range r.Matched {
		got = append(got, m.Name())
	}
	assert.Empty(t, cmp.Diff([]string{"AllowS3", "OnlyS3"}, got))
	assert.Nil(t, r.Trace, "no trace unless asked")
	lr, ok := r.Layer(LayerIdentity)
	require.True(t, ok)
	assert.Equal(t, Allowed, lr.Decision)
	// AllowS3 starts on the second line of the identity policy, after two spaces.
	assert.Equal(t, 2, lr.Matched[0].Span.Start.Line)
	assert.Equal(t, 3, lr.Matched[0].Span.Start.Column)
}

func TestTraceFormat(t *testing.T) {
	id := mustPolicy(t, `{"Version":"2012-10-17","Statement":[
  {"Sid":"DenyLogs","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::*log*"}]}`)
	eng, err := Compile(PolicySet{Identity: []Input{{ID: "carlos", Policy: id}}})
	require.NoError(t, err)
	r := eng.Evaluate(Request{Principal: "arn:aws:iam::111111111111:user/carlos", Action: "s3:PutObject", Resource: "arn:aws:s3:::carlossalazar-logs/f"}, WithTrace())
	require.Equal(t, ExplicitDeny, r.Decision)
	out := r.Trace.String()
	assert.Contains(t, out, "Deny carlos[0] (DenyLogs) at 2:3: applies")
	assert.True(t, strings.HasSuffix(out, "decision: explicitDeny (decided by identity)\n"), out)
}

// TestConcurrentEvaluate uses one Engine from many goroutines, through
// Evaluate with a trace, EvaluateInto (each goroutine its own Result) and
// Decide, over requests that decide differently; every answer must equal
// the one computed before the goroutines start. CI runs it under the race
// detector.
func TestConcurrentEvaluate(t *testing.T) {
	eng, err := Compile(layeredSet(t))
	require.NoError(t, err)
	reqs := []Request{layeredReq}
	for _, a := range []string{"s3:PutObject", "s3:DeleteObject", "ec2:DescribeInstances", "iam:CreateUser"} {
		r := layeredReq
		r.Action = a
		reqs = append(reqs, r)
	}
	r := layeredReq
	r.Resource = "arn:aws:s3:::other-bucket/k"
	reqs = append(reqs, r)
	want := make([]Result, len(reqs))
	for i, r := range reqs {
		want[i] = eng.Evaluate(r)
	}
	require.Equal(t, Allowed, want[0].Decision)
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		go func() {
			var into Result
			for i := 0; i < 300; i++ {
				k := (i + g) % len(reqs)
				var got Result
				switch i % 3 {
				case 0:
					got = eng.Evaluate(reqs[k], WithTrace())
					got.Trace = nil
				case 1:
					eng.EvaluateInto(&into, reqs[k])
					got = into
				default:
					got.Decision, got.DecidedBy = eng.Decide(reqs[k])
					if got.Decision != want[k].Decision || got.DecidedBy != want[k].DecidedBy {
						errs <- fmt.Errorf("Decide %d: %s by %s, want %s by %s", k, got.Decision, got.DecidedBy, want[k].Decision, want[k].DecidedBy)
						return
					}
					continue
				}
				if d := cmp.Diff(want[k], got, cmpopts.EquateEmpty()); d != "" {
					errs <- fmt.Errorf("request %d: %s", k, d)
					return
				}
			}
			errs <- nil
		}()
	}
	for g := 0; g < 8; g++ {
		assert.NoError(t, <-errs)
	}
}

// TestMissingContext checks that the keys conditions consulted but the
// request lacked are reported, once each and sorted, as AWS's simulator
// reports MissingContextValues; present keys are not.
func TestMissingContext(t *testing.T) {
	id := mustPolicy(t, `{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{
    "StringEquals":{"aws:PrincipalTag/team":"blue","aws:RequestedRegion":"eu-west-1"},
    "IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}},
  {"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`)
	eng, err := Compile(PolicySet{Identity: []Input{{ID: "id", Policy: id}}})
	require.NoError(t, err)
	r := eng.Evaluate(Request{
		Principal: "arn:aws:iam::111111111111:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k",
		Context: Context{"aws:RequestedRegion": Single("eu-west-1")},
	})
	assert.Equal(t, ImplicitDeny, r.Decision)
	assert.Empty(t, cmp.Diff([]string{"aws:PrincipalTag/team", "aws:SecureTransport", "aws:SourceIp"}, r.MissingContext))

	full := eng.Evaluate(Request{
		Principal: "arn:aws:iam::111111111111:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k",
		Context: Context{"aws:RequestedRegion": Single("eu-west-1"), "aws:PrincipalTag/team": Single("blue"),
			"aws:SourceIp": Single("203.0.113.9"), "aws:SecureTransport": Single("true")},
	})
	assert.Equal(t, Allowed, full.Decision)
	assert.Empty(t, full.MissingContext)
}

// TestUnknownValues checks the keys that are in every request but whose
// value iamsim cannot know (the unique ID in an IAM user's aws:userid): they
// count as present for Null, any comparison with them is reported as missing
// context, an Allow that depends on one is not counted and a Deny is.
func TestUnknownValues(t *testing.T) {
	req := Request{Principal: "arn:aws:iam::111111111111:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}
	p := parsePrincipal(req.Principal, "")
	v := view{req: &req, p: &p}
	_, _, st := v.Values("aws:userid")
	assert.Equal(t, keyUnknown, st)
	_, ok := v.Lookup("aws:userid")
	assert.False(t, ok)
	assert.True(t, v.unknownHit, "a variable look-up of an unknown value is noted")

	tests := []struct {
		name, stmts string
		want        Decision
		missing     []string
	}{
		{"Null true fails, nothing missing", `{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Null":{"aws:userid":"true"}}}`, ImplicitDeny, nil},
		{"Null false holds, nothing missing", `{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Null":{"aws:userid":"false"}}}`, Allowed, nil},
		{"an Allow on the value is not counted", `{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:userid":"*"}}}`, ImplicitDeny, []string{"aws:userid"}},
		{"nor one on a negated operator", `{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:userid":"X"}}}`, ImplicitDeny, []string{"aws:userid"}},
		{"nor one on a set operator", `{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:userid":"X"}}}`, ImplicitDeny, []string{"aws:userid"}},
		{"nor one on a variable", `{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalType":"${aws:userid}"}}}`, ImplicitDeny, []string{"aws:userid"}},
		{"a Deny on the value applies", `{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:userid":"X"}}}`, ExplicitDeny, []string{"aws:userid"}},
		{"a Deny on a NotResource variable applies", `{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"*","NotResource":"arn:aws:s3:::b/${aws:userid}/*"}`, ExplicitDeny, []string{"aws:userid"}},
		{"an Allow on a resource built from the value is not counted", `{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b/${aws:userid}/*"}`, ImplicitDeny, []string{"aws:userid"}},
		// Resource patterns are ORed: one that matches outright decides,
		// and the unknown value another pattern needs is then not missing.
		{"a resource matched outright needs no unknown value", `{"Effect":"Allow","Action":"*","Resource":["arn:aws:s3:::b/${aws:userid}/*","arn:aws:s3:::b/k"]}`, Allowed, nil},
		{"a Deny ruled out by a known key does not", `{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:userid":"X"},"StringNotEquals":{"aws:username":"alice"}}}`, Allowed, []string{"aws:userid"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pol := mustPolicy(t, `{"Version":"2012-10-17","Statement":[`+tc.stmts+`]}`)
			eng, err := Compile(PolicySet{Identity: []Input{{ID: "id", Policy: pol}}})
			require.NoError(t, err)
			r := eng.Evaluate(req)
			assert.Equal(t, tc.want, r.Decision)
			assert.Empty(t, cmp.Diff(tc.missing, r.MissingContext, cmpopts.EquateEmpty()))
			d, _ := eng.Decide(req)
			assert.Equal(t, tc.want, d)
		})
	}
}

// TestMalformedRequestsAreDenied: a request no AWS caller could make (a
// wildcard or no service in the action, no resource, a resource that is not
// an ARN) is denied implicitly, even by a policy that allows "*" (fail
// closed), and Session.Evaluate reports it.
func TestMalformedRequestsAreDenied(t *testing.T) {
	id := mustPolicy(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
		{"Effect":"Deny","Action":"s3:DeleteObject","Resource":"*"}]}`)
	eng, err := Compile(PolicySet{Identity: []Input{{ID: "all", Policy: id}}})
	require.NoError(t, err)
	alice := "arn:aws:iam::111122223333:user/alice"
	for _, req := range []Request{
		{Principal: alice, Action: "s3:Delete*", Resource: "arn:aws:s3:::b/k"},
		{Principal: alice, Action: "", Resource: "*"},
		{Principal: alice, Action: "GetObject", Resource: "*"},
		{Principal: alice, Action: "s3:GetObject", Resource: ""},
		{Principal: alice, Action: "s3:GetObject", Resource: "not-an-arn"},
		{Principal: alice, Action: "s3:GetObject", Resource: "*", ResourceAccount: "12"},
	} {
		r := eng.Evaluate(req, WithTrace())
		assert.Equal(t, ImplicitDeny, r.Decision, "%+v", req)
		assert.Empty(t, r.Matched)
		assert.Contains(t, r.Trace.String(), "malformed request")
		d, _ := eng.Decide(req)
		assert.Equal(t, ImplicitDeny, d)
		assert.Error(t, req.Validate())
	}
	require.Equal(t, Allowed, eng.Evaluate(Request{Principal: alice, Action: "s3:GetObject", Resource: "*"}).Decision)
}

// TestRCPServices checks that the default RCP scope is the catalog's list
// and that WithRCPServices replaces it, even with no prefix at all.
func TestRCPServices(t *testing.T) {
	assert.Empty(t, cmp.Diff(catalog.RCPServices(), DefaultRCPServices()))
	assert.Contains(t, DefaultRCPServices(), "s3")
	assert.Contains(t, DefaultRCPServices(), "events")

	deny := mustPolicy(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"},
  {"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`)
	all := mustPolicy(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
	set := PolicySet{Identity: []Input{{ID: "id", Policy: all}}, RCPs: [][]Input{{{ID: "rcp", Policy: deny}}}}
	req := Request{Principal: "arn:aws:iam::111111111111:user/alice", Action: "events:PutEvents",
		Resource: "arn:aws:events:us-east-1:111111111111:event-bus/default"}
	tests := []struct {
		name string
		opts []Option
		want Decision
	}{
		{"default: the catalog's list", nil, ExplicitDeny},
		{"a list without the service", []Option{WithRCPServices("s3")}, Allowed},
		{"a list with it, in any case", []Option{WithRCPServices("EVENTS")}, ExplicitDeny},
		{"no services at all", []Option{WithRCPServices()}, Allowed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			eng, err := Compile(set, tc.opts...)
			require.NoError(t, err)
			d, _ := eng.Decide(req)
			assert.Equal(t, tc.want, d)
		})
	}
}
