package arn

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Resolver supplies the values of policy variables: Lookup returns the
// value of a condition key such as "aws:username" or
// "aws:PrincipalTag/team", and false when the request has no such
// (single-valued) key. A nil Resolver resolves nothing.
type Resolver interface {
	Lookup(key string) (string, bool)
}

// Mode selects the matching rules of a Pattern.
type Mode uint8

// The matching modes.
const (
	// ResourceMode matches Resource and NotResource elements (docs/semantics.md §5.2):
	// "*" alone matches everything; otherwise a '*' followed by ':' or
	// ending the pattern matches any run of characters, any other '*' a run
	// without ':', and '?' one character other than ':'. Variables may appear
	// only after the fifth colon.
	ResourceMode Mode = iota
	// GlobMode matches the whole string with '*' (any run of characters) and
	// '?' (any one character): actions and the StringLike operators.
	GlobMode
	// ARNMode matches the ArnEquals and ArnLike operators: pattern and value
	// are each cut into their six colon-separated parts (the sixth keeping its
	// colons) and each part is matched on its own with '*' and '?'. A value
	// with fewer than six parts matches nothing; the pattern "*" alone matches
	// every value; any other pattern with fewer than six parts matches
	// nothing. Parts are cut after variables are substituted, so a
	// variable's value may supply colons (a whole ARN, say), while its '*'
	// and '?' stay literal.
	ARNMode
	// LiteralMode has no wildcards: '*' and '?' are ordinary characters and
	// the pattern matches only the identical string, after variables are
	// substituted. It serves StringEquals and similar operators.
	LiteralMode
)

var modeNames = [...]string{"resource", "glob", "arn", "literal"}

// String returns the mode's name.
func (m Mode) String() string {
	if int(m) < len(modeNames) {
		return modeNames[m]
	}
	return fmt.Sprintf("Mode(%d)", uint8(m))
}

// Option configures CompilePattern.
type Option func(*config)

type config struct {
	mode     Mode
	noVars   bool
	anywhere bool
}

// WithMode selects the matching rules (default ResourceMode).
func WithMode(m Mode) Option { return func(c *config) { c.mode = m } }

// WithoutVariables makes "${...}" ordinary text, as in policies whose Version
// is not 2012-10-17.
func WithoutVariables() Option { return func(c *config) { c.noVars = true } }

// WithVariablesAnywhere lets a ResourceMode pattern hold policy variables in
// any part of the ARN, not only after its fifth colon. IAM refuses variables
// before the fifth colon in the policies customers write, but AWS managed
// policies use them (arn:*:kms:*:${aws:PrincipalAccount}:key/*), and AWS
// evaluates them as everywhere else: the variable is substituted first, then
// the ARN is cut into its parts. The shape checks still read only the
// pattern's own text: it needs five colons outside its variables (or a
// final '*'), and no wildcard in its service part.
func WithVariablesAnywhere() Option { return func(c *config) { c.anywhere = true } }

// Pattern is a compiled ARN, glob or literal pattern, possibly holding policy
// variables. It is immutable and safe for concurrent use. The zero Pattern
// matches nothing.
type Pattern struct {
	src  string
	mode Mode
	ok   bool // compiled (the zero Pattern is not)
	any  bool // matches every string
	none bool // matches no string (ARNMode pattern with fewer than six parts)
	// shape is the fast path of a pattern without variables.
	shape shape
	// ps is the pattern as pieces (shapeGeneral), made once by CompilePattern.
	ps []piece
	// With variables: the pattern as tokens, whose literal pieces are made
	// once; a match appends the substituted values between them.
	toks []token
	vars []string
}

// shape classifies a pattern without variables for its fast path.
type shape uint8

const (
	shapeGeneral shape = iota // match the pieces
	shapeExact                // no wildcard: the whole string, byte for byte
	shapePrefix               // only a final '*' that matches anything: a prefix
)

// pieceKind is what one piece of a compiled pattern matches.
type pieceKind uint8

const (
	pLit   pieceKind = iota // text, byte for byte
	pOne                    // '?': one character (in ResourceMode, within a segment)
	pStar                   // '*': any run of characters (in ResourceMode, within a segment)
	pCross                  // ResourceMode: a '*' that ends a segment and may cross colons
	pColon                  // ResourceMode: a ':' of the pattern; ARNMode: one of the five part separators
)

