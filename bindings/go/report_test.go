package policy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

func checkFile(t *testing.T, e *Engine, name string) *Report {
	t.Helper()
	doc, err := e.ParseFile(filepath.Join(examples(t), name), KindAuto)
	must(t, err)
	defer doc.Close()
	r, err := e.Check(doc)
	must(t, err)
	return r
}

func TestFindings(t *testing.T) {
	e := newEngine(t)
	r := checkFile(t, e, "insecure.Dockerfile")
	defer r.Close()
	var sudo *Finding
	for i := range r.Findings {
		if r.Findings[i].Rule == "sudo-in-run" {
			sudo = &r.Findings[i]
		}
	}
	if sudo == nil || sudo.Severity != SeverityHigh || sudo.Line < 1 || sudo.Column < 1 ||
		sudo.EndLine < sudo.Line || sudo.Title == "" || len(sudo.Fingerprint) != 16 ||
		sudo.Refs["hadolint"][0] != "DL3004" || !strings.HasSuffix(sudo.File, "insecure.Dockerfile") {
		t.Fatalf("%+v", sudo)
	}
	if r.Files != 1 {
		t.Fatal(r.Files)
	}
	high := 0
	for _, f := range r.Findings {
		if f.Severity >= SeverityHigh {
			high++
		}
	}
	if r.CountAtLeast(SeverityHigh) != high {
		t.Fatal("CountAtLeast")
	}
	if !sort.SliceIsSorted(r.Findings, func(i, j int) bool {
		a, b := r.Findings[i], r.Findings[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.Rule < b.Rule
	}) {
		t.Fatal("findings are not sorted")
	}
}

func TestFormats(t *testing.T) {
	e := newEngine(t)
	r := checkFile(t, e, "insecure-compose.yaml")
	raw, err := r.JSON(true)
	must(t, err)
	var data struct {
		Findings []map[string]interface{} `json:"findings"`
	}
	must(t, json.Unmarshal(raw, &data))
	if len(data.Findings) != len(r.Findings) {
		t.Fatal(len(data.Findings), len(r.Findings))
	}
	text, err := r.Text(false)
	if err != nil || !strings.Contains(text, "privileged") {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "json", "sarif", "junit", "github", "gitlab", "checkstyle", "baseline"} {
		for _, engine := range []*Engine{nil, e} {
			out, err := r.Write(format, engine, false)
			if err != nil || len(out) == 0 {
				t.Fatal(format, err)
			}
		}
	}
	if _, err := r.Write("pdf", nil, false); !errors.Is(err, ErrInvalid) {
		t.Fatal(err)
	}
}

// failingWriter takes `room` bytes, then fails.
type failingWriter struct{ room int }

var errDiskFull = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.room {
		n := w.room
		w.room = 0
		return n, errDiskFull
	}
	w.room -= len(p)
	return len(p), nil
}

func TestWriteToStreamsTheSameBytes(t *testing.T) {
	e := newEngine(t)
	r := checkFile(t, e, "insecure-compose.yaml")
	for _, format := range []string{"text", "json", "sarif", "junit", "github", "gitlab", "checkstyle", "baseline"} {
		for _, engine := range []*Engine{nil, e} {
			want, err := r.Write(format, engine, true)
			must(t, err)
			var got bytes.Buffer
			n, err := r.WriteTo(&got, format, engine, true)
			if err != nil || n != int64(len(want)) || !bytes.Equal(got.Bytes(), want) {
				t.Fatal(format, err, n, len(want))
			}
		}
	}
	n, err := r.WriteTo(&failingWriter{room: 10}, "json", e, false)
	if !errors.Is(err, errDiskFull) || n != 10 {
		t.Fatal(n, err)
	}
	if _, err := r.WriteTo(&bytes.Buffer{}, "pdf", nil, false); !errors.Is(err, ErrInvalid) {
		t.Fatal(err)
	}
}

