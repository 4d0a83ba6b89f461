package planning

import (
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

//go:embed programmer.csv
var programmesCSV string

// ProgrammesFile is the name of the shipped crosswalk, used in messages.
const ProgrammesFile = "programmer.csv"

// Programme types (column programtype).
const (
	Vocational = "yrkesfag"
	General    = "studieforberedende"
)

// Programme is one row of the crosswalk: an upper-secondary programme
// (utdanningsprogram, Udir's code) and the occupations and industries it
// leads to.
type Programme struct {
	Code, Label string
	Type        string   // Vocational or General
	STYRK       []string // STYRK-08 codes or prefixes (1-4 digits)
	NAVGroups   []string // NAV occupation groups (yrkesgruppe) as NAV names them
	Industries  []Range  // SN2007 divisions
	Source      string
	Judgement   string
}

// Range is an inclusive range of SN2007 divisions (two-digit codes).
type Range struct{ Lo, Hi int }

// String renders the range as the crosswalk writes it: "41" or "41-43".
func (r Range) String() string {
	if r.Lo == r.Hi {
		return fmt.Sprintf("%02d", r.Lo)
	}
	return fmt.Sprintf("%02d-%02d", r.Lo, r.Hi)
}

// Covers reports whether the programme's industries contain every division
// of the category c: a category of a labour-demand table counts for a
// programme only when it lies wholly within the programme's SN2007 ranges
// (a coarser category, such as all of manufacturing for the food trades,
// is not counted).
func (p Programme) Covers(c Range) bool {
	for d := c.Lo; d <= c.Hi; d++ {
		in := false
		for _, r := range p.Industries {
			if r.Lo <= d && d <= r.Hi {
				in = true
				break
			}
		}
		if !in {
			return false
		}
	}
	return true
}

// CrosswalkError is a problem in the crosswalk file, with its position.
type CrosswalkError struct {
	File   string
	Row    int // 1-based line of the record (the header is row 1)
	Column string
	Err    error
}

// Error says file, row and column.
func (e *CrosswalkError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("planning: %s: row %d: %v", e.File, e.Row, e.Err)
	}
	return fmt.Sprintf("planning: %s: row %d: column %s: %v", e.File, e.Row, e.Column, e.Err)
}

// Unwrap returns the underlying problem.
func (e *CrosswalkError) Unwrap() error { return e.Err }

var crosswalkHeader = []string{"programkode", "program", "programtype", "styrk08", "nav_yrkesgruppe", "sn2007", "kilde", "vurdering"}

var (
	programCode = regexp.MustCompile(`^[A-Z]{2,5}$`)
	styrkCode   = regexp.MustCompile(`^[0-9]{1,4}$`)
	snRange     = regexp.MustCompile(`^([0-9]{2})(?:-([0-9]{2}))?$`)
)

// maxCrosswalkBytes bounds the crosswalk file.
const maxCrosswalkBytes = 1 << 20

// DefaultProgrammes returns the shipped crosswalk (programmer.csv).
func DefaultProgrammes() ([]Programme, error) {
	return ReadProgrammes(strings.NewReader(programmesCSV), ProgrammesFile)
}

// ReadProgrammes reads a crosswalk: a CSV file with the header
//
//	programkode,program,programtype,styrk08,nav_yrkesgruppe,sn2007,kilde,vurdering
//
// one row per programme; lists inside a cell are separated by ";". A
// vocational programme (yrkesfag) needs at least one SN2007 range and
// one STYRK-08 code; a general programme (studieforberedende) has none.
// Every problem is an error naming file, row and column; all of them are
// returned at once (errors.Join).
func ReadProgrammes(r io.Reader, name string) ([]Programme, error) {
	cr := csv.NewReader(io.LimitReader(r, maxCrosswalkBytes+1))
	cr.FieldsPerRecord = len(crosswalkHeader)
	head, err := cr.Read()
	if err != nil {
		return nil, &CrosswalkError{File: name, Row: 1, Err: err}
	}
	for i, h := range crosswalkHeader {
		if strings.TrimPrefix(head[i], "\ufeff") != h {
			return nil, &CrosswalkError{File: name, Row: 1, Column: h, Err: fmt.Errorf("header %q, want %q", head[i], h)}
		}
	}
	var out []Programme
	var errs []error
	seen := map[string]int{}
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			errs = append(errs, &CrosswalkError{File: name, Row: row, Err: err})
			break
		}
		bad := func(col string, f string, a ...any) {
			errs = append(errs, &CrosswalkError{File: name, Row: row, Column: col, Err: fmt.Errorf(f, a...)})
		}
		p := Programme{Code: strings.TrimSpace(rec[0]), Label: strings.TrimSpace(rec[1]), Type: strings.TrimSpace(rec[2]),
			Source: strings.TrimSpace(rec[6]), Judgement: strings.TrimSpace(rec[7])}
		if !programCode.MatchString(p.Code) {
			bad("programkode", "%q is not a programme code (2-5 capital letters, as in Udir's data)", p.Code)
		} else if first, dup := seen[p.Code]; dup {
			bad("programkode", "%s appears again (first on row %d)", p.Code, first)
		} else {
			seen[p.Code] = row
		}
		if p.Label == "" {
			bad("program", "empty")
		}
		if p.Type != Vocational && p.Type != General {
			bad("programtype", "%q, want %s or %s", p.Type, Vocational, General)
		}
		for _, s := range list(rec[3]) {
			if !styrkCode.MatchString(s) {
				bad("styrk08", "%q is not a STYRK-08 code or prefix (1-4 digits)", s)
				continue
			}
			p.STYRK = append(p.STYRK, s)
		}
		p.NAVGroups = list(rec[4])
		for _, s := range list(rec[5]) {
			rg, err := ParseRange(s)
			if err != nil {
				bad("sn2007", "%v", err)
				continue
			}
			p.Industries = append(p.Industries, rg)
		}
		if p.Source == "" {
			bad("kilde", "empty: say where the row comes from")
		}
		switch {
		case p.Type == Vocational && (len(p.Industries) == 0 || len(p.STYRK) == 0):
			bad("sn2007", "a vocational programme needs its SN2007 industries and STYRK-08 occupations")
		case p.Type == General && (len(p.Industries) > 0 || len(p.STYRK) > 0 || len(p.NAVGroups) > 0):
			bad("sn2007", "a general programme (studieforberedende) leads to no particular occupation or industry: leave styrk08, nav_yrkesgruppe and sn2007 empty")
		}
		out = append(out, p)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(out) == 0 {
		return nil, &CrosswalkError{File: name, Row: 2, Err: errors.New("no programmes")}
	}
	return out, nil
}

// ParseRange reads an SN2007 division or range of divisions: "41" or
// "41-43".
func ParseRange(s string) (Range, error) {
	m := snRange.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Range{}, fmt.Errorf("%q is not an SN2007 division or range (NN or NN-NN)", s)
	}
	lo, _ := strconv.Atoi(m[1])
	hi := lo
	if m[2] != "" {
		hi, _ = strconv.Atoi(m[2])
	}
	if lo < 1 || hi > 99 || hi < lo {
		return Range{}, fmt.Errorf("%q is not an SN2007 range (01-99, low to high)", s)
	}
	return Range{lo, hi}, nil
}

func list(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ";") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
