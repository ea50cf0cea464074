package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/iamsim/iamsim/evaluator"
	"github.com/iamsim/iamsim/evaluator/sts"
	"github.com/iamsim/iamsim/policy"
)

const assumeRoleUsage = `usage: iamsim assume-role --caller ARN [--caller-session-issuer ARN] --role-arn ARN
       --role-session-name NAME --trust FILE [--identity FILE ...] [--boundary FILE] [--max-session-duration N]
       [--role-tags Key=K,Value=V ...] [--caller-identity FILE ...] [--caller-context KEY=VALUE ...]
       [--policy FILE | --policy JSON] [--policy-arns arn=ARN ...] [--managed-policy ARN=FILE ...]
       [--duration-seconds N] [--tags Key=K,Value=V ...] [--transitive-tag-keys KEY ...]
       [--source-identity ID] [--external-id ID] [--serial-number ARN --token-code CODE]
       [--now TIME] [--action ACTION ... [--resource ARN ...] [--resource-policy FILE]
       [--context KEY=VALUE ...]] [--explain]

Simulates STS AssumeRole offline: --caller (an IAM user or role session ARN,
or a service principal) calls with its own policies (--caller-identity)
on the role --role-arn, whose trust policy is --trust and whose identity
policies and boundary are --identity and --boundary. The STS parameters keep
the AWS CLI's names, and a flag shown with "..." takes several values as
with the AWS CLI (--action s3:GetObject s3:PutObject, --tags
Key=a,Value=1 Key=b,Value=2) or repeats. --policy-arns names managed session policies, each
resolved by a --managed-policy ARN=FILE. --policy is the session policy's
JSON text when it starts with "{", else its file (file:// optional).
Every FILE may be written path or file://path.

Then every --action is evaluated on every --resource (default "*") with the
session's credentials, with --resource-policy as the resources' policy, and
printed with its decision. --now is the time of the call (RFC 3339, default
now); requests are made at that time unless --context sets aws:CurrentTime.

--caller-session-issuer is the role of a --caller role session (or the user
of a federated user), as sts.Caller.SessionIssuer.

Exit status: 0 the role was assumed and every request allowed, 3 some
request denied, 4 STS refused the call (its error is printed on standard
error as the AWS CLI prints it; --explain adds the trust evaluation's
trace), 1 invalid policies, 2 bad usage or a file that cannot be read.
`

// tagFlag collects AWS CLI shorthand tags: Key=K,Value=V.
type tagFlag []sts.Tag

func (l *tagFlag) String() string { return fmt.Sprint(*l) }
func (l *tagFlag) takesSeveral()  {}
func (l *tagFlag) Set(v string) error {
	var t sts.Tag
	var haveKey bool
	for _, part := range strings.Split(v, ",") {
		k, val, ok := strings.Cut(part, "=")
		switch {
		case ok && k == "Key":
			t.Key, haveKey = val, true
		case ok && k == "Value":
			t.Value = val
		default:
			return fmt.Errorf("want Key=KEY,Value=VALUE, got %q", v)
		}
	}
	if !haveKey {
		return fmt.Errorf("want Key=KEY,Value=VALUE, got %q", v)
	}
	*l = append(*l, t)
	return nil
}

