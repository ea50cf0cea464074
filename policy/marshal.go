package policy

import (
	"bytes"
	"encoding/json"
)

// MarshalJSON writes the policy as compact JSON: Version, Id and Statement
// in that order; each statement's elements in the order of the IAM grammar;
// a one-value list as a bare string (as IAM itself accepts it); conditions
// grouped by operator in order of first appearance. Parsing the output gives
// back an equal Policy, positions aside.
func (p *Policy) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	field := func(name string) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		writeString(&b, name)
		b.WriteByte(':')
	}
	if p.Version != "" {
		field("Version")
		writeString(&b, p.Version)
	}
	if p.ID != "" {
		field("Id")
		writeString(&b, p.ID)
	}
	field("Statement")
	b.WriteByte('[')
	for i := range p.Statements {
		if i > 0 {
			b.WriteByte(',')
		}
		p.Statements[i].write(&b)
	}
	b.WriteString("]}")
	return b.Bytes(), nil
}

func (st *Statement) write(b *bytes.Buffer) {
	b.WriteByte('{')
	first := true
	field := func(name string) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		writeString(b, name)
		b.WriteByte(':')
	}
	if st.Sid != "" {
		field("Sid")
		writeString(b, st.Sid)
	}
	field("Effect")
	writeString(b, st.Effect.String())
	if st.Principal != nil {
		field("Principal")
		st.Principal.write(b)
	}
	if st.NotPrincipal != nil {
		field("NotPrincipal")
		st.NotPrincipal.write(b)
	}
	lists := []struct {
		name string
		vals []string
	}{{"Action", st.Action}, {"NotAction", st.NotAction}, {"Resource", st.Resource}, {"NotResource", st.NotResource}}
	for _, l := range lists {
		if l.vals != nil {
			field(l.name)
			writeList(b, l.vals)
		}
	}
	if len(st.Conditions) > 0 {
		field("Condition")
		b.WriteByte('{')
		done := make([]bool, len(st.Conditions))
		for i, c := range st.Conditions {
			if done[i] {
				continue
			}
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, c.Operator)
			b.WriteString(":{")
			for j := i; j < len(st.Conditions); j++ {
				d := st.Conditions[j]
				if d.Operator != c.Operator {
					continue
				}
				if j > i {
					b.WriteByte(',')
				}
				done[j] = true
				writeString(b, d.Key)
				b.WriteByte(':')
				writeList(b, d.Values)
			}
			b.WriteByte('}')
		}
		b.WriteByte('}')
	}
	b.WriteByte('}')
}

func (pr *Principals) write(b *bytes.Buffer) {
	if pr.Wildcard {
		writeString(b, "*")
		return
	}
	b.WriteByte('{')
	first := true
	for _, t := range []struct {
		name string
		vals []string
	}{{"AWS", pr.AWS}, {"Federated", pr.Federated}, {"Service", pr.Service}, {"CanonicalUser", pr.CanonicalUser}} {
		if t.vals == nil {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		writeString(b, t.name)
		b.WriteByte(':')
		writeList(b, t.vals)
	}
	b.WriteByte('}')
}

func writeList(b *bytes.Buffer, vals []string) {
	if len(vals) == 1 {
		writeString(b, vals[0])
		return
	}
	b.WriteByte('[')
	for i, v := range vals {
		if i > 0 {
			b.WriteByte(',')
		}
		writeString(b, v)
	}
	b.WriteByte(']')
}

func writeString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)       // a string always encodes
	b.Truncate(b.Len() - 1) // Encode appends a newline
}
