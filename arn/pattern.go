package arn

import (
	"fmt"
	"strings"
	"sync"

	"github.com/gobwas/glob"
	"github.com/gobwas/glob/syntax"
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
	// ResourceMode matches Resource and NotResource elements (SPEC 5.2):
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
	// nothing.
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
	mode   Mode
	noVars bool
}

// WithMode selects the matching rules (default ResourceMode).
func WithMode(m Mode) Option { return func(c *config) { c.mode = m } }

// WithoutVariables makes "${...}" ordinary text, as in policies whose Version
// is not 2012-10-17.
func WithoutVariables() Option { return func(c *config) { c.noVars = true } }

// Pattern is a compiled ARN, glob or literal pattern, possibly holding policy
// variables. It is immutable and safe for concurrent use. The zero Pattern
// matches nothing.
type Pattern struct {
	src  string
	mode Mode
	ok   bool // compiled (the zero Pattern is not)
	any  bool // matches every string
	none bool // matches no string (ARNMode pattern with fewer than six parts)
	// Without variables: the compiled matcher (one, or one per ARN part).
	g     *glob.Pattern
	parts []*glob.Pattern
	// With variables: the pattern as tokens, compiled per distinct
	// substitution and kept in cache.
	toks  []token
	vars  []string
	cache *globCache
}

// globCache holds the matchers a pattern with variables compiled for the
// substitutions it has seen, up to maxGlobCache of them.
type globCache struct {
	mu sync.RWMutex
	m  map[string]*glob.Pattern
}

const maxGlobCache = 256

// token is a piece of a pattern with variables: text in the pattern's own
// syntax, or a variable whose value is literal text.
type token struct {
	text       string // literal pattern text (wildcards keep their meaning in glob modes)
	isVar      bool
	key        string
	def        string
	hasDefault bool
	// starCrosses marks, for ResourceMode, each '*' of text that ends a
	// segment (followed by ':' or the end of the pattern).
	starCrosses []bool
	// glob is text in gobwas/glob syntax, made once at compile time.
	glob string
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
		if err := checkResourcePattern(s); err != nil {
			return Pattern{}, err
		}
	}
	toks, err := tokenize(s, cfg)
	if err != nil {
		return Pattern{}, err
	}
	for _, t := range toks {
		if t.isVar && t.key != "" {
			p.vars = append(p.vars, t.key)
		}
	}
	hasVar := false
	for _, t := range toks {
		hasVar = hasVar || t.isVar
	}
	if checkOnly {
		return p, nil
	}
	if hasVar {
		p.toks = toks
		if cfg.mode == ARNMode && countLiteralColons(toks) < 5 {
			p.none = true
		}
		if cfg.mode == ResourceMode || cfg.mode == GlobMode {
			for i := range p.toks {
				if !p.toks[i].isVar {
					p.toks[i].glob = globText(p.toks[i].text, cfg.mode, p.toks[i].starCrosses)
				}
			}
			p.cache = &globCache{m: map[string]*glob.Pattern{}}
		}
		return p, nil
	}
	switch cfg.mode {
	case LiteralMode:
		// compare s itself
	case ARNMode:
		segs := strings.SplitN(s, ":", 6)
		if len(segs) < 6 {
			p.none = true
			return p, nil
		}
		p.parts = make([]*glob.Pattern, 6)
		for i, seg := range segs {
			g, err := glob.Compile(globText(seg, GlobMode, nil))
			if err != nil {
				return Pattern{}, &Error{Input: s, Message: err.Error()}
			}
			p.parts[i] = g
		}
	default:
		g, err := compileGlob(toks, cfg.mode, nil)
		if err != nil {
			return Pattern{}, &Error{Input: s, Message: err.Error()}
		}
		p.g = g
	}
	return p, nil
}