func runAssumeRole(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("assume-role", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var in sts.AssumeRoleInput
	var identity, callerIdentity, callerCtx, policyArns, managed, transitive, actions, resources, ctx listFlag
	var tags, roleTags tagFlag
	var trust, boundary, policyArg, resourcePolicy, now string
	var maxDuration int
	var explain bool
	fs.StringVar(&in.Caller.Principal, "caller", "", "")
	fs.StringVar(&in.Caller.SessionIssuer, "caller-session-issuer", "", "")
	fs.Var(&callerIdentity, "caller-identity", "")
	fs.Var(&callerCtx, "caller-context", "")
	fs.StringVar(&in.Role.ARN, "role-arn", "", "")
	fs.StringVar(&trust, "trust", "", "")
	fs.Var(&identity, "identity", "")
	fs.StringVar(&boundary, "boundary", "", "")
	fs.IntVar(&maxDuration, "max-session-duration", 0, "")
	fs.Var(&roleTags, "role-tags", "")
	fs.StringVar(&in.RoleSessionName, "role-session-name", "", "")
	fs.StringVar(&policyArg, "policy", "", "")
	fs.Var(&policyArns, "policy-arns", "")
	fs.Var(&managed, "managed-policy", "")
	fs.IntVar(&in.DurationSeconds, "duration-seconds", 0, "")
	fs.Var(&tags, "tags", "")
	fs.Var(&transitive, "transitive-tag-keys", "")
	fs.StringVar(&in.SourceIdentity, "source-identity", "", "")
	fs.StringVar(&in.ExternalID, "external-id", "", "")
	fs.StringVar(&in.SerialNumber, "serial-number", "", "")
	fs.StringVar(&in.TokenCode, "token-code", "", "")
	fs.StringVar(&now, "now", "", "")
	fs.Var(&actions, "action", "")
	fs.Var(&resources, "resource", "")
	fs.StringVar(&resourcePolicy, "resource-policy", "", "")
	fs.Var(&ctx, "context", "")
	fs.BoolVar(&explain, "explain", false, "")
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "iamsim assume-role: "+format+"\n%s", append(a, assumeRoleUsage)...)
		return 2
	}
	if err := fs.Parse(spreadLists(fs, args)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, assumeRoleUsage)
			return 0
		}
		return usageErr("%v", err)
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	if in.Caller.Principal == "" || in.Role.ARN == "" || in.RoleSessionName == "" || trust == "" {
		return usageErr("--caller, --role-arn, --role-session-name and --trust are required")
	}
	if len(actions) == 0 && (len(resources) > 0 || resourcePolicy != "" || len(ctx) > 0) {
		return usageErr("--resource, --resource-policy and --context describe requests: give --action too")
	}
	var err error
	if in.Caller.Context, err = parseContext(callerCtx); err != nil {
		return usageErr("%v", err)
	}
	reqCtx, err := parseContext(ctx)
	if err != nil {
		return usageErr("%v", err)
	}
	if now != "" {
		t, ok := policy.ParseDate(now)
		if !ok {
			return usageErr("--now %q: want a date such as 2026-11-25T10:00:00Z", now)
		}
		in.Now = t
	}
	// Check the seconds before they become a time.Duration, which a huge
	// number overflows (2^55+3600 seconds would be one hour).
	if lo, hi := int(sts.DefaultRoleSessionDuration/time.Second), int(sts.MaxRoleSessionDuration/time.Second); maxDuration != 0 && (maxDuration < lo || maxDuration > hi) {
		return usageErr("--max-session-duration %d: want %d to %d seconds, as IAM allows", maxDuration, lo, hi)
	}
	in.Role.MaxSessionDuration = time.Duration(maxDuration) * time.Second
	in.Role.Tags, in.Tags, in.TransitiveTagKeys = roleTags, tags, transitive
	for _, v := range policyArns {
		for _, a := range strings.Split(v, ",") {
			arn, ok := strings.CutPrefix(a, "arn=")
			if !ok {
				return usageErr("--policy-arns %q: want arn=ARN", a)
			}
			in.PolicyArns = append(in.PolicyArns, arn)
		}
	}

	var problems []error
	load := func(path string) evaluator.Input {
		p, err := loadPolicyFile(path)
		if err != nil {
			problems = append(problems, err)
		}
		return p
	}
	tp := load(trust)
	in.Role.TrustPolicy = &tp
	for _, f := range identity {
		in.Role.Policies.Identity = append(in.Role.Policies.Identity, load(f))
	}
	if boundary != "" {
		b := load(boundary)
		in.Role.Policies.PermissionsBoundary = &b
	}
	for _, f := range callerIdentity {
		in.Caller.Policies.Identity = append(in.Caller.Policies.Identity, load(f))
	}
	for _, m := range managed {
		arn, file, ok := strings.Cut(m, "=")
		if !ok {
			return usageErr("--managed-policy %q: want ARN=FILE", m)
		}
		if in.ManagedPolicies == nil {
			in.ManagedPolicies = sts.ManagedPolicies{}
		}
		in.ManagedPolicies[arn] = load(file).Policy
	}
	if policyArg != "" {
		// JSON text starts with "{"; anything else names a file, with or
		// without file:// (the AWS CLI needs file://; iamsim does not).
		if strings.HasPrefix(strings.TrimSpace(policyArg), "{") {
			in.Policy = policyArg
		} else {
			src, _, err := readInput(policyArg, nil)
			if err != nil {
				problems = append(problems, fmt.Errorf("--policy: %w (give the policy's JSON text or its file)", err))
			}
			in.Policy = string(src)
		}
	}
	var rp *evaluator.Input
	if resourcePolicy != "" {
		p := load(resourcePolicy)
		rp = &p
	}
	if len(problems) > 0 {
		return reportProblems(stderr, "assume-role", problems)
	}
	// Check the requests before the call, so that a mistyped --action
	// fails before anything is printed.
	if len(resources) == 0 {
		resources = listFlag{"*"}
	}
	for _, a := range actions {
		for _, res := range resources {
			check := evaluator.Request{Principal: "arn:aws:sts::111111111111:assumed-role/check/check", Action: a, Resource: res, Context: reqCtx}
			if err := check.Validate(); err != nil {
				return usageErr("%v", err)
			}
		}
	}

	s, err := sts.AssumeRole(in)
	if err != nil {
		var se *sts.Error
		if !errors.As(err, &se) {
			fmt.Fprintf(stderr, "iamsim assume-role: %v\n", err)
			return 1
		}
		fmt.Fprintf(stderr, "An error occurred (%s) when calling the AssumeRole operation: %s\n", se.Code, se.Message)
		if se.Err != nil {
			fmt.Fprintln(stderr, se.Err)
		}
		if explain && se.Result != nil && se.Result.Trace != nil {
			_ = se.Result.Trace.Format(stderr)
		}
		return 4
	}
	fmt.Fprintf(stdout, "session %s\n  issued %s, expires %s\n", s.ARN, s.IssuedAt.Format(time.RFC3339), s.Expiration.Format(time.RFC3339))
	fmt.Fprintf(stdout, "  session policies: %d\n", len(s.Policies.Session))
	for _, t := range s.Tags {
		fmt.Fprintf(stdout, "  tag %s=%s\n", t.Key, t.Value)
	}
	if len(actions) == 0 {
		return 0
	}
	eval := s.Evaluate
	if rp != nil {
		se, err := s.WithResourcePolicy(*rp)
		if err != nil {
			fmt.Fprintf(stderr, "iamsim assume-role: %v\n", err)
			return 1
		}
		eval = se.Evaluate
	}
	var opts []evaluator.EvalOption
	if explain {
		opts = append(opts, evaluator.WithTrace())
	}
	status := 0
	for _, a := range actions {
		for _, res := range resources {
			// Checked before the call.
			r, err := eval(evaluator.Request{Action: a, Resource: res, Context: reqCtx}, opts...)
			if err != nil {
				fmt.Fprintf(stdout, "%-13s %s %s: %v\n", "error", a, res, err)
				status = 3
				continue
			}
			fmt.Fprintf(stdout, "%-13s %s %s\n", r.Decision, a, res)
			if r.Decision != evaluator.Allowed {
				status = 3
			}
			if explain {
				for _, m := range r.Matched {
					fmt.Fprintf(stdout, "  matched: %s\n", m)
				}
				if r.Trace != nil {
					_ = r.Trace.Format(&indentWriter{w: stdout})
				}
			}
		}
	}
	return status
}

// indentWriter indents every line written through it by four spaces.
type indentWriter struct{ w io.Writer }

func (iw *indentWriter) Write(p []byte) (int, error) {
	s := strings.TrimRight(string(p), "\n")
	_, err := io.WriteString(iw.w, "    "+strings.ReplaceAll(s, "\n", "\n    ")+"\n")
	return len(p), err
}
