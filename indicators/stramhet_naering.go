package indicators

// NAVIndustryGroups maps the industry names of NAV's Bedriftsundersøkelsen
// (2021 tables) to the SN2007 groups of SSB 13470 they cover ("+" joins
// groups that are summed).
var NAVIndustryGroups = map[string]string{
	"Jordbruk, skogbruk og fiske":                              "01-03",
	"Industrien":                                               "10-33",
	"Bygge- og anleggsvirksomhet":                              "41-43",
	"Varehandel, motorvognreparasjoner":                        "45-47",
	"Transport og lagring":                                     "49-53",
	"Overnattings- og serveringsvirksomhet":                    "55-56",
	"Informasjon og kommunikasjon":                             "58-63",
	"Eiendomsdrift, forretningsmessig og faglig tjenesteyting": "68-75+77-82",
	"Offentlig administrasjon og forsvar, og trygdeordninger underlagt offentlig forvaltning": "84",
	"Undervisning":             "85",
	"Helse- og sosialtjeneste": "86-88",
	"Personlig tjenesteyting":  "90-99",
}

// shortageDataset is the NAV Bedriftsundersøkelsen series by industry (the
// nav-bedriftsundersokelse-naering mapping of sources/nav).
const shortageDataset = "nav_mangel_naering"

