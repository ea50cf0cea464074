// Package evaluator decides AWS requests offline: it compiles a set of IAM
// policies (identity, permissions boundary, session, resource-based, SCPs
// and RCPs) into an immutable Engine and evaluates requests against it
// following AWS's policy-evaluation flowchart, explaining every decision.
//
// The phases are separate: policy.Parse gives data, Compile validates every
// policy for its layer and compiles every pattern once, and Evaluate never
// re-parses, never fails and never reads the clock or the environment.
// Compile holds customer policies to IAM's quotas and authoring rules, and
// AWS managed ones (Input.AWSManaged, or an ID such as
// arn:aws:iam::aws:policy/ReadOnlyAccess) to neither, as AWS does.
//
// A decision is one of Allowed, ExplicitDeny and ImplicitDeny, named as
// AWS's policy simulator names them. Result.Matched lists the statements that
// decided (only the Deny statements when a deny decides), Result.Layers what
// each layer contributed, and WithTrace adds a step-by-step Trace.
//
// For many requests: EvaluateInto reuses one Result's slices and allocates
// nothing once they have grown; Decide returns only the decision, without
// allocating; EvaluateBatch spreads a batch over all cores, keeping input
// order. An Engine is safe for concurrent use.
//
// Sessions: AssumeRole, AssumeRoleWithSAML, AssumeRoleWithWebIdentity and
// GetFederationToken simulate the STS calls that make temporary
// credentials. Each validates its parameters as STS does, evaluates the
// role's trust policy (or the calling user's permission) with the same
// engine, and returns a Session or an *sts.Error with AWS's error code. A
// Session evaluates its own requests with identity ∩ boundary ∩ session
// policies, plus what a resource-based policy grants it directly
// (Session.WithResourcePolicy), and refuses requests after it expires.
//
//	s, err := evaluator.AssumeRole(evaluator.AssumeRoleInput{
//		Caller:          evaluator.Caller{Principal: "arn:aws:iam::111122223333:user/alice"},
//		Role:            evaluator.Role{ARN: roleARN, TrustPolicy: &trust, Policies: rolePolicies},
//		RoleSessionName: "report-job",
//		Policy:          sessionPolicyJSON,
//	})
//	if err != nil { ... }  // errors.Is(err, evaluator.ErrAccessDenied), ...
//	r, err := s.Evaluate(evaluator.Request{Action: "s3:GetObject", Resource: objectARN})
//
// The semantics follow the AWS IAM User Guide ("Policy evaluation logic",
// "Cross-account policy evaluation logic", "Permissions boundaries",
// "Session policies") and the AWS Organizations guide for SCPs and RCPs.
// Where AWS leaves a rule unspecified, the README's "Differences from AWS"
// section says what this package does.
package evaluator
