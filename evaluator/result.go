package evaluator

import (
	"fmt"

	"github.com/iamsim/iamsim/policy"
)

// Decision is the outcome of evaluating a request. The zero value is
// ImplicitDeny, so a Result nobody filled in never reads as allowed.
type Decision uint8

// The three decisions, named as AWS's policy simulator names them.
const (
	ImplicitDeny Decision = iota // no explicit deny, but some layer that had to allow did not
	Allowed                      // every layer that had to allow did, and nothing denied
	ExplicitDeny                 // an applicable Deny statement matched
)

// String returns "implicitDeny", "allowed" or "explicitDeny".
func (d Decision) String() string {
	switch d {
	case Allowed:
		return "allowed"
	case ExplicitDeny:
		return "explicitDeny"
	case ImplicitDeny:
		return "implicitDeny"
	}
	return fmt.Sprintf("Decision(%d)", uint8(d))
}

// GoString returns the decision's name, as String does: "allowed",
// "explicitDeny" or "implicitDeny". %#v prints it, and so testify's failure
// messages show `expected: allowed, actual: implicitDeny` rather than 0x1.
func (d Decision) GoString() string { return d.String() }

// ParseDecision returns the Decision that String spells as s.
func ParseDecision(s string) (Decision, error) {
	switch s {
	case "allowed":
		return Allowed, nil
	case "explicitDeny":
		return ExplicitDeny, nil
	case "implicitDeny":
		return ImplicitDeny, nil
	}
	return ImplicitDeny, fmt.Errorf("unknown decision %q (want allowed, explicitDeny or implicitDeny)", s)
}

