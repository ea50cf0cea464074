package evaluator

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// EvaluateBatch evaluates many requests on all cores (GOMAXPROCS workers)
// and returns their results in input order: results[i] is what
// Evaluate(reqs[i], opts...) returns.
func (e *Engine) EvaluateBatch(reqs []Request, opts ...EvalOption) []Result {
	results := make([]Result, len(reqs))
	workers := min(runtime.GOMAXPROCS(0), len(reqs))
	if workers <= 1 {
		for i := range reqs {
			results[i] = e.Evaluate(reqs[i], opts...)
		}
		return results
	}
	// Workers take chunks of indexes from a shared counter: cheap to hand
	// out, and a slow request does not hold up a whole share.
	const chunk = 64
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				start := int(next.Add(chunk)) - chunk
				if start >= len(reqs) {
					return
				}
				for i := start; i < min(start+chunk, len(reqs)); i++ {
					results[i] = e.Evaluate(reqs[i], opts...)
				}
			}
		}()
	}
	wg.Wait()
	return results
}

// Grid returns the requests of a what-if grid: every principal × action ×
// resource, in that nesting order (principals outermost), each with ctx.
func Grid(principals, actions, resources []string, ctx Context) []Request {
	out := make([]Request, 0, len(principals)*len(actions)*len(resources))
	for _, p := range principals {
		for _, a := range actions {
			for _, r := range resources {
				out = append(out, Request{Principal: p, Action: a, Resource: r, Context: ctx})
			}
		}
	}
	return out
}
