package nav

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/sources/jsonstat"

	"github.com/grunnlag/grunnlag/sources/httpx"
)

// fakeRegions resolves the names NAV uses to the county and municipality
// codes valid in 2024 (KLASS 104 and 131; the same lists as the project's
// testdata/demo/source/fylker_2024.csv and kommuner_2024.csv). Dates
// before 2024 are refused, so a wrong date shows up as an error.
type fakeRegions struct{}

var codes2024 = map[string]string{
	"Telemark": "40", "Vestfold": "39", "Oslo": "03", "Trøndelag": "50",
	"Porsgrunn": "4001", "Skien": "4003", "Notodden": "4005", "Siljan": "4010", "Bamble": "4012",
	"Kragerø": "4014", "Drangedal": "4016", "Nome": "4018", "Midt-Telemark": "4020", "Seljord": "4022",
	"Hjartdal": "4024", "Tinn": "4026", "Kviteseid": "4028", "Nissedal": "4030", "Fyresdal": "4032",
	"Tokke": "4034", "Vinje": "4036",
}

func (fakeRegions) CodeOnDate(name string, d time.Time) (string, error) {
	if d.Year() < 2024 {
		return "", fmt.Errorf("fake model knows 2024 onwards, asked for %s", d.Format(time.DateOnly))
	}
	if c, ok := codes2024[name]; ok {
		return c, nil
	}
	return "", fmt.Errorf("unknown name %q", name)
}

func (fakeRegions) Known(code string, d time.Time) bool {
	if code == "0" {
		return true
	}
	for _, c := range codes2024 {
		if c == code {
			return true
		}
	}
	return false
}

