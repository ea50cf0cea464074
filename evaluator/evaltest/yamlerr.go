package evaltest

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// searchBudget bounds the bytes parsed to place a syntax error by parsing
// line prefixes (a parse per line); past it, the YAML decoder's line is
// kept.
const searchBudget = 8 << 20

var yamlLineMsg = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlError words an error of the YAML decoder for a person, as
// "PATH:LINE: message" with the offending line quoted. The YAML decoder
// reports a syntax error at the line where the enclosing construct began
// (and counts some lines from 0), so the offending line is found as the
// first line whose prefix of the file fails with the same error.
func yamlError(path string, src []byte, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs := make([]string, 0, len(te.Errors))
		for _, e := range te.Errors {
			line, msg := "", e
			if m := yamlLineMsg.FindStringSubmatch(e); m != nil {
				line, msg = ":"+m[1], m[2]
			}
			msgs = append(msgs, path+line+": "+typeErrorWords(msg))
		}
		return errors.New(strings.Join(msgs, "\n"))
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	m := yamlLineMsg.FindStringSubmatch(msg)
	if m == nil {
		return fmt.Errorf("%s: %s", path, msg)
	}
	lines := bytes.SplitAfter(src, []byte("\n"))
	line, _ := strconv.Atoi(m[1])
	full, spent, end := err.Error(), 0, 0
	for k := 1; k <= len(lines); k++ {
		end += len(lines[k-1])
		if spent += end; spent > searchBudget {
			break
		}
		var rf rawFile
		if perr := yaml.Unmarshal(src[:end], &rf); perr != nil && perr.Error() == full {
			line = k
			break
		}
	}
	out := fmt.Sprintf("%s:%d: %s", path, line, m[2])
	if line >= 1 && line <= len(lines) {
		text := strings.TrimRight(string(lines[line-1]), "\r\n")
		out += fmt.Sprintf("\n\t%d | %s", line, text)
	}
	return errors.New(out)
}

// typeErrorWords rewrites the YAML decoder's words for a case-file field of
// the wrong type, which name Go types.
func typeErrorWords(msg string) string {
	switch {
	case strings.Contains(msg, " not found in type evaltest.rawFile"):
		return strings.ReplaceAll(msg, " not found in type evaltest.rawFile", " is not a case-file field (want name, defaults and cases)")
	case strings.HasSuffix(msg, " into []evaltest.yamlNode"):
		return "cases must be a list of cases, not " + strings.TrimSuffix(strings.TrimPrefix(msg, "cannot unmarshal "), " into []evaltest.yamlNode")
	case strings.HasSuffix(msg, " into string"):
		return "name must be a string, not " + strings.TrimSuffix(strings.TrimPrefix(msg, "cannot unmarshal "), " into string")
	}
	return msg
}
