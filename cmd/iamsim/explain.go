package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/policy"
)

const explainUsage = `usage: iamsim explain --principal ARN --action SERVICE:ACTION [--resource ARN]
       [eval's other flags]

Evaluates one request like "iamsim eval" and explains the decision for a
terminal: the decision and the layer that made it, each deciding statement
shown in its policy file with a caret under its start and its other lines
(at most 30) after, the condition keys the
request lacked, and the full trace. An action that is not in the action
catalog is warned about on standard error, as eval does.
Exit status: 0 allowed, 3 denied, 1 invalid policies, 2 bad usage.
`

// writeExplanation renders a traced result for a person.
func writeExplanation(w io.Writer, req evaluator.Request, r evaluator.Result) {
	fmt.Fprintf(w, "%s %s on %s: %s", req.Principal, req.Action, req.Resource, r.Decision)
	if r.DecidedBy != evaluator.LayerNone {
		fmt.Fprintf(w, " (decided by the %s layer)", r.DecidedBy)
	}
	fmt.Fprintln(w)
	switch {
	case len(r.Matched) == 0 && r.Decision != evaluator.Allowed:
		fmt.Fprintln(w, "\nno statement allows the request where it had to be allowed")
	case len(r.Matched) > 0:
		verb := "allowed by"
		if r.Decision == evaluator.ExplicitDeny {
			verb = "denied by"
		}
		fmt.Fprintf(w, "\n%s:\n", verb)
	}
	sources := map[string][]string{}
	for _, m := range r.Matched {
		fmt.Fprintf(w, "\n  %s (%s policy)\n", m, m.Kind)
		pos := m.Span.Start
		if pos.Source == "" || !pos.IsValid() {
			continue
		}
		lines, ok := sources[pos.Source]
		if !ok {
			if src, err := policy.ReadFile(pos.Source); err == nil {
				lines = strings.Split(string(src), "\n")
			}
			sources[pos.Source] = lines
		}
		if pos.Line > len(lines) {
			continue
		}
		line := strings.TrimRight(lines[pos.Line-1], "\r")
		fmt.Fprintf(w, "  %5d | %s\n", pos.Line, line)
		fmt.Fprintf(w, "        | %s^\n", caretPad(line, pos.Column))
		// The statement's other lines, when it spans several.
		last := min(statementLastLine(m.Span), len(lines))
		if last-pos.Line > maxStatementLines {
			last = pos.Line + maxStatementLines
		}
		for n := pos.Line + 1; n <= last; n++ {
			fmt.Fprintf(w, "  %5d | %s\n", n, strings.TrimRight(lines[n-1], "\r"))
		}
		if end := min(statementLastLine(m.Span), len(lines)); end > last {
			fmt.Fprintf(w, "        | ... %d more %s\n", end-last, plural(end-last, "line", "lines"))
		}
	}
	if len(r.MissingContext) > 0 {
		fmt.Fprintf(w, "\nconditions consulted keys the request did not give: %s\n", strings.Join(r.MissingContext, ", "))
	}
	if r.Trace != nil {
		fmt.Fprintln(w, "\ntrace:")
		_ = r.Trace.Format(&indentWriter{w: w})
	}
}

// maxStatementLines is how many lines after its first explain shows of a
// statement.
const maxStatementLines = 30

// statementLastLine is the last line a statement's span covers (its End is
// exclusive: a span ending at the start of a line ends on the line before).
func statementLastLine(sp policy.Span) int {
	end := sp.End
	if !end.IsValid() || end.Line < sp.Start.Line {
		return sp.Start.Line
	}
	if end.Column <= 1 && end.Line > sp.Start.Line {
		return end.Line - 1
	}
	return end.Line
}

// caretPad returns the whitespace that puts a caret under column col of
// line, keeping its tabs. col counts bytes (policy.Position), so a character
// of several bytes before the caret takes one column of padding.
func caretPad(line string, col int) string {
	var b strings.Builder
	i := 0
	for i < col-1 && i < len(line) {
		r, w := utf8.DecodeRuneInString(line[i:])
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		i += w
	}
	for ; i < col-1; i++ {
		b.WriteByte(' ')
	}
	return b.String()
}
