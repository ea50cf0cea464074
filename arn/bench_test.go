package arn

import "testing"

func BenchmarkMatch(b *testing.B) {
	cases := []struct {
		name, pattern, value string
		vars                 Resolver
	}{
		{"exact", "arn:aws:s3:::example-bucket/report.csv", "arn:aws:s3:::example-bucket/report.csv", nil},
		{"trailing-wildcard", "arn:aws:s3:::example-bucket/*", "arn:aws:s3:::example-bucket/reports/2026/11/report.csv", nil},
		{"middle-wildcards", "arn:aws:s3:::example-bucket/*/test/*", "arn:aws:s3:::example-bucket/1/2/test/3/object.jpg", nil},
		{"variable", "arn:aws:s3:::example-bucket/home/${aws:username}/*", "arn:aws:s3:::example-bucket/home/alice/notes.txt", vars{"aws:username": "alice"}},
	}
	for _, c := range cases {
		p := MustCompilePattern(c.pattern)
		if !p.Match(c.value, c.vars) {
			b.Fatalf("%s: want a match", c.name)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p.Match(c.value, c.vars)
			}
		})
	}
}
