package policy

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that Parse never panics, that every error is coded and
// positioned, and that an accepted policy survives a MarshalJSON round trip
// and Validate for every kind, and that AWS managed provenance only ever
// accepts more: what a customer may write, AWS may ship.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/*.json")
	for _, file := range files {
		if src, err := os.ReadFile(file); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte(`{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`))
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := Parse(src, WithMaxSize(1<<16))
		pm, errm := Parse(src, WithMaxSize(1<<16), ParseAs(AWSManaged))
		if err == nil && errm != nil {
			t.Fatalf("accepted from a customer, refused as AWS managed: %v", errm)
		}
		if errm == nil {
			for _, k := range Kinds() {
				_ = Validate(pm, k, ValidateAs(AWSManaged))
			}
		}
		if err != nil {
			es := AsErrors(err)
			if len(es) == 0 {
				t.Fatalf("error without problems: %v", err)
			}
			for _, e := range es {
				if e.Code == "" || !e.Pos.IsValid() {
					t.Fatalf("problem without code or position: %#v", e)
				}
			}
			return
		}
		out, err := p.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		q, err := Parse(out)
		if err != nil {
			t.Fatalf("re-parse of %s: %v", out, err)
		}
		out2, _ := q.MarshalJSON()
		if string(out) != string(out2) {
			t.Fatalf("round trip changed:\n%s\n%s", out, out2)
		}
		for _, k := range Kinds() {
			if Validate(p, k) == nil && Validate(p, k, ValidateAs(AWSManaged)) != nil {
				t.Fatalf("%s policy valid from a customer, refused as AWS managed: %s", k, src)
			}
		}
	})
}
