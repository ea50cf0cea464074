package catalog

import "testing"

func BenchmarkLookup(b *testing.B) {
	get()
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := Lookup("s3:GetObject"); !ok {
			b.Fatal("not found")
		}
	}
}

func BenchmarkExpandPrefix(b *testing.B) {
	get()
	b.ReportAllocs()
	for b.Loop() {
		if len(Expand("s3:Get*")) == 0 {
			b.Fatal("empty")
		}
	}
}

func BenchmarkCatalogParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parse(catalogData); err != nil {
			b.Fatal(err)
		}
	}
}
