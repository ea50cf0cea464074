package arn_test

import (
	"fmt"

	"github.com/iamsim/iamsim/arn"
)

func ExampleParse() {
	a, err := arn.Parse("arn:aws:lambda:us-east-1:111122223333:function:my-fn:PROD")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.Service, a.Region, a.Account, a.Resource)
	// Output: lambda us-east-1 111122223333 function:my-fn:PROD
}

// lookup is a Resolver over a map.
type lookup map[string]string

func (l lookup) Lookup(k string) (string, bool) { v, ok := l[k]; return v, ok }

func ExampleCompilePattern() {
	p := arn.MustCompilePattern("arn:aws:s3:::example-bucket/home/${aws:username}/*")
	alice := lookup{"aws:username": "alice"}
	fmt.Println(p.Match("arn:aws:s3:::example-bucket/home/alice/notes.txt", alice))
	fmt.Println(p.Match("arn:aws:s3:::example-bucket/home/bob/notes.txt", alice))
	fmt.Println(p.Match("arn:aws:s3:::example-bucket/home/alice/notes.txt", nil)) // no aws:username: no match

	fn := arn.MustCompilePattern("arn:aws:lambda:us-east-1:111122223333:function:my-fn*")
	fmt.Println(fn.Match("arn:aws:lambda:us-east-1:111122223333:function:my-fn:PROD", nil))
	// Output:
	// true
	// false
	// false
	// true
}
