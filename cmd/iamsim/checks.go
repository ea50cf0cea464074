package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/iamsim/iamsim/evaluator/accesscheck"
	"github.com/iamsim/iamsim/policy"
)

const checkNoNewAccessUsage = `usage: iamsim check-no-new-access --existing-policy-document DOC --new-policy-document DOC --policy-type IDENTITY_POLICY|RESOURCE_POLICY [--resource-owner ACCOUNT] [--max-evaluations N] [--timeout 60s]

IAM Access Analyzer's check-no-new-access, offline and exact: FAIL when the
new policy allows some request the existing one does not. Prints AWS's
response JSON (result, message, reasons with description, statementIndex,
statementId) plus counterexamples: concrete requests (principal, action,
resource, context) allowed under the new policy and not under the existing
one, each re-checked with the engine. For RESOURCE_POLICY every caller is
considered; the owner account is --resource-owner, else the account of the
policy's resource ARN, else 111122223333.
A DOC is file://PATH, a plain path, "-" for standard input, or the JSON
text itself.

Whole policy sets, for one principal (what no online check does):

  iamsim check-no-new-access --principal ARN POLICY-FLAGS... --diff POLICY-FLAGS...

compares the principal's access under the policy set before --diff with
the set after it (the layers the second names replace the first's, as in
iamsim effective --diff), with the full evaluation: identity policies,
--boundary, --session, --resource-policy, --scp and --rcp (one file per org
level, root first; a level's policies joined with commas). Requests are on
resources of the principal's account.

Two account snapshots: every principal that gains access:

  iamsim check-no-new-access --existing-snapshot A.json [--existing-resource-policies RP.json]
         [--existing-org ORG.json] --new-snapshot B.json [--new-resource-policies RP.json]
         [--new-org ORG.json] [--aws-managed FILE]

compares every user and role of the new snapshot (a role as a session of
it, as iamsim who-can does) under its real policy set before and after: its
identity policies, boundary, SCPs and RCPs, the resource policies and role
trust policies. The files are those of iamsim who-can (--snapshot and
--resource-policies may be repeated, one file per account). A principal
new in the new snapshot had no access before; one removed is not reported.
Only principals and resources whose policies changed are compared (the
options bound each comparison). Prints
{"result": "PASS"|"FAIL", "message", "principals": [{"principal": ARN,
"result": {AWS's response plus counterexamples}}], "undecided": [...]}.
A principal that cannot be decided is never a PASS: beside a FAIL it is
listed under "undecided"; otherwise the check fails with exit status 2.

Exit status: 0 PASS; 1 FAIL; 2 bad input, or a policy the check cannot
decide exactly (a construct outside the decided fragment, such as a policy
variable, or a limit hit: --max-evaluations, default 2000000, or --timeout,
default 60s; never a PASS it cannot prove).
`

const checkAccessNotGrantedUsage = `usage: iamsim check-access-not-granted --policy-document DOC --access JSON --policy-type IDENTITY_POLICY|RESOURCE_POLICY [--resource-owner ACCOUNT] [--max-evaluations N] [--timeout 60s]

IAM Access Analyzer's check-access-not-granted, offline and exact: FAIL when
the policy can allow one of the listed actions (on one of the entry's
resources, or on any resource when it lists none) for some condition
values. --access is AWS's list, '[{"actions":["s3:DeleteBucket"],
"resources":["arn:aws:s3:::b"]}]', as JSON text or file://PATH.
A DOC is file://PATH, a plain path, "-" for standard input, or the JSON
text itself. Output as check-no-new-access, with counterexamples allowed
for a listed action and resource.
Exit status: 0 PASS; 1 FAIL; 2 bad input or undecidable.
`

