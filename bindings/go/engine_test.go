package policy

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const rootDockerfile = "FROM alpine:3.20\nUSER root\n"

const dataRule = `return {
  id = 'test-data', title = 'data', severity = 'medium', applies_to = 'document',
  description = 'd', remediation = 'r', refs = {hadolint = 'DL9999'},
  check = function(doc)
    if data.registry then report(doc, 'registry ' .. data.registry) end
  end,
}`

const loopRule = `return {
  id = 'test-loop', title = 'loops', severity = 'low', applies_to = 'document',
  description = 'd', remediation = 'r',
  check = function(doc) while true do end end,
}`

func examples(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../../examples")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func newEngine(t *testing.T, opts ...Option) *Engine {
	t.Helper()
	e, err := NewEngine(opts...)
	if err != nil {
		t.Fatalf("NewEngine: %v", err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func check(t *testing.T, e *Engine, text string) *Report {
	t.Helper()
	doc, err := e.Parse([]byte(text), KindDockerfile, "Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	r, err := e.Check(doc)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func ruleIDs(r *Report) map[string]bool {
	ids := map[string]bool{}
	for _, f := range r.Findings {
		ids[f.Rule] = true
	}
	return ids
}

func TestVersions(t *testing.T) {
	if ABIVersion() != 1 || VersionNumber() == 0 || strings.Count(Version(), ".") != 2 {
		t.Fatalf("versions: %d %d %q", ABIVersion(), VersionNumber(), Version())
	}
}

func TestBuiltinRules(t *testing.T) {
	e := newEngine(t)
	rules := e.Rules()
	if len(rules) < 50 {
		t.Fatalf("%d rules", len(rules))
	}
	r, err := e.Rule("DL3002")
	if err != nil || r.ID != "image-runs-as-root" || r.Severity != SeverityHigh || r.Severity.String() != "high" {
		t.Fatalf("Rule(DL3002) = %+v, %v", r, err)
	}
	if !strings.HasPrefix(r.Origin, "builtin:") || r.Refs["hadolint"][0] != "DL3002" {
		t.Fatalf("rule metadata: %+v", r)
	}
	if _, err := e.Rule("no-such-rule"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("unknown rule: %v", err)
	}
	var list []map[string]interface{}
	raw, err := e.RulesJSON()
	if err != nil || json.Unmarshal(raw, &list) != nil || len(list) != len(rules) {
		t.Fatalf("RulesJSON: %v, %d entries", err, len(list))
	}
	if !ruleIDs(check(t, e, rootDockerfile))["image-runs-as-root"] {
		t.Fatal("USER root is not found")
	}
}

func TestRuleAndDataFromMemory(t *testing.T) {
	e := newEngine(t, WithBuiltin(false), WithIsolation(IsolateNone),
		WithRule("data.lua", dataRule), WithDataBuffer("d.json", `{"registry": "ghcr.io"}`))
	r := check(t, e, rootDockerfile)
	if len(r.Findings) != 1 || r.Findings[0].Message != "registry ghcr.io" {
		t.Fatalf("findings: %+v", r.Findings)
	}
	if err := e.LoadDataBuffer("more.yaml", []byte("registry: quay.io\n")); err != nil {
		t.Fatal(err)
	}
	if m := check(t, e, rootDockerfile).Findings[0].Message; m != "registry quay.io" {
		t.Fatal(m)
	}
}

func TestFilesAndConfiguration(t *testing.T) {
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "data.lua"), []byte(dataRule), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "data.yaml"), []byte("registry: docker.io\n"), 0o644))
	config := filepath.Join(dir, ".policy.yaml")
	must(t, os.WriteFile(config, []byte("builtin: false\nfail_on: medium\npolicies: [data.lua]\n"+
		"data: [data.yaml]\nexclude: [vendor]\n"), 0o644))
	e := newEngine(t, WithConfig(config), WithIsolation(IsolateNone))
	if b, set := e.ConfigBuiltin(); b || !set {
		t.Fatal("builtin: false is not read")
	}
	if e.ConfigFailOn() != SeverityMedium || strings.Join(e.ConfigExcludes(), ",") != "vendor" {
		t.Fatal("fail_on or exclude")
	}
	if len(e.Rules()) != 1 || check(t, e, rootDockerfile).Findings[0].Message != "registry docker.io" {
		t.Fatal("the configuration's rule and data")
	}
	must(t, os.WriteFile(config, []byte("packs: [hadolint]\n"), 0o644))
	h := newEngine(t, WithConfig(config))
	if strings.Join(h.ConfigPacks(), ",") != "hadolint" || len(h.Packs()) != 1 || h.Packs()[0].Name != "hadolint" {
		t.Fatalf("packs: [hadolint] loads that pack alone: %v", h.ConfigPacks())
	}
	must(t, e.LoadConfigBuffer(".hadolint.yaml", []byte("no-fail: true\n")))
	if e.ConfigFailOn() != FailOnNone || FailOnNone.String() != "none" {
		t.Fatal("hadolint's no-fail is FailOnNone")
	}
	err := e.LoadConfigBuffer("svc.yaml", []byte("limits:\n  instructionz: 3\n"))
	var perr *Error
	if !errors.As(err, &perr) || perr.Status != StatusParse || !strings.Contains(perr.Message, "svc.yaml:2:") {
		t.Fatalf("bad configuration: %v", err)
	}
	must(t, e.LoadConfigBuffer("svc.yaml", []byte("ignore: [{id: nothing-here, reason: test}]\n")))
	if e.CheckConfig() != 1 || !strings.Contains(strings.Join(e.Warnings(), "\n"), "nothing-here") {
		t.Fatal("CheckConfig")
	}
}

