package evaltest

import (
	"path/filepath"

	"go.yaml.in/yaml/v3"

	"github.com/iamsim/iamsim/policy"
)

// readFile reads every file evaltest reads: case files and the policy
// files they name. It is the one place to bound or confine those reads.
func readFile(path string) ([]byte, error) { return policy.ReadFile(path) }

// loader reads the policies of one case file. A case file's defaults, and
// YAML anchors, give many cases the same policies: the loader reads and
// parses each policy file (by path and provenance) and each inline policy
// (by its YAML node and id) once, so those cases share one *policy.Policy,
// and the engine cache (see engineCache) compiles their set once.
type loader struct {
	path, dir string
	// refs resolves and confines {file: path} references (confine.go).
	refs   refDir
	files  map[fileKey]parsed
	inline map[inlineKey]parsed
	// snapshots holds the account snapshots cases name, loaded once.
	snapshots map[snapshotKey]snapshotLoad
}

type fileKey struct {
	full string
	aws  bool
}

type inlineKey struct {
	n  *yaml.Node
	id string
}

// parsed is a policy parsed once, or why it could not be.
type parsed struct {
	policy *policy.Policy
	text   []byte
	err    error
}

func newLoader(path string, cfg runConfig) *loader {
	return &loader{path: path, dir: filepath.Dir(path), refs: newRefDir(path, cfg), files: map[fileKey]parsed{}, inline: map[inlineKey]parsed{}}
}

// file reads and parses a policy file once; aws parses it as an AWS
// managed policy.
func (ld *loader) file(full string, aws bool) parsed {
	k := fileKey{full, aws}
	if pf, ok := ld.files[k]; ok {
		return pf
	}
	var pf parsed
	pf.text, pf.err = readFile(full)
	if pf.err == nil {
		popts := []policy.ParseOption{policy.WithSource(full)}
		if aws {
			popts = append(popts, policy.ParseAs(policy.AWSManaged))
		}
		pf.policy, pf.err = policy.Parse(pf.text, popts...)
	}
	if pf.err != nil {
		pf.text = nil
	}
	ld.files[k] = pf
	return pf
}