const checkNoPublicAccessUsage = `usage: iamsim check-no-public-access --policy-document DOC --resource-type TYPE [--resource-owner ACCOUNT] [--max-evaluations N] [--timeout 60s]

IAM Access Analyzer's check-no-public-access, offline and exact: FAIL when
the resource policy lets an anonymous caller, or a principal of an account
that is neither the owner nor named in the policy, perform an action of the
resource type's service, with condition values that do not copy the
policy's pinning values (a fixed aws:SourceArn, SourceAccount, SourceOwner,
SourceVpc, SourceVpce, PrincipalOrgID, kms:CallerAccount, or an address in
an IPv4 CIDR of /8 or narrower). TYPE is one of AWS's list: AWS::S3::Bucket,
AWS::KMS::Key, AWS::SQS::Queue, AWS::SNS::Topic, AWS::SecretsManager::Secret,
AWS::IAM::AssumeRolePolicyDocument, AWS::Lambda::Function, ...
Exit status: 0 PASS; 1 FAIL; 2 bad input or undecidable.
`

// readPolicyDoc reads a policy document given as JSON text, file://PATH,
// a plain path or "-".
func readPolicyDoc(arg string, stdin io.Reader) (*policy.Policy, error) {
	var src []byte
	display := "policy"
	if t := strings.TrimSpace(arg); strings.HasPrefix(t, "{") {
		src = []byte(arg)
	} else {
		var err error
		if src, display, err = readInput(arg, stdin); err != nil {
			return nil, err
		}
	}
	return policy.Parse(src, policy.WithSource(display))
}

// checkFlags are the flags every check takes.
type checkFlags struct {
	fs       *flag.FlagSet
	typ      *string
	owner    *string
	maxEvals *int
	timeout  *time.Duration
}

func newCheckFlags(name string) *checkFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &checkFlags{fs: fs,
		typ:      fs.String("policy-type", "", ""),
		owner:    fs.String("resource-owner", "", ""),
		maxEvals: fs.Int("max-evaluations", accesscheck.DefaultMaxEvaluations, ""),
		timeout:  fs.Duration("timeout", accesscheck.DefaultTimeout, ""),
	}
}

func (c *checkFlags) options() []accesscheck.Option {
	opts := []accesscheck.Option{accesscheck.WithMaxEvaluations(*c.maxEvals), accesscheck.WithTimeout(*c.timeout)}
	if *c.owner != "" {
		opts = append(opts, accesscheck.WithResourceOwner(*c.owner))
	}
	return opts
}

// parse parses args; status is -1 to go on.
func (c *checkFlags) parse(args []string, usage string, stdout, stderr io.Writer) int {
	if err := c.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprintf(stderr, "iamsim %s: %v\n%s", c.fs.Name(), err, usage)
		return 2
	}
	if c.fs.NArg() > 0 {
		fmt.Fprintf(stderr, "iamsim %s: unexpected argument %q\n%s", c.fs.Name(), c.fs.Arg(0), usage)
		return 2
	}
	if *c.maxEvals <= 0 {
		fmt.Fprintf(stderr, "iamsim %s: --max-evaluations must be positive\n", c.fs.Name())
		return 2
	}
	return -1
}

// report prints res as JSON and returns the exit status.
func report(name string, res *accesscheck.Result, err error, stdout, stderr io.Writer) int {
	if err != nil {
		fmt.Fprintf(stderr, "iamsim %s: %v\n", name, err)
		return 2
	}
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		fmt.Fprintf(stderr, "iamsim %s: %v\n", name, err)
		return 2
	}
	fmt.Fprintln(stdout, string(b))
	if res.Result == accesscheck.Fail {
		return 1
	}
	return 0
}

