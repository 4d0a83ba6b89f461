package indicators

import "math"

// bedrifterBehovAndel is bedrifter_behov_andel, the weighted share of
// firms reporting a need for a competence area (company needs survey,
// after disclosure control), with a Wilson interval on the effective
// sample size of the weighted estimate (Kish):
//
//	p = sum{w_f * behov_f} / sum{w_f} * 100
//	n_eff = (sum{w_f})^2 / sum{w_f^2}   (respondenter_effektive; the number
//	                                     of responding firms where it is absent)
//	[low, high] = Wilson(p, n_eff, 95 %) * 100
//
// The company-needs survey as a source, and its disclosure rule in English
// ("prikkes når færre enn 3 bedrifter står bak tallet").
var (
	needsSources   = []string{"Fylkeskommunens kartlegging av kompetansebehov (aggregert etter prikking)"}
	needsSourcesEN = []string{"The county authority's survey of competence needs (aggregated after suppression)"}
)

const surveyRuleEN = "suppressed when fewer than 3 firms are behind the figure"

func bedrifterBehovAndel() *Indicator {
	eachArea := map[string]string{"kategori": "hvert område"}
	eachAreaEN := map[string]string{"kategori": "each area"}
	ind := &Indicator{
		ID:            "bedrifter_behov_andel",
		Title:         "Bedrifter med kompetansebehov, etter kompetanseområde",
		TitleEN:       "Firms reporting a competence need, by competence area",
		Description:   "Vektet andel av bedriftene i kartleggingen som oppgir behov innen kompetanseområdet, med usikkerhetsintervall.",
		DescriptionEN: "Weighted share of surveyed firms reporting a need in the competence area, with an interval.",
		Unit:          "prosent",
		Theme:         ThemeDemand,
		Decimals:      1,
		Formula:       "sum{vekt * behov} / sum{vekt} * 100, Wilson-intervall med n = Kish-effektivt utvalg (sum vekt)² / sum vekt²",
		FormulaEN:     "sum{weight * need} / sum{weight} * 100, Wilson interval with n = Kish effective sample size (sum weight)² / sum weight²",
		Inputs: []Input{
			{Dataset: needsDataset, Filter: Filter{"inndeling": "kompetanseomrade", "maal": "virksomheter_med_behov_vektet"},
				Vary: eachArea, VaryEN: eachAreaEN, Role: "teller"},
			{Dataset: needsDataset, Filter: Filter{"inndeling": "kompetanseomrade", "maal": "respondenter_vektet"},
				Vary: eachArea, VaryEN: eachAreaEN, Role: "nevner"},
			{Dataset: needsDataset, Filter: Filter{"inndeling": "kompetanseomrade", "maal": "respondenter"}, Vary: eachArea, VaryEN: eachAreaEN,
				Note: "n for prikking", NoteEN: "n for suppression", Role: "nevner"},
			{Dataset: needsDataset, Filter: Filter{"inndeling": "kompetanseomrade", "maal": "respondenter_effektive"}, Vary: eachArea, VaryEN: eachAreaEN,
				Note: "Kish-effektivt utvalg, n for intervallet", NoteEN: "Kish effective sample size, n for the interval", Role: "nevner", Optional: true},
		},
		Numerator:     "bedrifter med behov (vektet)",
		NumeratorEN:   "firms with a need (weighted)",
		Denominator:   "bedrifter som svarte (vektet)",
		DenominatorEN: "firms that responded (weighted)",
		Levels:        []string{LevelNation, LevelCounty, LevelGrouping},
		Comparators:   []Comparator{National, County},
		Direction:     Neutral,
		Basis:         Survey,
		Disclosure:    Disclosure{MinUnits: 3, Rule: "prikkes når færre enn 3 bedrifter står bak tallet", RuleEN: surveyRuleEN},
		Sources:       needsSources,
		SourcesEN:     needsSourcesEN,
		Citation:      "Kartlegging av kompetansebehov; vektet mot Enhetsregisteret (Brønnøysundregistrene, NLOD)",
		CitationEN:    "Survey of competence needs; weighted to the Central Coordinating Register for Legal Entities (Brønnøysund Register Centre, NLOD)",
		Scale:         100,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		withNeed, respW, resp, eff := ind.Inputs[0], ind.Inputs[1], ind.Inputs[2], ind.Inputs[3]
		s := in.Series[withNeed.Dataset]
		if s == nil {
			return nil, nil
		}
		var out []Value
		for _, p := range s.Periods() {
			for _, r := range in.Regions {
				for _, c := range s.Codes("kategori") {
					// pipelines/needs publishes kompetansebehov long: one row
					// per region, view (inndeling), category and measure (maal).
					num, nok := s.Get(r.Code, p, withNeed.Filter.With("kategori", c))
					den, dok := s.Get(r.Code, p, respW.Filter.With("kategori", c))
					n, _ := s.Get(r.Code, p, resp.Filter.With("kategori", c))
					if !nok && !dok {
						continue
					}
					v := ratioValue(ind, r, p, num, den, nok, dok)
					v.Category, v.CategoryLabel = c, s.Label("kategori", c)
					v.NUnits = int(n.Value)
					if v.Valid && (!n.Valid || n.Value < float64(ind.Disclosure.MinUnits)) {
						v.Valid, v.Value = false, 0
						v.Flags = append(v.Flags, FlagSuppressed)
					}
					if v.Valid {
						nEff := n.Value
						if e, ok := s.Get(r.Code, p, eff.Filter.With("kategori", c)); ok && e.Valid && e.Value > 0 {
							nEff = e.Value
						}
						lo, hi, err := ProportionInterval(math.Min(1, v.Value/100), nEff, 0.95)
						if err != nil {
							return nil, err
						}
						v.CILow, v.CIHigh = lo*100, hi*100
					}
					out = append(out, v)
				}
			}
		}
		return out, nil
	}
	return ind
}
