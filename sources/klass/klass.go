// Package klass is a client for Statistics Norway's classification API KLASS
// (https://data.ssb.no/api/klass/v1) and a decoder for its JSON answers.
//
// Classifications used by grunnlag (constants below): 131 municipalities
// (kommuner), 104 counties (fylker), 6 SN2007 industries, 7 STYRK-08
// occupations, 36 NUS education. Six endpoints are supported, all GET, all
// answered in JSON because the client sends "Accept: application/json" (XML is
// the API's default):
//
//	/classifications/{id}                                          (Classification: its versions)
//	/versions/{versionId}                                          (Version: one vintage's items)
//	/classifications/{id}/codesAt?date=YYYY-MM-DD
//	/classifications/{id}/codes?from=YYYY-MM-DD&to=YYYY-MM-DD      (to is exclusive)
//	/classifications/{id}/changes?from=YYYY-MM-DD&to=YYYY-MM-DD    (to is exclusive)
//	/classifications/{id}/correspondsAt?targetClassificationId=N&date=YYYY-MM-DD
//
// Accepted formats. codesAt and codes answer
//
//	{"codes":[{"code":"0301","parentCode":null,"level":"1","name":"Oslo",
//	  "shortName":"","presentationName":"","validFrom":"2013-01-01",
//	  "validTo":null,"validFromInRequestedRange":"2013-01-01",
//	  "validToInRequestedRange":null,"notes":""}]}
//
// where validTo null means "still valid" and level may be a string or a
// number. changes answers
//
//	{"codeChanges":[{"oldCode":"0219","oldName":"Bærum","oldShortName":"",
//	  "newCode":"3024","newName":"Bærum","newShortName":"",
//	  "changeOccurred":"2020-01-01"}]}
//
// where an empty or missing oldCode means a new code and an empty or missing
// newCode means a code that ceased. correspondsAt answers
//
//	{"correspondenceItems":[{"sourceCode":"0301","sourceName":"Oslo",
//	  "targetCode":"03","targetName":"Oslo"}]}
//
// A classification answers {"id":131,"versions":[{"id":1860,"validFrom":
// "2020-01-01","validTo":"2022-01-01"},...]} and a version {"id":1860,
// "validFrom":...,"classificationItems":[{"code":"0301","level":"1",
// "name":"Oslo"},...]}; see ParseClassification and ParseVersion.
//
// Unknown fields are ignored; a date that is not YYYY-MM-DD (an optional time
// part after "T" is accepted and dropped) is a *ParseError naming the field and
// the item index. Dates are calendar dates in UTC.
//
// Every response (any status) is handed to Options.Recorder before it is
// parsed, so a pipeline can store it as a raw snapshot. Non-2xx answers are
// returned as *httpx.HTTPError.
package klass

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Classification IDs in KLASS.
const (
	Municipalities = 131 // kommuner
	Counties       = 104 // fylker
	SN2007         = 6   // Standard for næringsgruppering
	STYRK08        = 7   // occupations
	NUS            = 36  // Norwegian standard classification of education
)

// DateLayout is the layout of every date in the API.
const DateLayout = "2006-01-02"

// Code is one item of a classification.
type Code struct {
	Code             string
	ParentCode       string // "" when null
	Level            string
	Name             string
	ShortName        string
	PresentationName string
	ValidFrom        time.Time // zero if the API gave none
	ValidTo          time.Time // exclusive; zero means still valid
	// ValidFromInRange and ValidToInRange are the validity clipped to the
	// requested range (codes endpoint only); zero when absent.
	ValidFromInRange time.Time
	ValidToInRange   time.Time
	Notes            string
}

// ValidAt reports whether the code is valid on date d (ValidFrom <= d < ValidTo).
func (c Code) ValidAt(d time.Time) bool {
	if !c.ValidFrom.IsZero() && d.Before(c.ValidFrom) {
		return false
	}
	return c.ValidTo.IsZero() || d.Before(c.ValidTo)
}

// Change is one code change. OldCode "" means a new code, NewCode "" means a
// code that ceased.
type Change struct {
	OldCode, OldName, OldShortName string
	NewCode, NewName, NewShortName string
	Occurred                       time.Time
}

// Correspondence maps one source code to one target code.
type Correspondence struct {
	SourceCode, SourceName string
	TargetCode, TargetName string
}

// ParseError reports a malformed answer, with the position of the problem.
type ParseError struct {
	Endpoint string // "codes", "changes", "correspondsAt"
	Index    int    // item index, -1 if the document itself is malformed
	Field    string
	Err      error
}

