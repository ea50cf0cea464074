// Package sts simulates the AWS STS calls that make temporary credentials
// (AssumeRole, AssumeRoleWithSAML, AssumeRoleWithWebIdentity and
// GetFederationToken) and decides the requests of the sessions they return.
//
// Each call validates its parameters as STS does, evaluates the role's
// trust policy (or the calling user's permission) with the same
// evaluator.Engine as every request, and returns a Session or an *Error
// carrying AWS's error code. A Session evaluates its own requests with
// identity ∩ boundary ∩ session policies, plus what a resource-based policy
// grants it directly (Session.WithResourcePolicy), fills each request's
// principal and context from the session, and refuses requests made after
// it expires.
//
//	s, err := sts.AssumeRole(sts.AssumeRoleInput{
//		Caller:          sts.Caller{Principal: "arn:aws:iam::111122223333:user/alice"},
//		Role:            sts.Role{ARN: roleARN, TrustPolicy: &trust, Policies: rolePolicies},
//		RoleSessionName: "report-job",
//		Policy:          sessionPolicyJSON,
//	})
//	if err != nil { ... }  // errors.Is(err, sts.ErrAccessDenied), ...
//	r, err := s.Evaluate(evaluator.Request{Action: "s3:GetObject", Resource: objectARN})
//
// The rules follow the AWS STS API reference and the IAM User Guide
// ("Session policies", "Role chaining", "Passing session tags in AWS STS").
// Nothing reads the clock but a call whose Now is zero.
package sts
