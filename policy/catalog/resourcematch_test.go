package catalog

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// sampleARN fills a format's placeholders with values of their kind.
func sampleARN(format string, name string) string {
	return placeholder.ReplaceAllStringFunc(format, func(ph string) string {
		switch ph {
		case "${Partition}":
			return "aws"
		case "${Region}":
			return "us-east-1"
		case "${Account}":
			return "111122223333"
		}
		return name
	})
}

// TestMayBeAgreesWithLenientReading checks mayBe, which reads formats as
// token sequences, against the lenient regular expressions of
// ResourceTypesFor, its reference: on an ARN made from every format of
// every resource type (its names holding a "/"), for every type of the same
// service, both must give the same answer; and every type must accept its
// own ARNs (no warning on a well-formed ARN).
func TestMayBeAgreesWithLenientReading(t *testing.T) {
	checked := 0
	for _, s := range Services() {
		types := s.ResourceTypes()
		for _, rt := range types {
			for _, alt := range strings.Split(rt.ARN, ", ") {
				for _, name := range []string{"name1", "team/app"} {
					arn := sampleARN(alt, name)
					// A "*" written in a format is a character of the ARN:
					// the pattern escapes it as a policy would.
					pat := strings.NewReplacer("*", "${*}", "?", "${?}").Replace(arn)
					require.True(t, rt.mayBe(pat), "%s/%s does not accept its own ARN %s", rt.Service, rt.Name, arn)
					if name != "team/app" {
						continue // one name with a "/" is enough to compare with the other types
					}
					for _, other := range types {
						want := false
						for _, f := range other.formats() {
							want = want || f.lenient.MatchString(arn)
						}
						require.Equal(t, want, other.mayBe(pat), "%s/%s on %s", other.Service, other.Name, arn)
						checked++
					}
				}
			}
		}
	}
	require.Greater(t, checked, 10000)
}

func TestMayBePatterns(t *testing.T) {
	object, ok := mustService(t, "s3").ResourceType("object")
	require.True(t, ok)
	for _, tc := range []struct {
		pattern string
		want    bool
	}{
		{"arn:aws:s3:::b/k", true},
		{"arn:aws:s3:::b/*", true},
		{"arn:aws:s3:::*", true},   // "*" may hold the "/" of b/k
		{"arn:aws:s3:::b", false},  // a bucket
		{"arn:aws:s3:::b?", false}, // a bucket of two characters
		{"arn:aws:s3::b/*", false},
		{"arn:aws:s3:us-east-1::b/k", false},
		{"arn:aws:s3:*::b/k", true}, // "*" may be empty
		{"arn:aws:s3:::${aws:username}", true},
		{"arn:aws:s3:::b${*}", false}, // ${*} is a literal "*": a bucket named b*
		{"arn:*:s3:::b/k", true},
		{"arn:aws:s3:::b/k:with:colons", true},
	} {
		require.Equal(t, tc.want, object.mayBe(tc.pattern), tc.pattern)
	}
}

func mustService(t *testing.T, prefix string) *Service {
	t.Helper()
	s, ok := LookupService(prefix)
	require.True(t, ok, prefix)
	return s
}
