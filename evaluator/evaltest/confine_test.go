package evaltest_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/iamsim/iamsim/evaluator/evaltest"
	"github.com/iamsim/iamsim/policy"
)

// bounded runs f and fails the test if it has not returned within limit:
// a read that blocks (a FIFO) or never ends (/dev/zero) is a defect.
func bounded(t *testing.T, limit time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(limit):
		t.Fatalf("did not finish within %v", limit)
	}
}

const allowS3 = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`

// project lays out a Go module in a temporary directory:
//
//	outside/secret.json     (outside the module)
//	proj/go.mod
//	proj/policies/read.json
//	proj/cases/             (where the tests' case files go)
//
// and returns the cases directory and the secret's path.
func project(t *testing.T) (cases, secret string) {
	t.Helper()
	tmp := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(tmp, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
		return p
	}
	secret = write("outside/secret.json", allowS3)
	write("proj/go.mod", "module example.com/proj\n")
	write("proj/policies/read.json", allowS3)
	cases = filepath.Join(tmp, "proj", "cases")
	require.NoError(t, os.MkdirAll(cases, 0o755))
	return cases, secret
}

func caseWith(ref string) string {
	return `cases:
  - name: reads
    principal: "arn:aws:iam::111111111111:user/alice"
    action: s3:GetObject
    resource: arn:aws:s3:::b/k
    identityPolicies: [{file: ` + ref + `}]
    expect: allowed
`
}

// TestFileReferenceConfinement: a {file: path} reference stays within the
// case file's root, the nearest directory above it with a go.mod or .git;
// absolute paths, ".." escapes and symbolic links out of it are refused
// with an error naming the case and the reference, unless
// AllowFilesOutside or WithRoot says otherwise.
func TestFileReferenceConfinement(t *testing.T) {
	cases, secret := project(t)
	require.NoError(t, os.Symlink(secret, filepath.Join(cases, "link.json")))
	require.NoError(t, os.Symlink(filepath.Join(cases, "..", "policies", "read.json"), filepath.Join(cases, "inside.json")))
	path := filepath.Join(cases, "c.yaml")
	load := func(ref string, opts ...evaltest.Option) error {
		_, err := evaltest.Load(path, []byte(caseWith(ref)), opts...)
		return err
	}
	for _, ref := range []string{"../policies/read.json", "inside.json", "./../cases/../policies/read.json"} {
		require.NoError(t, load(ref), ref)
	}
	escapes := map[string]string{
		"../../outside/secret.json":             "leaves the case file's root directory",
		"../policies/../../outside/secret.json": "leaves the case file's root directory",
		secret:                                  "is an absolute path",
		"link.json":                             "is a symbolic link to a file outside",
		"../../../../../../../../etc/passwd":    "leaves the case file's root directory",
	}
	for ref, why := range escapes {
		err := load(ref)
		require.ErrorIs(t, err, evaltest.ErrOutsideRoot, ref)
		require.ErrorContains(t, err, path+":2: case 1:", ref)
		require.ErrorContains(t, err, "file reference "+ref+" "+why, ref)
		require.ErrorContains(t, err, "evaltest.AllowFilesOutside()", ref)
		if !strings.Contains(ref, "passwd") {
			require.NoError(t, load(ref, evaltest.AllowFilesOutside()), ref)
		}
	}
	// An escape to a file that does not exist says the same: nothing is
	// learnt about the files outside.
	require.ErrorIs(t, load("../../outside/nothing-here.json"), evaltest.ErrOutsideRoot)

	// WithRoot narrows (or widens) the root.
	require.ErrorIs(t, load("../policies/read.json", evaltest.WithRoot(cases)), evaltest.ErrOutsideRoot)
	require.NoError(t, load("../../outside/secret.json", evaltest.WithRoot(filepath.Dir(filepath.Dir(cases)))))

	// An STS call's session policy {file: path} is confined the same way.
	sts := `cases:
  - name: session
    action: s3:GetObject
    resource: arn:aws:s3:::b/k
    identityPolicies: [{file: ../policies/read.json}]
    assumeRole:
      caller: {principal: "arn:aws:iam::111111111111:user/alice"}
      roleArn: arn:aws:iam::111111111111:role/app
      trustPolicy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: "arn:aws:iam::111111111111:user/alice"}, Action: "sts:AssumeRole"}]}
      roleSessionName: s1
      policy: {file: REF}
    expect: allowed
