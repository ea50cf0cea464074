package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/iamsim/iamsim/arn"
	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/policy"
)

// Org is an organization's structure as an org file gives it: each member
// account's path of levels from the root, and the SCPs and RCPs attached at
// each level.
//
// The org file is JSON:
//
//	{
//	  "managementAccount": "111111111111",
//	  "accounts": {
//	    "222222222222": {"path": ["r-root", "ou-prod"]},
//	    "333333333333": {"path": ["r-root"]}
//	  },
//	  "scps": {
//	    "r-root":       [{"Version": "2012-10-17", "Statement": [...]}],
//	    "ou-prod":      [{"file": "scps/deny-regions.json"}],
//	    "222222222222": [...],
//	    "333333333333": [...]
//	  },
//	  "rcps": { ... the same levels ... }
//	}
//
// A path starts at the root and lists the OUs down to the account; the
// account itself is the last level. A policy is a document or {"file":
// PATH}, relative to the org file. When "scps" is given, every level of
// every member account must have an entry (AWS attaches FullAWSAccess by
// default and an empty level denies everything, so a forgotten level would
// silently deny); the same holds for "rcps". The management account is not
// a member: SCPs and RCPs never apply to it. Accounts not listed are outside
// the organization.
type Org struct {
	ManagementAccount string
	// Paths maps each member account to its levels: the root, the OUs,
	// then the account.
	Paths map[string][]string
	// SCPs and RCPs map a level (root, OU or account id) to its policies.
	SCPs, RCPs map[string][]evaluator.Input
}

type orgFile struct {
	ManagementAccount string                       `json:"managementAccount"`
	Accounts          map[string]orgAccount        `json:"accounts"`
	SCPs              map[string][]json.RawMessage `json:"scps"`
	RCPs              map[string][]json.RawMessage `json:"rcps"`
}

type orgAccount struct {
	Path []string `json:"path"`
}

var levelID = regexp.MustCompile(`^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|[a-z][-0-9a-z]*)$`)

// LoadOrgFile loads an org file (see Org) into the snapshot.
func (s *Snapshot) LoadOrgFile(path string) error {
	src, err := policy.ReadFile(path)
	if err != nil {
		return err
	}
	return s.LoadOrg(src, path)
}

// LoadOrg loads an org file's content; name names it in errors and its
// directory anchors {"file": ...} references. A snapshot has at most one
// organization.
func (s *Snapshot) LoadOrg(src []byte, name string) error {
	if s.prepared {
		return errors.New("snapshot: LoadOrg after the first query")
	}
	if s.org != nil {
		return fmt.Errorf("%s: the snapshot already has an organization", name)
	}
	var f orgFile
	if err := decodeStrict(src, &f, name); err != nil {
		return err
	}
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(name+": "+format, args...)) }
	o := &Org{ManagementAccount: f.ManagementAccount, Paths: map[string][]string{}}
	if f.ManagementAccount != "" && !arn.IsAccountID(f.ManagementAccount) {
		fail("/managementAccount: %q is not a 12-digit account id", f.ManagementAccount)
	}
	if len(f.Accounts) == 0 {
		fail("/accounts: no member account")
	}
	accts := make([]string, 0, len(f.Accounts))
	for a := range f.Accounts {
		accts = append(accts, a)
	}
	sort.Strings(accts)
	for _, a := range accts {
		path := f.Accounts[a].Path
		switch {
		case !arn.IsAccountID(a):
			fail("/accounts/%s: not a 12-digit account id", a)
		case a == f.ManagementAccount:
			fail("/accounts/%s: the management account is not a member account", a)
		case len(path) == 0:
			fail("/accounts/%s/path: empty: a path starts with the root (r-...)", a)
		default:
			for i, l := range path {
				if !levelID.MatchString(l) || arn.IsAccountID(l) || slices.Contains(path[:i], l) {
					fail("/accounts/%s/path/%d: %q is not a root or OU id, or is repeated", a, i, l)
				}
			}
			o.Paths[a] = append(slices.Clone(path), a)
		}
	}
	dir := filepath.Dir(name)
	load := func(field string, m map[string][]json.RawMessage, kind policy.Kind) map[string][]evaluator.Input {
		if m == nil {
			return nil
		}
		out := map[string][]evaluator.Input{}
		used := map[string]bool{}
		for _, a := range accts {
			for _, l := range o.Paths[a] {
				used[l] = true
				if _, ok := m[l]; !ok {
					fail("/%s: no entry for level %s (on account %s's path): list its policies (FullAWSAccess, say)", field, l, a)
				}
			}
		}
		levels := make([]string, 0, len(m))
		for l := range m {
			levels = append(levels, l)
		}
		sort.Strings(levels)
		for _, l := range levels {
			if !used[l] {
				fail("/%s/%s: level is on no member account's path", field, l)
				continue
			}
			for i, raw := range m[l] {
				ptr := fmt.Sprintf("/%s/%s/%d", field, l, i)
				p, err := orgPolicy(raw, dir, name, ptr)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				out[l] = append(out[l], evaluator.Input{ID: fmt.Sprintf("%s:%s[%d]", kind, l, i), Policy: p})
			}
		}
		return out
	}
	o.SCPs = load("scps", f.SCPs, policy.SCP)
	o.RCPs = load("rcps", f.RCPs, policy.RCP)
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	s.org = o
	return nil
}

