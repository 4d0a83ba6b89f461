package indicators

import (
	"fmt"
	"strings"
)

// sysselsatteGronnAndel is sysselsatte_gronn_andel, employed in green
// industries per 100 employed, by place of work (SSB 13470):
//
//	sum_{g in G} {e_g} / e_{00-99} * 100
//
// G are the groups of the table's NACE2007 dimension whose every SN2007
// division is listed at division level in the green-industry definition
// gronn.csv ([GreenDefinition.GreenGroups]): with 13470's 16 groups only
// 35-39 (Elektrisitet, vann og renovasjon), so the indicator is the share
// employed in energy, water, sewerage, waste and remediation. A finer
// table (divisions) would be used the same way without a code change.
// Numerator and denominator are sums of published cells; a masked or
// missing group cell makes the value missing, never a smaller share.
// Counties and the nation are as published where 13470 has them, computed
// from municipalities otherwise (flag computed).
func sysselsatteGronnAndel() *Indicator {
	def, defErr := DefaultGreenDefinition()
	divisions, divisionsEN := "(definisjonen kan ikke leses)", "(the definition cannot be read)"
	if defErr == nil {
		var ds []string
		for _, d := range def.Divisions() {
			ds = append(ds, fmt.Sprintf("%02d", d))
		}
		divisions = strings.Join(ds, " ")
		divisionsEN = divisions
	}
	ind := &Indicator{
		ID:            "sysselsatte_gronn_andel",
		Title:         "Sysselsatte i grønne næringer (elektrisitet, vann og renovasjon)",
		TitleEN:       "Employed in green industries (electricity, water and waste)",
		Description:   "Sysselsatte med arbeidssted i regionen i næringer som er grønne etter grunnlags definisjon (gronn.csv), per 100 sysselsatte; med SSB 13470 er det næringsgruppen 35-39 Elektrisitet, vann og renovasjon.",
		DescriptionEN: "Employed by place of work in industries that are green by grunnlag's definition (gronn.csv), per 100 employed; with SSB 13470 that is group 35-39 electricity, water and waste.",
		Unit:          "prosent",
		Theme:         ThemeGreen,
		Decimals:      1,
		Formula:       "sum{sysselsatte i grupper der alle næringer er grønne} / sysselsatte 00-99 * 100",
		FormulaEN:     "sum{employed in groups whose industries are all green} / employed 00-99 * 100",
		Inputs: []Input{
			{Dataset: industryDataset, Filter: Filter{"ContentsCode": "SysselsatteArb"},
				Vary:   map[string]string{industryDim: "gruppene der hver SN2007-næring er grønn i gronn.csv (næringer " + divisions + "), summert"},
				VaryEN: map[string]string{industryDim: "the groups in which every SN2007 division is green in gronn.csv (divisions " + divisionsEN + "), summed"},
				Role:   "teller"},
			{Dataset: industryDataset, Filter: Filter{industryDim: industryTotal, "ContentsCode": "SysselsatteArb"}, Role: "nevner"},
		},
		Numerator:     "sysselsatte etter arbeidssted i grønne næringsgrupper",
		NumeratorEN:   "employed persons by place of work in green industry groups",
		Denominator:   "sysselsatte etter arbeidssted i alle næringer",
		DenominatorEN: "employed persons by place of work in all industries",
		Levels:        AllLevels,
		Comparators:   []Comparator{National, RestOfCountry, County, RegionGroup},
		Direction:     Neutral,
		Basis:         Register,
		Disclosure:    registerDisclosure,
		Sources: []string{"SSB tabell 13470 Sysselsatte per 4. kvartal, etter arbeidssted og næring",
			"Grønne næringer: Eurostat EGSS (forordning (EU) nr. 691/2011 vedlegg V) og EU-taksonomien (delegert forordning (EU) 2021/2139 vedlegg I), se gronn.csv"},
		SourcesEN: []string{"SSB table 13470 Employed persons in the 4th quarter, by place of work and industry",
			"Green industries: Eurostat EGSS (Regulation (EU) No 691/2011, Annex V) and the EU Taxonomy (Delegated Regulation (EU) 2021/2139, Annex I), see gronn.csv"},
		Citation:   "Statistisk sentralbyrå (SSB), tabell 13470, CC BY 4.0; definisjon: grunnlag, indicators/gronn.csv",
		CitationEN: "Statistics Norway (SSB), table 13470, CC BY 4.0; definition: grunnlag, indicators/gronn.csv",
		Caveats: "13470 har bare 16 næringsgrupper, så indikatoren teller hele 35-39: også gassforsyning og fossil kraft og varme (lite i Norge), " +
			"og den kan ikke skille ut fornybar kraft. Den teller ikke grønn virksomhet i andre grupper: installasjon av fornybar energi og " +
			"energieffektivisering (43.2), bygging av kraftanlegg (42.2), jernbane og kollektivtransport (49.1, 49.3), skogbruk (02) og " +
			"klimaforskning (72.1). Den er altså et smalt mål på grønne næringer, ikke på grønne jobber; EGSS-sysselsettingen fordeler seg over alle næringer.",
		CaveatsEN: "13470 has only 16 industry groups, so the indicator counts all of 35-39: gas supply and fossil power and heat as well (little in Norway), " +
			"and it cannot single out renewable power. It does not count green activity in other groups: installation of renewable energy and " +
			"energy efficiency (43.2), construction of power plants (42.2), railways and public transport (49.1, 49.3), forestry (02) and " +
			"climate research (72.1). It is therefore a narrow measure of green industries, not of green jobs; EGSS employment is spread over all industries.",
		Scale: 100,
	}
	ind.Compute = func(in *Inputs) ([]Value, error) {
		if defErr != nil {
			return nil, defErr
		}
		num, den := ind.Inputs[0], ind.Inputs[1]
		s := in.Series[num.Dataset]
		if s == nil {
			return nil, nil
		}
		groups := def.GreenGroups(s.Codes(industryDim))
		if len(groups) == 0 {
			return nil, fmt.Errorf("indicators: %s: dataset %s: no %s code %s is made only of green divisions (%s): %w",
				ind.ID, num.Dataset, industryDim, quoteAll(s.Codes(industryDim)), divisions, ErrUnsuitable)
		}
		return shareByRegion(ind, in, num.Dataset, num.Filter.With(industryDim, strings.Join(groups, "+")), den.Dataset, den.Filter), nil
	}
	return ind
}
