package needs

import (
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/grunnlag/grunnlag/pipelines/harmonise"
)

//go:embed crosswalk.csv
var defaultAreas string

//go:embed keywords.csv
var defaultKeywords string

// Unmapped is the area of a need whose free text matches no keyword.
const Unmapped = "uoppgitt"

// Area is one competence area of the crosswalk.
type Area struct {
	ID, Name   string
	NUS        []string // NUS2000 fields (first digit)
	Programmes []string // LK20 upper-secondary programmes
	STYRK      []string // STYRK-08 codes of any level (1-4 digits), see OccupationAreas
	SN         [][2]int // SN2007 division ranges, inclusive
	// Green tags the area's needs and offers green (the theme «Grønn
	// omstilling»), a project-defined judgement argued in GreenReason
	// against the green-industry definition (indicators/gronn.csv).
	Green       bool
	GreenReason string
}

// ColumnGreen is the column of DatasetNeeds and DatasetSupply (and of
// pipelines/offers' tables) that carries the green tag.
const ColumnGreen = "gronn"

// AttributesKey is the metadata key listing the columns of a dataset that
// are attributes of another column, not dimensions (pipelines/harmonise
// does not key cells by them): DatasetNeeds' and DatasetSupply's
// ColumnGreen.
const AttributesKey = harmonise.AttributesKey

// Values of the gronn column of the crosswalk and of the tagged datasets.
const (
	GreenYes = "ja"
	GreenNo  = "nei"
)

// GreenTag is the gronn value of an area: GreenYes or GreenNo for an area
// of the crosswalk, "" for anything else (the total, Unmapped, an unknown
// ID).
func (c *Crosswalk) GreenTag(id string) string {
	a, ok := c.Area(id)
	switch {
	case !ok:
		return ""
	case a.Green:
		return GreenYes
	}
	return GreenNo
}

// Crosswalk maps competence areas and free-text keywords to
// classifications. It is project-defined, not official.
type Crosswalk struct {
	Areas    []Area
	byID     map[string]int
	byStyrk  map[string][]string // STYRK-08 code -> areas listing it
	keywords []keyword
}

type keyword struct {
	word, area string
	order      int
}

// DefaultCrosswalk returns the crosswalk shipped in crosswalk.csv and
// keywords.csv.
func DefaultCrosswalk() (*Crosswalk, error) {
	return LoadCrosswalk(strings.NewReader(defaultAreas), strings.NewReader(defaultKeywords))
}

func readCSV(r io.Reader, name string, header []string) ([][]string, error) {
	recs, _, err := readCSVOf(r, name, header)
	return recs, err
}

// readCSVOf reads a ';'-separated file whose header is one of headers; it
// returns the data rows and the index of the header found.
func readCSVOf(r io.Reader, name string, headers ...[]string) ([][]string, int, error) {
	cr := csv.NewReader(r)
	cr.Comma, cr.Comment, cr.FieldsPerRecord = ';', '#', 0
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, 0, fmt.Errorf("needs: %s: %w", name, err)
	}
	var want []string
	for i, h := range headers {
		if len(recs) > 0 && strings.Join(recs[0], ";") == strings.Join(h, ";") {
			return recs[1:], i, nil
		}
		want = append(want, strings.Join(h, ";"))
	}
	return nil, 0, fmt.Errorf("needs: %s: header must be %s", name, strings.Join(want, " or "))
}

// crosswalkHeader is the header of the areas file; crosswalkHeaderUntagged
// is the earlier one, without the green tag (every area then "nei").
var (
	crosswalkHeaderUntagged = []string{"omrade", "navn", "nus_felt", "utdanningsprogram", "styrk08", "sn2007"}
	crosswalkHeader         = append(append([]string(nil), crosswalkHeaderUntagged...), "gronn", "gronn_grunnlag")
)

