// Package evaluator decides AWS requests offline: it compiles a set of IAM
// policies (identity, permissions boundary, session, resource-based, SCPs
// and RCPs) into an immutable Engine and evaluates requests against it
// following AWS's policy-evaluation flowchart, explaining every decision.
//
// The phases are separate: policy.Parse gives data, Compile validates every
// policy for its layer and compiles every pattern once, and Evaluate never
// re-parses, never fails and never reads the clock or the environment.
//
// A decision is one of Allowed, ExplicitDeny and ImplicitDeny, named as
// AWS's policy simulator names them. Result.Matched lists the statements that
// decided (only the Deny statements when a deny decides), Result.Layers what
// each layer contributed, and WithTrace adds a step-by-step Trace.
//
// The semantics follow the AWS IAM User Guide ("Policy evaluation logic",
// "Cross-account policy evaluation logic", "Permissions boundaries",
// "Session policies") and the AWS Organizations guide for SCPs and RCPs.
// Where AWS leaves a rule unspecified, the README's "Differences from AWS"
// section says what this package does.
package evaluator
