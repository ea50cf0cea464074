package policy

import "fmt"

// Kind is the role a policy plays, which decides the rules Validate applies.
type Kind uint8

// The policy kinds. The zero value is Identity.
const (
	Identity            Kind = iota // an identity-based policy (user, group or role; inline or managed)
	Resource                        // a resource-based policy (bucket, queue, topic, ... policy)
	Session                         // a session policy passed to an STS call
	PermissionsBoundary             // a permissions boundary of a user or role
	SCP                             // an AWS Organizations service control policy
	RCP                             // an AWS Organizations resource control policy
	TrustPolicy                     // a role trust policy (the role's resource-based policy)
	KeyPolicy                       // a KMS key policy
)

var kindNames = [...]string{
	Identity:            "identity",
	Resource:            "resource",
	Session:             "session",
	PermissionsBoundary: "boundary",
	SCP:                 "scp",
	RCP:                 "rcp",
	TrustPolicy:         "trust",
	KeyPolicy:           "key",
}

// String returns the kind's short name as the command line spells it:
// identity, resource, session, boundary, scp, rcp, trust or key.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// ParseKind returns the Kind for a short name as String returns it.
func ParseKind(s string) (Kind, error) {
	for k, n := range kindNames {
		if n == s {
			return Kind(k), nil
		}
	}
	return 0, fmt.Errorf("unknown policy kind %q (want identity, resource, session, boundary, scp, rcp, trust or key)", s)
}

// Kinds returns every kind, in order.
func Kinds() []Kind {
	out := make([]Kind, len(kindNames))
	for i := range out {
		out[i] = Kind(i)
	}
	return out
}

// IsResourceBased reports whether policies of this kind are attached to a
// resource and name principals: Resource, TrustPolicy, KeyPolicy and RCP.
func (k Kind) IsResourceBased() bool {
	return k == Resource || k == TrustPolicy || k == KeyPolicy || k == RCP
}
