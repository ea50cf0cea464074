package catalog

import "strings"

// globalKeyNames are AWS's global condition keys, as the IAM User Guide
// lists them on "AWS global condition context keys"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html,
// its summary table as read on 2026-12-06), in the order of that table. The
// catalog's data (the Service Authorization Reference) lists only the tag
// keys among them, per service, so the list is kept here. The keys written
// with a tag key (aws:PrincipalTag/tag-key, ...) are in globalKeyFamilies.
var globalKeyNames = []string{
	// Properties of the principal.
	"aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalOrgPaths", "aws:PrincipalOrgID",
	"aws:PrincipalIsAWSService", "aws:PrincipalServiceName", "aws:PrincipalServiceNamesList",
	"aws:PrincipalType", "aws:userid", "aws:username",
	// Properties of a role session.
	"aws:AssumedRoot", "aws:FederatedProvider", "aws:TokenIssueTime", "aws:SignInSessionArn",
	"aws:MultiFactorAuthAge", "aws:MultiFactorAuthPresent", "aws:ChatbotSourceArn",
	"aws:Ec2InstanceSourceVpc", "aws:Ec2InstanceSourcePrivateIPv4", "aws:SourceIdentity",
	// Properties of the network.
	"aws:SourceIp", "aws:SourceVpc", "aws:SourceVpcArn", "aws:SourceVpce", "aws:VpceAccount",
	"aws:VpceOrgID", "aws:VpceOrgPaths", "aws:VpcSourceIp",
	// Properties of the resource.
	"aws:ResourceAccount", "aws:ResourceOrgID", "aws:ResourceOrgPaths",
	// Properties of the request.
	"aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast", "aws:CalledViaAWSMCP",
	"aws:ViaAWSService", "aws:ViaAWSMCPService", "aws:CurrentTime", "aws:EpochTime", "aws:referer",
	"aws:RequestedRegion", "aws:TagKeys", "aws:SecureTransport", "aws:SourceAccount", "aws:SourceArn",
	"aws:SourceOrgID", "aws:SourceOrgPaths", "aws:UserAgent", "aws:IsMcpServiceAction",
	// Not on the page, but in the topic policy Amazon SNS's console writes
	// for a new topic; the IAM team named aws:SourceAccount its preferred
	// replacement (github.com/awsdocs/iam-user-guide issue 111). Real
	// policies carry it, so it is not reported.
	"aws:SourceOwner",
}

// globalKeyFamilies are the global keys written "prefix/tag-key", the
// prefix as the page writes it.
var globalKeyFamilies = []string{"aws:PrincipalTag/", "aws:RequestTag/", "aws:ResourceTag/"}

// globalKeys indexes globalKeyNames by lower-case name.
var globalKeys = func() map[string]string {
	m := make(map[string]string, len(globalKeyNames))
	for _, k := range globalKeyNames {
		m[strings.ToLower(k)] = k
	}
	return m
}()

// isKnownGlobalKey reports whether key (compared case-insensitively, as IAM
// compares key names) is one of AWS's global condition keys, including the
// tag-key families.
func isKnownGlobalKey(key string) bool {
	k := strings.ToLower(key)
	if _, ok := globalKeys[k]; ok {
		return true
	}
	for _, f := range globalKeyFamilies {
		if len(k) > len(f) && strings.HasPrefix(k, strings.ToLower(f)) {
			return true
		}
	}
	return false
}

// suggestGlobalKey returns the global key nearest to key (at most 3 edits
// away, ignoring surrounding spaces and case), or "".
func suggestGlobalKey(key string) string {
	trimmed := strings.TrimSpace(key)
	k := strings.ToLower(trimmed)
	best, bestD := "", 4
	consider := func(name, canon string) {
		if d := distance(k, strings.ToLower(name), 3); d < bestD {
			best, bestD = canon, d
		}
	}
	for _, name := range globalKeyNames {
		consider(name, name)
	}
	// A family member: compare the prefix, keep the user's tag key.
	if i := strings.IndexByte(k, '/'); i > 0 && i+1 < len(k) && len(k) == len(trimmed) {
		for _, f := range globalKeyFamilies {
			if d := distance(k[:i+1], strings.ToLower(f), 3); d < bestD {
				best, bestD = f+trimmed[i+1:], d
			}
		}
	}
	return best
}