func (e *ParseError) Error() string {
	if e.Index < 0 {
		return fmt.Sprintf("klass: %s: %v", e.Endpoint, e.Err)
	}
	return fmt.Sprintf("klass: %s: item %d: field %s: %v", e.Endpoint, e.Index, e.Field, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

type jsonCode struct {
	Code             string          `json:"code"`
	ParentCode       *string         `json:"parentCode"`
	Level            json.RawMessage `json:"level"`
	Name             string          `json:"name"`
	ShortName        string          `json:"shortName"`
	PresentationName string          `json:"presentationName"`
	ValidFrom        *string         `json:"validFrom"`
	ValidTo          *string         `json:"validTo"`
	ValidFromInRange *string         `json:"validFromInRequestedRange"`
	ValidToInRange   *string         `json:"validToInRequestedRange"`
	Notes            string          `json:"notes"`
}

type jsonChange struct {
	OldCode        *string `json:"oldCode"`
	OldName        *string `json:"oldName"`
	OldShortName   *string `json:"oldShortName"`
	NewCode        *string `json:"newCode"`
	NewName        *string `json:"newName"`
	NewShortName   *string `json:"newShortName"`
	ChangeOccurred *string `json:"changeOccurred"`
}

type jsonCorr struct {
	SourceCode string `json:"sourceCode"`
	SourceName string `json:"sourceName"`
	TargetCode string `json:"targetCode"`
	TargetName string `json:"targetName"`
}

// ParseCodes decodes a codesAt or codes answer.
func ParseCodes(r io.Reader) ([]Code, error) {
	var doc struct {
		Codes *[]jsonCode `json:"codes"`
	}
	if err := decode(r, &doc); err != nil {
		return nil, &ParseError{Endpoint: "codes", Index: -1, Err: err}
	}
	if doc.Codes == nil {
		return nil, &ParseError{Endpoint: "codes", Index: -1, Err: fmt.Errorf("no \"codes\" member")}
	}
	out := make([]Code, 0, len(*doc.Codes))
	for i, j := range *doc.Codes {
		c := Code{Code: j.Code, Name: j.Name, ShortName: j.ShortName, PresentationName: j.PresentationName, Notes: j.Notes}
		if j.Code == "" {
			return nil, &ParseError{Endpoint: "codes", Index: i, Field: "code", Err: fmt.Errorf("empty code")}
		}
		if j.ParentCode != nil {
			c.ParentCode = *j.ParentCode
		}
		lv, err := level(j.Level)
		if err != nil {
			return nil, &ParseError{Endpoint: "codes", Index: i, Field: "level", Err: err}
		}
		c.Level = lv
		for _, f := range []struct {
			name string
			src  *string
			dst  *time.Time
		}{
			{"validFrom", j.ValidFrom, &c.ValidFrom},
			{"validTo", j.ValidTo, &c.ValidTo},
			{"validFromInRequestedRange", j.ValidFromInRange, &c.ValidFromInRange},
			{"validToInRequestedRange", j.ValidToInRange, &c.ValidToInRange},
		} {
			if *f.dst, err = parseDate(f.src); err != nil {
				return nil, &ParseError{Endpoint: "codes", Index: i, Field: f.name, Err: err}
			}
		}
		if !c.ValidTo.IsZero() && !c.ValidFrom.IsZero() && !c.ValidTo.After(c.ValidFrom) {
			return nil, &ParseError{Endpoint: "codes", Index: i, Field: "validTo", Err: fmt.Errorf("validTo %s is not after validFrom %s", c.ValidTo.Format(DateLayout), c.ValidFrom.Format(DateLayout))}
		}
		out = append(out, c)
	}
	return out, nil
}

// ParseChanges decodes a changes answer.
func ParseChanges(r io.Reader) ([]Change, error) {
	var doc struct {
		Changes *[]jsonChange `json:"codeChanges"`
	}
	if err := decode(r, &doc); err != nil {
		return nil, &ParseError{Endpoint: "changes", Index: -1, Err: err}
	}
	if doc.Changes == nil {
		return nil, &ParseError{Endpoint: "changes", Index: -1, Err: fmt.Errorf("no \"codeChanges\" member")}
	}
	out := make([]Change, 0, len(*doc.Changes))
	for i, j := range *doc.Changes {
		c := Change{OldCode: str(j.OldCode), OldName: str(j.OldName), OldShortName: str(j.OldShortName),
			NewCode: str(j.NewCode), NewName: str(j.NewName), NewShortName: str(j.NewShortName)}
		if c.OldCode == "" && c.NewCode == "" {
			return nil, &ParseError{Endpoint: "changes", Index: i, Field: "oldCode", Err: fmt.Errorf("neither oldCode nor newCode")}
		}
		if j.ChangeOccurred == nil || *j.ChangeOccurred == "" {
			return nil, &ParseError{Endpoint: "changes", Index: i, Field: "changeOccurred", Err: fmt.Errorf("missing")}
		}
		var err error
		if c.Occurred, err = parseDate(j.ChangeOccurred); err != nil {
			return nil, &ParseError{Endpoint: "changes", Index: i, Field: "changeOccurred", Err: err}
		}
		out = append(out, c)
	}
	return out, nil
}

// ParseCorrespondences decodes a correspondsAt answer.
func ParseCorrespondences(r io.Reader) ([]Correspondence, error) {
	var doc struct {
		Items *[]jsonCorr `json:"correspondenceItems"`
	}
	if err := decode(r, &doc); err != nil {
		return nil, &ParseError{Endpoint: "correspondsAt", Index: -1, Err: err}
	}
	if doc.Items == nil {
		return nil, &ParseError{Endpoint: "correspondsAt", Index: -1, Err: fmt.Errorf("no \"correspondenceItems\" member")}
	}
	out := make([]Correspondence, 0, len(*doc.Items))
	for i, j := range *doc.Items {
		if j.SourceCode == "" {
			return nil, &ParseError{Endpoint: "correspondsAt", Index: i, Field: "sourceCode", Err: fmt.Errorf("empty code")}
		}
		out = append(out, Correspondence(j))
	}
	return out, nil
}

func decode(r io.Reader, v any) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	d := json.NewDecoder(bytes.NewReader(b))
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return fmt.Errorf("trailing data after the JSON document")
	}
	return nil
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func level(raw json.RawMessage) (string, error) {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return "", nil
	}
	if s[0] == '"' {
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			return "", err
		}
		return v, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return "", fmt.Errorf("level %s is neither a string nor an integer", s)
	}
	return strconv.Itoa(n), nil
}

func parseDate(p *string) (time.Time, error) {
	if p == nil || *p == "" {
		return time.Time{}, nil
	}
	s := *p
	if i := strings.IndexByte(s, 'T'); i >= 0 {
		s = s[:i]
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q is not YYYY-MM-DD", *p)
	}
	return t, nil
}