`
	_, err := evaltest.Load(path, []byte(strings.Replace(sts, "REF", "../policies/read.json", 1)))
	require.NoError(t, err)
	_, err = evaltest.Load(path, []byte(strings.Replace(sts, "REF", "../../outside/secret.json", 1)))
	require.ErrorIs(t, err, evaltest.ErrOutsideRoot)

	// LoadFile and RunFile take the options too.
	require.NoError(t, os.WriteFile(path, []byte(caseWith("../../outside/secret.json")), 0o644))
	_, err = evaltest.LoadFile(path)
	require.ErrorIs(t, err, evaltest.ErrOutsideRoot)
	_, err = evaltest.LoadFile(path, evaltest.AllowFilesOutside())
	require.NoError(t, err)
	evaltest.RunFile(t, path, evaltest.AllowFilesOutside())
}

// TestHostileReads: a case file, a {file: path} reference or an entry of a
// directory of case files that is a device, a FIFO, a link to one, or
// larger than policy.MaxInputSize is refused by name, quickly, never read
// to its end or waited on.
func TestHostileReads(t *testing.T) {
	cases, _ := project(t)
	fifo := filepath.Join(cases, "fifo.yaml")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	require.NoError(t, os.Symlink("/dev/zero", filepath.Join(cases, "zero.json")))
	big := filepath.Join(cases, "big.json")
	f, err := os.Create(big)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(policy.MaxInputSize+1))
	require.NoError(t, f.Close())
	path := filepath.Join(cases, "c.yaml")

	bounded(t, 30*time.Second, func() {
		for ref, want := range map[string]error{
			"/dev/zero":   policy.ErrNotRegular,
			"fifo.yaml":   policy.ErrNotRegular,
			"zero.json":   policy.ErrNotRegular,
			"big.json":    policy.ErrInputTooLarge,
			"../policies": policy.ErrNotRegular,
		} {
			_, err := evaltest.Load(path, []byte(caseWith(ref)), evaltest.AllowFilesOutside())
			require.ErrorIs(t, err, want, ref)
			require.ErrorContains(t, err, "case 1", ref)
		}
		for _, p := range []string{fifo, filepath.Join(cases, "zero.json"), "/dev/zero", big} {
			_, err := evaltest.LoadFile(p)
			require.Error(t, err, p)
			require.ErrorContains(t, err, p)
		}
		// The directory walk lists them (without reading them to the end
		// or blocking), so that loading each names it.
		files, err := evaltest.Files(cases)
		require.NoError(t, err)
		require.Equal(t, []string{big, fifo, filepath.Join(cases, "zero.json")}, files)
	})
}

// TestDurationFieldsOutOfRange: a case file's maxSessionDuration out of
// IAM's 3,600 to 43,200 seconds, or a number beyond int64, is a clear load
// error; a durationSeconds out of range is the call's ValidationError.
func TestDurationFieldsOutOfRange(t *testing.T) {
	for field, want := range map[string]string{
		"maxSessionDuration: 36028797018967568":     "assumeRole.maxSessionDuration 36028797018967568 must be from 3600 to 43200 seconds",
		"maxSessionDuration: 60":                    "assumeRole.maxSessionDuration 60 must be from 3600 to 43200 seconds",
		"durationSeconds: 99999999999999999999":     "assumeRole.durationSeconds 99999999999999999999 is out of range",
		"maxSessionDuration: -99999999999999999999": "assumeRole.maxSessionDuration -99999999999999999999 is out of range",
	} {
		_, err := evaltest.Load("cases.yaml", []byte(stsHeader+`
  - {name: c, expect: allowed, assumeRole: {<<: *alice, `+field+`}}`))
		require.ErrorContains(t, err, want, field)
	}
	f, err := evaltest.Load("cases.yaml", []byte(stsHeader+`
  - {name: c, expectError: {code: ValidationError, parameter: DurationSeconds}, assumeRole: {<<: *alice, durationSeconds: 36028797018967568}}`))
	require.NoError(t, err)
	o := f.Cases[0].Run()
	require.True(t, o.Pass(), o.Report())
}
