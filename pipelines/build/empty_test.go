package build

import (
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/indicators"
)

// TestEmptyIndicators: an indicator whose input is present but whose
// filter matches none of its codes gives no row; EmptyIndicators names
// it with the input, the filter and the codes the input does have
// (SYNTHETIC series: ContentsCode HeltLedige and HeltLedigeProsent only).
func TestEmptyIndicators(t *testing.T) {
	s := indicators.NewSeries("arbeidsledige", "ContentsCode")
	for _, code := range []string{"HeltLedige", "HeltLedige_nevner"} {
		if err := s.Set("0", "2024M03", []string{code}, indicators.Cell{Value: 1, Valid: true}); err != nil {
			t.Fatal(err)
		}
	}
	in := &indicators.Inputs{Regions: []indicators.Region{{Code: "0", Level: indicators.LevelNation}},
		Series: map[string]*indicators.Series{"arbeidsledige": s}}
	ind := &indicators.Indicator{ID: "tom", Inputs: []indicators.Input{{Dataset: "arbeidsledige", Filter: indicators.Filter{"ContentsCode": "Ledige"}}}}
	good := &indicators.Indicator{ID: "full", Inputs: ind.Inputs}
	rows := []Row{{Indicator: "full", Region: "0", Period: "2024M03"}}
	got := EmptyIndicators([]*indicators.Indicator{good, ind}, rows, in)
	if len(got) != 1 || got[0].ID != "tom" || len(got[0].Inputs) != 1 {
		t.Fatalf("EmptyIndicators = %+v, want only tom with its one input", got)
	}
	msg := got[0].Message()
	for _, want := range []string{"tom", "arbeidsledige", `"ContentsCode=Ledige"`, "ContentsCode: HeltLedige, HeltLedige_nevner"} {
		if !strings.Contains(msg, want) {
			t.Errorf("Message() = %q, lacks %q", msg, want)
		}
	}
}
