package catalog

import (
	"strings"
	"sync"
)

// tok is one step of a pattern read as a sequence of character classes:
// one character of the class, or (star) any number of them. The class is
// one character (lit), the characters of only, or any character but those
// in except.
type tok struct {
	lit    byte
	isLit  bool
	only   string
	except string
	star   bool
}

// idChars are the characters of a partition (aws-us-gov), a region
// (us-east-1) and an account (111122223333, or aws in AWS managed policy
// ARNs).
const idChars = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

var (
	anyChar      = tok{}
	notColon     = tok{except: ":"}
	notColonStar = tok{except: ":", star: true}
	anyStar      = tok{star: true}
	idChar       = tok{only: idChars}
	idStar       = tok{only: idChars, star: true}
)

func litTok(c byte) tok { return tok{lit: c, isLit: true} }

// overlap reports whether two classes share a character. Letters compare
// without case, to stay on the side of not warning.
func overlap(a, b tok) bool {
	if b.isLit || (b.only != "" && !a.isLit) {
		a, b = b, a
	}
	switch {
	case a.isLit:
		return b.has(a.lit)
	case a.only != "":
		for i := 0; i < len(a.only); i++ {
			if b.has(a.only[i]) {
				return true
			}
		}
		return false
	}
	return true // two "all but a few" classes always share a character
}

// has reports whether the class holds c.
func (t tok) has(c byte) bool {
	switch {
	case t.isLit:
		return lower(t.lit) == lower(c)
	case t.only != "":
		return strings.IndexByte(t.only, c) >= 0
	}
	return strings.IndexByte(t.except, c) < 0
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// intersects reports whether some string is read by both token sequences:
// a search over pairs of positions, at most (len(a)+1)*(len(b)+1) of them,
// never recursing on a wildcard.
func intersects(a, b []tok) bool {
	n, m := len(a), len(b)
	seen := make([]bool, (n+1)*(m+1))
	stack := [][2]int{{0, 0}}
	for len(stack) > 0 {
		st := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		i, j := st[0], st[1]
		if seen[i*(m+1)+j] {
			continue
		}
		seen[i*(m+1)+j] = true
		if i == n && j == m {
			return true
		}
		if i < n && a[i].star {
			stack = append(stack, [2]int{i + 1, j})
		}
		if j < m && b[j].star {
			stack = append(stack, [2]int{i, j + 1})
		}
		if i < n && j < m && overlap(a[i], b[j]) {
			ni, nj := i, j
			if !a[i].star {
				ni++
			}
			if !b[j].star {
				nj++
			}
			stack = append(stack, [2]int{ni, nj})
		}
	}
	return false
}

// patternTokens reads a Resource value as IAM matches it: "*" any run of
// characters, "?" any one; a policy variable ${...} may stand for any text
// (its value is unknown before a request), except the escapes ${*}, ${?}
// and ${$}, which are those characters.
func patternTokens(p string) []tok {
	var out []tok
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '*':
			out = append(out, anyStar)
		case c == '?':
			out = append(out, anyChar)
		case c == '$' && i+1 < len(p) && p[i+1] == '{':
			end := strings.IndexByte(p[i:], '}')
			if end < 0 {
				out = append(out, litTok(c))
				continue
			}
			switch v := p[i+2 : i+end]; v {
			case "*", "?", "$":
				out = append(out, litTok(v[0]))
			default:
				out = append(out, anyStar)
			}
			i += end
		default:
			out = append(out, litTok(c))
		}
	}
	return out
}

// mayBe reports whether some ARN that the Resource value pattern matches
// (with the wildcards * and ?, and policy variables standing for any text)
// has one of the resource type's formats, read as leniently as
// ResourceTypesFor's second reading, except that a partition, region and
// account hold only letters, digits and "-" (so that a wildcard cannot
// make arn:aws:s3::bucket/* an access point ARN whose account is
// "bucket/"). It answers true when in doubt: Lint
// uses it to warn about resources that no action of a statement can act on.
func (rt *ResourceType) mayBe(pattern string) bool {
	p := patternTokens(pattern)
	for _, f := range rt.formats() {
		if intersects(f.tokens, p) {
			return true
		}
	}
	return false
}

// anyResourceFormats holds, by service prefix, the format that stands for
// an action without resource types: any ARN of its service
// (arn:${Partition}:SERVICE:${Region}:${Account}:${Resource}). AWS
// documents such actions with Resource "*", but policies also name them with
// ARNs of their service (arn:aws:s3:::* for s3:ListAllMyBuckets), so only
// an ARN of another service is out of place, which resource_service_mismatch
// reports.
var anyResourceFormats sync.Map // string -> format

func anyResourceFormat(service string) format {
	if f, ok := anyResourceFormats.Load(service); ok {
		return f.(format)
	}
	f := compileFormat("arn:${Partition}:" + service + ":${Region}:${Account}:${Resource}")
	anyResourceFormats.Store(service, f)
	return f
}
