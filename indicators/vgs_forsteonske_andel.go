package indicators

// applicantDataset is Udir's VGO_Soeker (applicants to upper secondary by
// first choice), by county and programme (dimension Utdprogram; "-10" =
// all programmes, "YF" = the vocational programmes together). No source
// mapping fetches it yet, so the build skips the indicator with a note.
const applicantDataset = "udir_vgo_soker"

// vgsForsteonskeAndel is vgs_forsteonske_andel, the share of applicants
// to Vg1 whose first choice is a vocational programme, by county:
//
//	sum{førsteønske Vg1 yrkesfag} / sum{førsteønske Vg1 alle programmer} * 100
func vgsForsteonskeAndel() *Indicator {
	ind := &Indicator{
		ID:            "vgs_forsteonske_andel",
		Title:         "Søkere til yrkesfag (førsteønske Vg1)",
		TitleEN:       "Applicants with a vocational programme as first choice (Vg1)",
		Description:   "Andel av søkerne til Vg1 som har et yrkesfaglig program som førsteønske.",
		DescriptionEN: "Share of applicants to Vg1 whose first choice is a vocational programme.",
		Unit:          "prosent",
		Formula:       "sum{førsteønske Vg1 yrkesfag} / sum{førsteønske Vg1 alle} * 100",
		Inputs: []Input{
			{Dataset: applicantDataset, Filter: "Utdprogram=YF (yrkesfag), førsteønske Vg1", Role: "teller"},
			{Dataset: applicantDataset, Filter: "Utdprogram=-10 (alle programmer), førsteønske Vg1", Role: "nevner"},
		},
		Numerator:   "søkere med yrkesfag som førsteønske",
		Denominator: "alle søkere til Vg1",
		Levels:      []string{LevelNation, LevelCounty},
		Comparators: []Comparator{National, RestOfCountry},
		Direction:   Neutral,
		Basis:       Register,
		Disclosure:  Disclosure{Rule: "Udirs prikking (*) følges; prikkede tall mangler"},
		Sources:     []string{"Udir VGO_Soeker (søkere til videregående opplæring, førsteønske)"},
		Citation:    "Inneholder data under NLOD, tilgjengeliggjort på data.udir.no",
		Scale:       100,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		return shareByRegion(ind, in,
			applicantDataset, Filter{"Utdprogram": "YF"},
			applicantDataset, Filter{"Utdprogram": completionTotal}), nil
	}
	return ind
}