func runCheckNoNewAccess(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	for _, a := range args {
		if a == "--principal" || a == "-principal" || strings.HasPrefix(a, "--principal=") || strings.HasPrefix(a, "-principal=") {
			return runCheckNoNewAccessSets(args, stdout, stderr)
		}
		if n, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "="); strings.HasPrefix(a, "-") && (n == "existing-snapshot" || n == "new-snapshot") {
			return runCheckNoNewAccessSnapshots(args, stdout, stderr)
		}
	}
	c := newCheckFlags("check-no-new-access")
	existing := c.fs.String("existing-policy-document", "", "")
	newDoc := c.fs.String("new-policy-document", "", "")
	if st := c.parse(args, checkNoNewAccessUsage, stdout, stderr); st >= 0 {
		return st
	}
	if *existing == "" || *newDoc == "" || *c.typ == "" {
		fmt.Fprintf(stderr, "iamsim check-no-new-access: give --existing-policy-document, --new-policy-document and --policy-type\n%s", checkNoNewAccessUsage)
		return 2
	}
	if *existing == "-" && *newDoc == "-" {
		fmt.Fprintln(stderr, "iamsim check-no-new-access: standard input can hold one document only")
		return 2
	}
	typ, err := accesscheck.ParsePolicyType(*c.typ)
	if err != nil {
		fmt.Fprintf(stderr, "iamsim check-no-new-access: %v\n", err)
		return 2
	}
	oldP, err := readPolicyDoc(*existing, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "iamsim check-no-new-access: existing policy: %v\n", err)
		return 2
	}
	newP, err := readPolicyDoc(*newDoc, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "iamsim check-no-new-access: new policy: %v\n", err)
		return 2
	}
	res, err := accesscheck.CheckNoNewAccess(oldP, newP, typ, c.options()...)
	return report("check-no-new-access", res, err, stdout, stderr)
}

func runCheckAccessNotGranted(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := newCheckFlags("check-access-not-granted")
	doc := c.fs.String("policy-document", "", "")
	accessArg := c.fs.String("access", "", "")
	if st := c.parse(args, checkAccessNotGrantedUsage, stdout, stderr); st >= 0 {
		return st
	}
	if *doc == "" || *accessArg == "" || *c.typ == "" {
		fmt.Fprintf(stderr, "iamsim check-access-not-granted: give --policy-document, --access and --policy-type\n%s", checkAccessNotGrantedUsage)
		return 2
	}
	typ, err := accesscheck.ParsePolicyType(*c.typ)
	if err != nil {
		fmt.Fprintf(stderr, "iamsim check-access-not-granted: %v\n", err)
		return 2
	}
	p, err := readPolicyDoc(*doc, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "iamsim check-access-not-granted: %v\n", err)
		return 2
	}
	src := []byte(*accessArg)
	if t := strings.TrimSpace(*accessArg); !strings.HasPrefix(t, "[") && !strings.HasPrefix(t, "{") {
		if src, _, err = readInput(*accessArg, stdin); err != nil {
			fmt.Fprintf(stderr, "iamsim check-access-not-granted: --access: %v\n", err)
			return 2
		}
	}
	var access []accesscheck.Access
	dec := json.NewDecoder(strings.NewReader(string(src)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&access); err != nil {
		fmt.Fprintf(stderr, "iamsim check-access-not-granted: --access: want a JSON list of {\"actions\":[...],\"resources\":[...]}: %v\n", err)
		return 2
	}
	res, err := accesscheck.CheckAccessNotGranted(p, access, typ, c.options()...)
	return report("check-access-not-granted", res, err, stdout, stderr)
}

func runCheckNoPublicAccess(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := newCheckFlags("check-no-public-access")
	doc := c.fs.String("policy-document", "", "")
	rt := c.fs.String("resource-type", "", "")
	if st := c.parse(args, checkNoPublicAccessUsage, stdout, stderr); st >= 0 {
		return st
	}
	if *doc == "" || *rt == "" {
		fmt.Fprintf(stderr, "iamsim check-no-public-access: give --policy-document and --resource-type\n%s", checkNoPublicAccessUsage)
		return 2
	}
	if *c.typ != "" && *c.typ != string(accesscheck.ResourcePolicy) {
		fmt.Fprintln(stderr, "iamsim check-no-public-access: the policy is a resource policy (--policy-type RESOURCE_POLICY or none)")
		return 2
	}
	p, err := readPolicyDoc(*doc, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "iamsim check-no-public-access: %v\n", err)
		return 2
	}
	res, err := accesscheck.CheckNoPublicAccess(p, *rt, c.options()...)
	return report("check-no-public-access", res, err, stdout, stderr)
}