// stramhetNaering is stramhet_naering, tightness by industry: NAV's
// estimated shortage of labour (Bedriftsundersøkelsen) in per cent of
// employment by place of work in the same industry, region and year:
//
//	T_ri = mangel_ri / sysselsatte_ri * 100
//
// The shortage series (dataset nav_mangel_naering, dimension Naering) is
// keyed by NAV's industry names, mapped to SN2007 groups of SSB 13470 by
// NAVIndustryGroups (a Naering code that already is an SN2007 group is
// taken as it is); the category is the SN2007 group, its label NAV's name.
// NAV publishes the survey for the counties of its year (Vestfold og
// Telemark 38 in 2021); the employed of such a county are the sum over the
// target municipalities it covers (Region.Members). Where the survey gives
// lower and upper bounds (ContentsCode MangelNedre, MangelOvre), the
// interval is bounds / sysselsatte * 100; else the value carries the flag
// ci_unavailable.
//
// The denominator is the employed, as the issue that defined this
// indicator asks and as counties publish it ("mangler 6100 personer ...
// 2,9 % av de sysselsatte", Telemark fylkeskommune, Bedriftsundersøkelsen
// 2022). NAV's own tightness measure in its reports divides by the desired
// employment instead, employed + shortage (Arbeid og velferd 2/2021, "NAVs
// bedriftsundersøkelse 2021"): NAV's figure is T / (1 + T/100) in these
// units, e.g. 5.0 here is 4.76 there.
func stramhetNaering() *Indicator {
	ind := &Indicator{
		ID:            "stramhet_naering",
		Title:         "Stramhet etter næring (mangel i prosent av sysselsatte)",
		TitleEN:       "Labour market tightness by industry (shortage, per cent of employment)",
		Description:   "NAVs anslag for mangel på arbeidskraft i næringen, i prosent av sysselsatte i næringen i regionen.",
		DescriptionEN: "NAV's estimated labour shortage in the industry, in per cent of employment in the industry in the region.",
		Unit:          "prosent",
		Theme:         ThemeDemand,
		Decimals:      1,
		Formula:       "mangel_ri / sysselsatte_ri * 100",
		FormulaEN:     "shortage_ri / employed_ri * 100",
		Inputs: []Input{
			{Dataset: shortageDataset, Filter: Filter{"ContentsCode": "Mangel"}, Vary: map[string]string{"Naering": "NAVs næringer (SN2007-grupper)"},
				VaryEN: map[string]string{"Naering": "NAV's industries (SN2007 groups)"},
				Note:   "ContentsCode der datasettet har den", NoteEN: "ContentsCode where the dataset has it", Role: "teller"},
			{Dataset: shortageDataset, Filter: Filter{"ContentsCode": "MangelNedre"}, Vary: map[string]string{"Naering": "samme næringer"},
				VaryEN: map[string]string{"Naering": "the same industries"},
				Note:   "nedre grense, der den finnes", NoteEN: "lower bound, where present", Role: "intervall"},
			{Dataset: shortageDataset, Filter: Filter{"ContentsCode": "MangelOvre"}, Vary: map[string]string{"Naering": "samme næringer"},
				VaryEN: map[string]string{"Naering": "the same industries"},
				Note:   "øvre grense, der den finnes", NoteEN: "upper bound, where present", Role: "intervall"},
			{Dataset: industryDataset, Filter: Filter{"ContentsCode": "SysselsatteArb"}, Vary: map[string]string{industryDim: "samme grupper"},
				VaryEN: map[string]string{industryDim: "the same groups"}, Role: "nevner"},
		},
		Numerator:     "estimert mangel på arbeidskraft (personer)",
		NumeratorEN:   "estimated labour shortage (persons)",
		Denominator:   "sysselsatte i næringen etter arbeidssted",
		DenominatorEN: "employed persons in the industry by place of work",
		Levels:        []string{LevelNation, LevelCounty},
		Comparators:   []Comparator{National},
		Direction:     LowerIsBetter,
		Basis:         Survey,
		Disclosure: Disclosure{MinDenominator: 100, Rule: "vises ikke der færre enn 100 er sysselsatt i næringen",
			RuleEN: "not shown where fewer than 100 persons are employed in the industry"},
		Sources:    []string{"NAV Bedriftsundersøkelsen (estimert mangel etter næring og fylke)", "SSB tabell 13470"},
		SourcesEN:  []string{"NAV's Business Survey, Bedriftsundersøkelsen (estimated shortage by industry and county)", "SSB table 13470"},
		Citation:   "NAV Bedriftsundersøkelsen; Statistisk sentralbyrå (SSB), tabell 13470, CC BY 4.0",
		CitationEN: "NAV's Business Survey (Bedriftsundersøkelsen); Statistics Norway (SSB), table 13470, CC BY 4.0",
		Scale:      100,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		short, low, high, emp := ind.Inputs[0], ind.Inputs[1], ind.Inputs[2], ind.Inputs[3]
		ms, es := in.Series[short.Dataset], in.Series[emp.Dataset]
		if ms == nil || es == nil {
			return nil, nil
		}
		hasContents := ms.dim("ContentsCode") >= 0
		filter := func(x Input, name string) Filter {
			f := x.Filter.With("Naering", name)
			if !hasContents {
				delete(f, "ContentsCode")
			}
			return f
		}
		names := ms.Codes("Naering")
		var out []Value
		for _, p := range ms.Periods() {
			for _, r := range in.Regions {
				for _, name := range names {
					m, mok := ms.Get(r.Code, p, filter(short, name))
					if !mok {
						continue
					}
					g := NAVIndustryGroups[name]
					if g == "" {
						g = name
					}
					e, eok := es.GetUnit(r, p, emp.Filter.With(industryDim, g))
					v := ratioValue(ind, r, p, m, e, mok, eok)
					v.Category, v.CategoryLabel = g, ms.Label("Naering", name)
					var lo, hi Cell
					var lok, hok bool
					if hasContents {
						lo, lok = ms.Get(r.Code, p, filter(low, name))
						hi, hok = ms.Get(r.Code, p, filter(high, name))
					}
					if v.Valid && lok && hok && lo.Valid && hi.Valid {
						v.CILow, v.CIHigh = lo.Value/e.Value*100, hi.Value/e.Value*100
					} else if v.Valid {
						v.Flags = append(v.Flags, "ci_unavailable")
					}
					out = append(out, v)
				}
			}
		}
		return out, nil
	}
	return ind
}
