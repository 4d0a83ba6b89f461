package indicators

import (
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// The green-industry definition of the theme "Grønn omstilling": which
// SN2007 codes count as green, each with the source of the definition.
//
// The shipped file gronn.csv (embedded; PROJECT-DEFINED from cited
// sources) has one header line and one row per code, ';'-separated UTF-8,
// '#' comment lines:
//
//	sn2007;navn;omfang;kilde;referanse;merknad
//	38;Innsamling, behandling, disponering og gjenvinning av avfall;hel;egss eu_taksonomi;EGSS CEPA 3 ...;
//	43.2;Elektrisk installasjonsarbeid, VVS-arbeid og annet installasjonsarbeid;delvis;eu_taksonomi;... 7.3 ...;Bare ...
//
// sn2007 is a division (two digits, 01-99) or a group (two digits, a dot,
// one digit); omfang is hel or delvis; kilde is one or more of
// [GreenSources]; referanse is required unless kilde is eget_valg alone.
// A group row does not make its division green: only division rows do
// ([GreenDefinition.Division]).

//go:embed gronn.csv
var greenCSV string

// GreenFile is the name of the shipped definition, as problems name it.
const GreenFile = "indicators/gronn.csv"

// Scopes of a green code (the omfang column).
const (
	ScopeWhole   = "hel"    // the whole code is green by the source
	ScopePartial = "delvis" // only part of the code is green
)

// Source keys of the kilde column.
const (
	GreenEGSS     = "egss"         // Eurostat's environmental goods and services sector
	GreenTaxonomy = "eu_taksonomi" // Delegated Regulation (EU) 2021/2139, Annex I
	GreenOwn      = "eget_valg"    // grunnlag's own choice
)

// GreenSources are the allowed source keys, in the file's order.
var GreenSources = []string{GreenEGSS, GreenTaxonomy, GreenOwn}

// greenHeader is the header line of the definition file.
var greenHeader = []string{"sn2007", "navn", "omfang", "kilde", "referanse", "merknad"}

// GreenCode is one row of the green-industry definition.
type GreenCode struct {
	Code      string   // SN2007 division ("38") or group ("43.2")
	Division  int      // the code's division (38, 43)
	Name      string   // SN2007 title (bokmål)
	Scope     string   // ScopeWhole or ScopePartial
	Sources   []string // of GreenSources
	Reference string   // where in the source
	Note      string   // what is not green, or why chosen
	Row       int      // line of the file, comment lines counted
}

// IsDivision reports whether the code is a whole SN2007 division.
func (g GreenCode) IsDivision() bool { return !strings.Contains(g.Code, ".") }

// OwnChoice reports whether the code (or counting it whole) is grunnlag's
// own choice.
func (g GreenCode) OwnChoice() bool { return slices.Contains(g.Sources, GreenOwn) }

// GreenDefinition is the parsed definition file.
type GreenDefinition struct {
	Codes []GreenCode
}

// GreenError is one problem of a definition file at a position, like
// csv.ParseError: file, line, column and the offending value.
type GreenError struct {
	File   string
	Line   int
	Column string
	Value  string
	Reason string
}

func (e *GreenError) Error() string {
	return fmt.Sprintf("indicators: %s:%d: %s %q: %s", e.File, e.Line, e.Column, e.Value, e.Reason)
}

// maxGreenCell bounds a cell of the definition file.
const maxGreenCell = 2000

// maxGreenRows bounds the rows of the definition file.
const maxGreenRows = 1000

// DefaultGreenDefinition parses the shipped gronn.csv.
func DefaultGreenDefinition() (*GreenDefinition, error) {
	return ParseGreenDefinition(GreenFile, strings.NewReader(greenCSV))
}

// ParseGreenDefinition reads a definition file (format in the package's
// gronn.csv); file names it in problems. Every problem is reported, each a
// *GreenError, joined.
func ParseGreenDefinition(file string, r io.Reader) (*GreenDefinition, error) {
	cr := csv.NewReader(r)
	cr.Comma, cr.Comment, cr.FieldsPerRecord = ';', '#', len(greenHeader)
	var errs []error
	bad := func(line int, col, val, reason string) {
		errs = append(errs, &GreenError{File: file, Line: line, Column: col, Value: val, Reason: reason})
	}
	d := &GreenDefinition{}
	seen := map[string]int{}
	header := true
	for n := 0; ; n++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			return nil, &GreenError{File: file, Line: line, Column: "-", Value: "", Reason: err.Error()}
		}
		line, _ := cr.FieldPos(0)
		if n > maxGreenRows {
			return nil, &GreenError{File: file, Line: line, Column: "-", Reason: fmt.Sprintf("more than %d rows", maxGreenRows)}
		}
		for i, c := range rec {
			if len(c) > maxGreenCell {
				bad(line, greenHeader[i], "", fmt.Sprintf("cell longer than %d bytes", maxGreenCell))
			}
		}
		if header {
			header = false
			if !slices.Equal(rec, greenHeader) {
				return nil, &GreenError{File: file, Line: line, Column: "header", Value: strings.Join(rec, ";"), Reason: "header must be " + strings.Join(greenHeader, ";")}
			}
			continue
		}
		g := GreenCode{Code: strings.TrimSpace(rec[0]), Name: strings.TrimSpace(rec[1]), Scope: strings.TrimSpace(rec[2]),
			Sources: strings.Fields(rec[3]), Reference: strings.TrimSpace(rec[4]), Note: strings.TrimSpace(rec[5]), Row: line}
		div, ok := parseGreenCode(g.Code)
		if !ok {
			bad(line, "sn2007", g.Code, "not an SN2007 division (two digits 01-99) or group (such as 43.2)")
		}
		g.Division = div
		if first, dup := seen[g.Code]; dup && ok {
			bad(line, "sn2007", g.Code, fmt.Sprintf("listed twice (first on line %d)", first))
		}
		seen[g.Code] = line
		if g.Name == "" {
			bad(line, "navn", "", "missing")
		}
		if g.Scope != ScopeWhole && g.Scope != ScopePartial {
			bad(line, "omfang", g.Scope, "must be "+ScopeWhole+" or "+ScopePartial)
		}
		if len(g.Sources) == 0 {
			bad(line, "kilde", "", "missing (one or more of "+strings.Join(GreenSources, ", ")+")")
		}
		for _, s := range g.Sources {
			if !slices.Contains(GreenSources, s) {
				bad(line, "kilde", s, "unknown source (one of "+strings.Join(GreenSources, ", ")+")")
			}
		}
		onlyOwn := len(g.Sources) == 1 && g.Sources[0] == GreenOwn
		if g.Reference == "" && !onlyOwn {
			bad(line, "referanse", "", "missing: say where in the source the code is defined")
		}
		if g.OwnChoice() && g.Note == "" {
			bad(line, "merknad", "", "missing: an own choice must be argued")
		}
		d.Codes = append(d.Codes, g)
	}
	if header {
		return nil, &GreenError{File: file, Line: 1, Column: "header", Reason: "empty file"}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return d, nil
}

