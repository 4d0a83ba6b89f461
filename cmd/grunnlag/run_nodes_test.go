package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/pipelines/dag"
)

// TestPrintReportNodes: run's output says, for the steps made of nodes,
// how many of them ran ("build: 1 av 3 indikatorer beregnet på nytt").
func TestPrintReportNodes(t *testing.T) {
	rep := &dag.Report{ID: "r1", Steps: []*dag.StepReport{
		{Name: "build", Action: dag.ActionRun, Outcome: "built", Detail: "d",
			Nodes: &dag.Nodes{Ran: []string{"indicator:a"}, Reused: []string{"indicator:b", "indicator:c"}}},
		{Name: "charts", Action: dag.ActionRun, Outcome: "written", Detail: "d",
			Nodes: &dag.Nodes{Ran: []string{"chart:a", "chart:avviksindeks-fylker"}, Reused: []string{"chart:b", "chart:c"}}},
		{Name: "book", Action: dag.ActionRun, Outcome: "written", Detail: "d"},
	}}
	var buf bytes.Buffer
	printReport(&buf, rep)
	for _, want := range []string{"build: 1 av 3 indikatorer beregnet på nytt\n", "charts: 2 av 4 figursett tegnet på nytt\n"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("printReport output lacks %q:\n%s", want, buf.String())
		}
	}
	if strings.Contains(buf.String(), "book: ") {
		t.Errorf("printReport names nodes for a step without any:\n%s", buf.String())
	}
}
