package policy

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseFileKinds(t *testing.T) {
	e := newEngine(t)
	for name, kind := range map[string]Kind{
		"insecure.Dockerfile": KindDockerfile, "insecure-compose.yaml": KindCompose,
		"insecure-inspect.json": KindInspect, "scan-trivy.json": KindScan,
	} {
		doc, err := e.ParseFile(filepath.Join(examples(t), name), KindAuto)
		if err != nil {
			t.Fatal(name, err)
		}
		if doc.Kind != kind || !strings.HasSuffix(doc.Path, name) || len(doc.Errors) != 0 {
			t.Fatalf("%s: %+v", name, doc)
		}
		must(t, doc.Close())
	}
}

func TestInputProblemsAreInTheDocument(t *testing.T) {
	e := newEngine(t)
	doc, err := e.Parse([]byte("FROM alpine\nFROBNICATE x\n"), KindAuto, "Dockerfile")
	must(t, err)
	defer doc.Close()
	if len(doc.Errors) != 1 || doc.Errors[0].Line != 2 {
		t.Fatalf("%+v", doc.Errors)
	}
	r, err := e.Check(doc)
	must(t, err)
	if len(r.Errors) != 1 || r.Errors[0].Rule != "" || r.Errors[0].Line != 2 {
		t.Fatalf("%+v", r.Errors)
	}
}

func TestBadInputNeverCrashes(t *testing.T) {
	e := newEngine(t)
	inputs := [][]byte{
		nil, []byte("\x00\x00\xff\xfe"), []byte(strings.Repeat("{", 10000)),
		[]byte("services: [1, 2"), []byte("services:\n  x: &a [*a]\n"),
		[]byte("FROM " + strings.Repeat("a", 100000)), []byte("FROM alpine\nRUN echo \u202e\a\n"),
	}
	for _, in := range inputs {
		for _, kind := range []Kind{KindDockerfile, KindCompose, KindInspect, KindRequest, KindScan} {
			doc, err := e.Parse(in, kind, "x")
			must(t, err)
			r, err := e.Check(doc)
			must(t, err)
			_, err = r.JSON(false)
			must(t, err)
			doc.Close()
			r.Close()
		}
	}
	if _, err := e.Parse([]byte("hello"), KindAuto, "notes.txt"); !errors.Is(err, ErrUnsupported) {
		t.Fatal(err)
	}
	if _, err := e.ParseFile("/nonexistent/Dockerfile", KindAuto); !errors.Is(err, ErrIO) ||
		!strings.Contains(err.Error(), "No such file") {
		t.Fatal(err)
	}
	if _, err := e.ParseFile(t.TempDir(), KindDockerfile); !errors.Is(err, ErrIO) {
		t.Fatal(err)
	}
	must(t, e.SetLimit(LimitInputBytes, 10))
	if _, err := e.Parse([]byte(rootDockerfile), KindDockerfile, ""); !errors.Is(err, ErrLimit) {
		t.Fatal(err)
	}
}

func TestParseFdAndCompose(t *testing.T) {
	e := newEngine(t)
	r, w, err := os.Pipe()
	must(t, err)
	_, err = w.WriteString(rootDockerfile)
	must(t, err)
	w.Close()
	doc, err := e.ParseFd(int(r.Fd()), "Dockerfile", KindAuto)
	r.Close()
	must(t, err)
	if doc.Kind != KindDockerfile {
		t.Fatal(doc.Kind)
	}
	doc.Close()

	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "a.yaml"), []byte("services:\n  web:\n    image: nginx\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "b.yaml"), []byte("services:\n  web:\n    privileged: true\n"), 0o644))
	doc, err = e.ParseCompose(filepath.Join(dir, "a.yaml"), filepath.Join(dir, "b.yaml"))
	must(t, err)
	defer doc.Close()
	var model struct {
		Containers []map[string]interface{} `json:"containers"`
	}
	raw, err := doc.JSON(false, false)
	must(t, err)
	must(t, json.Unmarshal(raw, &model))
	if model.Containers[0]["privileged"] != true {
		t.Fatal(string(raw))
	}
	if _, err := e.ParseCompose(); !errors.Is(err, ErrInvalid) {
		t.Fatal(err)
	}
}

func TestComposeWithoutHostAccess(t *testing.T) {
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, ".env"), []byte("TAG=1.27\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte("FROM alpine\nUSER nobody\n"), 0o644))
	text := []byte("services:\n  web:\n    image: nginx:${TAG}\n    build: .\n")
	e := newEngine(t, WithHostAccess(HostNone))
	doc, err := e.Parse(text, KindCompose, filepath.Join(dir, "compose.yaml"))
	must(t, err)
	defer doc.Close()
	raw, _ := doc.JSON(false, false)
	if strings.Contains(string(raw), "1.27") || strings.Contains(string(raw), "nobody") {
		t.Fatal("read the host: ", string(raw))
	}
	var notes []string
	for _, w := range doc.Warnings {
		notes = append(notes, w.Message)
	}
	all := strings.Join(notes, "\n")
	if !strings.Contains(all, ".env is not read") || !strings.Contains(all, "Dockerfile is not read") ||
		!strings.Contains(all, "POLICY_HOST_FILES") {
		t.Fatal(all)
	}
}

func TestLinkScan(t *testing.T) {
	e := newEngine(t)
	scan, err := e.ParseFile(filepath.Join(examples(t), "scan-trivy.json"), KindAuto)
	must(t, err)
	defer scan.Close()
	stack, err := e.ParseFile(filepath.Join(examples(t), "scan-stack.yaml"), KindAuto)
	must(t, err)
	defer stack.Close()
	if n, err := scan.LinkScan(stack); err != nil || n < 1 {
		t.Fatal(n, err)
	}
	if _, err := stack.LinkScan(scan); !errors.Is(err, ErrInvalid) {
		t.Fatal(err)
	}
}

func TestDocumentsOutliveTheirEngine(t *testing.T) {
	e, err := NewEngine()
	must(t, err)
	doc, err := e.Parse([]byte(rootDockerfile), KindDockerfile, "")
	must(t, err)
	e.Close()
	defer doc.Close()
	other := newEngine(t)
	r, err := other.Check(doc)
	if err != nil || len(r.Findings) == 0 {
		t.Fatal(err)
	}
	doc.Close()
	if _, err := other.Check(doc); !errors.Is(err, ErrInvalid) {
		t.Fatal(err)
	}
}
