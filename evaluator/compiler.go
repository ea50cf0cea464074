package evaluator

import (
	"sync"

	"github.com/iamsim/iamsim/policy"
)

// Compiler compiles policy sets as Compile does, compiling each policy
// once: engines it makes share the compiled form of every policy they have
// in common (the same *policy.Policy, id, layer and provenance), so that
// many principals attaching the same managed policies cost that policy's
// compilation once. Engines from a Compiler decide exactly as engines from
// Compile with the same options.
//
// A Compiler is safe for concurrent use. Its cache holds every policy it
// has compiled for as long as the Compiler lives; the policies must not be
// modified after they are first compiled.
type Compiler struct {
	cfg   compileConfig
	cache sync.Map // compileKey → *compileEntry
}

type compileKey struct {
	pol        *policy.Policy
	kind       policy.Kind
	id         string
	aws        bool
	managed    bool
	text       *byte // the first byte of Input.Text, if any
	textLength int
}

type compileEntry struct {
	once sync.Once
	cp   *compiledPolicy
	err  error
}

// NewCompiler returns a Compiler that compiles with opts, as Compile does.
func NewCompiler(opts ...Option) *Compiler {
	c := &Compiler{}
	for _, o := range opts {
		o(&c.cfg)
	}
	return c
}

// Compile is Compile(set, opts...) with the Compiler's options, taking the
// policies it has compiled before from its cache.
func (c *Compiler) Compile(set PolicySet) (*Engine, error) {
	return compileSet(set, &c.cfg, c)
}

// policy returns in compiled as a policy of kind, from the cache or
// compiled now (once, even when goroutines ask for it together).
func (c *Compiler) policy(in Input, kind policy.Kind) (*compiledPolicy, error) {
	aws, vopts := in.validateOptions(c.cfg.validate)
	k := compileKey{pol: in.Policy, kind: kind, id: in.ID, aws: aws, managed: in.Managed, textLength: len(in.Text)}
	if len(in.Text) > 0 {
		k.text = &in.Text[0]
	}
	v, ok := c.cache.Load(k)
	if !ok {
		v, _ = c.cache.LoadOrStore(k, &compileEntry{})
	}
	ent := v.(*compileEntry)
	ent.once.Do(func() { ent.cp, ent.err = compilePolicy(in, kind, aws, vopts) })
	return ent.cp, ent.err
}
