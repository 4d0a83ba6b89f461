package needs

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/sources/survey"
)

// DemoSeed seeds the synthetic demo register and survey.
const DemoSeed = 20240301

// demoMunicipalities are 2024 municipality codes in Trøndelag and Telemark
// with a relative size (synthetic weights, not statistics).
var demoMunicipalities = []struct {
	code string
	size float64
}{
	{"5001", 40}, {"5006", 5}, {"5007", 4}, {"5014", 1.5}, {"5025", 1.2}, {"5035", 5},
	{"5037", 4}, {"5038", 3}, {"5053", 1.3}, {"5054", 2}, {"5057", 2}, {"5059", 3.5},
	{"4001", 7}, {"4003", 11}, {"4005", 2.5}, {"4010", 0.5}, {"4012", 3}, {"4014", 2}, {"4020", 2}, {"4026", 1.2},
}

// demoIndustries are SN2007 codes with a synthetic frequency and the areas
// firms in them typically need.
var demoIndustries = []struct {
	code  string
	freq  float64
	areas []string
}{
	{"01.110", 6, []string{"naturbruk", "teknologi_industri"}},
	{"03.211", 2, []string{"naturbruk", "teknologi_industri"}},
	{"10.201", 2, []string{"teknologi_industri", "restaurant_mat"}},
	{"25.110", 3, []string{"teknologi_industri", "elektro"}},
	{"41.200", 8, []string{"bygg_anlegg", "ledelse"}},
	{"43.210", 5, []string{"elektro", "bygg_anlegg"}},
	{"45.200", 4, []string{"teknologi_industri", "salg_service"}},
	{"47.110", 8, []string{"salg_service", "okonomi_admin"}},
	{"49.410", 4, []string{"teknologi_industri"}},
	{"56.101", 5, []string{"restaurant_mat", "salg_service"}},
	{"62.010", 4, []string{"ikt", "ledelse"}},
	{"69.201", 3, []string{"okonomi_admin", "ikt"}},
	{"86.211", 2, []string{"helse_oppvekst"}},
	{"88.101", 3, []string{"helse_oppvekst", "ledelse"}},
	{"96.021", 2, []string{"frisor_interior", "salg_service"}},
}

var demoLevels = map[string][]string{
	"naturbruk": {"fagbrev", "vgs"}, "teknologi_industri": {"fagbrev", "fagskole"}, "bygg_anlegg": {"fagbrev", "fagskole"},
	"elektro": {"fagbrev", "fagskole", "uh_kort"}, "salg_service": {"vgs", "kurs"}, "okonomi_admin": {"uh_kort", "kurs"},
	"restaurant_mat": {"fagbrev", "kurs"}, "ikt": {"uh_kort", "uh_lang", "fagskole"}, "helse_oppvekst": {"fagbrev", "uh_kort"},
	"ledelse": {"kurs", "uh_lang"}, "frisor_interior": {"fagbrev"},
}

// demoTexts are free texts: the first of each pair maps by keyword, the
// unmapped ones exercise the unmapped report.
var demoTexts = []string{"Sveisere med sertifikat", "Tømrer til rehabilitering", "Skyløsninger og drift", "Helsefagarbeider",
	"Kokk med fagbrev", "Regnskap og lønn", "Bærekraftsrapportering", "Bærekraftsrapportering", "Kunnskap om ESG", "Norskopplæring for ansatte"}

type demoUnit struct {
	org, muni, industry string
	employees           int
	known               bool
	areas               []string
}

// demoOrgNr returns the i-th synthetic organisation number: "80" and six
// digits, then the MOD11 check digit (numbers whose check digit would be
// 10 are skipped).
func demoOrgNr(i int) func() string {
	n := i
	return func() string {
		for {
			s := fmt.Sprintf("80%06d", n)
			n++
			if d, ok := survey.OrgNrCheckDigit(s); ok {
				return s + string(d)
			}
		}
	}
}