// piece is one element of a compiled pattern. Literal text is a substring of
// the pattern or of a variable's value, never a copy.
type piece struct {
	kind pieceKind
	text string
}

// token is a piece of a pattern with variables: text in the pattern's own
// syntax, or a variable whose value is literal text.
type token struct {
	text       string // literal pattern text (wildcards keep their meaning in glob modes)
	isVar      bool
	key        string
	def        string
	hasDefault bool
	// ps is text as pieces, made once at compile time.
	ps []piece
}

// CheckPattern reports whether s would compile under the given options,
// with the error CompilePattern would return, without building the
// matcher: validation's cheap path.
func CheckPattern(s string, opts ...Option) error {
	_, err := compilePattern(s, true, opts)
	return err
}

// CompilePattern compiles s under the given options. Errors are *Error with
// the offset of the problem.
func CompilePattern(s string, opts ...Option) (Pattern, error) {
	return compilePattern(s, false, opts)
}

func compilePattern(s string, checkOnly bool, opts []Option) (Pattern, error) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	p := Pattern{src: s, mode: cfg.mode, ok: true}
	if cfg.mode > LiteralMode {
		return Pattern{}, &Error{Input: s, Message: fmt.Sprintf("unknown mode %d", cfg.mode)}
	}
	if (cfg.mode == ResourceMode || cfg.mode == ARNMode) && s == "*" {
		p.any = true
		return p, nil
	}
	if cfg.mode == ResourceMode {
		if err := checkResourcePattern(s, !cfg.noVars); err != nil {
			return Pattern{}, err
		}
	}
	if cfg.noVars || !strings.Contains(s, "${") {
		if !checkOnly {
			p.compileStatic()
		}
		return p, nil
	}
	toks, err := tokenize(s, cfg)
	if err != nil {
		return Pattern{}, err
	}
	if checkOnly {
		return p, nil
	}
	p.toks = toks
	colons := 0
	for i := range p.toks {
		t := &p.toks[i]
		if t.isVar {
			if t.key != "" {
				p.vars = append(p.vars, t.key)
			}
			continue
		}
		if p.mode == ResourceMode || p.mode == GlobMode { // ARN parts are cut at match time; literals use Expand
			t.ps = appendText(nil, t.text, p.mode, &colons, i == len(p.toks)-1)
		}
	}
	return p, nil
}

// compileStatic compiles a pattern without variables.
func (p *Pattern) compileStatic() {
	s := p.src
	switch p.mode {
	case LiteralMode:
		p.shape = shapeExact
		return
	case ResourceMode, GlobMode:
		switch strings.IndexAny(s, "*?") {
		case -1:
			p.shape = shapeExact
			return
		case len(s) - 1:
			if s[len(s)-1] == '*' {
				p.shape = shapePrefix // a final '*' crosses colons in ResourceMode too
				return
			}
		}
	case ARNMode:
		if strings.Count(s, ":") < 5 {
			p.none = true
			return
		}
	}
	colons := 0
	p.ps = appendText(make([]piece, 0, countPieces(s)), s, p.mode, &colons, true)
}

// countPieces bounds the number of pieces s compiles to: every wildcard and
// colon is a piece, and so may be each run of text between them.
func countPieces(s string) int {
	n := 1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '*', '?', ':':
			n += 2
		}
	}
	return n
}

