package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/effective"
	"github.com/iamsim/iamsim/policy/catalog"
)

const effectiveUsage = `usage: iamsim effective --principal ARN [--session-issuer ARN] [--resource ARN]
       [--snapshot AUTHZ.json ... [--resource-policies RP.json ...] [--org ORG.json]]
       [--resource-account ID] [--context KEY=VALUE ...] [--service PREFIX ...] [--all] [--json]
       [--identity FILE ...] [--session FILE ...] [--boundary FILE] [--resource-policy FILE]
       [--scp FILE ...] [--rcp FILE ...] [--management-account ID]
       [--diff POLICY-FLAGS...]

Evaluates every action of AWS's action catalog (or of the --service
prefixes) for the principal on --resource (default "*"; with an ARN, only
the actions whose resource types can apply to it) and prints a table of
counts by service and access level: allowed, conditional (the decision
rests on condition keys the request does not give) and denied. Rows with
nothing allowed or conditional are left out and counted at the end.
Then the allowed and the conditional actions are listed, one a line with
its access level (and, if conditional, the keys it rests on), sorted by
name and so grouped by service: at most 50 of each unless --all is given.

Without --resource the request's resource is "*", which only statements
with Resource "*" match: statements naming resources (Resource
"arn:aws:s3:::bucket/*") are not matched, and a note on standard error
says how many there are. Give --resource ARN to decide on a resource.

--snapshot takes the principal's real policies from account snapshots (as
"iamsim who-can" reads them): --principal is then a user or role ARN of the
snapshot (a role is evaluated as a session of it, with its tags), its
identity policies, groups' policies, boundary and SCPs (--org) are used,
and the resource's policy from --resource-policies (or a role's trust
policy). No other policy flag is given with it.

A flag shown with "..." may repeat, or take several values the AWS CLI
way: --identity a.json b.json, --service s3 kms (or --service s3,kms).

--json prints one JSON document instead, an entry per action with action,
decision, accessLevel, conditional, conditionKeys and matched statements.

--diff compares with a second policy set: the policy flags after --diff
replace the layers they name in the first set (the others are kept), and
the actions whose decision differs are printed, "+" for access gained and
"-" for access lost. For "what does this session lose against its role":
  iamsim effective --principal SESSION-ARN --identity role.json --diff --session session.json

Exit status: 0 done, 1 invalid policies, 2 bad usage or a file that cannot
be read. Problems are printed on standard error.
`

