// Command service shows what a service does with inputs it is sent:
// engines that read nothing from the host (no .env, no Dockerfile of a
// build, no environment variable), data from memory, a deadline per
// check, and an answer in JSON. Here the inputs are the files named on
// the command line, read by the program and handed over as bytes.
//
//	go run ./examples/service Dockerfile compose.yaml
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"libpolicy/policy"
)

type answer struct {
	File     string `json:"file"`
	Allowed  bool   `json:"allowed"`
	Findings int    `json:"findings"`
	Error    string `json:"error,omitempty"`
}

func main() {
	engine, err := policy.NewEngine(
		policy.WithHostAccess(policy.HostNone),
		// data your own rules read as data.allowed_registries
		policy.WithDataBuffer("allowed.json", `{"allowed_registries": ["docker.io", "ghcr.io"]}`),
		policy.WithLimit(policy.LimitTimeMS, 2000),
		policy.WithLimit(policy.LimitInputBytes, 1<<20),
	)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	defer engine.Close()
	status := 0
	for _, path := range os.Args[1:] {
		a := check(engine, path)
		if !a.Allowed {
			status = 1
		}
		out, _ := json.Marshal(a)
		fmt.Println(string(out))
	}
	os.Exit(status)
}

func check(engine *policy.Engine, path string) answer {
	a := answer{File: path}
	body, err := os.ReadFile(path)
	if err != nil {
		a.Error = err.Error()
		return a
	}
	doc, err := engine.Parse(body, policy.KindAuto, path)
	if err != nil {
		a.Error = err.Error()
		return a
	}
	defer doc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	report, err := engine.CheckContext(ctx, doc)
	if errors.Is(err, policy.ErrCancelled) {
		a.Error = "took too long"
		return a
	} else if err != nil {
		a.Error = err.Error()
		return a
	}
	defer report.Close()
	a.Findings = len(report.Findings)
	a.Allowed = report.CountAtLeast(policy.SeverityHigh) == 0
	return a
}
