// Package arn parses Amazon Resource Names and compiles the patterns IAM
// policies match them with.
//
// An ARN is arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE; Parse takes one
// apart and String puts it back together.
//
// CompilePattern compiles a pattern once for matching many times. Its Mode
// selects the rules: ResourceMode for the Resource and NotResource policy
// elements (wildcards * and ? inside colon-separated segments, a
// segment-ending * that may cross colons, everything else literal),
// GlobMode for actions and StringLike, ARNMode for ArnLike and ArnEquals
// (part-by-part matching) and LiteralMode for exact comparison. Policy
// variables such as ${aws:username} or ${aws:PrincipalTag/team, 'default'}
// are compiled in and resolved at match time through a Resolver; their
// values are always literal text. Matching is case-sensitive.
//
// Patterns without variables are compiled with github.com/gobwas/glob once,
// in CompilePattern. Patterns with variables build and compile their glob
// at each match, since the substituted text is only known then.
package arn
