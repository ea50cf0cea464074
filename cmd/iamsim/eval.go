package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"strings"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/simulator"
	"github.com/iamsim/iamsim/policy"
	"github.com/iamsim/iamsim/policy/catalog"
)

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }
func (l *listFlag) takesSeveral()      {}

// severalValues is a flag.Value that takes several values the AWS CLI way
// ("--action a b"), see spreadLists.
type severalValues interface {
	flag.Value
	takesSeveral()
}

// spreadLists rewrites the AWS CLI's way of giving a list flag several
// values into repeated flags, which package flag understands:
// "--identity a.json b.json" becomes "--identity a.json --identity b.json".
// The values of a list flag written without "=" are the arguments after it
// up to the next one that starts with "-" ("-" alone, standard input, is a
// value); a value that starts with "-" is written --flag=VALUE. Nothing
// after "--" is touched.
func spreadLists(fs *flag.FlagSet, args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		out = append(out, a)
		if a == "--" {
			return append(out, args[i+1:]...)
		}
		name, ok := strings.CutPrefix(a, "-")
		if !ok || strings.Contains(a, "=") {
			continue
		}
		name = strings.TrimPrefix(name, "-")
		f := fs.Lookup(name)
		if f == nil {
			continue
		}
		if _, list := f.Value.(severalValues); !list {
			continue
		}
		// The first value is the flag's own argument.
		if i+1 < len(args) {
			i++
			out = append(out, args[i])
		}
		for i+1 < len(args) && !isFlagLike(args[i+1]) {
			i++
			out = append(out, a, args[i])
		}
	}
	return out
}

// isFlagLike reports whether a starts a flag (or is "--") rather than
// being a value: it starts with "-" and is not "-" alone.
func isFlagLike(a string) bool { return len(a) > 1 && a[0] == '-' }

const evalUsage = `usage: iamsim eval --principal ARN --action SERVICE:ACTION [--resource ARN]
       [--resource-account ID] [--session-issuer ARN] [--context KEY=VALUE ...]
       [--identity FILE ...] [--session FILE ...] [--boundary FILE]
       [--resource-policy FILE] [--scp FILE ...] [--rcp FILE ...]
       [--management-account ID] [--explain]

Evaluates one request and prints its decision: allowed, explicitDeny or
implicitDeny. FILE may be written file://path as with the AWS CLI. A flag shown with
"..." may repeat, or take several values the AWS CLI way:
--identity a.json b.json is --identity a.json --identity b.json (a value
that starts with "-" is written --flag=VALUE).
--scp and --rcp take one file per org level, root first; several policies at
one level are joined with commas (--scp root.json --scp ou1.json,ou2.json).
--context KEY=VALUE may repeat; repeating a key makes it multi-valued.
--context KEY:TYPE=VALUE checks VALUE against an AWS CLI ContextKeyType
(string, numeric, boolean, date, ip, binary, or their ...List forms, which
make the key multi-valued): --context aws:SourceIp:ip=192.0.2.1.
An action that is not in the action catalog is evaluated as written, with
a warning on standard error ("unknown action s3:GetObjct; did you mean
s3:GetObject?").
Exit status: 0 allowed, 3 denied (explicitly or implicitly), 1 invalid
policies, 2 bad usage or a file that cannot be read. Problems are printed
on standard error.
`

// policyFlags are the flags that describe a policy set, shared by eval
// and effective.
type policyFlags struct {
	identity, session, scps, rcps  listFlag
	boundary, resourcePolicy, mgmt string
}

func (pf *policyFlags) register(fs *flag.FlagSet) {
	fs.Var(&pf.identity, "identity", "")
	fs.Var(&pf.session, "session", "")
	fs.StringVar(&pf.boundary, "boundary", "", "")
	fs.StringVar(&pf.resourcePolicy, "resource-policy", "", "")
	fs.Var(&pf.scps, "scp", "")
	fs.Var(&pf.rcps, "rcp", "")
	fs.StringVar(&pf.mgmt, "management-account", "", "")
}

// reportProblems prints the problems of loading policies on stderr and
// returns the exit status: 2 when a file could not be read, else 1.
func reportProblems(stderr io.Writer, cmd string, problems []error) int {
	status := 1
	for _, p := range problems {
		fmt.Fprintf(stderr, "iamsim %s: %v\n", cmd, p)
		var pe *iofs.PathError
		if errors.As(p, &pe) {
			status = 2
		}
	}
	return status
}

