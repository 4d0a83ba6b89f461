package brreg

import (
	"github.com/grunnlag/grunnlag/sources/httpx"

	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Kind is the kind of a unit.
type Kind string

// Unit kinds: the path segment of the API.
const (
	LegalUnit     Kind = "enheter"
	Establishment Kind = "underenheter"
)

// Unit is one unit of the register, reduced to what enrichment needs.
type Unit struct {
	OrgNr string
	Kind  Kind
	Name  string
	// OrgForm is organisasjonsform.kode ("AS", "BEDR").
	OrgForm string
	// Industry is naeringskode1.kode ("52.292"); IndustryLabel its text.
	Industry, IndustryLabel string
	// Municipality is the municipality code of the address named by
	// MunicipalityFrom ("beliggenhetsadresse", "forretningsadresse",
	// "postadresse" or "").
	Municipality, MunicipalityFrom string
	// Employees is antallAnsatte when EmployeesKnown.
	Employees      int
	EmployeesKnown bool
	// Parent is an establishment's overordnetEnhet.
	Parent string
	// Bankrupt is konkurs; UnderLiquidation underAvvikling or forced
	// liquidation.
	Bankrupt, UnderLiquidation bool
	// Deleted is set for 410 Gone or a slettedato; DeletedDate is slettedato.
	Deleted     bool
	DeletedDate string
	// Closed is an establishment's nedleggelsesdato ("" if open).
	Closed string
}

// Section returns the SN2007 section letter of the unit's industry.
func (u *Unit) Section() string {
	s, _ := Section(u.Industry)
	return s
}

type code struct {
	Kode        string `json:"kode"`
	Beskrivelse string `json:"beskrivelse"`
}

type address struct {
	Kommunenummer string `json:"kommunenummer"`
}

type rawUnit struct {
	Organisasjonsnummer        string   `json:"organisasjonsnummer"`
	Navn                       string   `json:"navn"`
	Organisasjonsform          *code    `json:"organisasjonsform"`
	Naeringskode1              *code    `json:"naeringskode1"`
	AntallAnsatte              *int     `json:"antallAnsatte"`
	HarRegistrertAntallAnsatte *bool    `json:"harRegistrertAntallAnsatte"`
	Beliggenhetsadresse        *address `json:"beliggenhetsadresse"`
	Forretningsadresse         *address `json:"forretningsadresse"`
	Postadresse                *address `json:"postadresse"`
	OverordnetEnhet            string   `json:"overordnetEnhet"`
	Konkurs                    bool     `json:"konkurs"`
	UnderAvvikling             bool     `json:"underAvvikling"`
	Tvang                      bool     `json:"underTvangsavviklingEllerTvangsopplosning"`
	Slettedato                 string   `json:"slettedato"`
	Nedleggelsesdato           string   `json:"nedleggelsesdato"`
}

func (r *rawUnit) unit(kind Kind) (*Unit, error) {
	if r.Organisasjonsnummer == "" {
		return nil, errors.New("no organisasjonsnummer")
	}
	u := &Unit{OrgNr: r.Organisasjonsnummer, Kind: kind, Name: r.Navn, Parent: r.OverordnetEnhet,
		Bankrupt: r.Konkurs, UnderLiquidation: r.UnderAvvikling || r.Tvang,
		Deleted: r.Slettedato != "", DeletedDate: r.Slettedato, Closed: r.Nedleggelsesdato}
	if r.Organisasjonsform != nil {
		u.OrgForm = r.Organisasjonsform.Kode
	}
	if r.Naeringskode1 != nil {
		u.Industry, u.IndustryLabel = r.Naeringskode1.Kode, r.Naeringskode1.Beskrivelse
	}
	if r.AntallAnsatte != nil && (r.HarRegistrertAntallAnsatte == nil || *r.HarRegistrertAntallAnsatte) {
		u.Employees, u.EmployeesKnown = *r.AntallAnsatte, true
	}
	for _, a := range []struct {
		name string
		a    *address
	}{{"beliggenhetsadresse", r.Beliggenhetsadresse}, {"forretningsadresse", r.Forretningsadresse}, {"postadresse", r.Postadresse}} {
		if a.a != nil && a.a.Kommunenummer != "" {
			u.Municipality, u.MunicipalityFrom = a.a.Kommunenummer, a.name
			break
		}
	}
	return u, nil
}

// ParseUnit decodes one unit object (a /enheter/{orgnr} or
// /underenheter/{orgnr} response).
func ParseUnit(data []byte, kind Kind) (*Unit, error) {
	var r rawUnit
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("brreg: %s: %w", kind, err)
	}
	u, err := r.unit(kind)
	if err != nil {
		return nil, fmt.Errorf("brreg: %s: %w", kind, err)
	}
	return u, nil
}

