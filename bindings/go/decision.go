package policy

// #include <stdlib.h>
// #include <policy/policy.h>
import "C"

// Action is what a finding does in an admission decision (policy_action);
// String gives "enforce", "warn" or "audit".
type Action int

const (
	ActionEnforce Action = C.POLICY_ACTION_ENFORCE // the finding denies
	ActionWarn    Action = C.POLICY_ACTION_WARN    // allowed; the finding is reported
	ActionAudit   Action = C.POLICY_ACTION_AUDIT   // allowed; the finding is only logged
)

func (a Action) String() string { return goString(C.policy_action_name(C.int(a))) }

// ParseAction reads "enforce", "warn" or "audit".
func ParseAction(name string) (Action, error) {
	if err := checkString("an action", name); err != nil {
		return 0, err
	}
	cs := cString(name)
	defer freeString(cs)
	if a := C.policy_action_from_name(cs); a != 0 {
		return Action(a), nil
	}
	return 0, invalid("unknown action %q (enforce, warn, audit)", name)
}

// DecisionEntry is one entry of a decision's Deny, Warn or Audit list.
type DecisionEntry struct {
	Kind        string   // "finding", "input" (the document's errors), "rule" (a rule failed), "no-policy"
	Rule        string   // "" for input errors
	Severity    Severity // 0 for errors
	Title       string
	Message     string
	File        string
	Subject     string
	Limit       string // the limit a failed rule hit
	Fingerprint string
	Line        int
	Column      int
	EndLine     int
	EndColumn   int
}

// Decision is what Engine.Decide decided about a document, read from the
// C decision at once (which is then freed): immutable.
type Decision struct {
	Allow  bool   // the Deny list is empty
	Reason string // why not, in one line ("" when allowed)
	Deny   []DecisionEntry
	Warn   []DecisionEntry
	Audit  []DecisionEntry
	JSON   []byte  // the decision as docs/admission.md describes it
	Report *Report // everything the rules reported (a report of its own)
}

// Decide runs the rules over the document as Check does and decides: allow,
// or deny with the entries that decided. It fails closed: input errors,
// failed rules and an engine with no rule are Deny entries. An error means
// no decision was made: a gate must deny.
func (e *Engine) Decide(doc *Document) (*Decision, error) {
	var d *Decision
	err := e.use(func(c *C.policy_engine) error {
		return doc.read(func(dc *C.policy_document) error {
			var out *C.policy_decision
			if err := e.status(C.policy_decide(&out, c, dc)); err != nil {
				return err
			}
			defer C.policy_decision_free(out)
			var err error
			d, err = newDecision(out)
			return err
		})
	})
	return d, err
}

func newDecision(c *C.policy_decision) (*Decision, error) {
	d := &Decision{
		Allow:  C.policy_decision_allowed(c) == 1,
		Reason: goString(C.policy_decision_reason(c)),
		Deny:   decisionEntries(c, C.POLICY_ACTION_ENFORCE),
		Warn:   decisionEntries(c, C.POLICY_ACTION_WARN),
		Audit:  decisionEntries(c, C.POLICY_ACTION_AUDIT),
	}
	var p *C.char
	var n C.size_t
	if st := C.policy_decision_to_json(&p, &n, c, 0); st != C.POLICY_OK {
		return nil, statusError(st, "")
	}
	d.JSON = ownedBytes(p, n)
	r, err := NewReport()
	if err != nil {
		return nil, err
	}
	err = r.change(func(rc *C.policy_report) error {
		// policy_report_merge only reads its source, borrowed from the decision.
		return statusError(C.policy_report_merge(rc, C.policy_decision_report(c)), "")
	})
	if err != nil {
		r.Close()
		return nil, err
	}
	d.Report = r
	return d, nil
}

func decisionEntries(c *C.policy_decision, list C.int) []DecisionEntry {
	var out []DecisionEntry
	for i, n := C.size_t(0), C.policy_decision_count(c, list); i < n; i++ {
		str := func(f C.int) string { return goString(C.policy_decision_get_string(c, list, i, f)) }
		num := func(f C.int) int { return int(C.policy_decision_get_number(c, list, i, f)) }
		out = append(out, DecisionEntry{
			Kind: str(C.POLICY_FIELD_KIND), Rule: str(C.POLICY_FIELD_RULE),
			Severity: Severity(num(C.POLICY_FIELD_SEVERITY)), Title: str(C.POLICY_FIELD_TITLE),
			Message: str(C.POLICY_FIELD_MESSAGE), File: str(C.POLICY_FIELD_FILE),
			Subject: str(C.POLICY_FIELD_SUBJECT), Limit: str(C.POLICY_FIELD_LIMIT),
			Fingerprint: str(C.POLICY_FIELD_FINGERPRINT),
			Line:        num(C.POLICY_FIELD_LINE), Column: num(C.POLICY_FIELD_COLUMN),
			EndLine: num(C.POLICY_FIELD_END_LINE), EndColumn: num(C.POLICY_FIELD_END_COLUMN),
		})
	}
	return out
}

// SetDenyOn enforces findings at or above the severity unless their rule
// has its own action (default SeverityHigh).
func (e *Engine) SetDenyOn(s Severity) error {
	return e.call(func(c *C.policy_engine) C.int { return C.policy_engine_set_deny_on(c, C.int(s)) })
}

// DenyOn is the deny-on severity.
func (e *Engine) DenyOn() Severity {
	var s Severity
	_ = e.use(func(c *C.policy_engine) error { s = Severity(C.policy_engine_deny_on(c)); return nil })
	return s
}

// SetRuleAction sets the action of every rule idOrRef names (by id or a
// ref), loaded before or after the call.
func (e *Engine) SetRuleAction(idOrRef string, a Action) error {
	if err := checkString("a rule id", idOrRef); err != nil {
		return err
	}
	cs := cString(idOrRef)
	defer freeString(cs)
	return e.call(func(c *C.policy_engine) C.int { return C.policy_engine_set_rule_action(c, cs, C.int(a)) })
}

// SetAdmissionMode sets the mode: ActionEnforce (actions as set, the
// default), ActionWarn (nothing denies for a finding) or ActionAudit (a
// dry run: every finding is only audited).
func (e *Engine) SetAdmissionMode(mode Action) error {
	return e.call(func(c *C.policy_engine) C.int { return C.policy_engine_set_admission_mode(c, C.int(mode)) })
}

// AdmissionMode is the engine's mode.
func (e *Engine) AdmissionMode() Action {
	var a Action
	_ = e.use(func(c *C.policy_engine) error { a = Action(C.policy_engine_admission_mode(c)); return nil })
	return a
}