// warnSession warns that --session policies will be ignored: they apply
// only to role sessions (a role ARN stands for one) and federated users.
func (pf *policyFlags) warnSession(stderr io.Writer, cmd, principal string) {
	if len(pf.session) == 0 {
		return
	}
	for _, s := range []string{":assumed-role/", ":federated-user/", ":role/"} {
		if strings.Contains(principal, s) {
			return
		}
	}
	fmt.Fprintf(stderr, "iamsim %s: warning: --session policies limit only role and federated-user sessions; %s is neither, so they are ignored\n", cmd, principal)
}

// load reads every policy the flags name; it returns every problem.
func (pf *policyFlags) load() (evaluator.PolicySet, []error) {
	set := evaluator.PolicySet{ManagementAccount: pf.mgmt}
	var problems []error
	load := func(path string) evaluator.Input {
		in, err := loadPolicyFile(path)
		if err != nil {
			problems = append(problems, err)
		}
		return in
	}
	for _, f := range pf.identity {
		set.Identity = append(set.Identity, load(f))
	}
	for _, f := range pf.session {
		set.Session = append(set.Session, load(f))
	}
	if pf.boundary != "" {
		in := load(pf.boundary)
		set.PermissionsBoundary = &in
	}
	if pf.resourcePolicy != "" {
		in := load(pf.resourcePolicy)
		set.Resource = &in
	}
	levels := func(flags listFlag) [][]evaluator.Input {
		var out [][]evaluator.Input
		for _, lv := range flags {
			var level []evaluator.Input
			for _, f := range strings.Split(lv, ",") {
				level = append(level, load(f))
			}
			out = append(out, level)
		}
		return out
	}
	set.SCPs, set.RCPs = levels(pf.scps), levels(pf.rcps)
	return set, problems
}

// compileFlags loads and compiles the set, printing problems to w.
// It returns the engine, or the exit status: 2 when a file cannot be read,
// 1 when a policy is not valid. Problems go to stderr, after "iamsim CMD:",
// so that standard output holds only results.
func (pf *policyFlags) compile(stderr io.Writer, cmd string) (*evaluator.Engine, int) {
	_, eng, status := pf.compileSet(stderr, cmd)
	return eng, status
}

// compileSet is compile, also returning the policy set it compiled.
func (pf *policyFlags) compileSet(stderr io.Writer, cmd string) (evaluator.PolicySet, *evaluator.Engine, int) {
	set, problems := pf.load()
	if len(problems) > 0 {
		return set, nil, reportProblems(stderr, cmd, problems)
	}
	eng, err := evaluator.Compile(set)
	if err != nil {
		fmt.Fprintf(stderr, "iamsim %s: %v\n", cmd, err)
		return set, nil, 1
	}
	return set, eng, 0
}

func runEval(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	return evalCommand("eval", evalUsage, args, stdout, stderr)
}

func runExplain(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	return evalCommand("explain", explainUsage, args, stdout, stderr)
}

