// Package nav reads NAV's labour-market statistics, which NAV publishes as
// files rather than through an API: registered jobseekers ("Hovedtall om
// arbeidsmarkedet", monthly, by county, municipality, status and sex),
// jobseekers and advertised vacancies by occupation group, jobseekers by
// occupation (yearly), vacancies reported to NAV (one row per vacancy,
// aggregated here), and Bedriftsundersøkelsen (estimated shortage by
// occupation and county, or by industry).
//
// A File names a download URL and the shipped tabular mapping that reads it
// (see sources/tabular/mappings/README.md): Client.Fetch downloads it
// (reporting the response to Options.Recorder), Parse turns the bytes into
// the tidy *jsonstat.Dataset every source yields (region, period, mapped
// dimensions, value, status). NAV's own rates (per cent of NAV's labour
// force) are kept as published, never recomputed; suppressed cells ("*")
// are kept as status with the value missing.
//
// Formats accepted are those of the mappings: CSV in UTF-8 (with or
// without BOM), windows-1252 or UTF-16, ";" "," or tab separated, or XLSX.
package nav

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/grunnlag/grunnlag/sources/httpx"
	"github.com/grunnlag/grunnlag/sources/jsonstat"
	"github.com/grunnlag/grunnlag/sources/tabular"
)

// Shipped mapping names for NAV's files.
const (
	// Hovedtall: registered jobseekers by county/municipality, status, sex, month.
	Hovedtall = "nav-hovedtall"
	// Yrkespraksis: jobseekers and advertised vacancies by NAV occupation group.
	Yrkespraksis = "nav-yrkespraksis"
	// ArbeidssokereYrke: jobseekers by STYRK occupation, yearly, national.
	ArbeidssokereYrke = "nav-arbeidssokere-yrke"
	// Bedriftsundersokelsen: estimated shortage by occupation, one column per county.
	Bedriftsundersokelsen = "nav-bedriftsundersokelse"
	// BedriftsundersokelsenNaering: estimated shortage by industry for one county.
	BedriftsundersokelsenNaering = "nav-bedriftsundersokelse-naering"
	// Stillinger: vacancies reported to NAV, one row per vacancy, aggregated
	// to positions by municipality x STYRK-08 x month.
	Stillinger = "nav-stillinger"
)

// File is one NAV file to download and read.
type File struct {
	// URL is where the file is downloaded from.
	URL string
	// Mapping is a shipped mapping name (one of the constants above) or a
	// path to a mapping file.
	Mapping string
	// Region and Period, when set, replace the mapping's region and period
	// with constants (for files that do not say them, such as
	// Bedriftsundersøkelsen by industry).
	Region, RegionLabel, Period string
	// CountyLevel, for Stillinger, aggregates to the workplace county
	// instead of the municipality.
	CountyLevel bool
}

// Options configure a Client. The zero value is usable.
type Options struct {
	// HTTP is the client used; nil means one with a 120 s timeout.
	HTTP *http.Client
	// UserAgent is sent with every request; "" means "grunnlag-nav/1".
	UserAgent string
	// Logger receives a debug line per download; nil discards.
	Logger *slog.Logger
	// Recorder is called with every response received (any status) before
	// it is parsed; an error from it aborts the call.
	Recorder func(Exchange) error
	// Regions validates region codes and resolves region names (the NAV
	// files name regions); nil leaves codes unchecked and makes names an
	// error.
	Regions tabular.Regions
	// MaxBody caps a download; 0 means DefaultMaxBody.
	MaxBody int64
	// Now is the clock for Exchange.FetchedAt; nil means time.Now.
	Now func() time.Time
	// Clock, if set, replaces Now and times the retry waits (tests).
	Clock httpx.Clock
	// Retry is the retry policy of the HTTP layer; zero fields take
	// httpx's defaults.
	Retry httpx.Policy
	// OnRetry, if set, is told of every retry (httpx.Options.OnRetry).
	OnRetry func(attempt int, wait time.Duration, err error)
}

// Client downloads and reads NAV files. It is safe for concurrent use.
type Client struct {
	opts Options
	w    *httpx.Client
	log  *slog.Logger
}

// New returns a client.
func New(opts Options) *Client {
	c := &Client{opts: opts, log: opts.Logger,
		w: newHTTP("nav", 120*time.Second, opts.HTTP, opts.UserAgent, opts.MaxBody, opts.Clock, opts.Now, opts.Logger, opts.Retry, opts.OnRetry, opts.Recorder)}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	return c
}

// Fetch downloads the file.
func (c *Client) Fetch(ctx context.Context, f File) (*Exchange, error) {
	if f.URL == "" {
		return nil, fmt.Errorf("nav: %s: no URL", f.Mapping)
	}
	start := c.w.Clock().Now()
	ex, err := c.w.Do(ctx, httpx.Request{URL: f.URL})
	if err != nil {
		return nil, err
	}
	c.log.Debug("nav download", "source", "nav", "dataset", f.Mapping, "bytes", len(ex.Body), "duration", c.w.Clock().Now().Sub(start))
	return ex, nil
}

// Dataset downloads the file and parses it: Fetch then Parse.
func (c *Client) Dataset(ctx context.Context, f File) (*jsonstat.Dataset, error) {
	ex, err := c.Fetch(ctx, f)
	if err != nil {
		return nil, err
	}
	return Parse(f, fileName(f.URL), ex.Body, c.opts.Regions)
}

// Parse reads a downloaded NAV file (pure): name is used in errors,
// regions may be nil (see Options.Regions).
func Parse(f File, name string, data []byte, regions tabular.Regions) (*jsonstat.Dataset, error) {
	m, err := tabular.LoadMappingFile(f.Mapping)
	if err != nil {
		return nil, fmt.Errorf("nav: %w", err)
	}
	if f.Region != "" {
		m.Region = tabular.Region{Cell: tabular.Cell{Value: f.Region, Label: f.RegionLabel}}
	}
	if f.Period != "" {
		m.Period = tabular.Period{Cell: tabular.Cell{Value: f.Period}}
	}
	if f.CountyLevel {
		m.Region = tabular.Region{Cell: tabular.Cell{Column: "arbeidssted_fylkesnummer", LabelColumn: "arbeidssted_fylke"}}
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("nav: %w", err)
	}
	if isXLSX(data) {
		m.Format = "xlsx"
	}
	ds, err := tabular.Parse(name, data, m, tabular.Options{Regions: regions})
	if err != nil {
		return nil, fmt.Errorf("nav: %w", err)
	}
	return ds, nil
}

// Vacancies reads the vacancies CSV (one row per vacancy: stilling_id,
// registrert_dato, arbeidssted_fylkesnummer, arbeidssted_fylke,
// arbeidssted_kommunenummer, arbeidssted_kommune, styrk08, styrk08_navn,
// orgnr, antall_stillinger) and sums positions by workplace region x
// STYRK-08 x month of registration; county selects the county level.
func Vacancies(name string, data []byte, county bool, regions tabular.Regions) (*jsonstat.Dataset, error) {
	return Parse(File{Mapping: Stillinger, CountyLevel: county}, name, data, regions)
}

func isXLSX(data []byte) bool {
	return len(data) > 4 && string(data[:4]) == "PK\x03\x04"
}

func fileName(u string) string {
	for i := len(u) - 1; i >= 0; i-- {
		if u[i] == '/' {
			if i+1 < len(u) {
				return u[i+1:]
			}
			break
		}
	}
	return u
}
