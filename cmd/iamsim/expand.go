package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/iamsim/iamsim/policy/catalog"
)

const expandUsage = `usage: iamsim expand [--levels] PATTERN...

Prints the actions of AWS's action catalog that each Action pattern covers,
one full name per line, sorted: "s3:Get*", "iam:*AccessKey*", "*". With
--levels each line also gives the action's access level.
Exit status: 0 every pattern covers an action, 1 some pattern covers none,
2 bad usage.
`

func runExpand(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("expand", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	levels := fs.Bool("levels", false, "")
	rest, err := parseArgs(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, expandUsage)
			return 0
		}
		fmt.Fprintf(stderr, "iamsim expand: %v\n%s", err, expandUsage)
		return 2
	}
	if len(rest) == 0 {
		fmt.Fprintf(stderr, "iamsim expand: no pattern\n%s", expandUsage)
		return 2
	}
	status := 0
	for _, pat := range rest {
		acts := catalog.Expand(pat)
		if len(acts) == 0 {
			fmt.Fprintf(stderr, "iamsim expand: %q covers no action of the catalog (%s)\n", pat, catalog.Source())
			status = 1
		}
		for _, a := range acts {
			if *levels {
				fmt.Fprintf(stdout, "%s\t%s\n", a.FullName(), a.AccessLevel())
			} else {
				fmt.Fprintln(stdout, a.FullName())
			}
		}
	}
	return status
}
