package policy_test

import (
	"fmt"

	"libpolicy/policy"
)

// Checking a Dockerfile held in memory with the built-in pack.
func Example() {
	engine, err := policy.NewEngine()
	if err != nil {
		panic(err)
	}
	defer engine.Close()
	doc, err := engine.Parse([]byte("FROM alpine:3.20\nUSER root\n"), policy.KindDockerfile, "Dockerfile")
	if err != nil {
		panic(err)
	}
	defer doc.Close()
	report, err := engine.Check(doc)
	if err != nil {
		panic(err)
	}
	for _, f := range report.Findings {
		if f.Rule == "image-runs-as-root" {
			fmt.Printf("%s:%d: %s [%s]\n", f.File, f.Line, f.Severity, f.Rule)
		}
	}
	// Output: Dockerfile:2: high [image-runs-as-root]
}
