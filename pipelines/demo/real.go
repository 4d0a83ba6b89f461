package demo

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Source file names inside srcDir.
const (
	fileKommuner    = "kommuner_2024.csv"
	fileFylker      = "fylker_2024.csv"
	fileCrosswalk   = "kommune_metadata.csv"
	fileEducation   = "utdanningsnivaa.csv"
	fileEmployment  = "sysselsetting_i_kommunene.csv"
	fileUnemployed  = "arbeidsledighet.csv"
	telemarkCounty  = "40"
	firstYear       = 2015
	lastYear        = 2025
	vintage2019Last = 2019
	vintage2023Last = 2023
)

// nameCode is one row of kommuner_2024.csv or fylker_2024.csv.
type nameCode struct{ code, name string }

// xwalk is one 2024 Telemark municipality with its older codes.
type xwalk struct {
	code24, name24 string
	code23, name23 string
	codes19        []string // two for Midt-Telemark (0821 Bø, 0822 Sauherad)
	names19        []string // as in NummerOgNavn_19 without the number: "Bø (Telemark)"
}

// readCSV reads a whole CSV file with the given separator, dropping a UTF-8
// BOM. Rows keep their 1-based line number in the error messages of callers
// through the returned slice index (row i is line i+1).
func readCSV(dir, name string, sep rune) ([][]string, error) {
	path := filepath.Join(dir, name)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma = sep
	var rows [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("demo: %s: %w", path, err)
		}
		rows = append(rows, rec)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("demo: %s: no data rows", path)
	}
	return rows, nil
}

// header maps column names to positions and checks that want are present.
func header(name string, row []string, want ...string) (map[string]int, error) {
	h := make(map[string]int, len(row))
	for i, c := range row {
		h[strings.TrimSpace(c)] = i
	}
	for _, w := range want {
		if _, ok := h[w]; !ok {
			return nil, fmt.Errorf("demo: %s: line 1: missing column %q", name, w)
		}
	}
	return h, nil
}

func readNameCodes(dir, name, codeCol, nameCol string, width int) ([]nameCode, error) {
	rows, err := readCSV(dir, name, ';')
	if err != nil {
		return nil, err
	}
	h, err := header(name, rows[0], codeCol, nameCol)
	if err != nil {
		return nil, err
	}
	out := make([]nameCode, 0, len(rows)-1)
	for i, r := range rows[1:] {
		c := r[h[codeCol]]
		if len(c) != width {
			return nil, fmt.Errorf("demo: %s: line %d: code %q is not %d digits", name, i+2, c, width)
		}
		out = append(out, nameCode{code: c, name: r[h[nameCol]]})
	}
	return out, nil
}

// readCrosswalk returns the Telemark rows of kommune_metadata.csv, one per
// 2024 municipality, in 2024-code order.
func readCrosswalk(dir string) ([]*xwalk, error) {
	rows, err := readCSV(dir, fileCrosswalk, ';')
	if err != nil {
		return nil, err
	}
	h, err := header(fileCrosswalk, rows[0], "Kommunenummer_19", "NummerOgNavn_19",
		"Kommunenummer_23", "Kommunenavn_23", "Kommunenummer_24", "Kommunenavn_24")
	if err != nil {
		return nil, err
	}
	by24 := map[string]*xwalk{}
	var out []*xwalk
	for i, r := range rows[1:] {
		c24 := r[h["Kommunenummer_24"]]
		if !strings.HasPrefix(c24, telemarkCounty) {
			continue
		}
		c19 := r[h["Kommunenummer_19"]]
		n, err := strconv.Atoi(c19)
		if err != nil || n <= 0 || n > 9999 {
			return nil, fmt.Errorf("demo: %s: line %d: column Kommunenummer_19: bad code %q", fileCrosswalk, i+2, c19)
		}
		c19 = fmt.Sprintf("%04d", n)
		name19 := strings.TrimSpace(strings.TrimPrefix(r[h["NummerOgNavn_19"]], c19))
		x := by24[c24]
		if x == nil {
			x = &xwalk{code24: c24, name24: r[h["Kommunenavn_24"]],
				code23: r[h["Kommunenummer_23"]], name23: r[h["Kommunenavn_23"]]}
			by24[c24] = x
			out = append(out, x)
		}
		x.codes19 = append(x.codes19, c19)
		x.names19 = append(x.names19, name19)
	}
	sortBy(out, func(x *xwalk) string { return x.code24 })
	return out, nil
}

// eduKey addresses one real 09429 cell.
type eduKey struct {
	code   string // native region code
	level  int    // index into nivaaCodes
	sex    int    // index into kjonnCodes
	pct    bool   // PersonerProsent
	period int
}

// realCell is a real value; ok is false when the source has no number.
type realCell struct {
	v  float64
	ok bool
}

// telemarkRegions holds the native Telemark codes with the labels used in
// the real file.
type telemarkRegions struct {
	label map[string]string // native code -> label ("Bamble (-2019)")
	byLab map[string]string // label -> native code
}

