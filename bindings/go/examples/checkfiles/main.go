// Command checkfiles checks files with the built-in pack on a pool of
// engines (one check per goroutine, several at once) and prints what it
// finds as `policy check` would; it exits 1 when something is high or
// worse, or a file could not be checked.
//
//	go run ./examples/checkfiles Dockerfile compose.yaml
package main

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"libpolicy/policy"
)

func main() {
	pool, err := policy.NewPool(4)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer pool.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	reports := make([]*policy.Report, len(os.Args)-1)
	errs := make([]error, len(reports))
	var wg sync.WaitGroup
	for i, path := range os.Args[1:] {
		wg.Add(1)
		go func(i int, path string) {
			defer wg.Done()
			reports[i], errs[i] = checkFile(ctx, pool, path)
		}(i, path)
	}
	wg.Wait()

	status, findings := 0, 0
	for i, r := range reports {
		if errs[i] != nil {
			fmt.Printf("%s: error: %v\n", os.Args[i+1], errs[i])
			status = 1
			continue
		}
		for _, f := range r.Findings {
			msg, _ := policy.EscapeText(f.Message, false)
			fmt.Printf("%s:%d:%d: %s [%s] %s\n", f.File, f.Line, f.Column, f.Severity, f.Rule, msg)
		}
		findings += len(r.Findings)
		if r.CountAtLeast(policy.SeverityHigh) > 0 {
			status = 1
		}
		r.Close()
	}
	fmt.Printf("%d files checked: %d findings\n", len(reports), findings)
	os.Exit(status)
}

func checkFile(ctx context.Context, pool *policy.Pool, path string) (*policy.Report, error) {
	engine, err := pool.Get(ctx)
	if err != nil {
		return nil, err
	}
	defer pool.Put(engine)
	doc, err := engine.ParseFile(path, policy.KindAuto)
	if err != nil {
		return nil, err
	}
	defer doc.Close()
	return engine.CheckContext(ctx, doc)
}
