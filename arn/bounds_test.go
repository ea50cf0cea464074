package arn

import (
	"strings"
	"testing"
	"time"
)

// TestStarThenManyQuestionMarks: a '*' followed by a run of '?' is matched
// in one pass over the value, not retried with the whole run at every
// position ("*" and 8,000 '?' against a 1 MB value took seconds to
// minutes), in every mode, and still means "at least that many characters".
func TestStarThenManyQuestionMarks(t *testing.T) {
	run := strings.Repeat("?", 8000)
	long := strings.Repeat("a", 1<<20)
	for _, tc := range []struct {
		name, pattern, value string
		mode                 Mode
	}{
		{"glob", "*" + run, long, GlobMode},
		{"glob, literal after", "*" + run + "b", long + "b", GlobMode},
		{"resource", "arn:aws:s3:::b/*" + run, "arn:aws:s3:::b/" + long, ResourceMode},
		{"arn", "arn:aws:s3:::b/*" + run, "arn:aws:s3:::b/" + long, ARNMode},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := CompilePattern(tc.pattern, WithMode(tc.mode))
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan [2]bool, 1)
			go func() {
				// The same value with 7,999 characters where the run is.
				short := strings.Replace(tc.value, long, long[:7999], 1)
				done <- [2]bool{p.Match(tc.value, nil), p.Match(short, nil)}
			}()
			select {
			case got := <-done:
				if !got[0] || got[1] {
					t.Errorf("match long, short = %v, %v; want true, false", got[0], got[1])
				}
			case <-time.After(20 * time.Second):
				t.Fatal("did not finish within 20s")
			}
		})
	}
	// '?' and '*' commute; crossing stars (ResourceMode, before ':' or at
	// the end) are not moved.
	for _, tc := range []struct {
		pattern, value string
		want           bool
	}{
		{"arn:aws:s3:::b/*?", "arn:aws:s3:::b/x", true},
		{"arn:aws:s3:::b/*?", "arn:aws:s3:::b/", false},
		{"arn:aws:s3:::b/x*?:y", "arn:aws:s3:::b/x:y", false},
		{"arn:aws:s3:::b/x*?:y", "arn:aws:s3:::b/xz:y", true},
		{"arn:aws:s3:::b/*:?", "arn:aws:s3:::b/a:b:c", true},
		{"arn:aws:s3:::b/*:?", "arn:aws:s3:::b/a:b:cd", false},
		{"arn:aws:s3:::b/*:??", "arn:aws:s3:::b/a:b:cd", true},
		{"arn:aws:s3:::b/*?*?x", "arn:aws:s3:::b/abx", true},
		{"arn:aws:s3:::b/*?*?x", "arn:aws:s3:::b/ax", false},
	} {
		p, err := CompilePattern(tc.pattern, WithMode(ResourceMode))
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Match(tc.value, nil); got != tc.want {
			t.Errorf("%s matches %s = %v, want %v", tc.pattern, tc.value, got, tc.want)
		}
	}
}