// orgPolicy parses one policy of an org file: a document, or {"file": PATH}.
func orgPolicy(raw json.RawMessage, dir, name, ptr string) (*policy.Policy, error) {
	var ref struct {
		File string `json:"file"`
	}
	if d := json.NewDecoder(bytes.NewReader(raw)); bytes.HasPrefix(bytes.TrimSpace(raw), []byte("{")) {
		d.DisallowUnknownFields()
		if d.Decode(&ref) == nil && ref.File != "" {
			p, err := orgReference(dir, ref.File)
			if err != nil {
				return nil, fmt.Errorf("%s#%s: %w", name, ptr, err)
			}
			pol, err := policy.ParseFile(p)
			if err != nil {
				return nil, fmt.Errorf("%s#%s: %w", name, ptr, err)
			}
			return pol, nil
		}
	}
	p, err := parseDocument(raw, name, ptr, false)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return p, nil
}

// orgReference resolves a {"file": rel} reference of an org file: rel is
// relative to the org file's directory and must stay inside it, also after
// following symbolic links, so that an org file (which a case file may
// name) cannot read other files of the machine.
func orgReference(dir, rel string) (string, error) {
	if filepath.IsAbs(rel) {
		return "", fmt.Errorf("file reference %s: an absolute path; give a path relative to the org file's directory", rel)
	}
	root, err := filepath.Abs(dir)
	if err == nil {
		root, err = filepath.EvalSymlinks(root)
	}
	if err != nil {
		return "", err
	}
	full := filepath.Join(root, rel)
	if !within(root, full) {
		return "", fmt.Errorf("file reference %s leaves the org file's directory", rel)
	}
	resolved, err := filepath.EvalSymlinks(full)
	if err != nil {
		return "", err
	}
	if !within(root, resolved) {
		return "", fmt.Errorf("file reference %s is a symbolic link out of the org file's directory", rel)
	}
	return resolved, nil
}

// within reports whether path is root or below it; both are absolute and
// clean.
func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// levels returns the policies of account's levels in m, or nil when the
// account is not a member or m is nil.
func (o *Org) levels(account string, m map[string][]evaluator.Input) [][]evaluator.Input {
	if o == nil || m == nil {
		return nil
	}
	path, ok := o.Paths[account]
	if !ok {
		return nil
	}
	out := make([][]evaluator.Input, len(path))
	for i, l := range path {
		out[i] = m[l]
	}
	return out
}

// members returns the member accounts, sorted.
func (o *Org) members() []string {
	if o == nil {
		return nil
	}
	out := make([]string, 0, len(o.Paths))
	for a := range o.Paths {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}