// regionLabels maps the labels of utdanningsnivaa.csv to native codes: a
// label "Name (…-2019)" is the 2019 code of Name, "Name (2020-2023)" its 2023
// code and a bare "Name" its 2024 code.
func regionLabels(xs []*xwalk, labels []string) (*telemarkRegions, error) {
	tr := &telemarkRegions{label: map[string]string{}, byLab: map[string]string{}}
	for _, lab := range labels {
		name, suffix := splitValidity(lab)
		code := ""
		for _, x := range xs {
			switch {
			case strings.HasSuffix(suffix, "-2019"):
				for i, n := range x.names19 {
					if n == name {
						code = x.codes19[i]
					}
				}
			case suffix == "2020-2023":
				if x.name23 == name {
					code = x.code23
				}
			case suffix == "":
				if x.name24 == name {
					code = x.code24
				}
			}
		}
		if code == "" {
			return nil, fmt.Errorf("demo: %s: region %q matches no code in %s", fileEducation, lab, fileCrosswalk)
		}
		if old, dup := tr.label[code]; dup && old != lab {
			return nil, fmt.Errorf("demo: %s: regions %q and %q both map to %s", fileEducation, old, lab, code)
		}
		tr.label[code] = lab
		tr.byLab[lab] = code
	}
	return tr, nil
}

// splitValidity splits "Kragerø (1960-2019)" into "Kragerø" and "1960-2019".
// "Bø (Telemark) (-2019)" gives "Bø (Telemark)" and "-2019"; a label without
// a year suffix is returned whole.
func splitValidity(lab string) (name, suffix string) {
	i := strings.LastIndex(lab, " (")
	if i < 0 || !strings.HasSuffix(lab, ")") {
		return lab, ""
	}
	s := lab[i+2 : len(lab)-1]
	if !strings.Contains(s, "-") || strings.Trim(s, "0123456789-") != "" {
		return lab, ""
	}
	return lab[:i], s
}

// Labels of utdanningsnivaa.csv, in the order of nivaaCodes and kjonnCodes.
var (
	eduLevelLabels = []string{"Grunnskolenivå", "Videregående skolenivå", "Fagskolenivå",
		"Universitets- og høgskolenivå, kort", "Universitets- og høgskolenivå, lang",
		"Uoppgitt eller ingen fullført utdanning"}
	eduSexLabels = []string{"Begge kjønn", "Menn", "Kvinner"}
)

const (
	eduVarCount = "Personer 16 år og over"
	eduVarPct   = "Personer 16 år og over (prosent)"
)

// readEducation reads utdanningsnivaa.csv (years firstYear..lastYear).
func readEducation(dir string, xs []*xwalk) (map[eduKey]realCell, *telemarkRegions, error) {
	rows, err := readCSV(dir, fileEducation, ',')
	if err != nil {
		return nil, nil, err
	}
	cols := []string{"Kommune", "Utdanningsnivå", "Kjønn", "Variabel", "År", "Verdi"}
	h, err := header(fileEducation, rows[0], cols...)
	if err != nil {
		return nil, nil, err
	}
	var labels []string
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		if l := r[h["Kommune"]]; !seen[l] {
			seen[l] = true
			labels = append(labels, l)
		}
	}
	tr, err := regionLabels(xs, labels)
	if err != nil {
		return nil, nil, err
	}
	out := map[eduKey]realCell{}
	for i, r := range rows[1:] {
		line := i + 2
		bad := func(col, msg string) error {
			return fmt.Errorf("demo: %s: line %d: column %s: %s", fileEducation, line, col, msg)
		}
		k := eduKey{code: tr.byLab[r[h["Kommune"]]]}
		if k.level = indexOf(eduLevelLabels, r[h["Utdanningsnivå"]]); k.level < 0 {
			return nil, nil, bad("Utdanningsnivå", fmt.Sprintf("unknown level %q", r[h["Utdanningsnivå"]]))
		}
		if k.sex = indexOf(eduSexLabels, r[h["Kjønn"]]); k.sex < 0 {
			return nil, nil, bad("Kjønn", fmt.Sprintf("unknown value %q", r[h["Kjønn"]]))
		}
		switch r[h["Variabel"]] {
		case eduVarCount:
		case eduVarPct:
			k.pct = true
		default:
			return nil, nil, bad("Variabel", fmt.Sprintf("unknown value %q", r[h["Variabel"]]))
		}
		if k.period, err = strconv.Atoi(r[h["År"]]); err != nil {
			return nil, nil, bad("År", err.Error())
		}
		if k.period < firstYear || k.period > lastYear {
			continue
		}
		c, err := parseNumber(r[h["Verdi"]])
		if err != nil {
			return nil, nil, bad("Verdi", err.Error())
		}
		if _, dup := out[k]; dup {
			return nil, nil, bad("Kommune", "duplicate cell")
		}
		out[k] = c
	}
	return out, tr, nil
}

