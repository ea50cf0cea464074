package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/evaltest"
)

const testUsage = `usage: iamsim test [--json] [--root DIR] [--allow-outside] PATH...

Runs the what-if case files at PATH: files, or directories searched
recursively for *.json, *.yaml and *.yml files with a top-level "cases".
In a directory, hidden directories and files (.git) and files that are not
case files are skipped with a note on standard error; policy documents kept
beside the case files (a top-level "Statement") are skipped silently. Prints each failing case and a closing
"N passed, M failed" line. With --json, standard output holds one JSON object
per case per line: {"file","name","expect","got","pass"}, with "problem"
saying why a case failed. A case whose action is not in the action catalog
fails ("unknown action s3:DeleteObjct; did you mean s3:DeleteObject?") unless
it sets allowUnknownAction: true.
The cases of a file run on all cores; output keeps the file's order.
A {file: path} reference in a case file is relative to the case file and
must stay, after following symbolic links, within its root: the nearest
directory at or above the case file holding a go.mod or a .git, else the
case file's directory. An absolute path, a ".." that climbs above the root
or a symbolic link out of it is refused, so that a case file from an
untrusted pull request cannot read other files of the machine. --root DIR
sets the root; --allow-outside lifts the check. Every file read must be a
regular file of at most 16 MiB.
Exit status: 0 all passed, 1 some failed, 2 a file could not be read or is
invalid, or a case is (malformed, or its policies are not valid for their
place), or bad usage. A file that cannot be loaded is named on standard
error and counted in the closing line ("..., 1 file not loaded"); an
invalid case is named on standard error and counted as failed, and the
file's other cases still run.
`

type caseLine struct {
	File   string `json:"file"`
	Name   string `json:"name"`
	Expect string `json:"expect"`
	Got    string `json:"got"`
	Pass   bool   `json:"pass"`
	// Problem says why a case failed (a decision, matched statements, an
	// error); empty when it passed.
	Problem string `json:"problem,omitempty"`
}

func runTest(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "")
	root := fs.String("root", "", "")
	allowOutside := fs.Bool("allow-outside", false, "")
	rest, err := parseArgs(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, testUsage)
			return 0
		}
		fmt.Fprintf(stderr, "iamsim test: %v\n%s", err, testUsage)
		return 2
	}
	if len(rest) == 0 {
		fmt.Fprintf(stderr, "iamsim test: no case files given\n%s", testUsage)
		return 2
	}
	var opts []evaltest.Option
	if *root != "" {
		opts = append(opts, evaltest.WithRoot(*root))
	}
	if *allowOutside {
		opts = append(opts, evaltest.AllowFilesOutside())
	}
	files, err := caseFiles(rest, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "iamsim test: %v\n", err)
		return 2
	}
	if len(files) == 0 {
		fmt.Fprintf(stderr, "iamsim test: no case files under %s\n", strings.Join(rest, " "))
		return 2
	}
	status, passed, failed, unloaded := 0, 0, 0, 0
	enc := json.NewEncoder(stdout)
	for _, path := range files {
		f, err := evaltest.LoadFile(path, opts...)
		if f == nil {
			fmt.Fprintf(stderr, "iamsim test: %v\n", err)
			status, unloaded = 2, unloaded+1
			continue
		}
		for _, ce := range f.Invalid {
			// An invalid case fails; the file's other cases still run.
			fmt.Fprintf(stderr, "iamsim test: %v\n", ce)
			status, failed = 2, failed+1
			if *asJSON {
				_ = enc.Encode(caseLine{File: path, Name: ce.Name, Got: "error: invalid case", Problem: ce.Error()})
			}
		}
		f.Run(func(o *evaltest.Outcome) {
			c := o.Case
			if o.Pass() {
				passed++
			} else {
				failed++
			}
			var ce *evaluator.CompileError
			if errors.As(o.Err, &ce) {
				status = 2 // the case file holds a policy that is not valid there
			}
			if *asJSON {
				line := caseLine{File: path, Name: c.Name, Expect: c.Want(), Got: o.Got(), Pass: o.Pass(), Problem: o.Problem}
				if line.Problem == "" && o.Err != nil {
					line.Problem = o.Err.Error()
				}
				_ = enc.Encode(line)
			} else if !o.Pass() {
				fmt.Fprintf(stdout, "FAIL %s", o.Report())
			}
		})
	}
	if !*asJSON {
		switch unloaded {
		case 0:
			fmt.Fprintf(stdout, "%d passed, %d failed\n", passed, failed)
		case 1:
			fmt.Fprintf(stdout, "%d passed, %d failed, 1 file not loaded\n", passed, failed)
		default:
			fmt.Fprintf(stdout, "%d passed, %d failed, %d files not loaded\n", passed, failed, unloaded)
		}
	}
	if status == 0 && failed > 0 {
		status = 1
	}
	return status
}