// LoadCrosswalk reads the areas file and the keywords file (formats as the
// shipped crosswalk.csv and keywords.csv; an areas file without the
// columns gronn and gronn_grunnlag is read with every area not green).
// Every styrk08 code must be a STYRK-08 code (DefaultOccupations); gronn
// must be ja or nei, and ja needs a gronn_grunnlag. Every problem is
// reported.
func LoadCrosswalk(areas, keywords io.Reader) (*Crosswalk, error) {
	recs, _, err := readCSVOf(areas, "crosswalk", crosswalkHeader, crosswalkHeaderUntagged)
	if err != nil {
		return nil, err
	}
	c := &Crosswalk{byID: map[string]int{}}
	var errs []error
	var rows []int // file row of each area
	for i, r := range recs {
		a := Area{ID: r[0], Name: r[1], NUS: strings.Fields(r[2]), Programmes: strings.Fields(r[3]), STYRK: strings.Fields(r[4])}
		if len(r) == len(crosswalkHeader) {
			a.GreenReason = strings.TrimSpace(r[7])
			switch g := strings.TrimSpace(r[6]); g {
			case GreenYes:
				a.Green = true
				if a.GreenReason == "" {
					errs = append(errs, fmt.Errorf("needs: crosswalk: row %d: area %q: gronn_grunnlag is empty: say why the area is green", i+2, a.ID))
				}
			case GreenNo:
			default:
				errs = append(errs, fmt.Errorf("needs: crosswalk: row %d: area %q: gronn %q: want %s or %s", i+2, a.ID, g, GreenYes, GreenNo))
			}
		}
		if a.ID == "" || strings.Trim(a.ID, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" || a.ID == Unmapped {
			errs = append(errs, fmt.Errorf("needs: crosswalk: row %d: bad area id %q", i+2, a.ID))
		}
		if _, dup := c.byID[a.ID]; dup {
			errs = append(errs, fmt.Errorf("needs: crosswalk: row %d: area %q twice", i+2, a.ID))
		}
		for _, s := range strings.Fields(r[5]) {
			rg, err := parseRange(s)
			if err != nil {
				errs = append(errs, fmt.Errorf("needs: crosswalk: row %d: sn2007: %w", i+2, err))
				continue
			}
			a.SN = append(a.SN, rg)
		}
		c.byID[a.ID] = len(c.Areas)
		c.Areas = append(c.Areas, a)
		rows = append(rows, i+2)
	}
	occ, err := DefaultOccupations()
	if err != nil {
		return nil, err
	}
	var styrkErrs []error
	c.byStyrk, styrkErrs = styrkIndex(c.Areas, rows, occ)
	errs = append(errs, styrkErrs...)
	krecs, err := readCSV(keywords, "keywords", []string{"nokkelord", "omrade"})
	if err != nil {
		return nil, err
	}
	for i, r := range krecs {
		w := strings.ToLower(strings.TrimSpace(r[0]))
		if _, ok := c.byID[r[1]]; !ok || w == "" {
			errs = append(errs, fmt.Errorf("needs: keywords: row %d: %q -> unknown area %q", i+2, r[0], r[1]))
			continue
		}
		c.keywords = append(c.keywords, keyword{word: w, area: r[1], order: i})
	}
	sort.SliceStable(c.keywords, func(i, j int) bool { return len(c.keywords[i].word) > len(c.keywords[j].word) })
	return c, errors.Join(errs...)
}

// parseRange parses "41-43" or "85".
func parseRange(s string) ([2]int, error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		b = a
	}
	x, err1 := strconv.Atoi(a)
	y, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || x < 1 || y > 99 || x > y {
		return [2]int{}, fmt.Errorf("%q is not a division or a range of divisions", s)
	}
	return [2]int{x, y}, nil
}

// Known reports whether id is an area of the crosswalk.
func (c *Crosswalk) Known(id string) bool {
	_, ok := c.byID[id]
	return ok
}

// Area returns the area with id.
func (c *Crosswalk) Area(id string) (Area, bool) {
	i, ok := c.byID[id]
	if !ok {
		return Area{}, false
	}
	return c.Areas[i], true
}

// Match returns the area of a free text: the longest keyword that starts a
// word of the lower-cased text (then the first in the file); Unmapped when
// none does.
func (c *Crosswalk) Match(text string) string {
	t := strings.ToLower(text)
	starts := map[int]bool{}
	prev := ' '
	for i, r := range t {
		if !unicode.IsLetter(prev) && !unicode.IsDigit(prev) && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			starts[i] = true
		}
		prev = r
	}
	best := -1
	for k, kw := range c.keywords {
		if best >= 0 && len(kw.word) < len(c.keywords[best].word) {
			break
		}
		for i := range starts {
			if strings.HasPrefix(t[i:], kw.word) {
				if best < 0 || kw.order < c.keywords[best].order {
					best = k
				}
				break
			}
		}
	}
	if best < 0 {
		return Unmapped
	}
	return c.keywords[best].area
}

// Overlaps reports whether the area's SN2007 divisions overlap [from, to].
func (a Area) Overlaps(from, to int) bool {
	for _, r := range a.SN {
		if r[0] <= to && from <= r[1] {
			return true
		}
	}
	return false
}

// UnmappedText is one line of the unmapped free-text report.
type UnmappedText struct {
	Text  string // trimmed, lower-cased, inner spaces collapsed
	Count int
}

// UnmappedReport counts free texts that mapped to no area, most frequent
// first (then alphabetically).
func UnmappedReport(texts []string) []UnmappedText {
	n := map[string]int{}
	for _, t := range texts {
		k := strings.Join(strings.Fields(strings.ToLower(t)), " ")
		if k != "" {
			n[k]++
		}
	}
	out := make([]UnmappedText, 0, len(n))
	for k, v := range n {
		out = append(out, UnmappedText{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Text < out[j].Text
	})
	return out
}