// checkResourcePattern checks the shape of a Resource pattern: "arn:" and
// five colons, unless a final '*' stands for the rest (as in
// "arn:aws:ec2:us-east-1:*"), and no wildcard in the service part. With
// variables on, the text inside "${...}" is skipped: a key's colon
// ("${aws:username}") is no part separator, and a variable's value is
// literal text, never a wildcard.
func checkResourcePattern(s string, variables bool) error {
	if !strings.HasPrefix(s, "arn:") {
		return &Error{Input: s, Offset: 0, Message: `does not start with "arn:"`}
	}
	colons, svc, svcEnd := 0, 0, len(s)
	for i := 0; i < len(s) && colons < 5; i++ {
		switch s[i] {
		case '$':
			if end := varEnd(s, i, variables); end > i {
				i = end - 1
			}
		case ':':
			colons++
			switch colons {
			case 2:
				svc = i + 1
			case 3:
				svcEnd = i
			}
		}
	}
	if colons < 5 && !strings.HasSuffix(s, "*") {
		return &Error{Input: s, Offset: len(s), Message: fmt.Sprintf("has %d of the 5 colons an ARN needs", colons)}
	}
	if colons >= 2 {
		for i := svc; i < svcEnd; i++ {
			switch s[i] {
			case '$':
				if end := varEnd(s, i, variables); end > i {
					i = end - 1
				}
			case '*', '?':
				return &Error{Input: s, Offset: i, Message: "wildcards are not allowed in the service part of an ARN"}
			}
		}
	}
	return nil
}

// varEnd returns the offset just after the variable "${...}" that starts at
// s[i], or i when none starts there (variables off, or no closing '}',
// which tokenize reports).
func varEnd(s string, i int, variables bool) int {
	if !variables || !strings.HasPrefix(s[i:], "${") {
		return i
	}
	if end := strings.IndexByte(s[i:], '}'); end >= 0 {
		return i + end + 1
	}
	return i
}

// MustCompilePattern is CompilePattern for patterns known to be valid; it
// panics on error. Use it for tests and static tables.
func MustCompilePattern(s string, opts ...Option) Pattern {
	p, err := CompilePattern(s, opts...)
	if err != nil {
		panic(err)
	}
	return p
}

// tokenize cuts s into literal text and variables.
func tokenize(s string, cfg config) ([]token, error) {
	var toks []token
	colons, lit := 0, 0 // lit: start of the pending literal text
	for i := 0; i < len(s); {
		if !strings.HasPrefix(s[i:], "${") {
			if s[i] == ':' {
				colons++
			}
			i++
			continue
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return nil, &Error{Input: s, Offset: i, Message: `policy variable "${" is not closed by "}"`}
		}
		body := s[i+2 : i+end]
		if cfg.mode == ResourceMode && colons < 5 && !cfg.anywhere {
			return nil, &Error{Input: s, Offset: i, Message: "IAM refuses policy variables before an ARN's fifth colon in policies customers write (only AWS managed policies have them)"}
		}
		if lit < i {
			toks = append(toks, token{text: s[lit:i]})
		}
		switch body {
		case "*", "?", "$":
			toks = append(toks, token{isVar: true, def: body, hasDefault: true})
		default:
			t, err := parseVariable(s, i, body)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
		}
		i += end + 1
		lit = i
	}
	if lit < len(s) {
		toks = append(toks, token{text: s[lit:]})
	}
	return toks, nil
}

// parseVariable reads the inside of "${...}": a key, optionally followed by
// a comma and a default value in single quotes.
func parseVariable(s string, at int, body string) (token, error) {
	key, def, hasDef := strings.Cut(body, ",")
	key = strings.TrimSpace(key)
	if key == "" || strings.ContainsAny(key, " '${") {
		return token{}, &Error{Input: s, Offset: at, Message: fmt.Sprintf("malformed policy variable %q", "${"+body+"}")}
	}
	t := token{isVar: true, key: key}
	if hasDef {
		def = strings.TrimSpace(def)
		if len(def) < 2 || def[0] != '\'' || def[len(def)-1] != '\'' || strings.Contains(def[1:len(def)-1], "'") {
			return token{}, &Error{Input: s, Offset: at, Message: fmt.Sprintf("policy variable %q: the default value must be in single quotes, as in ${key, 'default'}", "${"+body+"}")}
		}
		t.def, t.hasDefault = def[1:len(def)-1], true
	}
	return t, nil
}