// runCheckNoNewAccessSets is check-no-new-access on two policy sets for
// one principal: --principal ARN POLICY-FLAGS --diff POLICY-FLAGS.
func runCheckNoNewAccessSets(args []string, stdout, stderr io.Writer) int {
	const name = "check-no-new-access"
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "iamsim "+name+": "+format+"\n%s", append(a, checkNoNewAccessUsage)...)
		return 2
	}
	before, after, diff := args, []string(nil), false
	for i, a := range args {
		if a == "--diff" || a == "-diff" {
			before, after, diff = args[:i], args[i+1:], true
			break
		}
	}
	if !diff {
		return usageErr("with --principal, give the policy set before and after --diff")
	}
	c := newCheckFlags(name)
	principal := c.fs.String("principal", "", "")
	var pf policyFlags
	pf.register(c.fs)
	if err := c.fs.Parse(spreadLists(c.fs, before)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, checkNoNewAccessUsage)
			return 0
		}
		return usageErr("%v", err)
	}
	if c.fs.NArg() > 0 {
		return usageErr("unexpected argument %q", c.fs.Arg(0))
	}
	if *c.typ != "" || *c.owner != "" {
		return usageErr("--policy-type and --resource-owner compare two documents, not two policy sets")
	}
	if *c.maxEvals <= 0 {
		return usageErr("--max-evaluations must be positive")
	}
	fs2 := flag.NewFlagSet(name+" --diff", flag.ContinueOnError)
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
	setBefore, problems := pf.load()
	if len(problems) > 0 {
		return reportProblems(stderr, name, problems)
	}
	setAfter, problems := pf2.load()
	if len(problems) > 0 {
		return reportProblems(stderr, name, problems)
	}
	res, err := accesscheck.CheckNoNewAccessSets(setBefore, setAfter, *principal, c.options()...)
	return report(name, res, err, stdout, stderr)
}

// runCheckNoNewAccessSnapshots is check-no-new-access on two account
// snapshots: --existing-snapshot ... --new-snapshot ....
func runCheckNoNewAccessSnapshots(args []string, stdout, stderr io.Writer) int {
	const name = "check-no-new-access"
	c := newCheckFlags(name)
	var old, nw whoCanFlags
	c.fs.Var(&old.snapshots, "existing-snapshot", "")
	c.fs.Var(&old.resourcePolicies, "existing-resource-policies", "")
	c.fs.StringVar(&old.org, "existing-org", "", "")
	c.fs.Var(&nw.snapshots, "new-snapshot", "")
	c.fs.Var(&nw.resourcePolicies, "new-resource-policies", "")
	c.fs.StringVar(&nw.org, "new-org", "", "")
	awsManaged := c.fs.String("aws-managed", "", "")
	if st := c.parse(args, checkNoNewAccessUsage, stdout, stderr); st >= 0 {
		return st
	}
	if len(old.snapshots) == 0 || len(nw.snapshots) == 0 {
		fmt.Fprintf(stderr, "iamsim %s: give --existing-snapshot and --new-snapshot\n%s", name, checkNoNewAccessUsage)
		return 2
	}
	if *c.typ != "" || *c.owner != "" {
		fmt.Fprintf(stderr, "iamsim %s: --policy-type and --resource-owner compare two documents, not two snapshots\n", name)
		return 2
	}
	old.awsManaged, nw.awsManaged = *awsManaged, *awsManaged
	before, st := old.load(stderr, name+": existing snapshot")
	if st != 0 {
		return 2
	}
	after, st := nw.load(stderr, name+": new snapshot")
	if st != 0 {
		return 2
	}
	res, err := accesscheck.CheckNoNewAccessSnapshots(before, after, c.options()...)
	if err != nil {
		fmt.Fprintf(stderr, "iamsim %s: %v\n", name, err)
		return 2
	}
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		fmt.Fprintf(stderr, "iamsim %s: %v\n", name, err)
		return 2
	}
	fmt.Fprintln(stdout, string(b))
	if res.Result == accesscheck.Fail {
		return 1
	}
	return 0
}
