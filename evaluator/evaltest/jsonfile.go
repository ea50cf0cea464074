package evaltest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// maxJSONDepth bounds the nesting of a JSON case file.
const maxJSONDepth = 200

// jsonReader reads a JSON case file with encoding/json's tokenizer into
// the YAML node tree the rest of the loader reads, each node with the
// line and column of its token, so that errors, traces and the positions
// of inline policies' statements point into the file as for YAML.
type jsonReader struct {
	src   []byte
	dec   *json.Decoder
	lines []int // offsets where each line starts
}

// jsonDocument parses src, one JSON value, into a document node.
func jsonDocument(src []byte) (*yaml.Node, error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")) // a UTF-8 byte order mark, as editors write
	r := &jsonReader{src: src, dec: json.NewDecoder(bytes.NewReader(src)), lines: []int{0}}
	r.dec.UseNumber()
	for i, c := range src {
		if c == '\n' {
			r.lines = append(r.lines, i+1)
		}
	}
	v, err := r.value(0)
	if err != nil {
		return nil, err
	}
	line, col := r.next()
	if _, err := r.dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%d:%d: invalid JSON: data after the document", line, col)
	}
	return &yaml.Node{Kind: yaml.DocumentNode, Line: v.Line, Column: v.Column, Content: []*yaml.Node{v}}, nil
}

// at returns the 1-based line and column (in characters) of an offset.
func (r *jsonReader) at(off int) (int, int) {
	off = min(max(off, 0), len(r.src))
	l := sort.Search(len(r.lines), func(i int) bool { return r.lines[i] > off }) - 1
	return l + 1, utf8.RuneCount(r.src[r.lines[l]:off]) + 1
}

// next returns the position of the next token: past the whitespace and
// separators after the decoder's offset.
func (r *jsonReader) next() (int, int) {
	off := int(r.dec.InputOffset())
	for off < len(r.src) && strings.IndexByte(" \t\r\n,:", r.src[off]) >= 0 {
		off++
	}
	return r.at(off)
}

func (r *jsonReader) syntax(err error) error {
	off := int(r.dec.InputOffset())
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = int(se.Offset)
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		off, err = len(r.src), errors.New("unexpected end of input")
	}
	line, col := r.at(off)
	return fmt.Errorf("%d:%d: invalid JSON: %v", line, col, err)
}

func (r *jsonReader) value(depth int) (*yaml.Node, error) {
	line, col := r.next()
	if depth > maxJSONDepth {
		return nil, fmt.Errorf("%d:%d: invalid JSON: nested more than %d deep", line, col, maxJSONDepth)
	}
	tok, err := r.dec.Token()
	if err != nil {
		return nil, r.syntax(err)
	}
	n := &yaml.Node{Kind: yaml.ScalarNode, Line: line, Column: col}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n.Kind, n.Tag, n.Style = yaml.MappingNode, "!!map", yaml.FlowStyle
			seen := map[string]bool{}
			for r.dec.More() {
				kl, kc := r.next()
				kt, err := r.dec.Token()
				if err != nil {
					return nil, r.syntax(err)
				}
				key, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("%d:%d: invalid JSON: object key is not a string", kl, kc)
				}
				if seen[key] {
					return nil, fmt.Errorf("%d:%d: key %q repeated", kl, kc, key)
				}
				seen[key] = true
				v, err := r.value(depth + 1)
				if err != nil {
					return nil, err
				}
				k := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Style: yaml.DoubleQuotedStyle, Value: key, Line: kl, Column: kc}
				n.Content = append(n.Content, k, v)
			}
		case '[':
			n.Kind, n.Tag, n.Style = yaml.SequenceNode, "!!seq", yaml.FlowStyle
			for r.dec.More() {
				v, err := r.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, v)
			}
		default:
			return nil, fmt.Errorf("%d:%d: invalid JSON: unexpected %q", line, col, t)
		}
		if _, err := r.dec.Token(); err != nil { // the closing delimiter
			return nil, r.syntax(err)
		}
	case string:
		n.Tag, n.Style, n.Value = "!!str", yaml.DoubleQuotedStyle, t
	case json.Number:
		n.Tag, n.Value = "!!int", t.String()
		if strings.ContainsAny(n.Value, ".eE") {
			n.Tag = "!!float"
		}
	case bool:
		n.Tag, n.Value = "!!bool", fmt.Sprint(t)
	case nil:
		n.Tag, n.Value = "!!null", "null"
	}
	return n, nil
}

// jsonRawFile reads a JSON case file's top level.
func jsonRawFile(src []byte) (rawFile, error) {
	var rf rawFile
	doc, err := jsonDocument(src)
	if err != nil {
		return rf, err
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return rf, fmt.Errorf("%d:%d: a case file is an object with name, defaults and cases", root.Line, root.Column)
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "name":
			if v.Tag == "!!null" {
				continue
			}
			if v.Kind != yaml.ScalarNode {
				return rf, fmt.Errorf("%d:%d: name must be a string", v.Line, v.Column)
			}
			rf.Name = v.Value
		case "defaults":
			if v.Tag != "!!null" {
				rf.Defaults = &yamlNode{*v}
			}
		case "cases":
			if v.Tag == "!!null" {
				continue
			}
			if v.Kind != yaml.SequenceNode {
				return rf, fmt.Errorf("%d:%d: cases must be a list of cases", v.Line, v.Column)
			}
			for _, c := range v.Content {
				rf.Cases = append(rf.Cases, yamlNode{*c})
			}
		default:
			return rf, fmt.Errorf("%d:%d: field %q is not a case-file field (want name, defaults and cases)", k.Line, k.Column, k.Value)
		}
	}
	return rf, nil
}