func runEffective(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "iamsim effective: "+format+"\n%s", append(a, effectiveUsage)...)
		return 2
	}
	before, after, diff := args, []string(nil), false
	for i, a := range args {
		if a == "--diff" || a == "-diff" {
			before, after, diff = args[:i], args[i+1:], true
			break
		}
	}
	fs := flag.NewFlagSet("effective", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var req effective.Request
	var pf policyFlags
	var ctx listFlag
	var services listFlag
	var asJSON, all bool
	fs.StringVar(&req.Principal, "principal", "", "")
	fs.StringVar(&req.SessionIssuer, "session-issuer", "", "")
	fs.StringVar(&req.Resource, "resource", "*", "")
	fs.StringVar(&req.ResourceAccount, "resource-account", "", "")
	fs.Var(&ctx, "context", "")
	fs.Var(&services, "service", "")
	fs.BoolVar(&asJSON, "json", false, "")
	fs.BoolVar(&all, "all", false, "")
	pf.register(fs)
	var sf whoCanFlags
	sf.register(fs)
	if err := fs.Parse(spreadLists(fs, before)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, effectiveUsage)
			return 0
		}
		return usageErr("%v", err)
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	if req.Principal == "" {
		return usageErr("--principal is required")
	}
	var err error
	if req.Context, err = parseContext(ctx); err != nil {
		return usageErr("%v", err)
	}
	for _, v := range services {
		req.Services = append(req.Services, strings.Split(v, ",")...)
	}
	if len(req.Services) > 0 {
		for _, svc := range req.Services {
			if _, ok := catalog.LookupService(svc); !ok {
				return usageErr("--service %q: no such service prefix in the catalog", svc)
			}
		}
	}
	check := evaluator.Request{Principal: req.Principal, SessionIssuer: req.SessionIssuer, Action: "iam:GetUser",
		Resource: req.Resource, ResourceAccount: req.ResourceAccount, Context: req.Context}
	if err := check.Validate(); err != nil {
		return usageErr("%v", err)
	}
	var set evaluator.PolicySet
	var eng *evaluator.Engine
	if len(sf.snapshots) > 0 {
		if diff || pf.any() {
			return usageErr("--snapshot gives the principal's policies: no policy flags or --diff with it")
		}
		var st int
		if set, eng, st = sf.principalEngine(stderr, &req); eng == nil {
			return st
		}
	} else {
		var st int
		if set, eng, st = pf.compileSet(stderr, "effective"); eng == nil {
			return st
		}
		pf.warnSession(stderr, "effective", req.Principal)
	}
	if req.Resource == "*" {
		if n := resourceNamingStatements(set); n > 0 {
			fmt.Fprintf(stderr, "iamsim effective: note: the resource is \"*\" (no --resource), which only statements with Resource \"*\" match; %d %s naming resources %s not matched: give --resource ARN to decide on a resource\n",
				n, plural(n, "statement", "statements"), plural(n, "was", "were"))
		}
	}
	report := effective.Evaluate(eng, req)
	if !diff {
		if asJSON {
			return writeJSON(stdout, effectiveJSON(report))
		}
		printEffective(stdout, report)
		limit := effectiveListLimit
		if all {
			limit = -1
		}
		printEffectiveActions(stdout, report, limit)
		return 0
	}

	fs2 := flag.NewFlagSet("effective --diff", flag.ContinueOnError)
	fs2.SetOutput(io.Discard)
	var pf2 policyFlags
	pf2.register(fs2)
	if err := fs2.Parse(spreadLists(fs2, after)); err != nil {
		return usageErr("after --diff: %v (only policy flags may follow --diff)", err)
	}
	if fs2.NArg() > 0 {
		return usageErr("after --diff: unexpected argument %q", fs2.Arg(0))
	}
	pf2.inherit(&pf)
	eng2, st2 := pf2.compile(stderr, "effective")
	if eng2 == nil {
		return st2
	}
	changes := effective.Diff(report, effective.Evaluate(eng2, req))
	if asJSON {
		type change struct {
			Action      string `json:"action"`
			AccessLevel string `json:"accessLevel"`
			Before      string `json:"before"`
			After       string `json:"after"`
			Gained      bool   `json:"gained"`
			Lost        bool   `json:"lost"`
		}
		out := struct {
			Principal string   `json:"principal"`
			Resource  string   `json:"resource"`
			Catalog   string   `json:"catalog"`
			Changes   []change `json:"changes"`
		}{Principal: report.Principal, Resource: report.Resource, Catalog: report.Catalog, Changes: []change{}}
		for _, c := range changes {
			out.Changes = append(out.Changes, change{c.Action, c.AccessLevel.String(), status(c.Before), status(c.After), c.Gained(), c.Lost()})
		}
		return writeJSON(stdout, out)
	}
	gained, lost := 0, 0
	for _, c := range changes {
		mark := " "
		switch {
		case c.Gained():
			mark = "+"
			gained++
		case c.Lost():
			mark = "-"
			lost++
		}
		fmt.Fprintf(stdout, "%s %-50s %-22s %s -> %s\n", mark, c.Action, c.AccessLevel, status(c.Before), status(c.After))
	}
	fmt.Fprintf(stdout, "%d actions gained, %d lost, %d changed otherwise (of %d)\n", gained, lost, len(changes)-gained-lost, len(report.Entries))
	return 0
}

// inherit fills the layers the flags do not name from base.
func (pf *policyFlags) inherit(base *policyFlags) {
	if len(pf.identity) == 0 {
		pf.identity = base.identity
	}
	if len(pf.session) == 0 {
		pf.session = base.session
	}
	if len(pf.scps) == 0 {
		pf.scps = base.scps
	}
	if len(pf.rcps) == 0 {
		pf.rcps = base.rcps
	}
	if pf.boundary == "" {
		pf.boundary = base.boundary
	}
	if pf.resourcePolicy == "" {
		pf.resourcePolicy = base.resourcePolicy
	}
	if pf.mgmt == "" {
		pf.mgmt = base.mgmt
	}
}

// status is how the table and diff name an entry's outcome.
func status(e effective.Entry) string {
	switch {
	case e.Conditional && e.Decision == evaluator.Allowed:
		return "allowed (conditional)"
	case e.Conditional:
		return e.Decision.String() + " (conditional)"
	}
	return e.Decision.String()
}

func printEffective(w io.Writer, r effective.Report) {
	type row struct {
		service, level             string
		allowed, conditional, deny int
	}
	var rows []*row
	index := map[string]*row{}
	var total row
	for _, e := range r.Entries {
		svc, _, _ := strings.Cut(e.Action, ":")
		k := svc + "\x00" + e.AccessLevel.String()
		rw := index[k]
		if rw == nil {
			rw = &row{service: svc, level: e.AccessLevel.String()}
			index[k] = rw
			rows = append(rows, rw)
		}
		switch {
		case e.Conditional:
			rw.conditional++
			total.conditional++
		case e.Decision == evaluator.Allowed:
			rw.allowed++
			total.allowed++
		default:
			rw.deny++
			total.deny++
		}
	}
	fmt.Fprintf(w, "principal %s on %s (%s)\n", r.Principal, r.Resource, r.Catalog)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "service\taccess level\tallowed\tconditional\tdenied\t")
	hiddenRows, hiddenActions := 0, 0
	for _, rw := range rows {
		if rw.allowed+rw.conditional == 0 {
			hiddenRows++
			hiddenActions += rw.deny
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t\n", rw.service, rw.level, rw.allowed, rw.conditional, rw.deny)
	}
	fmt.Fprintf(tw, "total\t\t%d\t%d\t%d\t\n", total.allowed, total.conditional, total.deny)
	_ = tw.Flush()
	if hiddenActions > 0 {
		fmt.Fprintf(w, "(%d rows with every action denied left out: %d actions)\n", hiddenRows, hiddenActions)
	}
}

