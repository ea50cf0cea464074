// Package genaccount generates synthetic account snapshots for tests and
// benchmarks: get-account-authorization-details output with users in
// groups, roles with trust policies, customer and real AWS managed
// policies, permissions boundaries, inline policies (some documents
// URL-encoded), conditions and variables, plus bucket policies and
// who-can queries. Output is deterministic for a seed.
package genaccount

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"sort"
	"strings"
)

// Managed is one AWS managed policy: its ARN, version and document text.
type Managed struct {
	ARN       string `json:"arn"`
	VersionID string `json:"versionId"`
	Document  string `json:"document"`
}

// LoadAWSManaged reads policy/awsmanaged/aws-managed-policies.json.gz.
func LoadAWSManaged(path string) (map[string]Managed, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	src, err := io.ReadAll(io.LimitReader(zr, 64<<20))
	if err != nil {
		return nil, err
	}
	var m map[string]Managed
	return m, json.Unmarshal(src, &m)
}

// Config sizes an account.
type Config struct {
	Account                string
	Users, Roles, Groups   int
	CustomerPolicies       int
	Buckets                int
	Seed                   uint64
	AWSManaged             map[string]Managed // from LoadAWSManaged; nil for none
	AWSManagedCount        int                // how many of them the account uses
	URLEncodedPercent      int                // share of documents written URL-encoded
	ExternalAccount        string             // an account outside the snapshot, granted by some bucket policies
	RolePrefix, UserPrefix string             // name prefixes (distinct per account of an org)
}

// Query is one who-can question.
type Query struct {
	Action   string            `json:"action"`
	Resource string            `json:"resource"`
	Context  map[string]string `json:"context,omitempty"`
}

// Account is a generated snapshot.
type Account struct {
	AuthorizationDetails []byte // get-account-authorization-details JSON
	ResourcePolicies     []byte // resource ARN → policy
	Buckets              []string
}

// well-known AWS managed policies always used (when present), then others.
var knownAWS = []string{"AmazonS3ReadOnlyAccess", "AmazonS3FullAccess", "AmazonSQSFullAccess", "AmazonSNSReadOnlyAccess",
	"AmazonDynamoDBReadOnlyAccess", "SecretsManagerReadWrite", "IAMReadOnlyAccess", "AWSLambda_ReadOnlyAccess",
	"AmazonEC2ReadOnlyAccess", "CloudWatchLogsReadOnlyAccess", "AWSKeyManagementServicePowerUser", "PowerUserAccess"}

