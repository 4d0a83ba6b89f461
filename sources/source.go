package sources

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/grunnlag/grunnlag/sources/httpx"
	"github.com/grunnlag/grunnlag/sources/jsonstat"
	"github.com/grunnlag/grunnlag/sources/tabular"
)

// Source is one configured source: it fetches a snapshot for a query
// (network, through httpx) and parses a snapshot into a tidy dataset
// (pure). Build it with its kind's Factory.
type Source interface {
	// Fetch requests what q names and returns every response that makes
	// up the dataset. Its errors are typed (httpx.HTTPError and the
	// others of package httpx); it has retried what was recoverable.
	Fetch(ctx context.Context, q Query) (*Snapshot, error)
	// Parse turns a snapshot made by Fetch into the dataset. It makes no
	// request.
	Parse(s *Snapshot) (*jsonstat.Dataset, error)
}

// Query is what a dataset reads from its source, decoded from the
// dataset's config section by the kind's Factory.
type Query interface {
	// Table names what is read, for the run record and the dataset's
	// metadata (a table ID, a report code, a mapping name).
	Table() string
	// Describe is the query text kept with every dataset version; ""
	// means the pipeline describes it by the dataset's config section.
	Describe() string
}

// Snapshot is what a Fetch received for one query.
type Snapshot struct {
	Query Query
	// Exchanges are the responses that make up the dataset, in order
	// (every response was also handed to Env.Recorder as it arrived).
	Exchanges []httpx.Exchange
	// Chunks is the number of data requests the dataset took (PxWebApi
	// cuts a large selection into chunks); 0 when not meaningful.
	Chunks int
	// Decoded is set by sources whose protocol must decode responses to
	// fetch at all (PxWebApi decodes each chunk to check it and re-plan);
	// their Parse returns it.
	Decoded *jsonstat.Dataset
}

// Updater is implemented by sources that can tell cheaply whether a
// table changed (PxWebApi's `updated`), so the pipeline skips tables that
// did not. Stamps are RFC 3339 in UTC.
type Updater interface {
	// Updated returns the source's last-update stamp of what q reads.
	Updated(ctx context.Context, q Query) (string, error)
	// UpdatedSince returns table -> stamp for every table updated in the
	// last days days.
	UpdatedSince(ctx context.Context, days int) (map[string]string, error)
}

// Section is a kind's own keys of one config section (a source's or a
// dataset's), the keys every kind shares taken out. Decode decodes them
// strictly into v (a pointer to a struct with yaml tags): a key v does not
// declare is an error naming it.
type Section interface {
	Decode(v any) error
}

// Env is what the pipeline hands a Factory to build a Source.
type Env struct {
	// Name is the configured source name ("ssb", "nav").
	Name string
	// BaseURL is the source's base_url.
	BaseURL string
	// HTTP carries the transport (network, bundle or offline replay) and
	// the request timeout; nil means the source's default client.
	HTTP *http.Client
	// UserAgent is sent with every request ("" means the source's own).
	UserAgent string
	// Logger receives the source's logs; nil discards.
	Logger *slog.Logger
	// Recorder is handed every response received, before it is parsed.
	Recorder func(httpx.Exchange) error
	// Regions validates region codes and resolves names (file and report
	// sources); nil leaves codes unchecked.
	Regions tabular.Regions
	// Clock and Retry configure the HTTP layer's waits (tests inject a
	// fake clock); zero values take httpx's defaults.
	Clock httpx.Clock
	Retry httpx.Policy
	// Progress, if set, is told how many chunks of a Fetch are done.
	Progress func(done, total int)
	// OnRetry, if set, is told of every retry the HTTP layer makes (for
	// counts and metrics; the layer also logs it).
	OnRetry func(attempt int, wait time.Duration, err error)
}

// DatasetSpec is one dataset's config as a Factory sees it: the keys every
// kind shares, and the section with the kind's own keys.
type DatasetSpec struct {
	ID      string
	Table   string
	Title   string
	Section Section
}

// Factory builds the sources of one kind and decodes their config.
type Factory interface {
	// Kind is the config's `kind:` value ("pxweb", "nav").
	Kind() string
	// New builds a source from env and the kind's keys of its config
	// section. It makes no request.
	New(env Env, sec Section) (Source, error)
	// Query decodes and checks one dataset's keys. It makes no request;
	// the errors name the keys ("select.Tid: no values").
	Query(d DatasetSpec) (Query, error)
}