type matchedJSON struct {
	PolicyID string `json:"policyId"`
	Sid      string `json:"sid,omitempty"`
	Index    int    `json:"index"`
	Line     int    `json:"line,omitempty"`
	Column   int    `json:"column,omitempty"`
}

type entryJSON struct {
	Action        string        `json:"action"`
	Decision      string        `json:"decision"`
	AccessLevel   string        `json:"accessLevel"`
	Conditional   bool          `json:"conditional"`
	ConditionKeys []string      `json:"conditionKeys,omitempty"`
	Matched       []matchedJSON `json:"matched"`
}

func effectiveJSON(r effective.Report) any {
	out := struct {
		Principal string      `json:"principal"`
		Resource  string      `json:"resource"`
		Catalog   string      `json:"catalog"`
		Entries   []entryJSON `json:"entries"`
	}{Principal: r.Principal, Resource: r.Resource, Catalog: r.Catalog, Entries: make([]entryJSON, 0, len(r.Entries))}
	for _, e := range r.Entries {
		ej := entryJSON{Action: e.Action, Decision: e.Decision.String(), AccessLevel: e.AccessLevel.String(),
			Conditional: e.Conditional, ConditionKeys: e.ConditionKeys, Matched: []matchedJSON{}}
		for _, m := range e.Matched {
			ej.Matched = append(ej.Matched, matchedJSON{PolicyID: m.PolicyID, Sid: m.Sid, Index: m.Index, Line: m.Span.Start.Line, Column: m.Span.Start.Column})
		}
		out.Entries = append(out.Entries, ej)
	}
	return out
}

func writeJSON(w io.Writer, v any) int {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintln(w, err)
		return 1
	}
	return 0
}

// effectiveListLimit is how many allowed (and how many conditional)
// actions effective lists without --all.
const effectiveListLimit = 50

// printEffectiveActions lists the allowed, then the conditional, actions of
// r, at most limit of each (all when limit < 0), saying how many more there
// are.
func printEffectiveActions(w io.Writer, r effective.Report, limit int) {
	var allowed, conditional []effective.Entry
	for _, e := range r.Entries {
		switch {
		case e.Conditional:
			conditional = append(conditional, e)
		case e.Decision == evaluator.Allowed:
			allowed = append(allowed, e)
		}
	}
	list := func(title string, entries []effective.Entry) {
		if len(entries) == 0 {
			return
		}
		fmt.Fprintf(w, "\n%s (%d):\n", title, len(entries))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for i, e := range entries {
			if limit >= 0 && i == limit {
				_ = tw.Flush()
				fmt.Fprintf(w, "  ... and %d more (--all lists them all, --json gives every decision)\n", len(entries)-limit)
				return
			}
			if e.Conditional {
				fmt.Fprintf(tw, "  %s\t%s\t%s, rests on %s\n", e.Action, e.AccessLevel, status(e), strings.Join(e.ConditionKeys, ", "))
			} else {
				fmt.Fprintf(tw, "  %s\t%s\n", e.Action, e.AccessLevel)
			}
		}
		_ = tw.Flush()
	}
	list("allowed", allowed)
	list("conditional", conditional)
}

// resourceNamingStatements counts the statements of set whose Resource
// names resources and does not hold "*": a request on the resource "*"
// matches none of them.
func resourceNamingStatements(set evaluator.PolicySet) int {
	var inputs []evaluator.Input
	inputs = append(inputs, set.Identity...)
	inputs = append(inputs, set.Session...)
	if set.PermissionsBoundary != nil {
		inputs = append(inputs, *set.PermissionsBoundary)
	}
	if set.Resource != nil {
		inputs = append(inputs, *set.Resource)
	}
	for _, lv := range append(append([][]evaluator.Input(nil), set.SCPs...), set.RCPs...) {
		inputs = append(inputs, lv...)
	}
	n := 0
	for _, in := range inputs {
		if in.Policy == nil {
			continue
		}
		for _, st := range in.Policy.Statements {
			if len(st.Resource) > 0 && !slices.Contains(st.Resource, "*") {
				n++
			}
		}
	}
	return n
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