func cellAt(t *testing.T, ds *jsonstat.Dataset, codes map[string]string) (float64, bool, string) {
	t.Helper()
	coords := make([]int, len(ds.Dims))
	for k, d := range ds.Dims {
		want, ok := codes[d.ID]
		if !ok {
			t.Fatalf("cellAt: no code for dimension %s", d.ID)
		}
		coords[k] = -1
		for i, c := range d.Codes {
			if c == want {
				coords[k] = i
			}
		}
		if coords[k] < 0 {
			t.Fatalf("cellAt: dimension %s has no code %q (codes %v)", d.ID, want, d.Codes)
		}
	}
	i := ds.Index(coords)
	st := ""
	if ds.Status != nil {
		st = ds.Status[i]
	}
	return ds.Values[i], ds.Present[i], st
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestHovedtall checks NAV's registered unemployment for March 2024, the
// figures stated in testdata/PROVENANCE.md: Telemark helt ledige 2166
// (0.025 -> 2.5 %), national 61071 (0.02 -> 2.0 %).
func TestHovedtall(t *testing.T) {
	ds, err := Parse(File{Mapping: Hovedtall}, "arbeidsledighet_2024q1.csv", readFile(t, "arbeidsledighet_2024q1.csv"), fakeRegions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		region, measure string
		want            float64
	}{
		{"40", "Personer", 2166},
		{"40", "ProsentArbeidsstyrken", 2.5},
		{"0", "Personer", 61071},
		{"0", "ProsentArbeidsstyrken", 2.0},
	}
	for _, tc := range tests {
		v, ok, _ := cellAt(t, ds, map[string]string{"region": tc.region, "period": "2024M03",
			"Arbeidsmarkedsstatus": "HeltLedige", "Kjonn": "0", "ContentsCode": tc.measure})
		if !ok || v != tc.want {
			t.Errorf("hovedtall %s %s 2024M03 = %v (present %v), want %v", tc.region, tc.measure, v, ok, tc.want)
		}
	}
	if got := strings.Join(ds.Dim("period").Codes, ","); got != "2024M01,2024M02,2024M03" {
		t.Errorf("periods = %s, want 2024M01,2024M02,2024M03", got)
	}
	// 1 county + 17 municipalities + the nation.
	if n := len(ds.Dim("region").Codes); n != 19 {
		t.Errorf("regions = %d (%v), want 19", n, ds.Dim("region").Codes)
	}
	if len(ds.Note) == 0 || !strings.Contains(ds.Note[0], "NAVs egne") {
		t.Errorf("notes = %q, want the note that NAV's rates are kept", ds.Note)
	}
	// Without a regions model the names cannot be resolved: a clear error.
	_, err = Parse(File{Mapping: Hovedtall}, "arbeidsledighet_2024q1.csv", readFile(t, "arbeidsledighet_2024q1.csv"), nil)
	if err == nil || !strings.Contains(err.Error(), "no regions model") {
		t.Errorf("Parse without regions: error %v, want one saying no regions model", err)
	}
}

// TestYrkespraksis: PROVENANCE.md states Telemark 2026-01 Helse, pleie og
// omsorg: 274 søkere / 657 stillinger; Landet 7006 / 17569.
func TestYrkespraksis(t *testing.T) {
	ds, err := Parse(File{Mapping: Yrkespraksis}, "yrkespraksis_2026m01.csv", readFile(t, "yrkespraksis_2026m01.csv"), fakeRegions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		region, measure string
		want            float64
	}{{"40", "Sokere", 274}, {"40", "Stillinger", 657}, {"0", "Sokere", 7006}, {"0", "Stillinger", 17569}} {
		v, ok, _ := cellAt(t, ds, map[string]string{"region": tc.region, "period": "2026M01", "Yrke": "Helse, pleie og omsorg", "ContentsCode": tc.measure})
		if !ok || v != tc.want {
			t.Errorf("yrkespraksis %s %s = %v, want %v", tc.region, tc.measure, v, tc.want)
		}
	}
	// Fyresdal's søkere cell is empty in the file: missing, not zero.
	if v, ok, _ := cellAt(t, ds, map[string]string{"region": "4032", "period": "2026M01", "Yrke": "Helse, pleie og omsorg", "ContentsCode": "Sokere"}); ok {
		t.Errorf("Fyresdal søkere = %v, want missing", v)
	}
}

// TestArbeidssokereYrke reads the deterministic subset of the 1.2 MB file
// (header, every row whose count is "*", every row of codes 2223 and 3139).
// PROVENANCE.md: 319 "*" cells; 2017/2223 Sykepleiere = 407.
func TestArbeidssokereYrke(t *testing.T) {
	data := readFile(t, "arbeidssokere_yrke_subset.csv")
	if n := strings.Count(string(data), "\"*\"\r\n"); n != 319 {
		t.Fatalf("subset has %d rows with a \"*\" count, want all 319", n)
	}
	ds, err := Parse(File{Mapping: ArbeidssokereYrke}, "arbeidssokere_yrke_subset.csv", data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok, _ := cellAt(t, ds, map[string]string{"region": "0", "period": "2017", "Yrke": "2223", "Klassifikasjon": "ISCO-08"}); !ok || v != 407 {
		t.Errorf("2017 2223 = %v, want 407", v)
	}
	// 2003/3139 has two rows ("*" and 35): the sum is suppressed, not 35.
	if v, ok, st := cellAt(t, ds, map[string]string{"region": "0", "period": "2003", "Yrke": "3139", "Klassifikasjon": "ISCO-88"}); ok || st != "*" {
		t.Errorf("2003 3139 = %v %v %q, want suppressed *", v, ok, st)
	}
	// 319 "*" rows; two of them (2013/3121) fall on the same cell, so 318
	// cells carry the status; none has a value.
	marked := 0
	for i, s := range ds.Status {
		if s == "*" {
			marked++
			if ds.Present[i] || ds.Values[i] != 0 {
				t.Fatalf("cell %d is suppressed but has value %v", i, ds.Values[i])
			}
		}
	}
	if marked != 318 {
		t.Errorf("suppressed cells = %d, want 318", marked)
	}
	var ext struct {
		SeriesBreak []struct{ Period, Note string } `json:"series_break"`
	}
	if err := json.Unmarshal(ds.Extension, &ext); err != nil || len(ext.SeriesBreak) != 1 || ext.SeriesBreak[0].Period != "2012" {
		t.Errorf("series_break = %+v (%v), want the STYRK break in 2012", ext.SeriesBreak, err)
	}
}

// TestBedriftsundersokelsen: PROVENANCE.md: 2223 Sykepleiere norge = 3600;
// 2512 oslo = "1 400"; sum of norge = 32800.
func TestBedriftsundersokelsen(t *testing.T) {
	ds, err := Parse(File{Mapping: Bedriftsundersokelsen}, "bedriftsundersokelse_2017.csv", readFile(t, "bedriftsundersokelse_2017.csv"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if v, _, _ := cellAt(t, ds, map[string]string{"region": "0", "period": "2017", "Yrke": "2223"}); v != 3600 {
		t.Errorf("2223 norge = %v, want 3600", v)
	}
	if v, _, _ := cellAt(t, ds, map[string]string{"region": "03", "period": "2017", "Yrke": "2512"}); v != 1400 {
		t.Errorf("2512 oslo = %v, want 1400", v)
	}
	sum := 0.0
	for _, y := range ds.Dim("Yrke").Codes {
		v, _, _ := cellAt(t, ds, map[string]string{"region": "0", "period": "2017", "Yrke": y})
		sum += v
	}
	if sum != 32800 {
		t.Errorf("sum norge = %v, want 32800", sum)
	}
}

// TestVacancies aggregates the constructed vacancies file; the sums were
// done by hand from its six rows.
func TestVacancies(t *testing.T) {
	data := readFile(t, "stillinger_constructed.csv")
	ds, err := Vacancies("stillinger_constructed.csv", data, false, fakeRegions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		region, yrke, period string
		want                 float64
	}{
		{"4003", "2223", "2024M03", 3}, // a1 2 + a2 1
		{"4001", "2223", "2024M03", 3},
		{"4001", "7126", "2024M03", 1},
		{"4003", "7126", "2024M04", 4},
		{"4036", "5120", "2024M04", 1},
	} {
		v, ok, _ := cellAt(t, ds, map[string]string{"region": tc.region, "period": tc.period, "Yrke": tc.yrke})
		if !ok || v != tc.want {
			t.Errorf("vacancies %s %s %s = %v, want %v", tc.region, tc.yrke, tc.period, v, tc.want)
		}
	}
	if v, ok, _ := cellAt(t, ds, map[string]string{"region": "4036", "period": "2024M03", "Yrke": "5120"}); ok {
		t.Errorf("Vinje kokker March = %v, want missing (no vacancy)", v)
	}
	county, err := Vacancies("stillinger_constructed.csv", data, true, fakeRegions{})
	if err != nil {
		t.Fatal(err)
	}
	if v, _, _ := cellAt(t, county, map[string]string{"region": "40", "period": "2024M03", "Yrke": "2223"}); v != 6 {
		t.Errorf("county 40 2223 March = %v, want 6 (3+3)", v)
	}
	if len(ds.Note) != 0 {
		t.Errorf("notes = %q, want none (2024 only: no break inside)", ds.Note)
	}
	// Data spanning 2016-2017 carry NAV's 2017 break (synthetic rows).
	span := "stilling_id;registrert_dato;arbeidssted_fylkesnummer;arbeidssted_fylke;arbeidssted_kommunenummer;arbeidssted_kommune;styrk08;styrk08_navn;orgnr;antall_stillinger\n" +
		"s1;2016-12-01;08;Telemark;0806;Skien;2223;Sykepleiere;1;1\ns2;2017-02-01;08;Telemark;0806;Skien;2223;Sykepleiere;1;2\n"
	ds2, err := Vacancies("synthetic.csv", []byte(span), false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds2.Note) != 1 || !strings.Contains(ds2.Note[0], "2017") {
		t.Errorf("notes = %q, want the 2017 vacancy-statistics break", ds2.Note)
	}
}

// TestClient downloads through an httptest server: User-Agent, Recorder,
// typed HTTP errors, timeouts.
func TestClient(t *testing.T) {
	body := readFile(t, "bedriftsundersokelse_2017.csv")
	var mu sync.Mutex
	var agents []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents = append(agents, r.UserAgent())
		mu.Unlock()
		switch r.URL.Path {
		case "/bu/2017.csv":
			w.Header().Set("Content-Type", "text/csv")
			w.Write(body)
		case "/slow.csv":
			select {
			case <-r.Context().Done():
			case <-time.After(2 * time.Second):
			}
		default:
			http.Error(w, "finnes ikke", http.StatusNotFound)
		}
	}))
	defer srv.Close()
	var recorded []Exchange
	c := New(Options{UserAgent: "grunnlag-test", Recorder: func(ex Exchange) error {
		recorded = append(recorded, ex)
		return nil
	}, Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }})
	ds, err := c.Dataset(context.Background(), File{URL: srv.URL + "/bu/2017.csv", Mapping: Bedriftsundersokelsen})
	if err != nil {
		t.Fatal(err)
	}
	if v, _, _ := cellAt(t, ds, map[string]string{"region": "0", "period": "2017", "Yrke": "2223"}); v != 3600 {
		t.Errorf("downloaded 2223 norge = %v, want 3600", v)
	}
	if len(recorded) != 1 || recorded[0].Status != 200 || len(recorded[0].Body) != len(body) || !recorded[0].FetchedAt.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("recorded = %d exchanges, want one 200 with the whole body and the injected time", len(recorded))
	}
	if agents[0] != "grunnlag-test" {
		t.Errorf("User-Agent = %q, want grunnlag-test", agents[0])
	}

	_, err = c.Fetch(context.Background(), File{URL: srv.URL + "/missing.csv", Mapping: Hovedtall})
	var he *httpx.HTTPError
	if !errors.As(err, &he) || he.Status != 404 || httpx.Recoverable(he) || !strings.Contains(string(he.Body), "finnes ikke") {
		t.Errorf("Fetch(missing) error = %v, want *HTTPError 404 with the body", err)
	}
	if len(recorded) != 2 || recorded[1].Status != 404 {
		t.Errorf("the 404 response was not recorded")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.Fetch(ctx, File{URL: srv.URL + "/slow.csv"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Fetch(slow) error = %v, want context.DeadlineExceeded", err)
	}

	rc := New(Options{Recorder: func(Exchange) error { return errors.New("disk full") }})
	if _, err := rc.Fetch(context.Background(), File{URL: srv.URL + "/bu/2017.csv"}); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Fetch with a failing recorder: error %v, want disk full", err)
	}
}