// MarshalText writes the decision as String does.
func (d Decision) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a decision as String writes it.
func (d *Decision) UnmarshalText(b []byte) error {
	v, err := ParseDecision(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Layer names one kind of policy in AWS's evaluation flowchart.
type Layer uint8

// The layers, in flowchart order. LayerNone is the zero value.
const (
	LayerNone                Layer = iota
	LayerRCP                       // resource control policies of the resource's account
	LayerSCP                       // service control policies of the principal's account
	LayerResource                  // the resource-based policy (or role trust policy, or KMS key policy)
	LayerIdentity                  // identity-based policies of the user or role
	LayerPermissionsBoundary       // the permissions boundary of the user or role
	LayerSession                   // session policies of a role or federated-user session
	numLayers
)

var layerNames = [...]string{"none", "rcp", "scp", "resource", "identity", "boundary", "session"}

// String returns the layer's short name: rcp, scp, resource, identity,
// boundary or session ("none" for LayerNone).
func (l Layer) String() string {
	if int(l) < len(layerNames) {
		return layerNames[l]
	}
	return fmt.Sprintf("Layer(%d)", uint8(l))
}

var layerGoNames = [...]string{"LayerNone", "LayerRCP", "LayerSCP", "LayerResource", "LayerIdentity", "LayerPermissionsBoundary", "LayerSession"}

// GoString returns the layer's Go name, "evaluator.LayerIdentity", ...:
// what %#v prints, and testify shows.
func (l Layer) GoString() string {
	if int(l) < len(layerGoNames) {
		return "evaluator." + layerGoNames[l]
	}
	return fmt.Sprintf("evaluator.Layer(%d)", uint8(l))
}

// StatementRef identifies one statement of one policy, with its place in the
// source so that a reader can find it.
type StatementRef struct {
	PolicyID string
	Kind     policy.Kind
	Index    int // index of the statement in its policy, from 0
	Sid      string
	Span     policy.Span
}

// String returns "policyID[index]" or "policyID[index] (Sid)", followed by the
// statement's start as "at source:line:column" when known.
func (r StatementRef) String() string {
	s := fmt.Sprintf("%s[%d]", r.PolicyID, r.Index)
	if r.Sid != "" {
		s += " (" + r.Sid + ")"
	}
	if pos := r.Span.Start; pos.IsValid() {
		if pos.Source != "" {
			s += " at " + pos.Source + ":"
		} else {
			s += " at "
		}
		s += fmt.Sprintf("%d:%d", pos.Line, pos.Column)
	}
	return s
}

// Name returns the statement's Sid, or its policy id when it has no Sid.
func (r StatementRef) Name() string {
	if r.Sid != "" {
		return r.Sid
	}
	return r.PolicyID
}

// MatchClass says how a resource-based policy's Principal matched the caller
// (docs/semantics.md §1.4). It decides what else must allow.
type MatchClass uint8

// The match classes, weakest first.
const (
	MatchNone    MatchClass = iota // no applicable Allow
	MatchAccount                   // names the caller's account: delegation, identity policies must allow
	MatchEntity                    // names the role of a session, or the IAM user that federated a session
	MatchDirect                    // names the caller itself (user, session, federated user) or "*"
	MatchRoot                      // the caller is the root user of the named account
	MatchService                   // the caller is the named service principal
)

var matchClassNames = [...]string{"none", "account", "entity", "direct", "root", "service"}

// String returns the class name.
func (c MatchClass) String() string {
	if int(c) < len(matchClassNames) {
		return matchClassNames[c]
	}
	return fmt.Sprintf("MatchClass(%d)", uint8(c))
}

// LayerResult is what one layer of the flowchart contributed.
type LayerResult struct {
	Layer Layer
	// Decision is the layer's own verdict: ExplicitDeny when one of its Deny
	// statements applied, Allowed when it had the Allow it needed (for SCP and
	// RCP layers: at every org level), ImplicitDeny otherwise.
	Decision Decision
	// Matched are the statements that gave the layer's verdict: its applicable
	// Deny statements, or else its applicable Allow statements.
	Matched []StatementRef
	// Class is, for LayerResource, the strongest principal match among the
	// applicable Allow statements.
	Class MatchClass
	// FailedLevel is, for SCP and RCP layers that denied implicitly, the index
	// of the first org level with no applicable Allow (0 is the root).
	FailedLevel int
}

// Result is the decision on one request and why.
type Result struct {
	Decision Decision
	// DecidedBy is the layer that decided: the layer of the first matching Deny
	// for ExplicitDeny; the layer that had no Allow for ImplicitDeny; the
	// layer whose Allow was final for Allowed (LayerNone when no policy was
	// needed, as for sts:GetCallerIdentity or the root user).
	DecidedBy Layer
	// Matched are the statements that decided, as AWS's simulator reports
	// them: only the Deny statements when a deny decides; otherwise the Allow
	// statements of the layers that had to allow.
	Matched []StatementRef
	// MissingContext lists, sorted, the condition keys that conditions
	// consulted but the request did not supply, including keys every
	// request carries whose value the principal does not tell (the unique
	// ID in an IAM user's aws:userid): the decision then assumed that an
	// Allow depending on them did not apply and a Deny did.
	MissingContext []string
	// Layers has one entry per layer that applied to the request, in
	// flowchart order. Layers that do not apply (no SCPs given, a principal
	// that SCPs do not reach, no boundary, ...) are left out. A Result
	// shares nothing with the Engine or with other Results.
	Layers []LayerResult
	// CrossAccount reports whether the principal's account differs from the
	// resource's, so that both sides had to allow.
	CrossAccount bool
	// Trace is the step-by-step explanation, filled only with WithTrace.
	Trace *Trace
}

// Layer returns the entry for layer l and whether it applied.
func (r *Result) Layer(l Layer) (LayerResult, bool) {
	for _, lr := range r.Layers {
		if lr.Layer == l {
			return lr, true
		}
	}
	return LayerResult{}, false
}

// AllowedByOrganizations mirrors AWS's OrganizationsDecisionDetail: whether
// the SCPs (and RCPs) that applied allowed the request. applies is false when
// no organization policy applied.
func (r *Result) AllowedByOrganizations() (allowed, applies bool) {
	allowed = true
	for _, lr := range r.Layers {
		if lr.Layer == LayerSCP || lr.Layer == LayerRCP {
			applies = true
			if lr.Decision != Allowed {
				allowed = false
			}
		}
	}
	return allowed && applies, applies
}

// AllowedByPermissionsBoundary mirrors AWS's PermissionsBoundaryDecisionDetail.
// applies is false when the principal has no permissions boundary.
func (r *Result) AllowedByPermissionsBoundary() (allowed, applies bool) {
	lr, ok := r.Layer(LayerPermissionsBoundary)
	return ok && lr.Decision == Allowed, ok
}
