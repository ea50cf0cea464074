package evaltest

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/iamsim/iamsim/evaluator/snapshot"
)

// snapshotFields are the fields of a case's snapshot: the authorization
// details file (required), and optional resource policies and org files,
// each a path relative to the case file.
var snapshotFields = []string{"file", "resourcePolicies", "org"}

// snapshotConflicts are the case fields the snapshot's principal replaces.
var snapshotConflicts = []string{"identityPolicies", "permissionsBoundary", "sessionPolicies", "scps", "rcps",
	"managementAccount", "orgAccounts", "sessionIssuer", "assumeRole", "assumeRoleWithSAML",
	"assumeRoleWithWebIdentity", "getFederationToken"}

// snapshotKey names a snapshot by its resolved files.
type snapshotKey struct{ file, rp, org string }

// applySnapshot makes c a request of the snapshot principal c's principal
// names: its real policy set (identity, boundary, SCP levels, the resource
// account's RCP levels and, unless the case gives resourcePolicy, the
// resource's policy from the snapshot), its caller (a role's session) and
// its tags in the context (the case's context wins).
func (ld *loader) applySnapshot(n *yaml.Node, rc rawCase, c *Case) error {
	for _, f := range snapshotConflicts {
		if rc[f] != nil && !isNull(rc[f]) {
			return fmt.Errorf("line %d: a case with snapshot takes its principal's policies from it: %s cannot be given", rc[f].Line, f)
		}
	}
	f, err := fieldsOf(n, "snapshot", snapshotFields)
	if err != nil {
		return err
	}
	var k snapshotKey
	for _, x := range []struct {
		field string
		dst   *string
		req   bool
	}{{"file", &k.file, true}, {"resourcePolicies", &k.rp, false}, {"org", &k.org, false}} {
		rel, err := str(f[x.field], "snapshot."+x.field, x.req)
		if err != nil {
			return fmt.Errorf("line %d: %w", n.Line, err)
		}
		if rel == "" {
			continue
		}
		if *x.dst, err = ld.refs.resolve(rel); err != nil {
			return fmt.Errorf("line %d: snapshot.%s: %w", n.Line, x.field, err)
		}
	}
	if ld.snapshots == nil {
		ld.snapshots = map[snapshotKey]snapshotLoad{}
	}
	sl, ok := ld.snapshots[k]
	if !ok {
		sl.s = snapshot.New()
		sl.err = sl.s.LoadFile(k.file)
		if sl.err == nil && k.rp != "" {
			sl.err = sl.s.LoadResourcePoliciesFile(k.rp)
		}
		if sl.err == nil && k.org != "" {
			sl.err = sl.s.LoadOrgFile(k.org)
		}
		ld.snapshots[k] = sl
	}
	if sl.err != nil {
		return fmt.Errorf("line %d: snapshot: %w", n.Line, sl.err)
	}
	q := snapshot.Query{Action: c.Request.Action, Resource: c.Request.Resource, ResourceAccount: c.Request.ResourceAccount, Context: c.Request.Context}
	_, req, err := sl.s.Engine(c.Request.Principal, q)
	if err != nil {
		return fmt.Errorf("line %d: snapshot: %w", n.Line, err)
	}
	set, err := sl.s.PolicySet(c.Request.Principal, req.ResourceAccount)
	if err != nil {
		return fmt.Errorf("line %d: snapshot: %w", n.Line, err)
	}
	if c.Policies.Resource != nil {
		set.Resource = c.Policies.Resource
	} else {
		set.Resource = sl.s.ResourcePolicyFor(c.Request.Action, c.Request.Resource)
	}
	c.Policies = set
	c.Request = req
	return nil
}

// snapshotLoad is a snapshot loaded once per case file, or why it could
// not be.
type snapshotLoad struct {
	s   *snapshot.Snapshot
	err error
}
