package main

import (
	"encoding/json"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/iamsim/iamsim/policy"
)

// isHidden reports whether a file or directory name is hidden (".git",
// ".cache"), and so left out of a directory search.
func isHidden(name string) bool { return len(name) > 1 && name[0] == '.' && name != ".." }

// walkFiles returns the files under root whose extension (in any case) is
// one of exts, in lexical order, leaving out hidden directories and files
// with a note on stderr ("iamsim CMD: skipped hidden directory ...").
func walkFiles(root string, exts []string, cmd string, stderr io.Writer) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(path string, d iofs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path != root && isHidden(d.Name()) {
			if d.IsDir() {
				fmt.Fprintf(stderr, "iamsim %s: skipped hidden directory %s\n", cmd, path)
				return filepath.SkipDir
			}
			fmt.Fprintf(stderr, "iamsim %s: skipped hidden file %s\n", cmd, path)
			return nil
		}
		if d.IsDir() {
			return nil
		}
		ext := strings.ToLower(filepath.Ext(path))
		for _, e := range exts {
			if ext == e {
				out = append(out, path)
				break
			}
		}
		return nil
	})
	return out, err
}

// topLevelKeys returns the keys of the mapping at the top of a YAML or JSON
// file, and false when the file cannot be read or parsed or does not hold
// a mapping (the loader of the file then reports the problem).
func topLevelKeys(path string) (map[string]bool, bool) {
	src, err := policy.ReadFile(path)
	if err != nil {
		return nil, false
	}
	// JSON first, with the JSON decoder: it reads any JSON text.
	var obj map[string]json.RawMessage
	if json.Unmarshal(src, &obj) == nil && obj != nil {
		keys := map[string]bool{}
		for k := range obj {
			keys[k] = true
		}
		return keys, true
	}
	var doc yaml.Node
	if yaml.Unmarshal(src, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, false
	}
	m := doc.Content[0]
	keys := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		keys[m.Content[i].Value] = true
	}
	return keys, true
}

// caseFiles returns the case files that paths name: a file as given, and
// under a directory every *.json, *.yaml and *.yml file with a top-level
// cases field. Hidden directories and files, and files that are not case
// files, are left out with a note on stderr; policy documents kept beside
// case files (a top-level Statement and no cases) silently, since case
// files name them. A file that cannot be parsed is kept, for its loader to
// report.
func caseFiles(paths []string, stderr io.Writer) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		found, err := walkFiles(p, []string{".json", ".yaml", ".yml"}, "test", stderr)
		if err != nil {
			return nil, err
		}
		for _, f := range found {
			keys, ok := topLevelKeys(f)
			switch {
			case !ok || keys["cases"]:
				out = append(out, f)
			case keys["Statement"]:
				// A policy document beside the case files.
			default:
				fmt.Fprintf(stderr, "iamsim test: skipped %s: not a case file (no top-level cases)\n", f)
			}
		}
	}
	return out, nil
}

// policyFiles returns the policy files that names give for validate: "-"
// and files as given, and under a directory every *.json file, leaving out
// hidden directories and files and JSON case files (a top-level cases and
// no Statement) with a note on stderr.
func policyFiles(names []string, stderr io.Writer) []string {
	var out []string
	for _, n := range names {
		path := strings.TrimPrefix(n, "file://")
		st, err := os.Stat(path)
		if n == "-" || err != nil || !st.IsDir() {
			out = append(out, n) // read, or reported, as given
			continue
		}
		found, err := walkFiles(path, []string{".json"}, "validate", stderr)
		if err != nil {
			out = append(out, n) // reading it reports the problem
			continue
		}
		if len(found) == 0 {
			fmt.Fprintf(stderr, "iamsim validate: no *.json file under %s\n", path)
		}
		for _, f := range found {
			if keys, ok := topLevelKeys(f); ok && keys["cases"] && !keys["Statement"] {
				fmt.Fprintf(stderr, "iamsim validate: skipped %s: a case file, not a policy\n", f)
				continue
			}
			out = append(out, f)
		}
	}
	return out
}
