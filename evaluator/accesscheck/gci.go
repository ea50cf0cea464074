package accesscheck

import (
	"fmt"
	"strings"

	"github.com/iamsim/iamsim/policy"
)

// gciProxy rewrites p so that the action iamsimgci:Proxy matches exactly
// the statements whose Action or NotAction matches sts:GetCallerIdentity
// (the others become placeholders that apply to nothing): the engine decides that
// action without reading any policy, so the proxy stands for it.
func gciProxy(p *policy.Policy, typ PolicyType) (*policy.Policy, bool) {
	out := &policy.Policy{Version: p.Version, ID: p.ID}
	any := false
	for _, st := range p.Statements {
		s := stmt{notAction: st.NotAction != nil}
		if s.notAction {
			s.actions = lower(st.NotAction)
		} else {
			s.actions = lower(st.Action)
		}
		if !s.matchesAction("sts:getcalleridentity") {
			out.Statements = append(out.Statements, placeholder(st, typ))
			continue
		}
		w := st
		w.ActionSpans, w.NotAction = nil, nil
		w.Action = []string{"iamsimgci:Proxy"}
		if st.Effect == policy.Allow {
			any = true
		}
		out.Statements = append(out.Statements, w)
	}
	return out, any
}

// gciNewAccess reports an error when the new policy allows
// sts:GetCallerIdentity for some request the existing one does not, read
// as documents: the engine allows that action always, so no counterexample
// could be verified, and a PASS would be unproven.
func gciNewAccess(existing, newPolicy *policy.Policy, typ PolicyType, opts []Option) error {
	np, any := gciProxy(newPolicy, typ)
	if !any {
		return nil
	}
	op, _ := gciProxy(existing, typ)
	res, err := CheckNoNewAccess(op, np, typ, opts...)
	if err != nil {
		return err
	}
	if res.Result == Fail {
		var sids []string
		for _, r := range res.Reasons {
			sids = append(sids, fmt.Sprint(r.StatementIndex))
		}
		return fmt.Errorf("the new policy's statements %s allow sts:GetCallerIdentity where the existing one does not; that action needs no permission and is always allowed, so no request can prove it: %w",
			strings.Join(sids, ", "), ErrUnsupported)
	}
	return nil
}