// actions by service, used by generated statements and queries.
var actions = map[string][]string{
	"s3":             {"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:GetBucketPolicy"},
	"sqs":            {"sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"},
	"sns":            {"sns:Publish", "sns:Subscribe"},
	"dynamodb":       {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"},
	"kms":            {"kms:Decrypt", "kms:Encrypt"},
	"secretsmanager": {"secretsmanager:GetSecretValue"},
	"ec2":            {"ec2:DescribeInstances", "ec2:StartInstances", "ec2:TerminateInstances"},
	"lambda":         {"lambda:InvokeFunction", "lambda:GetFunction"},
	"iam":            {"iam:PassRole", "iam:GetRole"},
}

var services = func() []string {
	var s []string
	for k := range actions {
		s = append(s, k)
	}
	sort.Strings(s)
	return s
}()

var teams = []string{"red", "blue", "green", "ops"}

type gen struct {
	cfg Config
	r   *rand.Rand
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }
func (g *gen) pct(p int) bool            { return g.r.IntN(100) < p }

// resource returns a resource ARN (or pattern) for an action.
func (g *gen) resource(action string, pattern bool) string {
	a := g.cfg.Account
	b := fmt.Sprintf("bucket-%d", g.r.IntN(max(g.cfg.Buckets, 1)))
	svc, _, _ := strings.Cut(action, ":")
	switch svc {
	case "s3":
		if action == "s3:ListBucket" || action == "s3:GetBucketPolicy" {
			return "arn:aws:s3:::" + b
		}
		if pattern {
			switch g.r.IntN(3) {
			case 0:
				return "arn:aws:s3:::" + b + "/*"
			case 1:
				return "arn:aws:s3:::" + b + "/home/${aws:username}/*"
			}
			return "arn:aws:s3:::bucket-*/public/*"
		}
		if g.pct(30) {
			return "arn:aws:s3:::" + b + "/public/file.txt"
		}
		return "arn:aws:s3:::" + b + "/home/" + g.cfg.UserPrefix + fmt.Sprintf("user-%d", g.r.IntN(max(g.cfg.Users, 1))) + "/doc.txt"
	case "sqs":
		return fmt.Sprintf("arn:aws:sqs:us-east-1:%s:queue-%d", a, g.r.IntN(5))
	case "sns":
		return fmt.Sprintf("arn:aws:sns:us-east-1:%s:topic-%d", a, g.r.IntN(5))
	case "dynamodb":
		return fmt.Sprintf("arn:aws:dynamodb:us-east-1:%s:table/t%d", a, g.r.IntN(5))
	case "kms":
		return fmt.Sprintf("arn:aws:kms:us-east-1:%s:key/k%d", a, g.r.IntN(3))
	case "secretsmanager":
		return fmt.Sprintf("arn:aws:secretsmanager:us-east-1:%s:secret:s%d-AbCdEf", a, g.r.IntN(5))
	case "ec2":
		return fmt.Sprintf("arn:aws:ec2:us-east-1:%s:instance/i-%04d", a, g.r.IntN(10))
	case "lambda":
		return fmt.Sprintf("arn:aws:lambda:us-east-1:%s:function:f%d", a, g.r.IntN(5))
	case "iam":
		return fmt.Sprintf("arn:aws:iam::%s:role/%srole-%d", a, g.cfg.RolePrefix, g.r.IntN(max(g.cfg.Roles, 1)))
	}
	return "*"
}

func (g *gen) condition() map[string]any {
	switch g.r.IntN(6) {
	case 0:
		return map[string]any{"StringEquals": map[string]any{"aws:PrincipalTag/team": g.pick(teams)}}
	case 1:
		return map[string]any{"StringEquals": map[string]any{"aws:SourceVpc": fmt.Sprintf("vpc-%d", g.r.IntN(3))}}
	case 2:
		return map[string]any{"Bool": map[string]any{"aws:MultiFactorAuthPresent": "true"}}
	case 3:
		return map[string]any{"StringEquals": map[string]any{"aws:RequestedRegion": []any{"us-east-1", "eu-west-1"}}}
	case 4:
		return map[string]any{"StringEquals": map[string]any{"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}
	}
	return map[string]any{"IpAddress": map[string]any{"aws:SourceIp": "10.0.0.0/8"}}
}

// statement returns a random identity statement.
func (g *gen) statement(allowOnly bool) map[string]any {
	st := map[string]any{"Effect": "Allow"}
	if !allowOnly && g.pct(15) {
		st["Effect"] = "Deny"
	}
	svc := g.pick(services)
	switch {
	case g.pct(5):
		st["NotAction"] = []any{"iam:*", "organizations:*"}
	case g.pct(10):
		st["Action"] = svc + ":*"
	case g.pct(10):
		st["Action"] = []any{svc + ":Get*", svc + ":List*", svc + ":Describe*"}
	default:
		var acts []any
		for range 1 + g.r.IntN(3) {
			acts = append(acts, g.pick(actions[svc]))
		}
		st["Action"] = acts
	}
	if g.pct(40) {
		st["Resource"] = "*"
	} else {
		st["Resource"] = g.resource(g.pick(actions[svc]), true)
	}
	if g.pct(35) {
		st["Condition"] = g.condition()
	}
	if st["Effect"] == "Deny" && g.pct(50) {
		st["Condition"] = map[string]any{"BoolIfExists": map[string]any{"aws:MultiFactorAuthPresent": "false"}}
	}
	return st
}

func (g *gen) document(n int, allowOnly bool) map[string]any {
	var sts []any
	for range n {
		sts = append(sts, g.statement(allowOnly))
	}
	return map[string]any{"Version": "2012-10-17", "Statement": sts}
}

// encode writes a document as an object or, sometimes, URL-encoded.
func (g *gen) encode(doc any) any {
	if g.pct(g.cfg.URLEncodedPercent) {
		b, _ := json.Marshal(doc)
		return url.QueryEscape(string(b))
	}
	return doc
}

func (g *gen) encodeText(text string) any {
	if g.pct(g.cfg.URLEncodedPercent) {
		return url.QueryEscape(text)
	}
	return json.RawMessage(text)
}

// Generate makes an account.
func Generate(cfg Config) Account {
	g := &gen{cfg: cfg, r: rand.New(rand.NewPCG(cfg.Seed, 17))}
	a := cfg.Account
	type attached struct{ PolicyName, PolicyArn string }
	var policies []any
	var customer []attached
	for i := range cfg.CustomerPolicies {
		name := fmt.Sprintf("%spolicy-%d", cfg.UserPrefix, i)
		arn := fmt.Sprintf("arn:aws:iam::%s:policy/%s", a, name)
		versions := []any{map[string]any{"Document": g.encode(g.document(1+g.r.IntN(4), false)), "VersionId": "v2", "IsDefaultVersion": true, "CreateDate": "2024-01-01T00:00:00Z"}}
		if g.pct(30) {
			// An old version, not the default: never used.
			versions = append(versions, map[string]any{"Document": map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Allow", "Action": "*", "Resource": "*"}}}, "VersionId": "v1", "IsDefaultVersion": false, "CreateDate": "2023-01-01T00:00:00Z"})
		}
		policies = append(policies, map[string]any{"PolicyName": name, "PolicyId": fmt.Sprintf("ANPA%016d", i), "Arn": arn, "Path": "/",
			"DefaultVersionId": "v2", "AttachmentCount": 1, "PermissionsBoundaryUsageCount": 0, "IsAttachable": true,
			"CreateDate": "2024-01-01T00:00:00Z", "UpdateDate": "2024-01-01T00:00:00Z", "PolicyVersionList": versions})
		customer = append(customer, attached{name, arn})
	}
	// Boundaries: broad allows, one per team.
	var boundaries []string
	for i, t := range teams {
		name := fmt.Sprintf("%sboundary-%s", cfg.UserPrefix, t)
		arn := fmt.Sprintf("arn:aws:iam::%s:policy/%s", a, name)
		doc := map[string]any{"Version": "2012-10-17", "Statement": []any{
			map[string]any{"Effect": "Allow", "Action": []any{"s3:*", "sqs:*", "sns:*", "dynamodb:*", "kms:Decrypt", "ec2:Describe*", "lambda:*", "secretsmanager:*"}, "Resource": "*"},
			map[string]any{"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*", "Condition": map[string]any{"StringNotEquals": map[string]any{"aws:PrincipalTag/team": t}}},
		}}
		policies = append(policies, map[string]any{"PolicyName": name, "PolicyId": fmt.Sprintf("ANPB%016d", i), "Arn": arn, "Path": "/",
			"DefaultVersionId": "v1", "AttachmentCount": 0, "PermissionsBoundaryUsageCount": 1, "IsAttachable": true,
			"CreateDate": "2024-01-01T00:00:00Z", "UpdateDate": "2024-01-01T00:00:00Z",
			"PolicyVersionList": []any{map[string]any{"Document": g.encode(doc), "VersionId": "v1", "IsDefaultVersion": true, "CreateDate": "2024-01-01T00:00:00Z"}}})
		boundaries = append(boundaries, arn)
	}
	var aws []attached
	if cfg.AWSManaged != nil {
		var names []string
		for _, n := range knownAWS {
			if _, ok := cfg.AWSManaged[n]; ok {
				names = append(names, n)
			}
		}
		var all []string
		for n := range cfg.AWSManaged {
			all = append(all, n)
		}
		sort.Strings(all)
		for len(names) < cfg.AWSManagedCount && len(all) > 0 {
			n := all[g.r.IntN(len(all))]
			if len(cfg.AWSManaged[n].Document) < 6000 && !contains(names, n) {
				names = append(names, n)
			}
		}
		for _, n := range names[:min(len(names), max(cfg.AWSManagedCount, 0))] {
			m := cfg.AWSManaged[n]
			policies = append(policies, map[string]any{"PolicyName": n, "PolicyId": "ANPAAWS" + n, "Arn": m.ARN, "Path": "/",
				"DefaultVersionId": m.VersionID, "AttachmentCount": 1, "PermissionsBoundaryUsageCount": 0, "IsAttachable": true,
				"CreateDate": "2020-01-01T00:00:00Z", "UpdateDate": "2020-01-01T00:00:00Z",
				"PolicyVersionList": []any{map[string]any{"Document": g.encodeText(m.Document), "VersionId": m.VersionID, "IsDefaultVersion": true, "CreateDate": "2020-01-01T00:00:00Z"}}})
			aws = append(aws, attached{n, m.ARN})
		}
	}
	attachSome := func(n int) []any {
		out := []any{}
		for range n {
			if len(aws) > 0 && g.pct(30) {
				out = append(out, aws[g.r.IntN(len(aws))])
			} else if len(customer) > 0 {
				out = append(out, customer[g.r.IntN(len(customer))])
			}
		}
		return dedupe(out)
	}
	inline := func(n int) []any {
		out := []any{}
		for i := range n {
			out = append(out, map[string]any{"PolicyName": fmt.Sprintf("inline-%d", i), "PolicyDocument": g.encode(g.document(1+g.r.IntN(3), false))})
		}
		return out
	}
	var groups []any
	var groupNames []string
	for i := range cfg.Groups {
		name := fmt.Sprintf("%sgroup-%d", cfg.UserPrefix, i)
		groupNames = append(groupNames, name)
		groups = append(groups, map[string]any{"Path": "/", "GroupName": name, "GroupId": fmt.Sprintf("AGPA%016d", i),
			"Arn": fmt.Sprintf("arn:aws:iam::%s:group/%s", a, name), "CreateDate": "2024-01-01T00:00:00Z",
			"GroupPolicyList": inline(g.r.IntN(2)), "AttachedManagedPolicies": attachSome(g.r.IntN(3))})
	}
	tags := func() []any {
		if g.pct(20) {
			return []any{}
		}
		return []any{map[string]any{"Key": "team", "Value": g.pick(teams)}}
	}
	var users []any
	for i := range cfg.Users {
		name := fmt.Sprintf("%suser-%d", cfg.UserPrefix, i)
		path := "/"
		if g.pct(30) {
			path = "/staff/"
		}
		u := map[string]any{"Path": path, "UserName": name, "UserId": fmt.Sprintf("AIDA%016d", i),
			"Arn": fmt.Sprintf("arn:aws:iam::%s:user%s%s", a, path, name), "CreateDate": "2024-01-01T00:00:00Z",
			"UserPolicyList": inline(g.r.IntN(2)), "AttachedManagedPolicies": attachSome(g.r.IntN(3)), "Tags": tags()}
		var gl []any
		if len(groupNames) > 0 {
			for _, gn := range dedupeStrings([]string{g.pick(groupNames), g.pick(groupNames)}[:g.r.IntN(3)]) {
				gl = append(gl, gn)
			}
		}
		u["GroupList"] = append([]any{}, gl...)
		if g.pct(25) {
			u["PermissionsBoundary"] = map[string]any{"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": g.pick(boundaries)}
		}
		users = append(users, u)
	}
	var roles []any
	for i := range cfg.Roles {
		name := fmt.Sprintf("%srole-%d", cfg.RolePrefix, i)
		path := "/"
		if g.pct(30) {
			path = "/app/"
		}
		var trust []any
		switch g.r.IntN(3) {
		case 0:
			trust = append(trust, map[string]any{"Effect": "Allow", "Principal": map[string]any{"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"})
		case 1:
			trust = append(trust, map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": fmt.Sprintf("arn:aws:iam::%s:root", a)}, "Action": "sts:AssumeRole",
				"Condition": map[string]any{"Bool": map[string]any{"aws:MultiFactorAuthPresent": "true"}}})
		default:
			trust = append(trust, map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": fmt.Sprintf("arn:aws:iam::%s:user/%suser-%d", a, cfg.UserPrefix, g.r.IntN(max(cfg.Users, 1)))}, "Action": []any{"sts:AssumeRole", "sts:TagSession"}})
		}
		r := map[string]any{"Path": path, "RoleName": name, "RoleId": fmt.Sprintf("AROA%016d", i),
			"Arn": fmt.Sprintf("arn:aws:iam::%s:role%s%s", a, path, name), "CreateDate": "2024-01-01T00:00:00Z",
			"AssumeRolePolicyDocument": g.encode(map[string]any{"Version": "2012-10-17", "Statement": trust}),
			"InstanceProfileList":      []any{}, "RolePolicyList": inline(g.r.IntN(3)), "AttachedManagedPolicies": attachSome(g.r.IntN(3)),
			"Tags": tags(), "RoleLastUsed": map[string]any{}}
		if g.pct(20) {
			r["PermissionsBoundary"] = map[string]any{"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": g.pick(boundaries)}
		}
		roles = append(roles, r)
	}
	authz, _ := json.Marshal(map[string]any{"UserDetailList": users, "GroupDetailList": groups, "RoleDetailList": roles,
		"Policies": policies, "IsTruncated": false})

	rps := map[string]any{}
	var buckets []string
	for i := range cfg.Buckets {
		b := fmt.Sprintf("bucket-%d", i)
		buckets = append(buckets, b)
		var sts []any
		sts = append(sts, map[string]any{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
			"Resource":  []any{"arn:aws:s3:::" + b, "arn:aws:s3:::" + b + "/*"},
			"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}})
		switch g.r.IntN(4) {
		case 0:
			if cfg.ExternalAccount != "" {
				sts = append(sts, map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": "arn:aws:iam::" + cfg.ExternalAccount + ":root"},
					"Action": "s3:GetObject", "Resource": "arn:aws:s3:::" + b + "/*"})
			}
		case 1:
			sts = append(sts, map[string]any{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::" + b + "/public/*"})
		case 2:
			sts = append(sts, map[string]any{"Effect": "Allow", "Principal": map[string]any{"AWS": fmt.Sprintf("arn:aws:iam::%s:role/%srole-%d", a, cfg.RolePrefix, g.r.IntN(max(cfg.Roles, 1)))},
				"Action": []any{"s3:GetObject", "s3:PutObject"}, "Resource": "arn:aws:s3:::" + b + "/*"})
		}
		rps["arn:aws:s3:::"+b] = g.encode(map[string]any{"Version": "2012-10-17", "Statement": sts})
	}
	rp, _ := json.Marshal(rps)
	return Account{AuthorizationDetails: authz, ResourcePolicies: rp, Buckets: buckets}
}

// Queries returns n who-can queries over an account made with cfg.
func Queries(cfg Config, n int, seed uint64) []Query {
	g := &gen{cfg: cfg, r: rand.New(rand.NewPCG(seed, 71))}
	var out []Query
	for range n {
		svc := g.pick(services)
		act := g.pick(actions[svc])
		if g.pct(10) {
			act = "sts:AssumeRole"
		}
		q := Query{Action: act, Resource: g.resource(act, false)}
		if act == "sts:AssumeRole" {
			q.Resource = fmt.Sprintf("arn:aws:iam::%s:role/%srole-%d", cfg.Account, cfg.RolePrefix, g.r.IntN(max(cfg.Roles, 1)))
		}
		if g.pct(50) {
			q.Context = map[string]string{"aws:SecureTransport": "true"}
			if g.pct(50) {
				q.Context["aws:MultiFactorAuthPresent"] = g.pick([]string{"true", "false"})
			}
			if g.pct(30) {
				q.Context["aws:SourceVpc"] = fmt.Sprintf("vpc-%d", g.r.IntN(3))
			}
		}
		out = append(out, q)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func dedupe(list []any) []any {
	seen := map[any]bool{}
	out := []any{}
	for _, x := range list {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func dedupeStrings(list []string) []string {
	var out []string
	for _, s := range list {
		if !contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