func demoRegister() []demoUnit {
	rng := rand.New(rand.NewPCG(DemoSeed, 1))
	next := demoOrgNr(0)
	var totalInd float64
	for _, in := range demoIndustries {
		totalInd += in.freq
	}
	var units []demoUnit
	for _, m := range demoMunicipalities {
		n := int(math.Round(m.size * 30))
		for k := 0; k < n; k++ {
			x := rng.Float64() * totalInd
			ind := demoIndustries[0]
			for _, in := range demoIndustries {
				if x < in.freq {
					ind = in
					break
				}
				x -= in.freq
			}
			emp := int(math.Exp(rng.NormFloat64()*1.3 + 1.5))
			units = append(units, demoUnit{org: next(), muni: m.code, industry: ind.code, employees: emp, known: rng.Float64() > 0.05, areas: ind.areas})
		}
	}
	return units
}

// WriteDemoRegister writes the synthetic register as a bulk download
// (gzip JSON array of legal units, the shape of /enheter/lastned). Every
// unit is named "SYNTETISK VIRKSOMHET n".
func WriteDemoRegister(w io.Writer) error {
	var items []map[string]any
	for i, u := range demoRegister() {
		it := map[string]any{
			"organisasjonsnummer": u.org, "navn": fmt.Sprintf("SYNTETISK VIRKSOMHET %d", i+1),
			"organisasjonsform":          map[string]string{"kode": "AS", "beskrivelse": "Aksjeselskap"},
			"naeringskode1":              map[string]string{"kode": u.industry},
			"harRegistrertAntallAnsatte": u.known,
			"forretningsadresse":         map[string]string{"kommunenummer": u.muni, "land": "Norge"},
			"konkurs":                    false, "underAvvikling": false,
		}
		if u.known {
			it["antallAnsatte"] = u.employees
		}
		items = append(items, it)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	if err := enc.Encode(items); err != nil {
		return err
	}
	gz, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
	gz.ModTime = time.Time{}
	if _, err := gz.Write(buf.Bytes()); err != nil {
		return err
	}
	return gz.Close()
}

// WriteDemoSurvey writes the synthetic survey: the default template's
// columns plus a column "syntetisk" (always "ja"; the demo mapping lists
// it under ignore:). About one firm in ten of the register answers; a
// fifth of them report no need.
func WriteDemoSurvey(w io.Writer) error {
	rng := rand.New(rand.NewPCG(DemoSeed, 2))
	var b strings.Builder
	b.WriteString(strings.Join(survey.Columns, ";") + ";syntetisk\n")
	start := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, u := range demoRegister() {
		if rng.Float64() > 0.1 {
			continue
		}
		date := start.AddDate(0, 0, rng.IntN(90)).Format(time.DateOnly)
		if rng.Float64() < 0.2 {
			fmt.Fprintf(&b, "%s;%s;%s;;;;;;;ja\n", u.org, u.muni, date)
			continue
		}
		k := 1 + rng.IntN(3)
		used := map[string]bool{}
		for j := 0; j < k; j++ {
			area := u.areas[rng.IntN(len(u.areas))]
			text := ""
			if rng.Float64() < 0.15 {
				area, text = "", demoTexts[rng.IntN(len(demoTexts))]
			}
			levels := demoLevels[area]
			if levels == nil {
				levels = []string{"kurs", "vgs"}
			}
			lvl := levels[rng.IntN(len(levels))]
			if used[area+text+lvl] {
				continue
			}
			used[area+text+lvl] = true
			people := 1 + int(math.Floor(rng.ExpFloat64()*1.5))
			urg := survey.Urgencies[rng.IntN(3)]
			fmt.Fprintf(&b, "%s;%s;%s;%s;%s;%s;%d;%d;%s;ja\n", u.org, u.muni, date, area, text, lvl, people, rng.IntN(6), urg)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
