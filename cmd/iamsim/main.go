// Command iamsim validates IAM policies, evaluates requests against policy
// sets offline, and runs what-if case files.
//
// Usage:
//
//	iamsim validate --kind KIND FILE...   check policies strictly
//	iamsim eval [flags]                   evaluate one request
//	iamsim explain [flags]                evaluate one request, with its deciding statements in their source
//	iamsim test [--json] PATH...          run case files
//	iamsim assume-role [flags]            simulate STS AssumeRole, then evaluate requests
//	iamsim expand PATTERN...              list the actions an Action pattern covers
//	iamsim simulate-custom-policy --cli-input-json file://in.json   AWS's simulator request and response, offline
//	iamsim effective [flags]              decide every catalog action; --diff two policy sets
//	iamsim who-can --snapshot AUTHZ.json --action A --resource ARN   which principals of account snapshots can make a request
//	iamsim check-no-new-access [flags]    does a changed policy grant new access? (Access Analyzer, offline)
//	iamsim check-access-not-granted [flags]   can a policy ever grant these actions?
//	iamsim check-no-public-access [flags] does a resource policy grant public access?
//	iamsim version                        the module version and the catalog data version
//	iamsim help [COMMAND]                 list the commands, or print one command's usage
//
// Run "iamsim help COMMAND" or "iamsim COMMAND --help" for a command's
// flags.
//
// A flag that may repeat (--identity, --context, --action, ...) also takes
// several values the AWS CLI way: "--identity a.json b.json" is
// "--identity a.json --identity b.json". The arguments after such a flag
// are its values up to the next one that starts with "-"; write a value that
// starts with "-" as --flag=VALUE. validate, test and expand, which take
// files or patterns as arguments, have no such flag; if one is added, put
// the files first or after "--".
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
)

// command is one subcommand: it gets its arguments and standard streams and
// returns the exit status.
type command struct {
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
	summary string
	// usage is what "iamsim help COMMAND" and "iamsim COMMAND --help" print.
	usage string
}

var commands = map[string]command{
	"validate":                 {runValidate, "check policy documents strictly, for a policy kind", validateUsage},
	"eval":                     {runEval, "evaluate one request against a policy set", evalUsage},
	"test":                     {runTest, "run what-if case files", testUsage},
	"effective":                {runEffective, "what a principal can do: every catalog action, or a diff of two policy sets", effectiveUsage},
	"explain":                  {runExplain, "evaluate one request and show the deciding statements in their source", explainUsage},
	"simulate-custom-policy":   {runSimulate, "AWS's simulate-custom-policy, offline: same input and output JSON", simulateUsage},
	"expand":                   {runExpand, "list the catalog actions an Action pattern covers", expandUsage},
	"assume-role":              {runAssumeRole, "simulate STS AssumeRole and evaluate requests with the session", assumeRoleUsage},
	"check-no-new-access":      {runCheckNoNewAccess, "Access Analyzer's check-no-new-access, offline and exact, with counterexamples", checkNoNewAccessUsage},
	"check-access-not-granted": {runCheckAccessNotGranted, "Access Analyzer's check-access-not-granted, offline and exact, with counterexamples", checkAccessNotGrantedUsage},
	"check-no-public-access":   {runCheckNoPublicAccess, "Access Analyzer's check-no-public-access, offline and exact, with counterexamples", checkNoPublicAccessUsage},
	"who-can":                  {runWhoCan, "who can make a request: every principal of account snapshots, allowed or conditional", whoCanUsage},
	"version":                  {runVersion, "print the module version and the catalog data version", versionUsage},
}

const helpUsage = `usage: iamsim help [COMMAND]

Lists the commands, or prints COMMAND's usage (as "iamsim COMMAND --help").
Exit status: 0 done, 2 no such command.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "help" {
		return runHelp(args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		w := stdout
		status := 0
		if len(args) == 0 {
			w, status = stderr, 2
		}
		usage(w)
		return status
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "iamsim: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
	return cmd.run(args[1:], stdin, stdout, stderr)
}

// runHelp prints the command list, or one command's usage.
func runHelp(args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0:
		usage(stdout)
		return 0
	case len(args) > 1:
		fmt.Fprintf(stderr, "iamsim help: one command at most, got %d\n%s", len(args), helpUsage)
		return 2
	case args[0] == "help" || args[0] == "-h" || args[0] == "--help":
		fmt.Fprint(stdout, helpUsage)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "iamsim help: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
	fmt.Fprint(stdout, cmd.usage)
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: iamsim COMMAND [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-25s %s\n", n, commands[n].summary)
	}
	fmt.Fprintf(w, "  %-25s %s\n", "help", "list the commands, or print one command's usage")
	fmt.Fprintln(w, "\nRun \"iamsim help COMMAND\" or \"iamsim COMMAND --help\" for a command's flags.")
	fmt.Fprintln(w, "A repeatable flag takes several values: --identity a.json b.json.")
}

// parseArgs parses fs's flags wherever they stand among args (as in
// "iamsim validate --kind identity a.json --strict") and returns the other
// arguments in order. Everything after "--" is an argument. A list flag
// takes the arguments after it as its values (spreadLists), so a command
// with list flags takes its own arguments first or after "--".
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	args = spreadLists(fs, args)
	var after []string
	for i, a := range args {
		if a == "--" {
			args, after = args[:i], args[i+1:]
			break
		}
	}
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return append(rest, after...), nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}