func TestMergeAndBaseline(t *testing.T) {
	e := newEngine(t)
	one, err := NewReport()
	must(t, err)
	merged, err := NewReport()
	must(t, err)
	for _, name := range []string{"insecure.Dockerfile", "insecure-compose.yaml"} {
		doc, err := e.ParseFile(filepath.Join(examples(t), name), KindAuto)
		must(t, err)
		must(t, e.CheckInto(context.Background(), one, doc))
		part, err := e.Check(doc)
		must(t, err)
		must(t, merged.Merge(part))
		doc.Close()
	}
	a, _ := one.JSON(false)
	b, _ := merged.JSON(false)
	if string(a) != string(b) || len(one.Findings) != len(merged.Findings) {
		t.Fatal("a merged report differs from one report of every check")
	}
	if err := merged.Merge(merged); !errors.Is(err, ErrInvalid) {
		t.Fatal(err)
	}
	// Merging two reports into each other at once cannot deadlock.
	x, _ := NewReport()
	y, _ := NewReport()
	done := make(chan bool)
	for i := 0; i < 2; i++ {
		go func(i int) {
			for k := 0; k < 50; k++ {
				if i == 0 {
					_ = x.Merge(y)
				} else {
					_ = y.Merge(x)
				}
			}
			done <- true
		}(i)
	}
	<-done
	<-done

	base, err := one.Write("baseline", nil, false)
	must(t, err)
	path := filepath.Join(t.TempDir(), "base.json")
	must(t, os.WriteFile(path, base, 0o644))
	baseline, err := e.LoadBaseline(path)
	must(t, err)
	defer baseline.Close()
	if baseline.Len() != len(one.Findings) {
		t.Fatal(baseline.Len())
	}
	must(t, merged.ApplyBaseline(baseline))
	if len(merged.Findings) != 0 || len(merged.Suppressed) == 0 || merged.Suppressed[0].Kind != "baseline" {
		t.Fatalf("%d findings, %d suppressed", len(merged.Findings), len(merged.Suppressed))
	}
	must(t, merged.AddError("missing.Dockerfile", 0, 0, "cannot be read"))
	if merged.Errors[len(merged.Errors)-1].File != "missing.Dockerfile" {
		t.Fatal(merged.Errors)
	}
	merged.Close()
	if len(merged.Findings) != 0 || merged.CountAtLeast(SeverityInfo) != 0 {
		t.Fatal("a closed report")
	}
	if _, err := merged.JSON(false); !errors.Is(err, ErrInvalid) {
		t.Fatal(err)
	}
}

func TestRuleErrorsNameTheLimit(t *testing.T) {
	e := newEngine(t, WithBuiltin(false), WithIsolation(IsolateNone),
		WithLimit(LimitInstructions, 100000), WithRule("loop.lua", loopRule))
	r := check(t, e, rootDockerfile)
	if len(r.Errors) != 1 || r.Errors[0].Rule != "test-loop" || r.Errors[0].Limit != "instructions" ||
		!strings.Contains(r.Errors[0].Message, "POLICY_LIMIT_INSTRUCTIONS") {
		t.Fatalf("%+v", r.Errors)
	}
}

func TestCheckContextCancels(t *testing.T) {
	for _, mode := range []Isolation{IsolateNone, IsolateAll} {
		e := newEngine(t, WithIsolation(mode), WithLimit(LimitTimeMS, 60000),
			WithLimit(LimitInstructions, 1<<50), WithRule("loop.lua", loopRule))
		doc, err := e.Parse([]byte(rootDockerfile), KindDockerfile, "Dockerfile")
		must(t, err)
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		start := time.Now()
		r, err := e.CheckContext(ctx, doc)
		cancel()
		if !errors.Is(err, ErrCancelled) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("isolation %d: %v", mode, err)
		}
		if time.Since(start) > 10*time.Second {
			t.Fatal("the check went on after the deadline")
		}
		if len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Message, "cancelled") {
			t.Fatalf("%+v", r.Errors)
		}
		must(t, e.Ignore("test-loop"))
		r, err = e.Check(doc)
		if err != nil || len(r.Errors) != 0 {
			t.Fatal("the next check starts afresh", err)
		}
		doc.Close()
	}
}