// parseNumber parses a decimal number; "" is a missing value.
func parseNumber(s string) (realCell, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "nan") {
		return realCell{}, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return realCell{}, fmt.Errorf("bad number %q", s)
	}
	return realCell{v: v, ok: true}, nil
}

// readEmployment reads sysselsetting_i_kommunene.csv: 2024 code -> rate.
func readEmployment(dir string, xs []*xwalk) (map[string]float64, error) {
	rows, err := readCSV(dir, fileEmployment, ',')
	if err != nil {
		return nil, err
	}
	const col = "Andel sysselsatte (2025)"
	h, err := header(fileEmployment, rows[0], "Kommune", col)
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for i, r := range rows[1:] {
		code := ""
		for _, x := range xs {
			if x.name24 == r[h["Kommune"]] {
				code = x.code24
			}
		}
		if code == "" {
			return nil, fmt.Errorf("demo: %s: line %d: column Kommune: unknown municipality %q", fileEmployment, i+2, r[h["Kommune"]])
		}
		c, err := parseNumber(r[h[col]])
		if err != nil || !c.ok {
			return nil, fmt.Errorf("demo: %s: line %d: column %s: bad rate %q", fileEmployment, i+2, col, r[h[col]])
		}
		out[code] = c.v
	}
	return out, nil
}

// navKey addresses one NAV cell: region is a 2024 county code, "0" for the
// nation, or a 2024 Telemark municipality code.
type navKey struct {
	region string
	month  string // "2024M03"
}

// navCell is NAV's count and share (already × 100, one decimal).
type navCell struct{ count, pct realCell }

// navSkip are NAV's "Fylker" rows that are not counties.
var navSkip = map[string]bool{"Ukjent": true, "Svalbard og øvrige områder": true}

// readUnemployment reads arbeidsledighet.csv (helt ledige, begge kjønn).
func readUnemployment(dir string, xs []*xwalk, counties []nameCode) (map[navKey]navCell, error) {
	rows, err := readCSV(dir, fileUnemployed, ',')
	if err != nil {
		return nil, err
	}
	cols := []string{"Nivå", "Geografisk enhet", "Arbeidsmarkedsstatus", "Kjønn", "Antall personer", "Andel av arbeidsstyrken", "Dato"}
	h, err := header(fileUnemployed, rows[0], cols...)
	if err != nil {
		return nil, err
	}
	county := map[string]string{}
	for _, c := range counties {
		// "Troms - Romsa - Tromssa" is "Troms" in NAV's files.
		name, _, _ := strings.Cut(c.name, " - ")
		county[name] = c.code
	}
	muni := map[string]string{}
	for _, x := range xs {
		muni[x.name24] = x.code24
	}
	out := map[navKey]navCell{}
	for i, r := range rows[1:] {
		line := i + 2
		bad := func(col, msg string) error {
			return fmt.Errorf("demo: %s: line %d: column %s: %s", fileUnemployed, line, col, msg)
		}
		if r[h["Arbeidsmarkedsstatus"]] != "Helt ledige" || r[h["Kjønn"]] != "Begge kjønn" {
			continue
		}
		// NAV writes "Troms " with a trailing space in 2023-2024.
		unit := strings.TrimSpace(r[h["Geografisk enhet"]])
		var code string
		switch lvl := r[h["Nivå"]]; lvl {
		case "Landet":
			code = "0"
		case "Fylker":
			if navSkip[unit] {
				continue
			}
			if code = county[unit]; code == "" {
				return nil, bad("Geografisk enhet", fmt.Sprintf("unknown county %q", unit))
			}
		case "Telemark kommuner":
			if code = muni[unit]; code == "" {
				return nil, bad("Geografisk enhet", fmt.Sprintf("unknown municipality %q", unit))
			}
		default:
			return nil, bad("Nivå", fmt.Sprintf("unknown level %q", lvl))
		}
		d := r[h["Dato"]]
		if len(d) != 10 || d[4] != '-' || d[7] != '-' || d[8:] != "01" {
			return nil, bad("Dato", fmt.Sprintf("bad date %q", d))
		}
		month := d[:4] + "M" + d[5:7]
		cnt, err := parseNumber(r[h["Antall personer"]])
		if err != nil {
			return nil, bad("Antall personer", err.Error())
		}
		share, err := parseNumber(r[h["Andel av arbeidsstyrken"]])
		if err != nil {
			return nil, bad("Andel av arbeidsstyrken", err.Error())
		}
		if share.ok {
			// NAV publishes the share with three decimals (0.025); some are
			// float noise (0.0289999999999999). Per cent with one decimal.
			share.v = math.Round(share.v*1000) / 10
		}
		k := navKey{region: code, month: month}
		if _, dup := out[k]; dup {
			return nil, bad("Geografisk enhet", fmt.Sprintf("duplicate %s %s", code, month))
		}
		out[k] = navCell{count: cnt, pct: share}
	}
	return out, nil
}

func indexOf(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return -1
}
