package policy

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// MaxInputSize is the most ReadFile and ReadAll read: 16 MiB. It is far
// above any policy, case file or account snapshot a person writes, and
// bounds what a hostile input (/dev/zero, a huge file) can cost.
const MaxInputSize = 16 << 20

// ErrNotRegular is returned (wrapped) by ReadFile for a path that is not a
// regular file: a directory, a device such as /dev/zero, a FIFO or a
// socket. A symbolic link is followed; its target must be a regular file.
var ErrNotRegular = errors.New("not a regular file")

// ErrInputTooLarge is returned (wrapped) by ReadFile and ReadAll for an
// input longer than their limit.
var ErrInputTooLarge = errors.New("input too large")

// ReadFile reads the regular file at path, and at most MaxInputSize bytes
// of it: a longer file, or anything but a regular file (a directory, a
// device, a FIFO, which could block forever), is an error that names path
// and wraps ErrInputTooLarge or ErrNotRegular. The file's size is checked
// before and while reading, so a file that grows meanwhile is still
// bounded.
func ReadFile(path string) ([]byte, error) {
	return readFileLimit(path, MaxInputSize)
}

func readFileLimit(path string, limit int64) ([]byte, error) {
	// Stat first, so that opening a FIFO (which blocks until a writer
	// comes) is never tried.
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("%w (%s)", ErrNotRegular, fileType(fi.Mode()))}
	}
	if fi.Size() > limit {
		return nil, &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("%w: %d bytes, more than the limit of %d", ErrInputTooLarge, fi.Size(), limit)}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Re-check what was opened: the path may have changed since Stat.
	if fi, err = f.Stat(); err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: path, Err: fmt.Errorf("%w (%s)", ErrNotRegular, fileType(fi.Mode()))}
	}
	b, err := readLimit(f, limit)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: path, Err: err}
	}
	return b, nil
}

// ReadAll reads r to its end, and at most MaxInputSize bytes: a longer
// input is an error that names name (for example "-" or "standard input")
// and wraps ErrInputTooLarge.
func ReadAll(r io.Reader, name string) ([]byte, error) {
	b, err := readLimit(r, MaxInputSize)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	return b, nil
}

// readLimit reads r to its end, failing once it has read more than limit
// bytes.
func readLimit(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%w: more than the limit of %d bytes", ErrInputTooLarge, limit)
	}
	return b, nil
}

// fileType names the kind of a non-regular file for error messages.
func fileType(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "mode " + m.String()
}

// ParseFile reads the policy document at path with ReadFile and parses it
// with Parse, naming path in every position (WithSource) unless an option
// names another source. Validate the result with WithText(src) to measure
// quotas on the text as written; ParseFileText returns that text.
func ParseFile(path string, opts ...ParseOption) (*Policy, error) {
	p, _, err := ParseFileText(path, opts...)
	return p, err
}

// ParseFileText is ParseFile that also returns the file's text, for
// WithText and evaluator.Input.Text, which measure quotas on the document
// as written.
func ParseFileText(path string, opts ...ParseOption) (*Policy, []byte, error) {
	src, err := ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	p, err := Parse(src, append([]ParseOption{WithSource(path)}, opts...)...)
	if err != nil {
		return nil, src, err
	}
	return p, src, nil
}
