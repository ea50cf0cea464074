package evaltest_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/iamsim/iamsim/evaluator/evaltest"
)

// Cases are usually run with RunFile or RunDir from a Go test; here one
// file is loaded and run by hand to show the pieces.
func ExampleLoad() {
	src := []byte(`
name: a boundary caps what an identity policy grants
defaults:
  principal: arn:aws:iam::111122223333:user/alice
  identityPolicies:
    - {Version: "2012-10-17", Statement: [{Effect: Allow, Action: ["s3:*", "iam:CreateUser"], Resource: "*"}]}
  permissionsBoundary: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:*", Resource: "*"}]}
cases:
  - name: inside the boundary
    action: s3:GetObject
    expect: allowed
    source: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
  - name: outside the boundary
    action: iam:CreateUser
    expect: implicitDeny
    source: https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
`)
	f, err := evaltest.Load(filepath.Join(os.TempDir(), "boundary.yaml"), src)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range f.Cases {
		o := c.Run()
		fmt.Printf("%s: expect %s, got %s, pass %v\n", c.Name, c.Expect, o.Got(), o.Pass())
	}
	// Output:
	// inside the boundary: expect allowed, got allowed, pass true
	// outside the boundary: expect implicitDeny, got implicitDeny, pass true
}

// A Go test runs every case file of a directory as subtests with one line:
//
//	func TestPolicies(t *testing.T) {
//		evaltest.RunDir(t, "testdata/example")
//	}
//
// Without a *testing.T, Files, LoadFile and Case.Run do the same by hand.
// testdata/example holds two case files (one builds its session with an
// AssumeRole call) and, under policies/, the policies they share, which
// Files leaves out.
func ExampleRunDir() {
	files, err := evaltest.Files("testdata/example")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, path := range files {
		f, err := evaltest.LoadFile(path)
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, c := range f.Cases {
			o := c.Run()
			fmt.Printf("%s: %s: want %s, got %s, pass %v\n", filepath.Base(path), c.Name, c.Want(), o.Got(), o.Pass())
		}
	}
	// Output:
	// role.yaml: puts objects: want allowed, got allowed, pass true
	// role.yaml: the boundary stops deletes: want implicitDeny, got implicitDeny, pass true
	// session.yaml: reads: want allowed, got allowed, pass true
	// session.yaml: the session policy stops writes: want implicitDeny, got implicitDeny, pass true
}