// appendText appends the pieces of pattern text to ps. In ResourceMode a
// '*' followed by ':', or ending the whole pattern (last), may cross colons;
// a '*' followed by a variable may not. In ARNMode the first five colons of
// the pattern (counted in *colons across calls) separate the parts.
func appendText(ps []piece, text string, mode Mode, colons *int, last bool) []piece {
	lit := 0
	flush := func(i int) {
		if lit < i {
			ps = append(ps, piece{kind: pLit, text: text[lit:i]})
		}
		lit = i + 1
	}
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '*':
			flush(i)
			k := pStar
			if mode == ResourceMode && (i+1 < len(text) && text[i+1] == ':' || i+1 == len(text) && last) {
				k = pCross
			}
			ps = append(ps, piece{kind: k})
		case c == '?':
			flush(i)
			ps = appendOne(ps)
		case c == ':' && (mode == ResourceMode || mode == ARNMode && *colons < 5):
			flush(i)
			ps = append(ps, piece{kind: pColon})
			*colons++
		}
	}
	flush(len(text))
	return ps
}

// appendOne appends a '?' to ps, before the '*'s that end ps, if any. A
// '*' (one that does not cross colons) and a '?' match characters of the
// same class in every mode, so '*?' matches exactly what '?*' matches; but
// a '*' followed by n '?' is retried at every position of the value, n
// steps each time, where '?'s before the '*' are matched once. So "*"
// followed by 8,000 '?' costs one pass over a long value, not 8,000.
func appendOne(ps []piece) []piece {
	j := len(ps)
	for j > 0 && ps[j-1].kind == pStar {
		j--
	}
	ps = append(ps, piece{kind: pOne})
	if j < len(ps)-1 {
		copy(ps[j+1:], ps[j:len(ps)-1])
		ps[j] = piece{kind: pOne}
	}
	return ps
}

// appendValue appends a variable's value as literal pieces. Its colons
// still separate segments in ResourceMode, and parts in ARNMode (up to the
// fifth colon, counted in *colons), as the pattern's own colons do.
func appendValue(ps []piece, v string, mode Mode, colons *int) []piece {
	for mode == ResourceMode || mode == ARNMode && *colons < 5 {
		i := strings.IndexByte(v, ':')
		if i < 0 {
			break
		}
		if i > 0 {
			ps = append(ps, piece{kind: pLit, text: v[:i]})
		}
		ps = append(ps, piece{kind: pColon})
		*colons++
		v = v[i+1:]
	}
	if v != "" {
		ps = append(ps, piece{kind: pLit, text: v})
	}
	return ps
}

func resolve(t token, vars Resolver) (string, bool) {
	if t.key == "" { // ${*} ${?} ${$}
		return t.def, true
	}
	if vars != nil {
		if v, ok := vars.Lookup(t.key); ok {
			return v, true
		}
	}
	return t.def, t.hasDefault
}

// Match reports whether s matches the pattern, resolving variables through
// vars. A variable that is unresolved and has no default makes the pattern
// match nothing.
func (p Pattern) Match(s string, vars Resolver) bool {
	switch {
	case !p.ok || p.none:
		return false
	case p.any:
		return true
	}
	if p.toks == nil {
		switch p.shape {
		case shapeExact:
			return s == p.src
		case shapePrefix:
			return strings.HasPrefix(s, p.src[:len(p.src)-1])
		}
		return matchPieces(p.ps, p.mode, s)
	}
	if p.mode == LiteralMode {
		e, ok := p.Expand(vars)
		return ok && e == s
	}
	// Substitute into a buffer on the stack: a match with variables
	// compiles nothing and, for patterns of up to 32 pieces, allocates
	// nothing.
	var buf [32]piece
	ps := buf[:0]
	colons := 0 // ARNMode: the part separators so far
	for i := range p.toks {
		t := &p.toks[i]
		if !t.isVar {
			if p.mode == ARNMode {
				ps = appendText(ps, t.text, ARNMode, &colons, false)
			} else {
				ps = append(ps, t.ps...)
			}
			continue
		}
		v, ok := resolve(*t, vars)
		if !ok {
			return false
		}
		ps = appendValue(ps, v, p.mode, &colons)
	}
	if p.mode == ARNMode && colons < 5 {
		return false
	}
	return matchPieces(ps, p.mode, s)
}

func matchPieces(ps []piece, mode Mode, s string) bool {
	switch mode {
	case ResourceMode:
		return matchResource(ps, s)
	case ARNMode:
		return matchARN(ps, s)
	}
	return globMatch(ps, s, false)
}

