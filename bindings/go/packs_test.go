package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const unownedBody = `{"Image": "registry.example.com/shop/api:1.8", "HostConfig": {"Memory": 536870912}}`

func orgPack(t *testing.T) string { return filepath.Join(examples(t), "org-pack") }

func checkBody(t *testing.T, e *Engine, body string) *Report {
	t.Helper()
	doc, err := e.Parse([]byte(body), KindRequest, "create.json")
	must(t, err)
	defer doc.Close()
	r, err := e.Check(doc)
	must(t, err)
	t.Cleanup(func() { r.Close() })
	return r
}

func TestBuiltinPacks(t *testing.T) {
	names := BuiltinPacks()
	if len(names) < 2 || names[0] != "builtin" || !strings.Contains(strings.Join(names, ","), "hadolint") {
		t.Fatalf("BuiltinPacks: %v", names)
	}
}

func TestOrgPackLoadsAndReports(t *testing.T) {
	e := newEngine(t, WithBuiltin(false))
	must(t, e.LoadPack(orgPack(t), ""))
	packs := e.Packs()
	if len(packs) != 1 || packs[0].Name != "org-pack" || packs[0].Version != "1.0.0" || packs[0].SHA256 != "" {
		t.Fatalf("Packs: %+v", packs)
	}
	rules := e.Rules()
	if len(rules) != 3 {
		t.Fatalf("rules: %+v", rules)
	}
	for _, r := range rules {
		if r.Pack != "org-pack" || r.Ignored {
			t.Errorf("rule %s: pack %q ignored %v", r.ID, r.Pack, r.Ignored)
		}
	}
	found := false
	for _, f := range checkBody(t, e, unownedBody).Findings {
		found = found || f.Rule == "org-owner-label"
	}
	if !found {
		t.Error("org-owner-label did not report")
	}
	if n, err := e.RuleSubjects("org-owner-label"); err != nil || n != 1 {
		t.Errorf("RuleSubjects: %d %v", n, err)
	}
	must(t, e.Ignore("org-owner-label"))
	if r, err := e.Rule("org-owner-label"); err != nil || !r.Ignored {
		t.Errorf("ignored: %+v %v", r, err)
	}
}

func TestPackArchiveRoundTrip(t *testing.T) {
	archive := filepath.Join(t.TempDir(), "org-pack.tar.gz")
	sum, err := newEngine(t, WithBuiltin(false)).BuildPack(orgPack(t), archive)
	must(t, err)
	raw, err := os.ReadFile(archive)
	must(t, err)
	if h := sha256.Sum256(raw); hex.EncodeToString(h[:]) != sum {
		t.Fatalf("BuildPack's SHA-256 %s is not the archive's", sum)
	}
	e := newEngine(t, WithBuiltin(false))
	must(t, e.LoadPack(archive, strings.ToUpper(sum)))
	if p := e.Packs(); len(p) != 1 || p[0].SHA256 != sum {
		t.Errorf("Packs: %+v", p)
	}
	e = newEngine(t, WithBuiltin(false))
	if err := e.LoadPack(archive, strings.Repeat("0", 64)); !errors.Is(err, ErrParse) || len(e.Packs()) != 0 {
		t.Errorf("a wrong SHA-256: %v", err)
	}
	if err := e.LoadPack(orgPack(t), sum); !errors.Is(err, ErrInvalid) {
		t.Errorf("a SHA-256 for a folder: %v", err)
	}
}

func TestHadolintPackAddsDLRules(t *testing.T) {
	e := newEngine(t, WithBuiltin(false))
	must(t, e.LoadBuiltinPack("hadolint"))
	rules := e.Rules()
	if len(rules) == 0 {
		t.Fatal("no rule")
	}
	for _, r := range rules {
		// DL rules, and shellcheck, which reports under ShellCheck's SC codes
		if !strings.HasPrefix(r.ID, "DL") && r.ID != "shellcheck" {
			t.Errorf("rule %s is not a DL rule", r.ID)
		}
	}
	r := check(t, e, "FROM debian\nRUN apt-get install -y curl\n")
	found := false
	for _, f := range r.Findings {
		found = found || f.Rule == "DL3008"
	}
	if !found {
		t.Errorf("DL3008 did not report: %+v", r.Findings)
	}
	if err := e.LoadBuiltinPack("no-such-pack"); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown pack: %v", err)
	}
	if err := e.LoadBuiltinPack("hadolint"); err == nil {
		t.Error("a pack loaded twice")
	}
}

func TestCoverage(t *testing.T) {
	e := newEngine(t, WithBuiltin(false), WithIsolation(IsolateNone))
	must(t, e.LoadPack(orgPack(t), ""))
	must(t, e.SetCoverage(true))
	checkBody(t, e, unownedBody)
	cov, err := e.RuleCoverage("org-owner-label")
	if err != nil || cov.Run == 0 || cov.Run > cov.Total {
		t.Fatalf("RuleCoverage: %+v %v", cov, err)
	}
	must(t, e.SetCoverage(false))
	if _, err := e.RuleCoverage("org-owner-label"); !errors.Is(err, ErrInvalid) {
		t.Errorf("coverage off: %v", err)
	}
	isolated := newEngine(t, WithIsolation(IsolateUntrusted))
	if err := isolated.SetCoverage(true); !errors.Is(err, ErrUnsupported) {
		t.Errorf("coverage with isolation: %v", err)
	}
}

func TestEval(t *testing.T) {
	e := newEngine(t, WithBuiltin(false))
	must(t, e.LoadPack(orgPack(t), ""))
	doc, err := e.Parse([]byte(unownedBody), KindRequest, "create.json")
	must(t, err)
	defer doc.Close()
	out, err := e.Eval(doc, "", "container.image.raw", false)
	must(t, err)
	var image string
	if err := json.Unmarshal(out, &image); err != nil || image != "registry.example.com/shop/api:1.8" {
		t.Errorf("Eval: %s %v", out, err)
	}
	if out, err := e.Eval(doc, "org-pack", "return 1, 'a'", true); err != nil || strings.TrimSpace(string(out)) != `[1,"a"]` {
		t.Errorf("Eval of two results: %s %v", out, err)
	}
	if _, err := e.Eval(doc, "", "error('boom')", true); !errors.Is(err, ErrParse) {
		t.Errorf("runtime error: %v", err)
	}
	if _, err := e.Eval(doc, "no-such-pack", "1", true); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown pack: %v", err)
	}
}
