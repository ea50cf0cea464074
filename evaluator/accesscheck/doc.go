// Package accesscheck answers IAM Access Analyzer's custom policy checks
// offline and exactly: CheckNoNewAccess (does a changed policy allow
// anything the existing one did not), CheckAccessNotGranted (can a policy
// ever allow these actions on these resources) and CheckNoPublicAccess
// (does a resource policy grant anonymous callers or unknown accounts). A
// FAIL comes with counterexamples, concrete requests each verified with
// the evaluator before it is returned.
//
// # Exact, not sampled
//
// A request is a principal, an action, a resource and a context (the
// values of condition keys). A policy's decision on a request depends on
// each dimension only through the policy's own constants, so the checks
// split every dimension into finitely many classes of values that no
// statement of either policy can tell apart, and evaluate one witness per
// combination of classes. Two requests in the same combination of classes
// get the same verdict from every statement, hence from both policies, so
// a question that holds on every witness holds on every request. The
// classes are:
//
//   - Actions: every action of the catalog, grouped by the set of
//     statements whose Action (or NotAction) element matches it; one
//     representative per group (plus, for a service the catalog does not
//     know, an action the policy names or svc:IamsimUnnamedAction). The
//     universe is the catalog's actions: an action AWS adds later is not
//     considered. sts:GetCallerIdentity needs no permission (the engine
//     allows it without reading any policy): it is decided on a proxy action
//     the same statements match, and new access to it, or an access list
//     naming it, is an error, since no request could prove it.
//   - Resources: the Resource and NotResource patterns that matter for the
//     action class, read as automata (with the segment rules of Resource
//     matching: '*' and '?' do not cross ':' unless the '*' ends a
//     segment). The product of the automata is explored breadth-first over
//     a compressed alphabet (each rune any pattern names, with its case
//     variants, ':' and '/', and one rune no pattern names, which every
//     automaton reads as it reads any other unnamed rune), from the state
//     after "arn:". Every reachable product state is visited and a string's
//     set of matching patterns depends only on its product state, so every
//     non-empty cell of the patterns' Boolean combination gets a witness.
//     Each witness is checked against arn.Pattern.Match; a concrete ARN of
//     the action's resource type, or the pattern with its wildcards
//     filled, replaces it when it falls in the same cell. "*" is also
//     tried.
//   - Condition values, per key: absent; for String and ARN operators the
//     same automaton construction over the condition values (literal,
//     case-folded, glob or ARN-part rules); for Numeric and Date
//     operators every constant, a point between each two neighbours, one
//     below and one above; for IP operators the first and last address of
//     every CIDR block and the addresses just outside them, and the ends
//     of each address family (every maximal run of addresses with the same
//     memberships starts at one of them); Bool as case-folded literals;
//     Binary each value and one other. A key compared with a set operator
//     (or a key AWS documents as multi-valued) also takes every set of its
//     classes, the empty set included (at most 10 classes: 1,024 sets). A
//     key compared as two different types is refused.
//   - Principals: for an identity policy, an IAM user of 111122223333 (and
//     a role session when a condition reads a principal key; condition
//     keys, principal keys included, are otherwise set freely, since the
//     policy can be attached to any principal). For a resource policy,
//     every principal named (and a session of each named role), a caller
//     of each kind (root, user, role session, federated user) in every
//     named account, in the owner account and in a foreign one, every named
//     service, a service no policy names, and anonymous. Conditions on
//     principal keys of a resource policy are accepted only as comparisons
//     with fixed values, which these principals cover.
//   - Keys of unknown value (the evaluator's keyUnknown): for each caller,
//     the principal keys AWS sends but the engine cannot derive (aws:userid
//     of a user or role session; aws:PrincipalArn, aws:PrincipalAccount,
//     aws:PrincipalType, aws:userid, aws:PrincipalServiceNamesList of a
//     service; aws:PrincipalAccount, aws:PrincipalType, aws:userid of an
//     identity provider) that the conditions read are condition-key
//     dimensions as above, without the absent class: a plain evaluation
//     would never count an Allow resting on one. An evaluation that still
//     reports one as missing context is an error wrapping ErrUnsupported.
//
// Enumeration is per action class, over only the statements that can
// apply to it. A check that would need more evaluations than its limit
// (DefaultMaxEvaluations), more automaton states than its limit (100,000
// per pattern set), or more time than its limit (DefaultTimeout) returns an
// error wrapping ErrTooComplex; one that meets a construct outside this
// fragment (CanonicalUser principals, patterns on principal keys of a
// resource policy, a key compared as two types, ${*} ${?} ${$}, a variable
// in a condition key's name) returns an error wrapping ErrUnsupported or
// naming it: never a PASS it cannot prove.
//
// Policy variables are decided in two sound steps (see variables.go): a
// PASS is proven on a widened NEW against a narrowed OLD without variables
// (after dropping the statements both share, where that cannot hide new
// access); a FAIL is found on exact slices where each variable key has a
// fixed value (a fresh one, the classes of its own conditions, words of
// the policies), verified on the real policies. When neither decides, the
// check returns an error wrapping ErrUnsupported.
//
// Assumptions of the fragment: actions are the catalog's; the value of a
// key compared numerically is a number, by date a date, by IP an address
// (AWS's keys are typed, and a request with "abc" for aws:SourceIp is not
// one AWS makes).
//
// # Public access
//
// CheckNoPublicAccess tries an anonymous caller and a caller of each kind
// from a foreign account (neither the owner nor named in the policy), on
// every action of the resource type's service, with condition values that
// do not copy the policy's pinning values: S3's "The meaning of public"
// (a fixed aws:SourceArn, aws:SourceVpc, aws:SourceVpce, aws:SourceOwner,
// aws:SourceAccount, s3:x-amz-server-side-encryption-aws-kms-key-id,
// aws:userid; a set of CIDR blocks with aws:SourceIp), plus
// aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:SourceOrgID,
// aws:SourceOrgPaths and kms:CallerAccount. A fixed value has no wildcard
// and no policy variable; an IPv4 block of /8 or narrower (IPv6: /32 or
// narrower) pins, a wider one (0.0.0.0/0) does not.
//
// # Whole policy sets
//
// CheckNoNewAccessSets compares two policy sets for one principal with the
// full evaluation (identity, boundary, session, resource policy, SCPs,
// RCPs) on resources of the principal's own account. Besides the classes
// above it splits by the engine's own distinctions: an ARN or "*", the
// principal's partition or another, IAM roles (trust policies), service
// linked roles and KMS keys (key policies), the action's service (SCPs
// and RCPs govern by service) and each IAM, STS and KMS action.
//
// CheckNoNewAccessSnapshots runs CheckNoNewAccessSets for every principal
// of two account snapshots whose policies changed, over the principal's
// own resources, each resource with a loaded policy and each role's trust
// policy, and lists every principal that gains access.
//
// What "allowed" means: the policy on its own allows the request (an
// Allow statement applies and no Deny does), as Access Analyzer compares
// policies, without the rest of AWS's evaluation (a KMS key policy that
// must also allow, SCPs, and so on).
package accesscheck