// globMatch reports whether t matches ps, made of pLit, pOne and pStar
// (pCross counts as pStar), in full or, with prefix, in a prefix of t.
// Only the last '*' passed is ever retried, which is correct when each
// '*' may absorb any text of t, and bounds the time by len(ps)*len(t).
func globMatch(ps []piece, t string, prefix bool) bool {
	pi, ti := 0, 0
	star, starT := -1, 0
	for {
		if pi < len(ps) {
			switch p := &ps[pi]; p.kind {
			case pStar, pCross:
				star, starT = pi, ti
				pi++
				continue
			case pOne:
				if ti < len(t) {
					ti += runeLen(t, ti)
					pi++
					continue
				}
			case pLit:
				if strings.HasPrefix(t[ti:], p.text) {
					ti += len(p.text)
					pi++
					continue
				}
			}
		} else if prefix || ti == len(t) {
			return true
		}
		// Let the last '*' absorb one more character and retry after it.
		if star < 0 || starT >= len(t) {
			return false
		}
		starT += runeLen(t, starT)
		if star+1 < len(ps) && ps[star+1].kind == pLit {
			// Skip to where the literal after the '*' occurs next.
			k := strings.Index(t[starT:], ps[star+1].text)
			if k < 0 {
				return false
			}
			starT += k
		}
		pi, ti = star+1, starT
	}
}

// runeLen returns the length of the character at t[i] (1 for a byte that
// is not valid UTF-8).
func runeLen(t string, i int) int {
	if t[i] < utf8.RuneSelf {
		return 1
	}
	_, w := utf8.DecodeRuneInString(t[i:])
	return w
}

// nextSeg returns the pieces of the pattern segment that starts at ps[i]
// (without its final pCross), the index just after its ':' (more is false
// when it is the last segment), and whether it ends with a '*' that crosses
// colons.
func nextSeg(ps []piece, i int) (seg []piece, next int, more, cross bool) {
	j := i
	for j < len(ps) && ps[j].kind != pColon {
		j++
	}
	seg = ps[i:j]
	if n := len(seg); n > 0 && seg[n-1].kind == pCross {
		seg, cross = seg[:n-1], true
	}
	if j < len(ps) {
		return seg, j + 1, true, cross
	}
	return seg, j, false, cross
}

// textSeg returns the text segment of s that starts at pos, the position
// after the ':' that ends it, and whether such a ':' exists.
func textSeg(s string, pos int) (seg string, next int, more bool) {
	if k := strings.IndexByte(s[pos:], ':'); k >= 0 {
		return s[pos : pos+k], pos + k + 1, true
	}
	return s[pos:], len(s), false
}

// matchResource matches s against a Resource pattern (docs/semantics.md §5.2). The
// pattern is a run of colon-separated segments; '*' and '?' inside a
// segment never match ':', so each segment matches one segment of s,
// except that a segment ending in a crossing '*' may absorb the rest of
// its segment of s and any number of segments after it. The pattern is cut
// into chunks at those '*'s: the first chunk is anchored at the start of s;
// each later chunk is matched at the earliest ':' of s where it can be,
// which is never worse, since the crossing '*' that follows it could absorb
// anything a later placement would leave; the last chunk, if no crossing
// '*' follows it, must match the last segments of s. Time is bounded by the
// number of colons in s times the length of the pattern, times the glob
// matching of one segment.
func matchResource(ps []piece, s string) bool {
	crosses := 0
	for i := range ps {
		if ps[i].kind == pCross {
			crosses++
		}
	}
	if crosses == 0 {
		return matchAligned(ps, s)
	}
	// The first chunk, anchored at the start of s.
	i, pos, ok, done := matchChunk(ps, 0, s, 0)
	if !ok || done {
		return ok
	}
	crosses--
	// Floating chunks: ps[i-1] is the chunk's leading ':', to be matched by
	// a ':' of s at pos or later.
	for crosses > 0 {
		found := false
		for c := pos; c < len(s); c++ {
			k := strings.IndexByte(s[c:], ':')
			if k < 0 {
				return false
			}
			c += k
			next, end, ok, done := matchChunk(ps, i, s, c+1)
			if !ok {
				continue
			}
			if done {
				return true
			}
			i, pos, found = next, end, true
			break
		}
		if !found {
			return false
		}
		crosses--
	}
	// The last chunk: its segments must be the last segments of s.
	r := 1
	for j := i; j < len(ps); j++ {
		if ps[j].kind == pColon {
			r++
		}
	}
	c := len(s)
	for ; r > 0; r-- {
		c = strings.LastIndexByte(s[:c], ':')
		if c < pos {
			return false
		}
	}
	return matchAligned(ps[i:], s[c+1:])
}

