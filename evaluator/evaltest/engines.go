package evaltest

import (
	"fmt"
	"strings"
	"sync"

	"github.com/iamsim/iamsim/evaluator"
)

// maxEngines is how many compiled policy sets a case file keeps: cases
// sharing a set (through the file's defaults or YAML anchors) share its
// engine, and a file whose cases use many sets holds only the few most
// recently used, so memory does not grow with the number of cases.
const maxEngines = 4

// engineCache compiles the policy sets of one case file's cases, each
// distinct set once while it is in use. It is safe for concurrent use: a
// goroutine asking for a set another is compiling waits for that engine.
type engineCache struct {
	mu      sync.Mutex
	entries []*engineEntry // most recently used first
}

type engineEntry struct {
	key   string
	set   evaluator.PolicySet // holds the policies the key names by address
	ready chan struct{}       // closed once eng and err are set
	eng   *evaluator.Engine
	err   error
}

// engine returns the compiled set, compiling it unless an entry holds it.
func (ec *engineCache) engine(set evaluator.PolicySet) (*evaluator.Engine, error) {
	key := setKey(&set)
	ec.mu.Lock()
	for i, e := range ec.entries {
		if e.key == key {
			copy(ec.entries[1:i+1], ec.entries[:i])
			ec.entries[0] = e
			ec.mu.Unlock()
			<-e.ready
			return e.eng, e.err
		}
	}
	e := &engineEntry{key: key, set: set, ready: make(chan struct{})}
	ec.entries = append([]*engineEntry{e}, ec.entries...)
	if len(ec.entries) > maxEngines {
		ec.entries[maxEngines] = nil
		ec.entries = ec.entries[:maxEngines]
	}
	ec.mu.Unlock()
	// Close ready even if Compile panics, so that no goroutine waiting for
	// this set blocks forever.
	defer close(e.ready)
	e.eng, e.err = evaluator.Compile(set)
	return e.eng, e.err
}

// setKey identifies a policy set by what Compile reads: each input's id,
// flags and the identity (address) of its parsed policy and text, the
// layers they sit in, the management account and the org accounts. The
// loader gives cases that share a policy the same *policy.Policy, so
// their sets have the same key; the entry keeps the set, so an address in
// a live key is never reused for another policy.
func setKey(set *evaluator.PolicySet) string {
	var b strings.Builder
	in := func(in *evaluator.Input) {
		if in == nil {
			b.WriteString("-;")
			return
		}
		var text *byte
		if len(in.Text) > 0 {
			text = &in.Text[0]
		}
		fmt.Fprintf(&b, "%q %p %p/%d %t %t;", in.ID, in.Policy, text, len(in.Text), in.Managed, in.AWSManaged)
	}
	list := func(tag string, ins []evaluator.Input) {
		b.WriteString(tag)
		for i := range ins {
			in(&ins[i])
		}
	}
	list("I", set.Identity)
	b.WriteString("B")
	in(set.PermissionsBoundary)
	list("S", set.Session)
	b.WriteString("R")
	in(set.Resource)
	for _, lv := range set.SCPs {
		list("C", lv)
	}
	for _, lv := range set.RCPs {
		list("K", lv)
	}
	fmt.Fprintf(&b, "M%q O%q", set.ManagementAccount, set.OrgAccounts)
	return b.String()
}