func TestLimitsAndSettings(t *testing.T) {
	e := newEngine(t, WithLimit(LimitTimeMS, 1500), WithHostAccess(HostFiles))
	if v, err := e.Limit(LimitTimeMS); err != nil || v != 1500 {
		t.Fatal(v, err)
	}
	if err := e.SetLimit(LimitInstructions, 0); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "between 1") {
		t.Fatal(err)
	}
	if e.HostAccess() != HostFiles {
		t.Fatal(e.HostAccess())
	}
	must(t, e.SetIsolation(IsolateNone))
	if e.Isolation() != IsolateNone {
		t.Fatal(e.Isolation())
	}
	if err := e.SetIsolation(9); !errors.Is(err, ErrInvalid) {
		t.Fatal(err)
	}
	must(t, e.SetBuildArg("BASE", "busybox", false))
	must(t, e.SetTarget("one"))
	doc, err := e.Parse([]byte("ARG BASE=alpine\nFROM ${BASE} AS one\nFROM debian\n"), KindDockerfile, "Dockerfile")
	must(t, err)
	defer doc.Close()
	model, err := doc.JSON(false, false)
	must(t, err)
	if !strings.Contains(string(model), "busybox") {
		t.Fatal(string(model))
	}
	must(t, e.SetTarget(""))
	must(t, e.SetBuildArg("BASE", "", true))
}

func TestIgnore(t *testing.T) {
	e := newEngine(t, WithIgnore("DL3002"), WithProfile("strict"))
	if ids := ruleIDs(check(t, e, rootDockerfile)); ids["image-runs-as-root"] || !ids["healthcheck-missing"] {
		t.Fatal("ignored by ref", ids)
	}
	must(t, e.Ignore("healthcheck-missing"))
	if ruleIDs(check(t, e, rootDockerfile))["healthcheck-missing"] {
		t.Fatal("ignored by id")
	}
}

func TestProfiles(t *testing.T) {
	e := newEngine(t)
	if e.Profile() != "default" || ruleIDs(check(t, e, rootDockerfile))["healthcheck-missing"] {
		t.Fatal("a strict rule ran in the default profile")
	}
	for _, r := range e.Rules() {
		if r.ID == "healthcheck-missing" && r.Profile != "strict" || r.ID == "image-runs-as-root" && r.Profile != "default" {
			t.Fatalf("%s: profile %q", r.ID, r.Profile)
		}
	}
	must(t, e.SetProfile("strict"))
	if e.Profile() != "strict" || !ruleIDs(check(t, e, rootDockerfile))["healthcheck-missing"] {
		t.Fatal("the strict profile did not run healthcheck-missing")
	}
	if err := e.SetProfile("paranoid"); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "paranoid") {
		t.Fatal(err)
	}
	if e.Profile() != "strict" {
		t.Fatal("an unknown name changed the profile")
	}
	if all := newEngine(t, WithProfile("all")); all.Profile() != "all" {
		t.Fatal(all.Profile())
	}
	if _, err := NewEngine(WithProfile("paranoid")); !errors.Is(err, ErrInvalid) {
		t.Fatal(err)
	}
}

func TestErrorsCarryTheEngineMessage(t *testing.T) {
	e := newEngine(t, WithBuiltin(false))
	err := e.LoadRule("broken.lua", []byte("return {"))
	if !errors.Is(err, ErrParse) || !strings.Contains(err.Error(), "broken.lua:1") {
		t.Fatalf("%v", err)
	}
	if err := e.LoadRules("/nonexistent/rules"); !errors.Is(err, ErrIO) {
		t.Fatal(err)
	}
	if err := e.Ignore("a\x00b"); !errors.Is(err, ErrInvalid) {
		t.Fatal(err)
	}
	if _, err := NewEngine(WithPolicies("/nonexistent/rules")); !errors.Is(err, ErrIO) {
		t.Fatal(err)
	}
	if StatusLimit.String() != "input exceeds a limit" || (&Error{Status: StatusCancelled}).Error() != "the check was cancelled" {
		t.Fatal("status texts")
	}
}

func TestClosedEngine(t *testing.T) {
	e, err := NewEngine(WithBuiltin(false))
	must(t, err)
	must(t, e.Close())
	must(t, e.Close())
	if _, err := e.Parse([]byte("FROM alpine\n"), KindDockerfile, ""); !errors.Is(err, ErrInvalid) {
		t.Fatal(err)
	}
	e.Cancel() // harmless after Close
}

func TestEscapeText(t *testing.T) {
	s, err := EscapeText("a\x1b[31mb\n", false)
	if err != nil || s != `a\x1B[31mb\x0A` {
		t.Fatalf("%q %v", s, err)
	}
	if _, err := ParseSeverity("severe"); !errors.Is(err, ErrInvalid) {
		t.Fatal(err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