// matchChunk matches the segments from ps[i] against s from pos, up to and
// including the first segment that ends in a crossing '*'. It returns the
// index of the next chunk's first segment, the position of the ':' of s
// from which that chunk may start, whether the chunk matched, and whether
// the pattern ends with this chunk (so that s matches).
func matchChunk(ps []piece, i int, s string, pos int) (next, end int, ok, done bool) {
	for {
		seg, n, more, cross := nextSeg(ps, i)
		t, tnext, tmore := textSeg(s, pos)
		if cross {
			if !globMatch(seg, t, true) {
				return 0, 0, false, false
			}
			if !more {
				return 0, 0, true, true
			}
			if !tmore {
				return n, len(s), true, false
			}
			return n, tnext - 1, true, false
		}
		if !more || !tmore || !globMatch(seg, t, false) {
			// A chunk that is not last always has a crossing segment, so
			// running out of pattern cannot happen here.
			return 0, 0, false, false
		}
		i, pos = n, tnext
	}
}

// matchAligned matches segments without crossing '*'s one for one against
// the segments of s.
func matchAligned(ps []piece, s string) bool {
	i, pos := 0, 0
	for {
		seg, next, more, _ := nextSeg(ps, i)
		t, tnext, tmore := textSeg(s, pos)
		if !globMatch(seg, t, false) {
			return false
		}
		if !more || !tmore {
			return !more && !tmore
		}
		i, pos = next, tnext
	}
}

// matchARN matches s against an ARNMode pattern: the six parts of each,
// cut at the first five colons, part by part.
func matchARN(ps []piece, s string) bool {
	i, pos := 0, 0
	for part := 0; part < 6; part++ {
		j := i
		for j < len(ps) && ps[j].kind != pColon {
			j++
		}
		var t string
		if part < 5 {
			k := strings.IndexByte(s[pos:], ':')
			if k < 0 || j == len(ps) {
				return false
			}
			t, pos = s[pos:pos+k], pos+k+1
		} else {
			t = s[pos:]
		}
		if !globMatch(ps[i:j], t, false) {
			return false
		}
		i = j + 1
	}
	return true
}

// Expand returns the pattern text with its variables replaced by their
// values (and ${*}, ${?}, ${$} by '*', '?', '$'). ok is false when a
// variable without a default is unresolved. Wildcards in the pattern's own
// text are kept as written.
func (p Pattern) Expand(vars Resolver) (string, bool) {
	if p.toks == nil {
		return p.src, p.ok
	}
	var b strings.Builder
	for _, t := range p.toks {
		if !t.isVar {
			b.WriteString(t.text)
			continue
		}
		v, ok := resolve(t, vars)
		if !ok {
			return "", false
		}
		b.WriteString(v)
	}
	return b.String(), true
}

// String returns the pattern's source text.
func (p Pattern) String() string { return p.src }

// Mode returns the pattern's matching mode.
func (p Pattern) Mode() Mode { return p.mode }

// HasVariables reports whether the pattern holds policy variables
// (including ${*}, ${?} and ${$}).
func (p Pattern) HasVariables() bool { return p.toks != nil }

// Variables returns the condition keys the pattern's variables name, in
// order of appearance.
func (p Pattern) Variables() []string { return append([]string(nil), p.vars...) }

// MatchWildcard reports whether s matches a pattern whose only special
// characters are * (any run of bytes, possibly empty) and ? (one byte), as
// IAM action names are matched. It compares bytes exactly: IAM action names
// are case-insensitive, so lower-case both sides first. Unlike a compiled
// GlobMode pattern, whose '?' is one character, its '?' is one byte: action
// names are ASCII. It needs no compiling and no allocation,
// and its time is at worst proportional to len(pattern)*len(s): it only
// ever returns to the last * it passed, never recurses.
func MatchWildcard(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
