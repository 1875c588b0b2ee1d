package policy

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

const privilegedBody = `{"Image":"alpine:3.20","HostConfig":{"Privileged":true}}`

const hardenedBody = `{"Image":"registry.example.com/app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
 "User":"1000:1000","Healthcheck":{"Test":["CMD","/healthz"]},
 "HostConfig":{"ReadonlyRootfs":true,"CapDrop":["ALL"],"SecurityOpt":["no-new-privileges"],
  "Memory":268435456,"NanoCpus":500000000,"PidsLimit":128,"NetworkMode":"backend",
  "PortBindings":{"8080/tcp":[{"HostIp":"127.0.0.1","HostPort":"8080"}]}}}`

func decide(t *testing.T, e *Engine, doc *Document) *Decision {
	t.Helper()
	d, err := e.Decide(doc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Report.Close() })
	return d
}

func decideBody(t *testing.T, e *Engine, body string) *Decision {
	t.Helper()
	doc, err := e.Parse([]byte(body), KindRequest, "create.json")
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	return decide(t, e, doc)
}

func entry(list []DecisionEntry, rule string) *DecisionEntry {
	for i := range list {
		if list[i].Rule == rule {
			return &list[i]
		}
	}
	return nil
}

func TestDecideDeniesPrivilegedAllowsHardened(t *testing.T) {
	e := newEngine(t)
	d := decideBody(t, e, privilegedBody)
	en := entry(d.Deny, "container-privileged")
	if d.Allow || en == nil || !strings.Contains(d.Reason, "container-privileged") {
		t.Fatalf("privileged: allow=%v reason=%q deny=%+v", d.Allow, d.Reason, d.Deny)
	}
	if en.Kind != "finding" || en.Severity < SeverityHigh || en.File != "create.json" {
		t.Errorf("entry: %+v", *en)
	}
	var j struct {
		Allow bool `json:"allow"`
	}
	if err := json.Unmarshal(d.JSON, &j); err != nil || j.Allow {
		t.Errorf("JSON %s: %v", d.JSON, err)
	}
	found := false
	for _, f := range d.Report.Findings {
		found = found || f.Rule == "container-privileged"
	}
	if !found {
		t.Errorf("the report lacks the finding: %+v", d.Report.Findings)
	}
	d = decideBody(t, e, hardenedBody)
	if !d.Allow || d.Reason != "" || len(d.Deny) != 0 {
		t.Fatalf("hardened: allow=%v reason=%q", d.Allow, d.Reason)
	}
}

func TestDecideFailsClosed(t *testing.T) {
	e := newEngine(t, WithBuiltin(false))
	d := decideBody(t, e, hardenedBody)
	if d.Allow || len(d.Deny) != 1 || d.Deny[0].Kind != "no-policy" {
		t.Fatalf("no rule: %+v", d)
	}
	must(t, e.LoadBuiltinPack("builtin"))
	d = decideBody(t, e, "{not json")
	if d.Allow || d.Deny[0].Kind != "input" || !strings.Contains(d.Reason, "input error") {
		t.Fatalf("bad input: %+v", d)
	}
}

func TestAdmissionSettings(t *testing.T) {
	e := newEngine(t)
	if e.DenyOn() != SeverityHigh || e.AdmissionMode() != ActionEnforce {
		t.Fatalf("defaults: %v %v", e.DenyOn(), e.AdmissionMode())
	}
	root := `{"Image":"alpine:3.20","User":"root"}`
	must(t, e.SetDenyOn(SeverityCritical))
	if d := decideBody(t, e, root); !d.Allow || entry(d.Warn, "image-runs-as-root") == nil {
		t.Fatalf("deny-on critical: %+v", d)
	}
	must(t, e.SetRuleAction("DL3002", ActionEnforce))
	if d := decideBody(t, e, root); d.Allow {
		t.Fatal("a rule's own action does not win")
	}
	must(t, e.SetRuleAction("image-runs-as-root", ActionAudit))
	must(t, e.SetRuleAction("container-image-latest", ActionAudit))
	if d := decideBody(t, e, root); !d.Allow || entry(d.Audit, "image-runs-as-root") == nil {
		t.Fatalf("audit action: %+v", d)
	}
	must(t, e.SetDenyOn(SeverityHigh))
	must(t, e.SetAdmissionMode(ActionWarn))
	if d := decideBody(t, e, privilegedBody); !d.Allow || entry(d.Warn, "container-privileged") == nil {
		t.Fatalf("warn mode: %+v", d)
	}
	if a, err := ParseAction("audit"); err != nil || a != ActionAudit || a.String() != "audit" {
		t.Errorf("ParseAction: %v %v", a, err)
	}
	if _, err := ParseAction("block"); !errors.Is(err, ErrInvalid) {
		t.Errorf("ParseAction(block): %v", err)
	}
	if err := e.SetRuleAction("", ActionWarn); !errors.Is(err, ErrInvalid) {
		t.Errorf("empty rule: %v", err)
	}
	if err := e.SetAdmissionMode(0); !errors.Is(err, ErrInvalid) {
		t.Errorf("mode 0: %v", err)
	}
}

func TestParseArgvDockerRun(t *testing.T) {
	e := newEngine(t)
	doc, err := e.ParseArgv([]string{"docker", "run", "--privileged", "alpine"}, "")
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	if doc.Kind != KindRun || len(doc.Errors) != 0 || doc.Count("containers") != 1 {
		t.Fatalf("document: %+v", doc)
	}
	raw, err := doc.JSON(false, false)
	must(t, err)
	var model struct {
		Containers []struct {
			Privileged bool `json:"privileged"`
		} `json:"containers"`
	}
	must(t, json.Unmarshal(raw, &model))
	if len(model.Containers) != 1 || !model.Containers[0].Privileged {
		t.Fatalf("model: %s", raw)
	}
	d := decide(t, e, doc)
	en := entry(d.Deny, "container-privileged")
	if d.Allow || en == nil || en.File != "command-line" || en.Line != 1 || en.Column != 2 {
		t.Fatalf("decision: %+v", d)
	}
	bad, err := e.ParseArgv([]string{"docker", "run", "--no-such-flag", "alpine"}, "run.sh")
	must(t, err)
	defer bad.Close()
	if bad.Path != "run.sh" || len(bad.Errors) != 1 || bad.Errors[0].Column != 2 {
		t.Errorf("unknown flag: %+v", bad)
	}
	if _, err := e.ParseArgv([]string{"docker", "a\x00b"}, ""); !errors.Is(err, ErrInvalid) {
		t.Errorf("NUL: %v", err)
	}
}

func TestDocumentRequestFields(t *testing.T) {
	e := newEngine(t)
	authz := `{"RequestMethod":"POST","RequestUri":"/v1.44/containers/create","User":"alice",
	  "RequestBody":"eyJJbWFnZSI6ImFscGluZSJ9"}`
	doc, err := e.Parse([]byte(authz), KindRequest, "authz.json")
	must(t, err)
	defer doc.Close()
	if doc.Count("requests") != 1 || doc.Count("nonsense") != 0 {
		t.Fatalf("counts: %d", doc.Count("requests"))
	}
	if v, ok := doc.RequestField(0, "method"); !ok || v != "POST" {
		t.Errorf("method: %q %v", v, ok)
	}
	if v, ok := doc.RequestField(0, "user"); !ok || v != "alice" {
		t.Errorf("user: %q %v", v, ok)
	}
	if _, ok := doc.RequestField(1, "method"); ok {
		t.Error("index 1 exists")
	}
}
