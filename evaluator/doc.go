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
// Beside the engine, each concern has a package of its own, built on it:
// evaluator/sts simulates the STS calls that make temporary credentials and
// evaluates a session's requests; evaluator/effective reports what a
// principal can do over the whole action catalog, and what changes between
// two policy sets; evaluator/simulator answers AWS's SimulateCustomPolicy
// request offline, in AWS's JSON shapes; evaluator/evaltest runs what-if
// case files and asserts decisions in Go tests.
//
// The semantics follow the AWS IAM User Guide ("Policy evaluation logic",
// "Cross-account policy evaluation logic", "Permissions boundaries",
// "Session policies") and the AWS Organizations guide for SCPs and RCPs.
// Where AWS leaves a rule unspecified, the README's "Differences from AWS"
// section says what this package does.
package evaluator