// parseGreenCode reads "38" or "43.2" and returns the division.
func parseGreenCode(code string) (int, bool) {
	div, group, isGroup := strings.Cut(code, ".")
	if len(div) != 2 || strings.Trim(div, "0123456789") != "" {
		return 0, false
	}
	if isGroup && (len(group) != 1 || group[0] < '0' || group[0] > '9') {
		return 0, false
	}
	n, err := strconv.Atoi(div)
	if err != nil || n < 1 {
		return 0, false
	}
	return n, true
}

// Division returns the row of a whole division, if the division is one.
func (d *GreenDefinition) Division(div int) (GreenCode, bool) {
	for _, g := range d.Codes {
		if g.IsDivision() && g.Division == div {
			return g, true
		}
	}
	return GreenCode{}, false
}

// Divisions returns the divisions listed whole, in file order.
func (d *GreenDefinition) Divisions() []int {
	var out []int
	for _, g := range d.Codes {
		if g.IsDivision() {
			out = append(out, g.Division)
		}
	}
	return out
}

// CoversRange reports whether every division from lo to hi is listed at
// division level: a table group such as 13470's "35-39" is then counted
// whole by sysselsatte_gronn_andel.
func (d *GreenDefinition) CoversRange(lo, hi int) bool {
	if lo < 1 || hi > 99 || lo > hi {
		return false
	}
	for div := lo; div <= hi; div++ {
		if _, ok := d.Division(div); !ok {
			return false
		}
	}
	return true
}

// TouchesRange reports whether a division from lo to hi is listed at
// division level (an offer or area with SN2007 "35" or "30-39" then serves
// a green industry).
func (d *GreenDefinition) TouchesRange(lo, hi int) bool {
	for _, div := range d.Divisions() {
		if lo <= div && div <= hi {
			return true
		}
	}
	return false
}

// parseIndustryGroup reads a table group code of the NACE2007 dimension:
// "84" or "35-39" (two-digit divisions). ok is false for anything else
// (the total "00-99" parses; callers skip it).
func parseIndustryGroup(code string) (lo, hi int, ok bool) {
	a, b, isRange := strings.Cut(code, "-")
	if !isRange {
		b = a
	}
	if len(a) != 2 || len(b) != 2 || strings.Trim(a+b, "0123456789") != "" {
		return 0, 0, false
	}
	lo, _ = strconv.Atoi(a)
	hi, _ = strconv.Atoi(b)
	return lo, hi, lo <= hi
}

// GreenGroups returns the codes of a NACE2007 dimension (13470's 16
// groups, or a finer table's divisions) whose every division is green
// ([GreenDefinition.CoversRange]), in the order given; the total
// "00-99" is never one.
func (d *GreenDefinition) GreenGroups(codes []string) []string {
	var out []string
	for _, c := range codes {
		if c == industryTotal {
			continue
		}
		if lo, hi, ok := parseIndustryGroup(c); ok && d.CoversRange(lo, hi) {
			out = append(out, c)
		}
	}
	return out
}