// Section returns the SN2007 section letter (A-U) of an industry code
// ("52.292", "52", "5229"), from its two-digit division.
func Section(industry string) (string, bool) {
	if len(industry) < 2 {
		return "", false
	}
	d, err := strconv.Atoi(industry[:2])
	if err != nil {
		return "", false
	}
	for _, s := range sections {
		if d >= s.from && d <= s.to {
			return s.letter, true
		}
	}
	return "", false
}

// sections are the SN2007 sections by division range.
var sections = []struct {
	letter   string
	from, to int
}{
	{"A", 1, 3}, {"B", 5, 9}, {"C", 10, 33}, {"D", 35, 35}, {"E", 36, 39}, {"F", 41, 43},
	{"G", 45, 47}, {"H", 49, 53}, {"I", 55, 56}, {"J", 58, 63}, {"K", 64, 66}, {"L", 68, 68},
	{"M", 69, 75}, {"N", 77, 82}, {"O", 84, 84}, {"P", 85, 85}, {"Q", 86, 88}, {"R", 90, 93},
	{"S", 94, 96}, {"T", 97, 98}, {"U", 99, 99},
}

// Size bands (the values of SizeBand).
const (
	BandUnknown = "ukjent"
)

// SizeBands are the size bands by employees, smallest first: 0-4, 5-19,
// 20-99 and 100+ employees; BandUnknown when the count is unknown.
var SizeBands = []string{"0-4", "5-19", "20-99", "100+"}

// SizeBand returns the size band of a unit.
func SizeBand(u *Unit) string {
	if !u.EmployeesKnown {
		return BandUnknown
	}
	switch n := u.Employees; {
	case n < 5:
		return "0-4"
	case n < 20:
		return "5-19"
	case n < 100:
		return "20-99"
	default:
		return "100+"
	}
}

// ErrNotFound is returned for a number the register does not know (404).
var ErrNotFound = errors.New("brreg: not found")

// Options configure a Client.
type Options struct {
	HTTP      *http.Client // nil: a client with a 30 s timeout
	UserAgent string
	Logger    *slog.Logger // nil: discard
	// Recorder, if set, is called with every response received (any
	// status) before it is parsed; an error from it aborts the call.
	Recorder func(httpx.Exchange) error
	// Clock is the time of the retry waits; nil means the real clock.
	Clock httpx.Clock
	// Retry is the retry policy of the HTTP layer; zero fields take
	// httpx's defaults.
	Retry httpx.Policy
}

// Client asks the Enhetsregisteret API. Its requests go through package
// httpx: 5xx, 429 and network errors are retried; other non-2xx answers
// than 404 and 410 are *httpx.HTTPError.
type Client struct {
	base string
	opt  Options
	hx   *httpx.Client
}

// DefaultBaseURL is the API root.
const DefaultBaseURL = "https://data.brreg.no/enhetsregisteret/api"

