package evaltest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ErrOutsideRoot is returned (wrapped) for a {file: path} reference that
// is an absolute path or resolves, after following symbolic links, outside
// the case file's root directory. AllowFilesOutside permits such
// references.
var ErrOutsideRoot = errors.New("file reference outside the case file's root")

// AllowFilesOutside lets {file: path} references of case files name any
// file: an absolute path, or one that leaves the case file's root
// directory by ".." or a symbolic link. Without it such a reference is an
// error (see LoadFile), so that a case file from an untrusted change cannot
// read arbitrary files of the machine that runs it.
func AllowFilesOutside() Option {
	return func(c *runConfig) { c.allowOutside = true }
}

// WithRoot sets the directory {file: path} references of case files must
// stay within, instead of the default (see LoadFile).
func WithRoot(dir string) Option {
	return func(c *runConfig) { c.root = dir }
}

// rootMarkers are the names whose presence makes a directory the default
// root of the case files below it: a Go module or a Git checkout (.git is
// a file in a worktree).
var rootMarkers = []string{"go.mod", ".git"}

// refDir resolves the {file: path} references of one case file.
type refDir struct {
	// dir is the case file's directory, against which references resolve.
	dir string
	// root is the absolute, symlink-free directory references must stay
	// within; "" when they may go anywhere.
	root string
	// rootErr, when set, is why the root could not be determined; every
	// reference then fails with it.
	rootErr error
}

// newRefDir returns how the references of the case file at path resolve
// under cfg: relative to path's directory, and confined to cfg.root, or by
// default to the nearest directory at or above path's directory holding a
// go.mod or .git (the project), or else path's directory itself.
func newRefDir(path string, cfg runConfig) refDir {
	r := refDir{dir: filepath.Dir(path)}
	if cfg.allowOutside {
		return r
	}
	root := cfg.root
	if root == "" {
		abs, err := filepath.Abs(r.dir)
		if err != nil {
			r.rootErr = err
			return r
		}
		root = abs
		for d := abs; ; {
			if hasMarker(d) {
				root = d
				break
			}
			parent := filepath.Dir(d)
			if parent == d {
				break
			}
			d = parent
		}
	}
	abs, err := filepath.Abs(root)
	if err == nil {
		abs, err = filepath.EvalSymlinks(abs)
	}
	if err != nil {
		r.rootErr = fmt.Errorf("the root directory for file references: %w", err)
		return r
	}
	r.root = abs
	return r
}

func hasMarker(dir string) bool {
	for _, m := range rootMarkers {
		if _, err := os.Lstat(filepath.Join(dir, m)); err == nil {
			return true
		}
	}
	return false
}

// resolve returns the path a {file: rel} reference names, relative to the
// case file's directory. Unless references may go anywhere, rel must be
// relative and resolve, lexically and after following symbolic links,
// inside the root; the check is made before anything outside is opened.
func (r refDir) resolve(rel string) (string, error) {
	if r.rootErr != nil {
		return "", r.rootErr
	}
	full := rel
	if !filepath.IsAbs(rel) {
		full = filepath.Join(r.dir, rel)
	}
	if r.root == "" {
		return full, nil
	}
	refuse := func(why string) error {
		return outsideRootError(fmt.Sprintf("file reference %s %s (root %s: the nearest directory above the case file holding go.mod or .git, else the case file's directory, unless set with --root / evaltest.WithRoot); pass --allow-outside / evaltest.AllowFilesOutside() to permit it",
			rel, why, r.root))
	}
	if filepath.IsAbs(rel) {
		return "", refuse("is an absolute path")
	}
	// Check the path as written first (from the case file's real
	// directory), so that a reference leaving the root tells nothing about
	// the files out there, not even whether they exist.
	dir, err := filepath.Abs(r.dir)
	if err == nil {
		dir, err = filepath.EvalSymlinks(dir)
	}
	if err != nil {
		return "", err
	}
	abs := filepath.Join(dir, rel)
	if !within(r.root, abs) {
		return "", refuse("leaves the case file's root directory")
	}
	resolved, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", err
	}
	if !within(r.root, resolved) {
		return "", refuse("is a symbolic link to a file outside the case file's root directory")
	}
	return full, nil
}

// outsideRootError is a refused reference; it matches ErrOutsideRoot.
type outsideRootError string

func (e outsideRootError) Error() string        { return string(e) }
func (e outsideRootError) Is(target error) bool { return target == ErrOutsideRoot }

// within reports whether path is root or below it; both are absolute and
// clean.
func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return false
	}
	return rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
