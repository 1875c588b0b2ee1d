// imagebuilder_parse.go: the peer of bench/bench_parse for bench/run.sh.
//
//	imagebuilder_parse [--rounds N] [--min-seconds S] FILE... | @LIST
//
// It reads every file into memory, then parses each one with the Dockerfile
// parser of openshift/imagebuilder (Debian's
// golang-github-openshift-imagebuilder-dev, derived from Docker's), N whole
// rounds and, with --min-seconds, more whole rounds until S seconds have
// passed. Only the parsing is timed. It prints one JSON line with the same
// keys as bench_parse, plus "instructions" (instructions per round).
// "cpu_seconds" counts every thread, so the garbage collector's work on
// other cores shows there and not in "seconds".
//
// bench/run.sh builds it in GOPATH mode (GO111MODULE=off) against the Go
// sources Debian installs under /usr/share/gocode; no network is needed.
package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/openshift/imagebuilder/dockerfile/parser"
)

func peakRSSKB() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return -1
	}
	return ru.Maxrss // kilobytes on Linux
}

// cpuSeconds is the user plus system CPU time of the process so far, all
// threads (the garbage collector's too).
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: imagebuilder_parse [--rounds N] [--min-seconds S] FILE... | @LIST")
	os.Exit(2)
}

func main() {
	rounds := 5
	minSeconds := 0.0
	args := os.Args[1:]
	for len(args) >= 2 {
		var err error
		switch args[0] {
		case "--rounds":
			rounds, err = strconv.Atoi(args[1])
		case "--min-seconds":
			minSeconds, err = strconv.ParseFloat(args[1], 64)
		default:
			goto done
		}
		if err != nil {
			usage()
		}
		args = args[2:]
	}
done:
	if rounds < 1 || minSeconds < 0 || len(args) == 0 {
		usage()
	}

	var paths []string
	for _, a := range args {
		if !strings.HasPrefix(a, "@") {
			paths = append(paths, a)
			continue
		}
		list, err := os.ReadFile(a[1:])
		if err != nil {
			fmt.Fprintf(os.Stderr, "imagebuilder_parse: cannot read %s\n", a)
			os.Exit(2)
		}
		for _, line := range strings.Split(string(list), "\n") {
			if line = strings.TrimSuffix(line, "\r"); line != "" {
				paths = append(paths, line)
			}
		}
	}

	var data [][]byte
	total := 0
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			fmt.Fprintf(os.Stderr, "imagebuilder_parse: cannot read %s (skipped)\n", p)
			continue
		}
		data = append(data, b)
		total += len(b)
	}
	loadedRSS := peakRSSKB()

	parsed, errorsSeen, instructions := 0, 0, 0
	done, dt := 0, 0.0
	c0 := cpuSeconds()
	t0 := time.Now()
	for done < rounds || dt < minSeconds {
		for _, b := range data {
			res, err := parser.Parse(bytes.NewReader(b))
			if err != nil {
				if done == 0 {
					errorsSeen++
				}
				continue
			}
			parsed++
			if done == 0 {
				instructions += len(res.AST.Children)
			}
		}
		done++
		dt = time.Since(t0).Seconds()
	}
	cpu := cpuSeconds() - c0

	fmt.Printf("{\"files\": %d, \"rounds\": %d, \"parsed\": %d, \"files_with_errors\": %d, "+
		"\"bytes\": %d, \"seconds\": %.4f, \"cpu_seconds\": %.4f, \"files_per_second\": %.0f, "+
		"\"mb_per_second\": %.2f, \"loaded_rss_kb\": %d, \"peak_rss_kb\": %d, "+
		"\"instructions\": %d}\n",
		len(data), done, parsed, errorsSeen, total, dt, cpu, float64(parsed)/dt,
		float64(total)*float64(done)/dt/1e6, loadedRSS, peakRSSKB(), instructions)
}