// checkResourcePattern checks the shape of a Resource pattern: "arn:" and
// five colons, unless a final '*' stands for the rest (as in
// "arn:aws:ec2:us-east-1:*"), and no wildcard in the service part.
func checkResourcePattern(s string) error {
	if !strings.HasPrefix(s, "arn:") {
		return &Error{Input: s, Offset: 0, Message: `does not start with "arn:"`}
	}
	parts := strings.SplitN(s, ":", 6)
	if len(parts) < 6 && !strings.HasSuffix(s, "*") {
		return &Error{Input: s, Offset: len(s), Message: fmt.Sprintf("has %d of the 5 colons an ARN needs", len(parts)-1)}
	}
	if len(parts) > 2 {
		if i := strings.IndexAny(parts[2], "*?"); i >= 0 {
			return &Error{Input: s, Offset: len(parts[0]) + len(parts[1]) + 2 + i, Message: "wildcards are not allowed in the service part of an ARN"}
		}
	}
	return nil
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
	lit := strings.Builder{}
	flush := func() {
		if lit.Len() > 0 {
			toks = append(toks, token{text: lit.String()})
			lit.Reset()
		}
	}
	colons := 0
	for i := 0; i < len(s); {
		if cfg.noVars || !strings.HasPrefix(s[i:], "${") {
			if s[i] == ':' {
				colons++
			}
			lit.WriteByte(s[i])
			i++
			continue
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return nil, &Error{Input: s, Offset: i, Message: `policy variable "${" is not closed by "}"`}
		}
		body := s[i+2 : i+end]
		if cfg.mode == ResourceMode && colons < 5 {
			return nil, &Error{Input: s, Offset: i, Message: "policy variables may appear only in the resource part of an ARN, after the fifth colon"}
		}
		flush()
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
	}
	flush()
	if cfg.mode == ResourceMode {
		markCrossingStars(toks)
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

// markCrossingStars records which '*' in the literal tokens end a segment:
// those followed, in the pattern text, by ':' or by the end.
func markCrossingStars(toks []token) {
	for ti := range toks {
		t := &toks[ti]
		if t.isVar {
			continue
		}
		t.starCrosses = make([]bool, len(t.text))
		for i := 0; i < len(t.text); i++ {
			if t.text[i] != '*' {
				continue
			}
			switch {
			case i+1 < len(t.text):
				t.starCrosses[i] = t.text[i+1] == ':'
			case ti+1 == len(toks):
				t.starCrosses[i] = true
			default:
				t.starCrosses[i] = false // a variable follows
			}
		}
	}
}

func countLiteralColons(toks []token) int {
	n := 0
	for _, t := range toks {
		if !t.isVar {
			n += strings.Count(t.text, ":")
		}
	}
	return n
}

// globText translates literal pattern text to gobwas/glob syntax for mode:
// '*' and '?' keep their meaning (in ResourceMode a segment-ending '*'
// becomes the separator-crossing "**"), everything else is quoted.
func globText(text string, mode Mode, crosses []bool) string {
	var b strings.Builder
	b.Grow(len(text) + 8)
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '*' && mode == ResourceMode && crosses != nil && crosses[i]:
			b.WriteString("**")
		case c == '*' || c == '?':
			b.WriteByte(c)
		case syntax.IsSpecial(c):
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func compileGlob(toks []token, mode Mode, vars Resolver) (*glob.Pattern, error) {
	var b strings.Builder
	for _, t := range toks {
		if t.isVar {
			v, ok := resolve(t, vars)
			if !ok {
				return nil, errUnresolved
			}
			b.WriteString(glob.QuoteMeta(v))
			continue
		}
		b.WriteString(globText(t.text, mode, t.starCrosses))
	}
	if mode == ResourceMode {
		return glob.Compile(b.String(), ':')
	}
	return glob.Compile(b.String())
}

var errUnresolved = fmt.Errorf("unresolved policy variable")

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
		switch p.mode {
		case LiteralMode:
			return s == p.src
		case ARNMode:
			segs := strings.SplitN(s, ":", 6)
			if len(segs) < 6 {
				return false
			}
			for i, g := range p.parts {
				if !g.Match(segs[i]) {
					return false
				}
			}
			return true
		}
		return p.g.Match(s)
	}
	switch p.mode {
	case LiteralMode:
		e, ok := p.Expand(vars)
		return ok && e == s
	case ARNMode:
		return p.matchARNWithVars(s, vars)
	}
	if p.cache == nil {
		g, err := compileGlob(p.toks, p.mode, vars)
		return err == nil && g.Match(s)
	}
	// Substitute into a stack buffer and look the result up: a
	// substitution seen before costs no compile and no allocation.
	var buf [256]byte
	src := buf[:0]
	for _, t := range p.toks {
		if !t.isVar {
			src = append(src, t.glob...)
			continue
		}
		v, ok := resolve(t, vars)
		if !ok {
			return false
		}
		for i := 0; i < len(v); i++ {
			if syntax.IsSpecial(v[i]) {
				src = append(src, '\\')
			}
			src = append(src, v[i])
		}
	}
	p.cache.mu.RLock()
	g := p.cache.m[string(src)]
	p.cache.mu.RUnlock()
	if g == nil {
		var err error
		if p.mode == ResourceMode {
			g, err = glob.Compile(string(src), ':')
		} else {
			g, err = glob.Compile(string(src))
		}
		if err != nil {
			return false
		}
		p.cache.mu.Lock()
		if len(p.cache.m) < maxGlobCache {
			p.cache.m[string(src)] = g
		}
		p.cache.mu.Unlock()
	}
	return g.Match(s)
}

// matchARNWithVars cuts the pattern into parts at its literal colons (a
// substituted value never adds a part) and matches each part.
func (p Pattern) matchARNWithVars(s string, vars Resolver) bool {
	segs := strings.SplitN(s, ":", 6)
	if len(segs) < 6 {
		return false
	}
	var parts [6]strings.Builder
	n := 0
	for _, t := range p.toks {
		if t.isVar {
			v, ok := resolve(t, vars)
			if !ok {
				return false
			}
			parts[n].WriteString(glob.QuoteMeta(v))
			continue
		}
		for i := 0; i < len(t.text); i++ {
			c := t.text[i]
			if c == ':' && n < 5 {
				n++
				continue
			}
			parts[n].WriteString(globText(string(c), GlobMode, nil))
		}
	}
	if n < 5 {
		return false
	}
	for i := range parts {
		g, err := glob.Compile(parts[i].String())
		if err != nil || !g.Match(segs[i]) {
			return false
		}
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
// IAM action names are matched. It needs no compiling and no allocation,
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
