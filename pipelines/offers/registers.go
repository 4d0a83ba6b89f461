package offers

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/pipelines/store"
	"github.com/grunnlag/grunnlag/sources/dbh"
	"github.com/grunnlag/grunnlag/sources/offers"
	"github.com/grunnlag/grunnlag/sources/survey"
)

// OriginCatalog is the kilde of an offer read from the catalog file; an
// offer from a register dataset has kilde "dbh:<table>".
const OriginCatalog = "katalog"

// DBHLevel is what a DBH level code (Nivåkode) says about an offer.
type DBHLevel struct {
	Kind, Level string // one of offers.Kinds, offers.Levels
	NKR         string // "" when the code does not fix the NKR level
}

// DBHLevels maps DBH's level codes to offer kinds and levels. B3, B4 and
// HK are named in DBH's documentation of study levels; the master, PhD and
// lower/higher-level codes follow DBH's list of level codes; FAG for a
// fagskole programme is UNVERIFIED (DBH's fagskole tables were not looked
// up). NKR: bachelor 6, master 7, PhD 8, fagskole 5 (5.1 or 5.2 is not
// derivable); the other codes leave it open.
var DBHLevels = map[string]DBHLevel{
	"FAG": {"fagskole", "fagskole", "5"},
	"HK":  {"uh", "hoyere", ""},
	"LN":  {"uh", "hoyere", ""},
	"B3":  {"uh", "hoyere", "6"},
	"B4":  {"uh", "hoyere", "6"},
	"HN":  {"uh", "hoyere", ""},
	"M2":  {"uh", "hoyere", "7"},
	"M5":  {"uh", "hoyere", "7"},
	"ME":  {"uh", "hoyere", "7"},
	"PH":  {"uh", "hoyere", "8"},
}

// dbhModes maps DBH study modes (lower case) to offer modes; an empty
// cell is a campus programme.
var dbhModes = map[string]string{
	"":               "stedbasert",
	"stedbasert":     "stedbasert",
	"samlingsbasert": "samlingsbasert",
	"nettbasert":     offers.ModeOnline,
	"nett":           offers.ModeOnline,
}

// DBHLink is the documentation page of a DBH table, the source link of
// every offer read from it.
func DBHLink(table int) string {
	return fmt.Sprintf("https://dbh.hkdir.no/dbh-old/dokumentasjon/tabell.action?tabellId=%d", table)
}

// RegisterOffers converts the programme rows of register dataset (DBH table
// table) to offers: provider the institution (Institusjonsnavn, else
// "DBH-institusjon <code>"), title the programme's name, kind, level and
// NKR from the level code (DBHLevels), NUS the field digit (the second) of
// the six-digit NUS-kode, municipality Kommunenr (checked by regions on
// date; may be empty for an online programme), mode Studieform, credits
// Studiepoeng, capacity unknown (the table has no places), link DBHLink.
// A row with any problem is rejected; problems name the dataset as file,
// the row's position in DBH's answer (from 1) and the column.
func RegisterOffers(dataset string, table int, rows []dbh.Programme, regions survey.Regions, date time.Time) (os []offers.Offer, rejected []int, probs []offers.Problem) {
	for _, p := range rows {
		bad := false
		prob := func(col, reason string) {
			probs = append(probs, offers.Problem{File: dataset, Row: p.Row, Column: col, Value: p.Get(col), Reason: reason})
			bad = true
		}
		o := offers.Offer{Row: p.Row, Provider: p.Get(dbh.ColInstitution), Title: p.Get(dbh.ColProgramme),
			Municipality: p.Get(dbh.ColMunicipality), Capacity: -1, Credits: math.NaN(), Price: math.NaN(), Link: DBHLink(table)}
		if o.Provider == "" {
			if c := p.Get(dbh.ColInstitutionCode); c != "" {
				o.Provider = "DBH-institusjon " + c
			} else {
				prob(dbh.ColInstitutionCode, "institusjonen mangler")
			}
		}
		if o.Title == "" {
			prob(dbh.ColProgramme, "navnet på studieprogrammet mangler")
		}
		if lv, ok := DBHLevels[strings.ToUpper(p.Get(dbh.ColLevel))]; ok {
			o.Kind, o.Level, o.NKR = lv.Kind, lv.Level, lv.NKR
		} else {
			prob(dbh.ColLevel, "ukjent nivåkode (kjente: B3, B4, FAG, HK, HN, LN, M2, M5, ME, PH)")
		}
		switch nus := p.Get(dbh.ColNUS); {
		case nus == "":
			prob(dbh.ColNUS, "NUS-koden mangler: programmet kan ikke knyttes til et fagfelt")
		case len(nus) != 6 || strings.Trim(nus, "0123456789") != "":
			prob(dbh.ColNUS, "NUS-koden må være seks sifre")
		default:
			o.NUS = nus[1:2]
		}
		mode, ok := dbhModes[strings.ToLower(p.Get(dbh.ColMode))]
		if !ok {
			prob(dbh.ColMode, "ukjent studieform (kjente: stedbasert, samlingsbasert, nettbasert)")
		}
		o.Mode = mode
		switch {
		case o.Municipality == "" && mode != offers.ModeOnline:
			prob(dbh.ColMunicipality, "kommunenummeret mangler (påkrevd for stedbasert og samlingsbasert)")
		case o.Municipality != "" && regions != nil:
			if err := regions.ValidMunicipality(o.Municipality, date); err != nil {
				prob(dbh.ColMunicipality, "ukjent kommunenummer")
			}
		}
		if c := p.Get(dbh.ColCredits); c != "" {
			v, err := strconv.ParseFloat(c, 64)
			if err != nil || v < 0 || math.IsInf(v, 0) {
				prob(dbh.ColCredits, "studiepoeng må være et tall, 0 eller mer")
			} else {
				o.Credits = v
			}
		}
		if bad {
			rejected = append(rejected, p.Row)
			continue
		}
		os = append(os, o)
	}
	return os, rejected, probs
}

// readRegister reads the current version of register dataset id from the
// store: its table ("dbh:<n>") and the programme rows of its one raw
// snapshot.
func readRegister(st *store.Store, id string) (origin string, table int, rows []dbh.Programme, err error) {
	cat, err := st.Catalog()
	if err != nil {
		return "", 0, nil, err
	}
	v := cat.Datasets[id].CurrentVersion()
	if v == nil {
		return "", 0, nil, fmt.Errorf("offers: register %s: the dataset has not been fetched", id)
	}
	n, ok := strings.CutPrefix(v.Table, "dbh:")
	if ok {
		table, err = strconv.Atoi(n)
	}
	if !ok || err != nil || table <= 0 {
		return "", 0, nil, fmt.Errorf("offers: register %s: table %q is not a DBH table (dbh:<id>)", id, v.Table)
	}
	if len(v.Snapshots) != 1 {
		return "", 0, nil, fmt.Errorf("offers: register %s: version %s has %d snapshots, want 1", id, v.Stamp, len(v.Snapshots))
	}
	body, _, err := st.Raw(v.Source, v.Snapshots[0])
	if err != nil {
		return "", 0, nil, fmt.Errorf("offers: register %s: %w", id, err)
	}
	rows, err = dbh.ParseProgrammes(table, body)
	if err != nil {
		return "", 0, nil, fmt.Errorf("offers: register %s: %w", id, err)
	}
	return v.Table, table, rows, nil
}
