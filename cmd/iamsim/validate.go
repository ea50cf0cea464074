package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/iamsim/iamsim/policy"
	"github.com/iamsim/iamsim/policy/catalog"
)

const validateUsage = `usage: iamsim validate --kind KIND [--aws-managed] [--strict] [--scp-2023-strict] [--trust-policy-limit N] FILE|DIR...

Parses each policy FILE strictly and checks it against the rules of KIND:
identity, resource, session, boundary, scp, rcp, trust or key. "-" reads
standard input; file://path is accepted as with the AWS CLI. A directory
FILE stands for its *.json files, searched recursively, leaving out hidden
directories and files (.git) and JSON case files (a top-level "cases"),
each with a note on standard error. Each problem is
printed as FILE:LINE:COL: CODE: message. A valid policy is then checked
against AWS's action catalog: unknown services and actions (with "did you
mean"), wildcards that match nothing, condition keys no action of the
statement supports, aws: condition keys that are not AWS global keys,
resources of a service no action acts on, and resource ARNs in no format of
the resource types the statement's actions act on are printed as
FILE:LINE:COL: warning: CODE: message, at the offending value. Warnings fail
only with --strict.
Exit status: 0 every file is valid, 1 some file is not (or, with --strict,
has warnings), 2 bad usage or an
unreadable file.

--aws-managed checks the files as AWS managed policies (written by AWS, as
arn:aws:iam::aws:policy/... are), which IAM does not hold to the rules it
enforces on the policies customers write: no size quota, and policy
variables allowed anywhere in a Resource ARN, not only after its fifth
colon.
`

func runValidate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	kindName := fs.String("kind", "", "")
	strict := fs.Bool("scp-2023-strict", false, "")
	failOnWarnings := fs.Bool("strict", false, "")
	trustLimit := fs.Int("trust-policy-limit", policy.QuotaTrustPolicy, "")
	awsManaged := fs.Bool("aws-managed", false, "")
	rest, err := parseArgs(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, validateUsage)
			return 0
		}
		fmt.Fprintf(stderr, "iamsim validate: %v\n%s", err, validateUsage)
		return 2
	}
	if *kindName == "" {
		fmt.Fprintf(stderr, "iamsim validate: --kind is required\n%s", validateUsage)
		return 2
	}
	kind, err := policy.ParseKind(*kindName)
	if err != nil {
		fmt.Fprintf(stderr, "iamsim validate: %v\n", err)
		return 2
	}
	if len(rest) == 0 {
		fmt.Fprintf(stderr, "iamsim validate: no files\n%s", validateUsage)
		return 2
	}
	if *trustLimit < policy.QuotaTrustPolicy || *trustLimit > policy.QuotaTrustPolicyMax {
		fmt.Fprintf(stderr, "iamsim validate: --trust-policy-limit %d: AWS allows %d to %d\n", *trustLimit, policy.QuotaTrustPolicy, policy.QuotaTrustPolicyMax)
		return 2
	}
	opts := []policy.ValidateOption{policy.WithTrustPolicyLimit(*trustLimit)}
	if *strict {
		opts = append(opts, policy.SCP2023Strict())
	}
	prov := policy.Customer
	if *awsManaged {
		prov = policy.AWSManaged
	}
	opts = append(opts, policy.ValidateAs(prov))
	status, unreadable := 0, false
	for _, name := range policyFiles(rest, stderr) {
		src, display, err := readInput(name, stdin)
		if err != nil {
			// Report it and check the other files; the status says 2.
			fmt.Fprintf(stderr, "iamsim validate: %v\n", err)
			unreadable = true
			continue
		}
		p, err := policy.Parse(src, policy.WithSource(display), policy.ParseAs(prov))
		if err == nil {
			err = policy.Validate(p, kind, append(opts[:len(opts):len(opts)], policy.WithText(src))...)
		}
		for _, e := range policy.AsErrors(err) {
			fmt.Fprintf(stdout, "%s:%d:%d: %s: %s\n", display, max(e.Pos.Line, 1), max(e.Pos.Column, 1), e.Code, e.Message)
			status = 1
		}
		if err != nil {
			continue
		}
		for _, w := range catalog.Lint(p) {
			fmt.Fprintf(stdout, "%s:%d:%d: warning: %s: %s\n", display, max(w.Pos.Line, 1), max(w.Pos.Column, 1), w.Code, w.Message)
			if *failOnWarnings {
				status = 1
			}
		}
	}
	if unreadable {
		return 2
	}
	return status
}

// readInput reads a file named on the command line: "-" is standard input,
// and a file:// prefix (as the AWS CLI writes it) is dropped. Either is read
// with policy.ReadFile or policy.ReadAll: a file must be a regular file (not
// a device or FIFO) and neither may exceed policy.MaxInputSize.
func readInput(name string, stdin io.Reader) (src []byte, display string, err error) {
	if name == "-" {
		if stdin == nil {
			return nil, "-", errors.New("-: standard input is not read here")
		}
		src, err = policy.ReadAll(stdin, "standard input")
		return src, "-", err
	}
	name = strings.TrimPrefix(name, "file://")
	src, err = policy.ReadFile(name)
	return src, name, err
}
