package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/iamsim/iamsim/policy/awsmanaged"
	"github.com/iamsim/iamsim/policy/catalog"
)

const versionUsage = `usage: iamsim version

Prints the version of the iamsim module the command was built from
("(devel)" when built from a checkout, with its VCS revision when Go
recorded one), the versions of the embedded action catalog data and AWS
managed policies, and the Go version.
Exit status: 0 done, 2 bad usage.
`

// modulePath is the path of the module the command belongs to.
const modulePath = "github.com/iamsim/iamsim"

func runVersion(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, versionUsage)
			return 0
		}
		fmt.Fprintf(stderr, "iamsim version: %v\n%s", err, versionUsage)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "iamsim version: unexpected argument %q\n%s", fs.Arg(0), versionUsage)
		return 2
	}
	info, _ := debug.ReadBuildInfo()
	fmt.Fprintf(stdout, "iamsim %s\n", moduleVersion(info))
	fmt.Fprintf(stdout, "catalog %s\n", catalog.Source())
	fmt.Fprintf(stdout, "AWS managed policies %s\n", awsmanaged.Source)
	fmt.Fprintf(stdout, "go %s\n", runtime.Version())
	return 0
}

// moduleVersion is the version of modulePath in the build information:
// the main module's when the command is built in it ("(devel)" from a
// checkout, "v1.2.3" from go install ...@v1.2.3), else its dependency's.
// A VCS revision recorded by the build follows in parentheses.
func moduleVersion(info *debug.BuildInfo) string {
	if info == nil {
		return "(unknown)"
	}
	v := ""
	switch {
	case info.Main.Path == modulePath:
		v = info.Main.Version
	default:
		for _, d := range info.Deps {
			if d.Path == modulePath {
				v = d.Version
				if d.Replace != nil {
					v += " => " + d.Replace.Path
				}
			}
		}
	}
	if v == "" {
		v = "(devel)"
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = ", modified"
			}
		}
	}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		v += " (" + rev + modified + ")"
	}
	return v
}
