package policy

// #include <stdlib.h>
// #include <policy/policy.h>
import "C"

import (
	"encoding/json"
	"strings"
)

// Rule is a loaded rule's metadata.
type Rule struct {
	ID          string
	Title       string
	Severity    Severity
	AppliesTo   []string // "image", "container", "document", "request", "vulnerability"
	Description string
	Remediation string
	Origin      string              // the file, or "builtin:<file>"
	Profile     string              // "default", "strict" or "all"
	Refs        map[string][]string // tool ("hadolint", "cis", ...) -> ids
	Pack        string              // the pack it came from; "" for a rule of no pack
	Ignored     bool                // an ignore names it: it does not run
}

func (e *Engine) rule(c *C.policy_engine, i C.size_t) Rule {
	field := func(f C.int) string { return goString(C.policy_engine_rule_string(c, i, f)) }
	sev, _ := ParseSeverity(field(C.POLICY_RULE_SEVERITY))
	r := Rule{
		ID:          field(C.POLICY_RULE_ID),
		Title:       field(C.POLICY_RULE_TITLE),
		Severity:    sev,
		AppliesTo:   splitRefs(field(C.POLICY_RULE_APPLIES_TO)),
		Description: field(C.POLICY_RULE_DESCRIPTION),
		Remediation: field(C.POLICY_RULE_REMEDIATION),
		Origin:      field(C.POLICY_RULE_ORIGIN),
		Profile:     field(C.POLICY_RULE_PROFILE),
		Refs:        map[string][]string{},
		Pack:        goString(C.policy_engine_rule_pack(c, i)),
		Ignored:     C.policy_engine_rule_ignored(c, i) == 1,
	}
	for _, tool := range refTools {
		ct := cString(tool)
		if refs := C.policy_engine_rule_ref(c, i, ct); refs != nil {
			r.Refs[tool] = splitRefs(C.GoString(refs))
		}
		freeString(ct)
	}
	return r
}

// Rules lists the loaded rules in load order.
func (e *Engine) Rules() []Rule {
	var rules []Rule
	_ = e.use(func(c *C.policy_engine) error {
		n := C.policy_engine_rule_count(c)
		for i := C.size_t(0); i < n; i++ {
			rules = append(rules, e.rule(c, i))
		}
		return nil
	})
	return rules
}

// Rule is the first loaded rule with that id or ref (ErrInvalid if none).
func (e *Engine) Rule(idOrRef string) (Rule, error) {
	if err := checkString("a rule id", idOrRef); err != nil {
		return Rule{}, err
	}
	cs := cString(idOrRef)
	defer freeString(cs)
	var r Rule
	err := e.use(func(c *C.policy_engine) error {
		var i C.size_t
		if err := e.status(C.policy_engine_rule_find(&i, c, cs)); err != nil {
			return err
		}
		r = e.rule(c, i)
		return nil
	})
	return r, err
}

// RulesJSON is every rule's metadata as the JSON array of
// policy_engine_rules_to_json.
func (e *Engine) RulesJSON() (json.RawMessage, error) {
	var out []byte
	err := e.use(func(c *C.policy_engine) error {
		var p *C.char
		var n C.size_t
		if err := e.status(C.policy_engine_rules_to_json(&p, &n, c, 0)); err != nil {
			return err
		}
		out = ownedBytes(p, n)
		return nil
	})
	return out, err
}

// ConfigFailOn is the configuration's fail_on (FailOnNone: no finding
// fails), or 0 when unset.
func (e *Engine) ConfigFailOn() Severity {
	var s Severity
	_ = e.use(func(c *C.policy_engine) error { s = Severity(C.policy_engine_config_fail_on(c)); return nil })
	return s
}

// ConfigBuiltin is the configuration's builtin, and whether it was set.
func (e *Engine) ConfigBuiltin() (builtin, set bool) {
	_ = e.use(func(c *C.policy_engine) error {
		v := C.policy_engine_config_builtin(c)
		builtin, set = v == 1, v >= 0
		return nil
	})
	return builtin, set
}

// ConfigExcludes are the globs of the configurations' exclude lists.
func (e *Engine) ConfigExcludes() []string {
	var out []string
	_ = e.use(func(c *C.policy_engine) error {
		for i := C.size_t(0); ; i++ {
			g := C.policy_engine_config_exclude(c, i)
			if g == nil {
				return nil
			}
			out = append(out, C.GoString(g))
		}
	})
	return out
}

// ConfigPacks are the built-in packs the configurations name (their
// packs lists), for the caller to load in place of the default pack.
func (e *Engine) ConfigPacks() []string {
	var out []string
	_ = e.use(func(c *C.policy_engine) error {
		for i := C.size_t(0); ; i++ {
			p := C.policy_engine_config_pack(c, i)
			if p == nil {
				return nil
			}
			out = append(out, C.GoString(p))
		}
	})
	return out
}

// CheckConfig notes (in Warnings) every ignore of the configurations that
// names no loaded rule, and returns how many. Call it after the last rule
// is loaded.
func (e *Engine) CheckConfig() int {
	var n int
	_ = e.use(func(c *C.policy_engine) error { n = int(C.policy_engine_check_config(c)); return nil })
	return n
}

// Warnings are notes for the user (expired ignores, unknown ids, ...).
func (e *Engine) Warnings() []string {
	var out []string
	_ = e.use(func(c *C.policy_engine) error {
		for _, line := range strings.Split(goString(C.policy_engine_warnings(c)), "\n") {
			if line != "" {
				out = append(out, line)
			}
		}
		return nil
	})
	return out
}
