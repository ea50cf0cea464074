// Command gensuite writes the heavy case-suite workload: a case file whose
// cases all share one heavy policy set (13 identity policies of 200
// conditional statements each, held as AWS managed policy files so no
// size quota applies, an inline permissions boundary and an inline session
// policy in the file's defaults), and the 13 policy files beside it.
//
//	go run ./evaluator/internal/gensuite -cases 10000 -o /tmp/suite-10000.yaml
//
// A -o ending in .json writes the case file as JSON (the same format).
// Every case's expectation follows from how the case is built (see
// caseFor), never from running the simulator.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

const (
	policies   = 13  // identity policies
	statements = 200 // statements per identity policy
	account    = "111122223333"
	principal  = "arn:aws:sts::111122223333:assumed-role/App/s1"
	now        = "2026-01-01T00:00:00Z"
	policyDir  = "heavy-policies"
)

func main() {
	n := flag.Int("cases", 200, "number of cases")
	out := flag.String("o", "suite.yaml", "case file to write (.json for JSON); the policies go to heavy-policies/ beside it")
	flag.Parse()
	if err := write(*out, *n); err != nil {
		fmt.Fprintln(os.Stderr, "gensuite:", err)
		os.Exit(1)
	}
}

// kv is one field of an ordered object.
type kv struct {
	k string
	v any
}

// obj is a JSON object that keeps its field order.
type obj []kv