// Registry holds one Factory per kind. Build it with NewRegistry (the
// program's list is sources/all); it is read-only afterwards.
type Registry struct {
	kinds map[string]Factory
}

// NewRegistry returns a registry of fs, refusing a factory with an empty
// kind and two factories of the same kind.
func NewRegistry(fs ...Factory) (*Registry, error) {
	r := &Registry{kinds: map[string]Factory{}}
	for _, f := range fs {
		k := f.Kind()
		if k == "" {
			return nil, fmt.Errorf("sources: a factory (%T) has no kind", f)
		}
		if old, dup := r.kinds[k]; dup {
			return nil, fmt.Errorf("sources: kind %q registered twice (%T and %T)", k, old, f)
		}
		r.kinds[k] = f
	}
	return r, nil
}

// Lookup returns the factory of kind.
func (r *Registry) Lookup(kind string) (Factory, bool) {
	f, ok := r.kinds[kind]
	return f, ok
}

// Kinds returns the registered kinds, sorted.
func (r *Registry) Kinds() []string { return slices.Sorted(maps.Keys(r.kinds)) }

// RegionsUser is implemented by factories whose sources check region
// codes or resolve region names: the pipeline loads the region model
// (KLASS) and passes it as Env.Regions before building them.
type RegionsUser interface {
	UsesRegions() bool
}

// Bundler is implemented by factories that can answer from a directory of
// recorded responses instead of the network (a source's `bundle:`, the
// offline demo).
type Bundler interface {
	Bundle(baseURL, dir string) (http.RoundTripper, error)
}

// Searcher is implemented by sources that can find their tables and
// describe one (PxWebApi's /tables?query= and /tables/{id}/metadata), so
// that `grunnlag tables search` and `tables show` ask whatever source a
// config names, through its kind, rather than one protocol.
type Searcher interface {
	// Search returns one page of the tables matching q.Text.
	Search(ctx context.Context, q SearchQuery) (*SearchPage, error)
	// Describe returns a table's variables and values, and the kind's
	// keys of a dataset section reading it.
	Describe(ctx context.Context, table string) (*TableDescription, error)
}

// SearchQuery is a table search.
type SearchQuery struct {
	// Text is the source's search text ("" lists every table).
	Text string
	// Page is the 1-based page wanted; 0 means 1.
	Page int
}

// SearchPage is one page of a table search.
type SearchPage struct {
	Tables []TableSummary
	// Page is this page's number (1-based), Pages the number of pages and
	// Total the number of tables matching.
	Page, Pages, Total int
}

// TableSummary is one table found by a search.
type TableSummary struct {
	ID    string
	Title string
	// FirstPeriod and LastPeriod are the first and last time period, as
	// the source writes them ("2015M04", "2026M03"); "" if unknown.
	FirstPeriod, LastPeriod string
	// Updated is the last update of the table's data; zero if unknown.
	Updated time.Time
	// Variables are the variables' names (labels), in table order.
	Variables []string
	// Discontinued is true for a table that is no longer updated.
	Discontinued bool
}

// TableDescription is one table with its variables.
type TableDescription struct {
	TableSummary
	// Producer names who made the statistics ("SCB", "Statistisk
	// sentralbyrå"); "" if the source does not say.
	Producer  string
	Variables []Variable
	// DatasetKeys are the kind's own keys of a dataset section that reads
	// the whole table (pxweb: `select:` with every variable), ready to be
	// marshalled with gopkg.in/yaml.v3 under a dataset ID together with
	// the shared keys (source, table, title). The source makes sure the
	// section validates with its Factory's Query.
	DatasetKeys any
}

// Variable is one variable (dimension) of a table.
type Variable struct {
	Code, Label string
	// Time is true for the time variable.
	Time bool
	// Elimination is true when a selection may leave the variable out.
	Elimination bool
	Values      []Value
	// Codelists are the groupings the variable can be selected through.
	Codelists []Codelist
}

// Value is one value of a variable; Unit is set for the measures of a
// contents variable ("antal", "prosent").
type Value struct {
	Code, Label, Unit string
}

// Codelist names a grouping of a variable's values.
type Codelist struct {
	ID, Label string
	// Type is the source's kind of grouping ("Aggregation", "Valueset").
	Type string
}
