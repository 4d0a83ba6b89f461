package needs

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/sources/brreg"
	"github.com/grunnlag/grunnlag/sources/survey"
)

// RegionChecker implements survey.Regions over the region model: a
// municipality code is valid on a date when KLASS 131 has it then.
type RegionChecker struct{ Model *regions.Model }

// ValidMunicipality implements survey.Regions.
func (r RegionChecker) ValidMunicipality(code string, d time.Time) error {
	if lv, ok := regions.LevelOf(code); !ok || lv != regions.Municipality {
		return fmt.Errorf("needs: %q is not a municipality code", code)
	}
	_, err := r.Model.Resolve(code, d)
	return err
}

var _ survey.Regions = RegionChecker{}

// Lookup finds a unit in the company register (brreg.Register implements
// it).
type Lookup interface {
	Lookup(ctx context.Context, orgnr string) (*brreg.Unit, error)
}

// Need is one mapped need of a firm.
type Need struct {
	Row     int
	Area    string // crosswalk area or Unmapped
	From    string // "kolonne" (given), "nokkelord" (free text) or "uoppgitt"
	Text    string
	Level   string
	People  int
	Horizon int
	Urgency string
}

// Firm is one responding firm, enriched from the register. Firms live only
// in the secure zone.
type Firm struct {
	OrgNr        string
	Date         time.Time
	Municipality string // on the target vintage
	County       string
	Section      string // SN2007 section, "" when unknown
	Band         string // brreg.SizeBand
	Stratum      Stratum
	Weight       float64
	Flags        []string // "konkurs", "slettet", "under_avvikling", "nedlagt"
	Needs        []Need   // empty: the firm reported no need
	Rows         []int
}

// Enrich groups accepted responses by firm, looks every firm up in the
// register, maps needs to areas with the crosswalk, and puts the firm on
// the target vintage. Firms that cannot be placed give problems (and are
// left out); the returned texts are the free texts no keyword matched.
func Enrich(ctx context.Context, rs []survey.Response, file string, reg Lookup, model *regions.Model, cw *Crosswalk, target time.Time) (firms []*Firm, problems []survey.Problem, unmapped []string, err error) {
	byOrg := map[string]*Firm{}
	var order []string
	for _, r := range rs {
		f, ok := byOrg[r.OrgNr]
		if !ok {
			f = &Firm{OrgNr: r.OrgNr, Date: r.Date, Municipality: r.Municipality}
			byOrg[r.OrgNr] = f
			order = append(order, r.OrgNr)
		}
		f.Rows = append(f.Rows, r.Row)
		if r.NoNeed {
			continue
		}
		n := Need{Row: r.Row, Area: r.Area, From: "kolonne", Text: r.Text, Level: r.Level, People: r.People, Horizon: r.Horizon, Urgency: r.Urgency}
		if n.Area == "" {
			n.Area, n.From = cw.Match(r.Text), "nokkelord"
			if n.Area == Unmapped {
				n.From = Unmapped
				unmapped = append(unmapped, r.Text)
			}
		}
		f.Needs = append(f.Needs, n)
	}
	for _, org := range order {
		f := byOrg[org]
		prob := func(col, val, reason string) {
			problems = append(problems, survey.Problem{File: file, Row: f.Rows[0], Column: col, Value: val, Reason: reason})
		}
		u, lerr := reg.Lookup(ctx, org)
		if errors.Is(lerr, brreg.ErrNotFound) {
			prob(survey.FieldOrgNr, org, "finnes ikke i Enhetsregisteret")
			continue
		}
		if lerr != nil {
			return nil, nil, nil, fmt.Errorf("needs: register: %w", lerr)
		}
		if u.Deleted {
			f.Flags = append(f.Flags, "slettet")
		}
		if u.Bankrupt {
			f.Flags = append(f.Flags, "konkurs")
		}
		if u.UnderLiquidation {
			f.Flags = append(f.Flags, "under_avvikling")
		}
		if u.Closed != "" {
			f.Flags = append(f.Flags, "nedlagt")
		}
		f.Section, f.Band = u.Section(), brreg.SizeBand(u)
		muni := f.Municipality
		if u.Kind == brreg.Establishment && u.Municipality != "" {
			muni = u.Municipality // the establishment's location wins
		}
		rs, _, _, rerr := model.Roll(muni, f.Date, regions.Options{Target: target})
		if rerr != nil || len(rs) == 0 {
			prob(survey.FieldMunicipality, muni, "kommunen kan ikke føres over til dagens kommuneinndeling")
			continue
		}
		if len(rs) > 1 {
			// A split: the register's current municipality decides.
			found := false
			for _, x := range rs {
				if x.Code == u.Municipality {
					rs, found = []regions.Region{x}, true
					break
				}
			}
			if !found {
				prob(survey.FieldMunicipality, muni, "kommunen er delt; virksomhetens nye kommune er ukjent")
				continue
			}
		}
		f.Municipality = rs[0].Code
		c, cerr := model.CountyOf(f.Municipality, target)
		if cerr != nil {
			prob(survey.FieldMunicipality, muni, "fylket er ukjent")
			continue
		}
		f.County = c.Code
		firms = append(firms, f)
	}
	sort.Slice(firms, func(i, j int) bool { return firms[i].OrgNr < firms[j].OrgNr })
	return firms, problems, unmapped, nil
}

// StratumOf returns a firm's stratum at the given region level
// ("kommune" or "fylke").
func StratumOf(region, section, band string) Stratum {
	if section == "" {
		section = "ukjent"
	}
	return Stratum{Region: region, Section: section, Band: band}
}

// PopulationFromRegister counts active legal units (not deleted, not
// bankrupt, not under liquidation) of the cache by stratum, with their
// head-office municipality put on the target vintage; units outside
// counties are skipped. level is "kommune" or "fylke".
func PopulationFromRegister(c *brreg.Cache, model *regions.Model, level string, target time.Time) map[Stratum]float64 {
	pop := map[Stratum]float64{}
	c.Units(brreg.LegalUnit, func(u *brreg.Unit) {
		if u.Deleted || u.Bankrupt || u.UnderLiquidation || u.Municipality == "" {
			return
		}
		rs, _, _, err := model.Roll(u.Municipality, target, regions.Options{Target: target})
		if err != nil || len(rs) != 1 {
			return
		}
		region := rs[0].Code
		if level == "fylke" {
			cty, err := model.CountyOf(region, target)
			if err != nil {
				return
			}
			region = cty.Code
		}
		pop[StratumOf(region, u.Section(), brreg.SizeBand(u))]++
	})
	return pop
}