// evalCommand runs eval, or explain, which always explains and shows the
// deciding statements in their source.
func evalCommand(name, usage string, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var req evaluator.Request
	var pf policyFlags
	var ctx listFlag
	explain := name == "explain"
	fs.StringVar(&req.Principal, "principal", "", "")
	fs.StringVar(&req.SessionIssuer, "session-issuer", "", "")
	fs.StringVar(&req.Action, "action", "", "")
	fs.StringVar(&req.Resource, "resource", "*", "")
	fs.StringVar(&req.ResourceAccount, "resource-account", "", "")
	fs.Var(&ctx, "context", "")
	pf.register(fs)
	if name == "eval" {
		fs.BoolVar(&explain, "explain", false, "")
	}
	if err := fs.Parse(spreadLists(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprintf(stderr, "iamsim %s: %v\n%s", name, err, usage)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "iamsim %s: unexpected argument %q\n%s", name, fs.Arg(0), usage)
		return 2
	}
	if req.Principal == "" || req.Action == "" {
		fmt.Fprintf(stderr, "iamsim %s: --principal and --action are required\n%s", name, usage)
		return 2
	}
	var err error
	if req.Context, err = parseContext(ctx); err != nil {
		fmt.Fprintf(stderr, "iamsim %s: %v\n", name, err)
		return 2
	}
	if err := req.Validate(); err != nil {
		fmt.Fprintf(stderr, "iamsim %s: %v\n", name, err)
		return 2
	}
	// A misspelt action is denied by any policy (or allowed by a wildcard)
	// without a word; say so, and still give the decision, since the
	// action may be newer than the catalog.
	if err := catalog.CheckAction(req.Action); err != nil {
		fmt.Fprintf(stderr, "iamsim %s: warning: %v\n", name, err)
	}
	eng, status := pf.compile(stderr, name)
	if eng == nil {
		return status
	}
	pf.warnSession(stderr, name, req.Principal)
	var opts []evaluator.EvalOption
	if explain {
		opts = append(opts, evaluator.WithTrace())
	}
	r := eng.Evaluate(req, opts...)
	switch {
	case name == "explain":
		writeExplanation(stdout, req, r)
	case explain:
		fmt.Fprintln(stdout, r.Decision)
		for _, m := range r.Matched {
			fmt.Fprintf(stdout, "matched: %s\n", m)
		}
		if len(r.MissingContext) > 0 {
			fmt.Fprintf(stdout, "missing context: %s\n", strings.Join(r.MissingContext, ", "))
		}
		_ = r.Trace.Format(stdout)
	default:
		fmt.Fprintln(stdout, r.Decision)
	}
	if r.Decision != evaluator.Allowed {
		return 3
	}
	return 0
}

// loadPolicyFile reads and parses one policy file, named by a plain path
// or, as the AWS CLI writes it, file://path. The policy's id is the path
// without file://. JSON text in place of a file is refused with a hint.
func loadPolicyFile(path string) (evaluator.Input, error) {
	if t := strings.TrimSpace(path); strings.HasPrefix(t, "{") {
		// A status-2 problem, as a file that cannot be read.
		if len(t) > 30 {
			t = t[:30] + "..."
		}
		return evaluator.Input{}, &iofs.PathError{Op: "read policy", Path: t,
			Err: errors.New("this flag takes a policy file (path or file://path), not the policy's JSON text")}
	}
	path = strings.TrimPrefix(path, "file://")
	src, err := policy.ReadFile(path)
	if err != nil {
		return evaluator.Input{}, err
	}
	p, err := policy.Parse(src, policy.WithSource(path))
	if err != nil {
		return evaluator.Input{}, err
	}
	return evaluator.Input{ID: path, Policy: p, Text: src}, nil
}

// parseContext reads --context values: KEY=VALUE, or KEY:TYPE=VALUE with an
// AWS CLI ContextKeyType (string, stringList, numeric, numericList, boolean,
// booleanList, date, dateList, ip, ipList, binary, binaryList). A key given
// twice, or with a list type, is multi-valued.
func parseContext(pairs []string) (evaluator.Context, error) {
	if len(pairs) == 0 {
		return nil, nil
	}
	ctx := evaluator.Context{}
	for _, kv := range pairs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("--context %q: want KEY=VALUE or KEY:TYPE=VALUE", kv)
		}
		multi := false
		if i := strings.LastIndex(k, ":"); i > 0 {
			typ := k[i+1:]
			if check, list, known := simulator.LookupContextKeyType(typ); known {
				if !check(v) {
					return nil, fmt.Errorf("--context %q: %q is not a valid %s value", kv, v, strings.TrimSuffix(typ, "List"))
				}
				k, multi = k[:i], list
			} else if canon := contextTypeFold(typ); canon != "" {
				// A type in the wrong case would silently become part of
				// the key's name.
				return nil, fmt.Errorf("--context %q: write the type as the AWS CLI does: %s", kv, canon)
			}
		}
		if old, seen := ctx[k]; seen {
			ctx[k] = evaluator.Multi(append(old.Values, v)...)
			continue
		}
		if multi {
			ctx[k] = evaluator.Multi(v)
		} else {
			ctx[k] = evaluator.Single(v)
		}
	}
	return ctx, nil
}

// contextTypeFold returns the ContextKeyType that typ spells in another
// case, or "".
func contextTypeFold(typ string) string {
	base, list := strings.CutSuffix(strings.ToLower(typ), "list")
	if _, _, ok := simulator.LookupContextKeyType(base); !ok {
		return ""
	}
	if list {
		return base + "List"
	}
	return base
}
