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
// values are always literal text. Matching is case-sensitive. In a Resource
// pattern variables may appear only after the fifth colon, as IAM requires
// of the policies customers write; WithVariablesAnywhere lifts that rule for
// AWS managed policies, whose variables are substituted before the ARN is
// cut into parts.
//
// A pattern is compiled once, in CompilePattern, into pieces (literal
// runs, '?', '*', crossing '*', colons) that are matched without
// backtracking beyond the last '*': a Resource pattern is matched segment
// by segment, each chunk between crossing '*'s at the earliest place it
// fits. A pattern with variables keeps its literal pieces compiled and
// adds the substituted values at each match, so matching compiles nothing
// and allocates nothing for patterns of up to 32 pieces. There is no
// exponential case: the worst grows with the number of colons in the
// value times the length of the pattern.
package arn
