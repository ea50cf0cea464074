// Package evaltest tests IAM policy designs from Go tests: run what-if case
// files, assert decisions in table-driven tests, and measure which policy
// statements the tests exercise. It is meant to be imported by other
// repositories' tests (module github.com/iamsim/iamsim).
//
// # Case files
//
// A case file (YAML or JSON) holds defaults and cases; each case names a
// principal, an action, a resource, the policies in force and the expected
// decision, or builds the principal's session with an STS call
// (assumeRole:, getFederationToken:, ...) and may expect that call to fail
// (expectError:). RunFile and RunDir make one subtest per case:
//
//	func TestPolicies(t *testing.T) {
//		evaltest.RunDir(t, "testdata/iam-cases")
//	}
//
// # Case-file format
//
// A file has a name, defaults and cases. defaults holds any case field;
// each case overrides it field by field, and a field set to null removes
// the default. Unknown fields are errors, and case names are unique within
// a file. JSON files have the same fields.
//
//	name: a boundary caps the app role
//	defaults:
//	  principal: arn:aws:sts::111122223333:assumed-role/app/s1
//	  identityPolicies: [{file: policies/app-role.json}]     # relative to this file
//	  permissionsBoundary: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:Get*", Resource: "*"}]}
//	cases:
//	  - name: the boundary stops writes
//	    action: s3:PutObject
//	    resource: arn:aws:s3:::example-bucket/k
//	    expect: implicitDeny
//	    source: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
//
// The request: principal (a user, role, assumed-role, federated-user or
// root ARN, a service principal such as sns.amazonaws.com, or anonymous),
// sessionIssuer (a session's role or federating user), action
// (service:Operation), resource (an ARN; default "*"), resourceAccount
// (default: the ARN's account, else the principal's), and context
// (key: value for a single-valued key, key: [v1, v2] for a multi-valued
// one). Principal-derived keys (aws:PrincipalArn, aws:username, ...) are
// filled from the principal; nothing reads the clock, so give
// aws:CurrentTime when a policy tests it.
//
// The policies: identityPolicies and sessionPolicies (lists),
// permissionsBoundary and resourcePolicy (one policy each), scps and rcps
// (lists of org levels, root first, each a list of policies; giving them
// makes the account a member account), managementAccount and orgAccounts.
// A policy is written inline, as a mapping exactly like the JSON document,
// or as {file: path}, with awsManaged: true for an AWS managed policy.
// Results and expectMatched name a file's policy by its base name, an
// inline one by its field and index (identityPolicies[0], resourcePolicy,
// scps[1][0], ...).
//
// A snapshot principal: snapshot {file: authz.json} (with optional
// resourcePolicies: rp.json and org: org.json, as package
// evaluator/snapshot reads them) makes principal name a user or role of
// that account snapshot instead of spelling out its policies: the case
// then uses the principal's real policies (its own, its groups', its
// boundary, its account's SCP levels and the resource account's RCP
// levels), the resource's policy from the snapshot unless resourcePolicy
// is given, and the principal's tags as aws:PrincipalTag keys (the
// context wins); a role makes the request as its session
// arn:aws:sts::ACCOUNT:assumed-role/NAME/who-can. The policy fields and
// STS calls cannot be combined with it.
//
// The expectation: expect (allowed, explicitDeny or implicitDeny), or
// expectError for an STS call that must fail (ValidationError, or
// {code: ValidationError, parameter: DurationSeconds}); optionally
// expectMatched, the Sids (or policy ids) of the deciding statements, in
// any order; and source, where the expectation comes from: an AWS
// documentation page, or "derived: " and the reasoning. An action the
// catalog does not know fails the case unless allowUnknownAction: true.
//
// A session: one of assumeRole, assumeRoleWithSAML,
// assumeRoleWithWebIdentity or getFederationToken makes the session whose
// credentials make the request, with STS's parameter names (caller,
// roleArn, trustPolicy, roleSessionName, policy, policyArns,
// managedPolicies, durationSeconds, tags, transitiveTagKeys,
// sourceIdentity, externalId, serialNumber, tokenCode, claims, provider,
// principalArn, name, issuedAt, ...). identityPolicies and
// permissionsBoundary are then the role's (for getFederationToken the
// calling user's), and principal, sessionIssuer and sessionPolicies come
// from the call:
//
//	defaults:
//	  identityPolicies: [{file: policies/app-role.json}]
//	  assumeRole:
//	    caller: {principal: "arn:aws:iam::111122223333:user/alice"}
//	    roleArn: arn:aws:iam::111122223333:role/app
//	    trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "arn:aws:iam::111122223333:user/alice"}, Action: "sts:AssumeRole"}]}
//	    roleSessionName: s1
//	    policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: "*"}]}
//
// testdata/README.md in the iamsim repository gives every field in full.
//
// RunFile, File.Run and "iamsim test" run a file's cases on GOMAXPROCS
// goroutines and report them in file order. A policy file or inline policy
// that many cases share (through the file's defaults or YAML anchors) is
// parsed once, and each distinct policy set is compiled once, so a suite of
// thousands of cases on one heavy policy set runs at engine speed. An
// invalid case is reported on its own (File.Invalid) and the file's other
// cases still run.
//
// A case whose action is not in the action catalog (package
// policy/catalog) fails with a suggestion ("unknown action s3:DeleteObjct;
// did you mean s3:DeleteObject?"), since any policy set denies it; a case
// marks an action newer than the catalog with allowUnknownAction: true.
//
// # Bounded reads and confined references
//
// Case files and the files their {file: path} references name are read
// only if they are regular files (not a device, a FIFO or a directory) of
// at most policy.MaxInputSize bytes. A reference resolves relative to the
// case file and must stay, after following symbolic links, within the case
// file's root: the nearest directory at or above the case file's directory
// holding a go.mod or a .git, else the case file's directory. Absolute
// paths, ".." escapes and symbolic links out of the root fail with
// ErrOutsideRoot, so that a case file from an untrusted change cannot read
// other files of the machine running it. WithRoot names the root;
// AllowFilesOutside lifts the check:
//
//	evaltest.RunDir(t, "testdata/iam-cases", evaltest.WithRoot("../shared"))
//
// A failing case reports the expected and actual decision, where the case
// is, and the evaluator's trace, each statement with its file:line:column,
// so the reader knows why without rerunning:
//
//	cases/s3.yaml:12: case "support reads reports"
//	  decision: want allowed, got implicitDeny
//	  source: derived: the support role reads the reports bucket
//	  trace:
//	    - principal arn:aws:sts::111122223333:assumed-role/Support/s1 (AssumedRole), ...
//	      * [identity] Allow support-role[0] (ReadTickets) at policies/support-role.json:4:5: resource does not match
//	    - implicit deny at identity: no identity-based policy allows the action
//	    decision: implicitDeny (decided by identity)
//
// # Assertions
//
// Allowed, Denied, ExplicitlyDenied, ImplicitlyDenied and Decides evaluate
// one request with an Evaluator (a compiled *evaluator.Engine, an
// *sts.Session, or an *sts.SessionEngine: a session with a resource
// policy) and report a mismatch with t.Errorf, at the caller's line, with
// the same trace. A session makes a request that names no Principal with
// its own credentials:
//
//	s, err := sts.AssumeRole(sts.AssumeRoleInput{Caller: alice, Role: app, RoleSessionName: "s1", Policy: sessionPolicy})
//	if err != nil {
//		t.Fatal(err)
//	}
//	evaltest.Allowed(t, s, evaluator.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::example-bucket/k"})
//	evaltest.Denied(t, s, evaluator.Request{Action: "s3:PutObject", Resource: "arn:aws:s3:::example-bucket/k"})
//
// The assertions take testing.TB, so they work with plain testing.T, in
// benchmarks, and alongside testify. A request that is malformed
// (Request.Validate) or names an unknown action fails every assertion, deny
// assertions included; AllowUnknownActions admits actions newer than the
// catalog. In a table:
//
//	func TestSupportRole(t *testing.T) {
//		eng, err := evaluator.Compile(evaluator.PolicySet{Identity: supportPolicies})
//		if err != nil {
//			t.Fatal(err)
//		}
//		session := "arn:aws:sts::111122223333:assumed-role/Support/s1"
//		for _, tc := range []struct {
//			name, action, resource string
//			want                   evaluator.Decision
//		}{
//			{"reads tickets", "s3:GetObject", "arn:aws:s3:::tickets/t1", evaluator.Allowed},
//			{"cannot delete tickets", "s3:DeleteObject", "arn:aws:s3:::tickets/t1", evaluator.ImplicitDeny},
//			{"never touches IAM", "iam:CreateUser", "*", evaluator.ExplicitDeny},
//		} {
//			t.Run(tc.name, func(t *testing.T) {
//				evaltest.Decides(t, eng, evaluator.Request{Principal: session, Action: tc.action, Resource: tc.resource}, tc.want)
//			})
//		}
//	}
//
// # Statement coverage
//
// WithCoverage records which statements of the cases' policies applied to
// some request. A statement no case matches is either dead or untested:
//
//	func TestPolicies(t *testing.T) {
//		cov := evaltest.NewCoverage()
//		evaltest.RunDir(t, "testdata/iam-cases", evaltest.WithCoverage(cov))
//		t.Log(cov.Report())   // coverage and every statement not matched, as file:line:col
//		cov.Require(t, 90)    // fail below 90%
//	}
//
// Coverage.AddPolicies and Coverage.Record do the same for hand-written
// tests: register an engine's policies, record traced results.
package evaltest