func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.k)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(f.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// bucket names the bucket statement j of identity policy p allows: every
// statement has its own bucket, so a request on it matches that statement
// alone ("b0-1/*" does not match "b0-10/k"). Policy 12's buckets start
// with "c", outside the session policy's "b*".
func bucket(p, j int) string {
	prefix := "b"
	if p == policies-1 {
		prefix = "c"
	}
	return fmt.Sprintf("%s%d-%d", prefix, p, j)
}

func team(p, j int) string { return fmt.Sprintf("t%d-%d", p, j) }

// statement j of identity policy p: s3:GetObject and s3:PutObject on its
// own bucket, when the principal's team tag is the statement's, the
// source IP is in 10.p.0.0/16 and the time is before 2030.
func statement(p, j int) obj {
	return obj{
		{"Sid", fmt.Sprintf("P%dS%d", p, j)},
		{"Effect", "Allow"},
		{"Action", []string{"s3:GetObject", "s3:PutObject"}},
		{"Resource", fmt.Sprintf("arn:aws:s3:::%s/*", bucket(p, j))},
		{"Condition", obj{
			{"StringEquals", obj{{"aws:PrincipalTag/team", team(p, j)}}},
			{"IpAddress", obj{{"aws:SourceIp", fmt.Sprintf("10.%d.0.0/16", p)}}},
			{"DateLessThan", obj{{"aws:CurrentTime", "2030-01-01T00:00:00Z"}}},
		}},
	}
}

// boundary allows reads and lists, and denies reading any "secret/" key.
var boundary = obj{
	{"Version", "2012-10-17"},
	{"Statement", []obj{
		{{"Sid", "ReadOnly"}, {"Effect", "Allow"}, {"Action", []string{"s3:Get*", "s3:List*"}}, {"Resource", "*"}},
		{{"Sid", "NoSecrets"}, {"Effect", "Deny"}, {"Action", "s3:GetObject"}, {"Resource", "arn:aws:s3:::*/secret/*"}},
	}},
}

// session allows everything in S3 on buckets whose name starts with "b".
var session = obj{
	{"Version", "2012-10-17"},
	{"Statement", []obj{
		{{"Sid", "BBuckets"}, {"Effect", "Allow"}, {"Action", "s3:*"}, {"Resource", "arn:aws:s3:::b*"}},
	}},
}

// caseFor builds case n. Its kind (n mod 5) fixes the expectation:
//
//  0. allowed: s3:GetObject on an object of bucket(p, j), p < 12, with the
//     context statement (p, j) asks for. Only that statement names the
//     bucket and its three conditions hold; the boundary allows s3:Get*
//     and its Deny names only secret/ keys; the session policy allows s3:*
//     on b* buckets. Identity, boundary and session all allow.
//  1. implicitDeny: as 0 with the team tag of statement j+1: the only
//     statement naming the bucket has a condition that fails, so no
//     identity policy allows.
//  2. explicitDeny: as 0 on a secret/ key: the boundary's Deny matches.
//  3. implicitDeny: s3:PutObject as 0: identity and session allow, the
//     boundary allows only s3:Get* and s3:List*.
//  4. implicitDeny: s3:GetObject on policy 12's bucket with its context:
//     identity and boundary allow, the session policy names only b*
//     buckets.
func caseFor(n int) obj {
	kind := n % 5
	p := (n / 5) % (policies - 1)
	j := (n * 7) % statements
	action, key, tm, expect, why := "s3:GetObject", fmt.Sprintf("obj-%d", n), team(p, j), "allowed",
		"derived: statement P%dS%d alone names the bucket and its conditions hold; the boundary allows s3:Get* and the session policy s3:* on b* buckets"
	switch kind {
	case 1:
		tm, expect = team(p, (j+1)%statements), "implicitDeny"
		why = "derived: statement P%dS%d alone names the bucket and the team tag is another statement's, so no identity policy allows"
	case 2:
		key, expect = "secret/"+key, "explicitDeny"
		why = "derived: statement P%dS%d allows, but the boundary's NoSecrets denies s3:GetObject on secret/ keys"
	case 3:
		action, expect = "s3:PutObject", "implicitDeny"
		why = "derived: statement P%dS%d and the session policy allow s3:PutObject, the boundary allows only s3:Get* and s3:List*"
	case 4:
		p = policies - 1
		tm, expect = team(p, j), "implicitDeny"
		why = "derived: statement P%dS%d and the boundary allow, the session policy names only b* buckets"
	}
	return obj{
		{"name", fmt.Sprintf("case %d: %s %s/%s", n, action, bucket(p, j), key)},
		{"action", action},
		{"resource", fmt.Sprintf("arn:aws:s3:::%s/%s", bucket(p, j), key)},
		{"context", obj{
			{"aws:PrincipalTag/team", tm},
			{"aws:SourceIp", fmt.Sprintf("10.%d.%d.%d", p, j%256, n%250+1)},
			{"aws:CurrentTime", now},
		}},
		{"expect", expect},
		{"source", fmt.Sprintf(why, p, j)},
	}
}

func identityRefs() []obj {
	var refs []obj
	for p := 0; p < policies; p++ {
		refs = append(refs, obj{{"file", fmt.Sprintf("%s/heavy-%02d.json", policyDir, p)}, {"awsManaged", true}})
	}
	return refs
}

func write(out string, n int) error {
	if n < 1 {
		return fmt.Errorf("-cases %d: want at least 1", n)
	}
	dir := filepath.Join(filepath.Dir(out), policyDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for p := 0; p < policies; p++ {
		var stmts []obj
		for j := 0; j < statements; j++ {
			stmts = append(stmts, statement(p, j))
		}
		b, err := json.MarshalIndent(obj{{"Version", "2012-10-17"}, {"Statement", stmts}}, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("heavy-%02d.json", p)), append(b, '\n'), 0o644); err != nil {
			return err
		}
	}
	name := fmt.Sprintf("heavy suite: %d cases on one policy set of 13 x 200 conditional statements", n)
	defaults := obj{
		{"principal", principal},
		{"resourceAccount", account},
		{"identityPolicies", identityRefs()},
		{"permissionsBoundary", boundary},
		{"sessionPolicies", []obj{session}},
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if strings.EqualFold(filepath.Ext(out), ".json") {
		err = writeJSON(w, name, defaults, n)
	} else {
		err = writeYAML(w, name, defaults, n)
	}
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// writeJSON writes the case file as JSON, one case a line.
func writeJSON(w *bufio.Writer, name string, defaults obj, n int) error {
	nm, _ := json.Marshal(name)
	d, err := json.MarshalIndent(defaults, "  ", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "{\n  \"name\": %s,\n  \"defaults\": %s,\n  \"cases\": [\n", nm, d)
	for i := 0; i < n; i++ {
		c, err := json.Marshal(caseFor(i))
		if err != nil {
			return err
		}
		sep := ","
		if i == n-1 {
			sep = ""
		}
		fmt.Fprintf(w, "    %s%s\n", c, sep)
	}
	w.WriteString("  ]\n}\n")
	return nil
}

// writeYAML writes the case file as YAML: block mappings for the file and
// each case, flow (JSON) values inside.
func writeYAML(w *bufio.Writer, name string, defaults obj, n int) error {
	nm, _ := json.Marshal(name)
	fmt.Fprintf(w, "name: %s\ndefaults:\n", nm)
	if err := block(w, "  ", defaults); err != nil {
		return err
	}
	w.WriteString("cases:\n")
	for i := 0; i < n; i++ {
		c := caseFor(i)
		if err := block(w, "  - ", c[:1]); err != nil {
			return err
		}
		if err := block(w, "    ", c[1:]); err != nil {
			return err
		}
	}
	return nil
}

func block(w *bufio.Writer, indent string, o obj) error {
	for _, f := range o {
		v, err := json.Marshal(f.v)
		if err != nil {
			return err
		}
		if refs, ok := f.v.([]obj); ok && len(refs) > 1 {
			fmt.Fprintf(w, "%s%s:\n", indent, f.k)
			for _, r := range refs {
				e, _ := json.Marshal(r)
				fmt.Fprintf(w, "%s  - %s\n", strings.Repeat(" ", len(indent)), e)
			}
			continue
		}
		fmt.Fprintf(w, "%s%s: %s\n", indent, f.k, v)
		indent = strings.Repeat(" ", len(indent))
	}
	return nil
}