// New returns a client for baseURL (DefaultBaseURL when "").
func New(baseURL string, opt Options) *Client {
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	if opt.UserAgent == "" {
		opt.UserAgent = "grunnlag (+https://github.com/grunnlag/grunnlag)"
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	hx := httpx.New(httpx.Options{Source: "brreg", HTTP: opt.HTTP, Timeout: 30 * time.Second, UserAgent: opt.UserAgent,
		MaxBody: maxBody, Clock: opt.Clock, Logger: opt.Logger, Retry: opt.Retry, Recorder: opt.Recorder})
	return &Client{base: strings.TrimRight(baseURL, "/"), opt: opt, hx: hx}
}

// maxBody caps a unit response.
const maxBody = 4 << 20

// Unit fetches one unit. A 410 Gone gives a Unit with Deleted set (and the
// body's fields when it has any); a 404 gives ErrNotFound.
func (c *Client) Unit(ctx context.Context, kind Kind, orgnr string) (*Unit, error) {
	if len(orgnr) != 9 || strings.Trim(orgnr, "0123456789") != "" {
		return nil, fmt.Errorf("brreg: %s: %q is not a 9-digit organisation number", kind, orgnr)
	}
	ex, err := c.hx.Do(ctx, httpx.Request{URL: c.base + "/" + string(kind) + "/" + orgnr, Accept: "application/json",
		Check: c.hx.CheckJSON, Pass: []int{http.StatusNotFound, http.StatusGone}})
	if err != nil {
		return nil, err
	}
	c.opt.Logger.Debug("brreg response", "source", "brreg", "kind", string(kind), "status", ex.Status, "bytes", len(ex.Body))
	switch ex.Status {
	case http.StatusNotFound:
		return nil, fmt.Errorf("brreg: %s %s: %w", kind, orgnr, ErrNotFound)
	case http.StatusGone:
		u, err := ParseUnit(ex.Body, kind)
		if err != nil {
			u = &Unit{OrgNr: orgnr, Kind: kind}
		}
		u.Deleted = true
		return u, nil
	}
	return ParseUnit(ex.Body, kind)
}

// Cache holds units from the bulk downloads, by kind and number.
type Cache struct {
	units map[Kind]map[string]*Unit
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{units: map[Kind]map[string]*Unit{}} }

// Len returns the number of units of kind in the cache.
func (c *Cache) Len(kind Kind) int { return len(c.units[kind]) }

// Add puts a unit in the cache (replacing one with the same number).
func (c *Cache) Add(u *Unit) {
	if c.units[u.Kind] == nil {
		c.units[u.Kind] = map[string]*Unit{}
	}
	c.units[u.Kind][u.OrgNr] = u
}

// Get returns a cached unit.
func (c *Cache) Get(kind Kind, orgnr string) (*Unit, bool) {
	u, ok := c.units[kind][orgnr]
	return u, ok
}

// Units calls fn for every unit of kind, in no particular order.
func (c *Cache) Units(kind Kind, fn func(*Unit)) {
	for _, u := range c.units[kind] {
		fn(u)
	}
}

// LoadBulk reads a bulk download (gzip JSON array of units; plain JSON is
// accepted too) into the cache, streaming, and returns the number read.
func (c *Cache) LoadBulk(r io.Reader, kind Kind) (int, error) {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return 0, fmt.Errorf("brreg: bulk %s: %w", kind, err)
		}
		defer gz.Close()
		br = bufio.NewReader(gz)
	}
	dec := json.NewDecoder(br)
	tok, err := dec.Token()
	if err != nil {
		return 0, fmt.Errorf("brreg: bulk %s: %w", kind, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return 0, fmt.Errorf("brreg: bulk %s: want a JSON array, got %v", kind, tok)
	}
	n := 0
	for dec.More() {
		var ru rawUnit
		if err := dec.Decode(&ru); err != nil {
			return n, fmt.Errorf("brreg: bulk %s: unit %d: %w", kind, n, err)
		}
		u, err := ru.unit(kind)
		if err != nil {
			return n, fmt.Errorf("brreg: bulk %s: unit %d: %w", kind, n, err)
		}
		c.Add(u)
		n++
	}
	if _, err := dec.Token(); err != nil {
		return n, fmt.Errorf("brreg: bulk %s: %w", kind, err)
	}
	return n, nil
}

// Register looks units up in a cache, then (when Client is set) the API.
type Register struct {
	Cache  *Cache  // may be nil
	Client *Client // nil: offline, cache only
}

// Lookup returns the unit for orgnr: an establishment when one is known,
// else the legal unit. Cache first; ErrNotFound when neither is known.
func (r *Register) Lookup(ctx context.Context, orgnr string) (*Unit, error) {
	if r.Cache != nil {
		for _, k := range []Kind{Establishment, LegalUnit} {
			if u, ok := r.Cache.Get(k, orgnr); ok {
				return u, nil
			}
		}
	}
	if r.Client == nil {
		return nil, fmt.Errorf("brreg: %s: not in the offline cache: %w", orgnr, ErrNotFound)
	}
	u, err := r.Client.Unit(ctx, Establishment, orgnr)
	if errors.Is(err, ErrNotFound) {
		u, err = r.Client.Unit(ctx, LegalUnit, orgnr)
	}
	if err != nil {
		return nil, err
	}
	if r.Cache != nil {
		r.Cache.Add(u)
	}
	return u, nil
}
