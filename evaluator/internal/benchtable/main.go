// Command benchtable turns "go test -bench -benchmem" output into the
// README's performance table: one row per benchmark, the median of its
// runs (use -count 3 or more), with the machine's cores in the heading.
//
//	go test -run '^$' -bench . -benchmem -count 3 ./evaluator/ ./arn/ ./policy/catalog/ | go run ./evaluator/internal/benchtable
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
)

// line matches "BenchmarkName-N  iterations  123 ns/op  45 B/op  6 allocs/op";
// metrics a benchmark reports itself (b.ReportMetric: "36.00 evals/op") may
// stand between ns/op and B/op.
var line = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op(?:\s+[\d.]+ [^\s]+?)*?(?:\s+([\d.]+) B/op\s+([\d.]+) allocs/op)?$`)

type runs struct{ ns, bytes, allocs []float64 }

func main() {
	byName := map[string]*runs{}
	var order []string
	cpu := ""
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		t := sc.Text()
		if c, ok := strings.CutPrefix(t, "cpu: "); ok {
			cpu = c
		}
		m := line.FindStringSubmatch(t)
		if m == nil {
			continue
		}
		r := byName[m[1]]
		if r == nil {
			r = &runs{}
			byName[m[1]] = r
			order = append(order, m[1])
		}
		r.ns = append(r.ns, num(m[2]))
		if m[3] != "" {
			r.bytes = append(r.bytes, num(m[3]))
			r.allocs = append(r.allocs, num(m[4]))
		}
	}
	if len(order) == 0 {
		fmt.Fprintln(os.Stderr, "benchtable: no benchmark lines on standard input")
		os.Exit(1)
	}
	fmt.Printf("Median of %d runs on %d cores (%s), Go %s.\n\n", len(byName[order[0]].ns), runtime.NumCPU(), cpu, strings.TrimPrefix(runtime.Version(), "go"))
	fmt.Println("| benchmark | ns/op | B/op | allocs/op |")
	fmt.Println("|---|---:|---:|---:|")
	for _, name := range order {
		r := byName[name]
		fmt.Printf("| %s | %s | %s | %s |\n", strings.TrimPrefix(name, "Benchmark"), group(median(r.ns)), group(median(r.bytes)), group(median(r.allocs)))
	}
}

func num(s string) float64 {
	v, _ := strconv.ParseFloat(s, 64)
	return v
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return -1
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

// group writes a number with thousands separators, keeping one decimal
// below 100.
func group(v float64) string {
	if v < 0 {
		return "—"
	}
	if v < 100 && v != float64(int64(v)) {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	s := strconv.FormatInt(int64(v+0.5), 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
