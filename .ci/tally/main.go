// Command tally reads `go test -json` output of one kind of reliability
// case on standard input and prints how many were tried and how many held.
// A case is a leaf test: a subtest with no subtests of its own, or a
// top-level test without subtests. It exits 1 when a case failed, a
// package failed to build, or no case ran.
//
//	go test -json -run '^TestConformance$' ./sources/all | go run ./.ci/tally -kind faults
//
// .ci/reliability runs the whole suite (the list is .ci/reliability.txt).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// held is the word for a case that held, by kind.
var held = map[string]string{"faults": "survived", "kills": "survived", "bad-inputs": "handled"}

func main() {
	kind := flag.String("kind", "faults", "the kind of cases read: faults, kills or bad-inputs")
	flag.Parse()
	status := map[string]string{} // package + " " + test → pass, fail or skip
	parents := map[string]bool{}
	broken := map[string]bool{} // packages whose tests did not run
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue
		}
		if e.Test == "" {
			if e.Action == "fail" {
				broken[e.Package] = true
			}
			continue
		}
		if e.Action != "pass" && e.Action != "fail" && e.Action != "skip" {
			continue
		}
		status[e.Package+" "+e.Test] = e.Action
		if i := strings.LastIndex(e.Test, "/"); i > 0 {
			parents[e.Package+" "+e.Test[:i]] = true
		}
	}
	pass, fail, skip := 0, 0, 0
	var failed []string
	for key, act := range status {
		if parents[key] {
			continue
		}
		switch act {
		case "pass":
			pass++
		case "fail":
			fail++
			failed = append(failed, key)
		case "skip":
			skip++
		}
	}
	for key, act := range status {
		if act == "fail" && parents[key] {
			delete(broken, strings.SplitN(key, " ", 2)[0])
		}
	}
	for key := range status {
		delete(broken, strings.SplitN(key, " ", 2)[0]) // tests ran; a failure is counted above
	}
	word := held[*kind]
	if word == "" {
		word = "held"
	}
	line := fmt.Sprintf("%-10s tried %4d, %s %4d, failed %d", *kind, pass+fail, word, pass, fail)
	if skip > 0 {
		line += fmt.Sprintf(", skipped %d", skip)
	}
	fmt.Println(line)
	sort.Strings(failed)
	for _, f := range failed {
		fmt.Println("  FAILED:", f)
	}
	var pkgs []string
	for p := range broken {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	for _, p := range pkgs {
		fmt.Println("  DID NOT RUN:", p)
	}
	if fail > 0 || len(pkgs) > 0 || pass == 0 {
		os.Exit(1)
	}
}
