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
//
// Run "iamsim COMMAND --help" for a command's flags.
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
}

var commands = map[string]command{
	"validate":               {runValidate, "check policy documents strictly, for a policy kind"},
	"eval":                   {runEval, "evaluate one request against a policy set"},
	"test":                   {runTest, "run what-if case files"},
	"effective":              {runEffective, "what a principal can do: every catalog action, or a diff of two policy sets"},
	"explain":                {runExplain, "evaluate one request and show the deciding statements in their source"},
	"simulate-custom-policy": {runSimulate, "AWS's simulate-custom-policy, offline: same input and output JSON"},
	"expand":                 {runExpand, "list the catalog actions an Action pattern covers"},
	"assume-role":            {runAssumeRole, "simulate STS AssumeRole and evaluate requests with the session"},
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
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

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: iamsim COMMAND [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-23s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun \"iamsim COMMAND --help\" for a command's flags.")
}

// parseArgs parses fs's flags wherever they stand among args (as in
// "iamsim validate --kind identity a.json --strict") and returns the other
// arguments in order. Everything after "--" is an argument.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
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
