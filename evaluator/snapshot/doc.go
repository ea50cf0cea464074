// Package snapshot loads account snapshots — the authorization details of
// one or more AWS accounts ("aws iam get-account-authorization-details"),
// the resource policies beside them and an organization's SCP and RCP
// levels — into policies compiled once and shared by every principal, and
// answers questions over all principals at once: who can make a request
// (WhoCan), and what one principal's real policy set is (PolicySet).
//
// Load everything first (Load, LoadResourcePolicies, LoadOrg and their
// File forms), then query; a Snapshot is safe for concurrent queries.
// Bad input is an error naming the principal and the JSON path: an
// unknown field, a malformed document, a managed policy or group a
// principal refers to that the file does not hold. Nothing is dropped.
//
// The snapshot is complete about its principals: a principal tag it does
// not list is absent, not unknown. Every other condition key a query's
// context does not give is unknown, and each principal's decision is
// bounded over it both ways (see WhoCan and evaluator.WithUnknownContext).
package snapshot
