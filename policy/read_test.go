package policy

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// zeros is an endless reader, like /dev/zero.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "p.json")
	require.NoError(t, os.WriteFile(doc, []byte(`{"Statement":[]}`), 0o644))
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	toZero := filepath.Join(dir, "zero.json")
	require.NoError(t, os.Symlink("/dev/zero", toZero))
	toDoc := filepath.Join(dir, "link.json")
	require.NoError(t, os.Symlink(doc, toDoc))

	for _, tc := range []struct {
		name, path string
		want       error // nil: reads the document
	}{
		{"regular file", doc, nil},
		{"symlink to a regular file", toDoc, nil},
		{"directory", dir, ErrNotRegular},
		{"device", "/dev/zero", ErrNotRegular},
		{"symlink to a device", toZero, ErrNotRegular},
		{"named pipe (would block)", fifo, ErrNotRegular},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := ReadFile(tc.path)
			if tc.want == nil {
				require.NoError(t, err)
				require.Equal(t, `{"Statement":[]}`, string(b))
				return
			}
			require.ErrorIs(t, err, tc.want)
			require.Contains(t, err.Error(), tc.path)
		})
	}
}

func TestReadFileLimit(t *testing.T) {
	doc := filepath.Join(t.TempDir(), "big.json")
	require.NoError(t, os.WriteFile(doc, []byte(strings.Repeat(" ", 11)), 0o644))
	_, err := readFileLimit(doc, 10)
	require.ErrorIs(t, err, ErrInputTooLarge)
	b, err := readFileLimit(doc, 11)
	require.NoError(t, err)
	require.Len(t, b, 11)
}

func TestReadAll(t *testing.T) {
	b, err := ReadAll(strings.NewReader("abc"), "-")
	require.NoError(t, err)
	require.Equal(t, "abc", string(b))

	_, err = ReadAll(zeros{}, "standard input")
	require.ErrorIs(t, err, ErrInputTooLarge)
	require.Contains(t, err.Error(), "standard input")

	b, err = ReadAll(io.LimitReader(zeros{}, MaxInputSize), "-")
	require.NoError(t, err)
	require.Len(t, b, MaxInputSize)
}

func TestParseFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	require.NoError(t, os.WriteFile(good, []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`), 0o644))
	p, src, err := ParseFileText(good)
	require.NoError(t, err)
	require.Len(t, p.Statements, 1)
	require.Equal(t, good, p.Span.Start.Source)
	require.Contains(t, string(src), "s3:GetObject")

	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},}`), 0o644))
	_, err = ParseFile(bad)
	var errs Errors
	require.True(t, errors.As(err, &errs))
	require.Equal(t, bad, errs[0].Pos.Source)

	_, err = ParseFile(filepath.Join(dir, "missing.json"))
	require.ErrorIs(t, err, os.ErrNotExist)
}
