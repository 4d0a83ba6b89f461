package klass

import (
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// Classification is the answer of /classifications/{id}: the
// classification and the versions it lists. Each version is one boundary
// vintage (for 131, "Kommuneinndeling 2020", valid 2020-01-01..2022-01-01).
type Classification struct {
	ID       int
	Name     string
	Versions []VersionRef // in the order of the answer
}

// VersionRef is one version as a classification lists it.
type VersionRef struct {
	ID        int // the id of /versions/{id}
	Name      string
	ValidFrom time.Time
	ValidTo   time.Time // exclusive; zero means still valid
}

// ValidAt reports whether the version is in force on d.
func (v VersionRef) ValidAt(d time.Time) bool {
	return !d.Before(v.ValidFrom) && (v.ValidTo.IsZero() || d.Before(v.ValidTo))
}

// Version is the answer of /versions/{id}: one version with its items.
type Version struct {
	ID        int
	Name      string
	ValidFrom time.Time
	ValidTo   time.Time // exclusive; zero means still valid
	Items     []Item
}

// Item is one classificationItems entry of a version. A version's items
// have no validity of their own: each is valid for the whole version.
type Item struct {
	Code       string
	ParentCode string // "" when null or empty
	Level      string
	Name       string
	ShortName  string
	Notes      string
}

type jsonVersionRef struct {
	ID        *int    `json:"id"`
	Name      string  `json:"name"`
	ValidFrom *string `json:"validFrom"`
	ValidTo   *string `json:"validTo"`
}

type jsonItem struct {
	Code       string          `json:"code"`
	ParentCode *string         `json:"parentCode"`
	Level      json.RawMessage `json:"level"`
	Name       string          `json:"name"`
	ShortName  *string         `json:"shortName"`
	Notes      *string         `json:"notes"`
}

// ParseClassification decodes a /classifications/{id} answer:
//
//	{"name":"Standard for kommuneinndeling","id":131,
//	 "versions":[{"name":"Kommuneinndeling 2020","id":1860,
//	   "validFrom":"2020-01-01","validTo":"2022-01-01"}, ...]}
//
// Every version needs an id and a validFrom; validTo absent, null or
// "+999999999-12-31" means still valid.
func ParseClassification(r io.Reader) (*Classification, error) {
	const ep = "classification"
	var doc struct {
		ID       *int              `json:"id"`
		Name     string            `json:"name"`
		Versions *[]jsonVersionRef `json:"versions"`
	}
	if err := decode(r, &doc); err != nil {
		return nil, &ParseError{Endpoint: ep, Index: -1, Err: err}
	}
	if doc.ID == nil {
		return nil, &ParseError{Endpoint: ep, Index: -1, Err: fmt.Errorf("no \"id\" member")}
	}
	if doc.Versions == nil {
		return nil, &ParseError{Endpoint: ep, Index: -1, Err: fmt.Errorf("no \"versions\" member")}
	}
	out := &Classification{ID: *doc.ID, Name: doc.Name, Versions: make([]VersionRef, 0, len(*doc.Versions))}
	seen := map[int]bool{}
	for i, j := range *doc.Versions {
		if j.ID == nil || *j.ID <= 0 {
			return nil, &ParseError{Endpoint: ep, Index: i, Field: "id", Err: fmt.Errorf("missing or not a positive integer")}
		}
		if seen[*j.ID] {
			return nil, &ParseError{Endpoint: ep, Index: i, Field: "id", Err: fmt.Errorf("version %d listed twice", *j.ID)}
		}
		seen[*j.ID] = true
		from, to, field, err := validity(j.ValidFrom, j.ValidTo)
		if err != nil {
			return nil, &ParseError{Endpoint: ep, Index: i, Field: field, Err: err}
		}
		out.Versions = append(out.Versions, VersionRef{ID: *j.ID, Name: j.Name, ValidFrom: from, ValidTo: to})
	}
	return out, nil
}

// ParseVersion decodes a /versions/{id} answer:
//
//	{"name":"Kommuneinndeling 2020","id":1860,"validFrom":"2020-01-01",
//	 "validTo":"2022-01-01","classificationItems":[{"code":"0301",
//	   "parentCode":"","level":"1","name":"Oslo","shortName":null,"notes":""}]}
//
// The version needs a validFrom (validTo as for ParseClassification);
// every item a non-empty code, unique within the version.
func ParseVersion(r io.Reader) (*Version, error) {
	const ep = "version"
	var doc struct {
		ID        *int        `json:"id"`
		Name      string      `json:"name"`
		ValidFrom *string     `json:"validFrom"`
		ValidTo   *string     `json:"validTo"`
		Items     *[]jsonItem `json:"classificationItems"`
	}
	if err := decode(r, &doc); err != nil {
		return nil, &ParseError{Endpoint: ep, Index: -1, Err: err}
	}
	if doc.Items == nil {
		return nil, &ParseError{Endpoint: ep, Index: -1, Err: fmt.Errorf("no \"classificationItems\" member")}
	}
	from, to, field, err := validity(doc.ValidFrom, doc.ValidTo)
	if err != nil {
		return nil, &ParseError{Endpoint: ep, Index: -1, Err: fmt.Errorf("%s: %w", field, err)}
	}
	v := &Version{Name: doc.Name, ValidFrom: from, ValidTo: to, Items: make([]Item, 0, len(*doc.Items))}
	if doc.ID != nil {
		v.ID = *doc.ID
	}
	seen := map[string]bool{}
	for i, j := range *doc.Items {
		if j.Code == "" {
			return nil, &ParseError{Endpoint: ep, Index: i, Field: "code", Err: fmt.Errorf("empty code")}
		}
		if seen[j.Code] {
			return nil, &ParseError{Endpoint: ep, Index: i, Field: "code", Err: fmt.Errorf("code %s listed twice", j.Code)}
		}
		seen[j.Code] = true
		lv, err := level(j.Level)
		if err != nil {
			return nil, &ParseError{Endpoint: ep, Index: i, Field: "level", Err: err}
		}
		v.Items = append(v.Items, Item{Code: j.Code, ParentCode: str(j.ParentCode), Level: lv, Name: j.Name, ShortName: str(j.ShortName), Notes: str(j.Notes)})
	}
	return v, nil
}

// openEnd is how some KLASS answers write "no end" (Java's LocalDate.MAX),
// for example STYRK-08 version 319: "validTo": "+999999999-12-31".
const openEnd = "+999999999-12-31"

// validity parses a validFrom (required) and validTo (optional, after
// validFrom); field names the one at fault.
func validity(fromS, toS *string) (from, to time.Time, field string, err error) {
	if fromS == nil || *fromS == "" {
		return from, to, "validFrom", fmt.Errorf("missing")
	}
	if from, err = parseDate(fromS); err != nil {
		return from, to, "validFrom", err
	}
	if toS != nil && *toS == openEnd {
		toS = nil
	}
	if to, err = parseDate(toS); err != nil {
		return from, to, "validTo", err
	}
	if !to.IsZero() && !to.After(from) {
		return from, to, "validTo", fmt.Errorf("validTo %s is not after validFrom %s", to.Format(DateLayout), from.Format(DateLayout))
	}
	return from, to, "", nil
}
