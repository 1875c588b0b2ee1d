package policy

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// inputs are the examples and, when ../shared is there, part of the corpus.
func inputs(t *testing.T) []string {
	var files []string
	ex, _ := filepath.Glob(filepath.Join(examples(t), "*"))
	for _, f := range ex {
		if strings.HasSuffix(f, "Dockerfile") || strings.HasSuffix(f, ".yaml") {
			files = append(files, f)
		}
	}
	shared := os.Getenv("POLICY_SHARED_DIR")
	if shared == "" {
		shared = "../../../shared"
	}
	for _, sub := range []string{"dockerfiles", "compose"} {
		more, _ := filepath.Glob(filepath.Join(shared, "corpus", sub, "*"))
		sort.Strings(more)
		if len(more) > 80 {
			more = more[:80]
		}
		files = append(files, more...)
	}
	return files
}

func kindOf(path string) Kind {
	if strings.Contains(strings.ToLower(path), "dockerfile") {
		return KindDockerfile
	}
	return KindCompose
}

func checkAll(t *testing.T, files []string) map[string]string {
	e, err := NewEngine()
	if err != nil {
		t.Error(err)
		return nil
	}
	defer e.Close()
	out := map[string]string{}
	for _, f := range files {
		doc, err := e.ParseFile(f, kindOf(f))
		if err != nil {
			t.Error(f, err)
			continue
		}
		r, err := e.Check(doc)
		doc.Close()
		if err != nil {
			t.Error(f, err)
			continue
		}
		j, _ := r.JSON(false)
		r.Close()
		out[f] = string(j)
	}
	return out
}

func TestAnEnginePerGoroutine(t *testing.T) {
	files := inputs(t)
	want := checkAll(t, files)
	var mu sync.Mutex
	got := map[string]string{}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		var part []string
		for i := g; i < len(files); i += 4 {
			part = append(part, files[i])
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := checkAll(t, part)
			mu.Lock()
			for k, v := range res {
				got[k] = v
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(got) != len(want) {
		t.Fatal(len(got), len(want))
	}
	for k := range want {
		if got[k] != want[k] {
			t.Fatalf("%s differs on a goroutine", k)
		}
	}
}

func TestADocumentSharedByGoroutinesAndAPool(t *testing.T) {
	e := newEngine(t)
	doc, err := e.ParseFile(filepath.Join(examples(t), "insecure-compose.yaml"), KindAuto)
	must(t, err)
	r, err := e.Check(doc)
	must(t, err)
	want, _ := r.JSON(false)
	pool, err := NewPool(3)
	must(t, err)
	defer pool.Close()
	var wg sync.WaitGroup
	errs := make(chan string, 40)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				r, err := pool.Check(context.Background(), doc)
				if err != nil {
					errs <- err.Error()
					return
				}
				if j, _ := r.JSON(false); string(j) != string(want) {
					errs <- "a report differs"
				}
				r.Close()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
	must(t, doc.Close())
}

func TestASharedEngineIsSerialised(t *testing.T) {
	e := newEngine(t)
	doc, err := e.Parse([]byte(rootDockerfile), KindDockerfile, "Dockerfile")
	must(t, err)
	defer doc.Close()
	var wg sync.WaitGroup
	counts := make([]int, 6)
	for g := range counts {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			r, err := e.Check(doc)
			if err == nil {
				counts[g] = len(r.Findings)
			}
		}(g)
	}
	wg.Wait()
	for _, c := range counts {
		if c == 0 || c != counts[0] {
			t.Fatal(counts)
		}
	}
}

func TestCloseWaitsForCheckingGoroutines(t *testing.T) {
	e := newEngine(t)
	doc, err := e.ParseFile(filepath.Join(examples(t), "insecure-compose.yaml"), KindAuto)
	must(t, err)
	started := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		other, err := NewEngine()
		if err != nil {
			return
		}
		defer other.Close()
		close(started)
		for i := 0; i < 20; i++ {
			if _, err := other.Check(doc); err != nil {
				return // closed meanwhile: an error, never a crash
			}
		}
	}()
	<-started
	must(t, doc.Close())
	<-done
}

func TestCancelFromAnotherGoroutine(t *testing.T) {
	e := newEngine(t, WithIsolation(IsolateNone), WithLimit(LimitTimeMS, 60000),
		WithLimit(LimitInstructions, 1<<50), WithRule("loop.lua", loopRule))
	doc, err := e.Parse([]byte(rootDockerfile), KindDockerfile, "Dockerfile")
	must(t, err)
	defer doc.Close()
	go func() {
		time.Sleep(100 * time.Millisecond)
		e.Cancel()
	}()
	if _, err := e.Check(doc); err == nil || err.(*Error).Status != StatusCancelled {
		t.Fatal(err)
	}
}