// TestDemoBundle reads the demo responses through Bundle, as the offline
// demo does.
func TestDemoBundle(t *testing.T) {
	rt, err := Bundle("../../testdata/demo/nav")
	if err != nil {
		t.Fatal(err)
	}
	c := New(Options{HTTP: &http.Client{Transport: rt}, Regions: fakeRegions{}})
	ds, err := c.Dataset(context.Background(), File{URL: DemoHovedtallURL, Mapping: Hovedtall})
	if err != nil {
		t.Fatal(err)
	}
	if v, _, _ := cellAt(t, ds, map[string]string{"region": "40", "period": "2024M03",
		"Arbeidsmarkedsstatus": "HeltLedige", "Kjonn": "0", "ContentsCode": "Personer"}); v != 2166 {
		t.Errorf("demo Telemark helt ledige 2024M03 = %v, want 2166", v)
	}
	for _, f := range []File{
		{URL: DemoYrkespraksisURL, Mapping: Yrkespraksis},
		{URL: DemoStillingerURL, Mapping: Stillinger},
	} {
		if _, err := c.Dataset(context.Background(), f); err != nil {
			t.Errorf("demo %s: %v", f.Mapping, err)
		}
	}
	// The 2017 survey uses the pre-2018 counties, which the 2024-only fake
	// model does not know: read it without a model.
	old := New(Options{HTTP: &http.Client{Transport: rt}})
	for _, f := range []File{
		{URL: DemoBedriftsundersokelsenURL, Mapping: Bedriftsundersokelsen},
		{URL: DemoBedriftsundersokelsenNaeringURL, Mapping: BedriftsundersokelsenNaering},
	} {
		if _, err := old.Dataset(context.Background(), f); err != nil {
			t.Errorf("demo %s: %v", f.Mapping, err)
		}
	}
	if _, err := c.Fetch(context.Background(), File{URL: "https://example.invalid/x.csv"}); err == nil || !strings.Contains(err.Error(), "no recorded response") {
		t.Errorf("unknown URL: error %v, want no recorded response", err)
	}
}
