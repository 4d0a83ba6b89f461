package dbh

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/sources/jsonstat"
	"github.com/grunnlag/grunnlag/sources/tabular"

	"github.com/grunnlag/grunnlag/sources/httpx"
)

type fakeRegions struct{}

func (fakeRegions) CodeOnDate(name string, d time.Time) (string, error) {
	return "", errors.New("not used")
}

// Known: Vestfold og Telemark 38 in 2020-2023, Telemark 40 from 2024,
// Trøndelag 50 from 2018.
func (fakeRegions) Known(code string, d time.Time) bool {
	y := d.Year()
	return (code == "38" && y >= 2020 && y < 2024) || (code == "40" && y >= 2024) || (code == "50" && y >= 2018)
}

func cellAt(t *testing.T, ds *jsonstat.Dataset, codes map[string]string) (float64, bool) {
	t.Helper()
	coords := make([]int, len(ds.Dims))
	for k, d := range ds.Dims {
		coords[k] = -1
		for i, c := range d.Codes {
			if c == codes[d.ID] {
				coords[k] = i
			}
		}
		if coords[k] < 0 {
			t.Fatalf("cellAt: dimension %s has no code %q (codes %v)", d.ID, codes[d.ID], d.Codes)
		}
	}
	i := ds.Index(coords)
	return ds.Values[i], ds.Present[i]
}

// fagskoleQuery asks for fagskole students by county and field. The
// table ID is a placeholder: DBH's student and fagskole table IDs are an
// open item (DOMAIN.md §8, item 7).
func fagskoleQuery() Query {
	return Query{
		Table:   999,
		GroupBy: []string{"Årstall", "Fylkesnr", "Fagområdekode"},
		SortBy:  []string{"Fylkesnr"},
		Filter:  []Filter{{Variable: "Årstall", Selection: Selection{Filter: "item", Values: []string{"2023", "2024"}}}},
		Region:  tabular.Region{Cell: tabular.Cell{Column: "Fylkesnr", LabelColumn: "Fylkesnavn"}},
		Period:  tabular.Period{Cell: tabular.Cell{Column: "Årstall"}},
		Dims:    tabular.Dims{{ID: "Fagomrade", DimLabel: "Fagområde", Cell: tabular.Cell{Column: "Fagområdekode", LabelColumn: "Fagområde"}}},
		Value:   "Antall studenter",
		Label:   "Fagskolestudenter etter fylke og fagområde",
	}
}

func TestBody(t *testing.T) {
	body, err := fagskoleQuery().Body()
	if err != nil {
		t.Fatal(err)
	}
	// The documented body (DOMAIN.md §5.4), with our table, groups and filter.
	want := `{"tabell_id":999,"api_versjon":1,"statuslinje":"N","begrensning":"1000","kodetekst":"J","desimal_separator":".",` +
		`"groupBy":["Årstall","Fylkesnr","Fagområdekode"],"sortBy":["Fylkesnr"],` +
		`"filter":[{"variabel":"Årstall","selection":{"filter":"item","values":["2023","2024"],"exclude":[""]}}]}`
	if string(body) != want {
		t.Errorf("Body() =\n%s\nwant\n%s", body, want)
	}
}

// TestFetch replays a constructed response (testdata/PROVENANCE.md) through
// an httptest server that checks method, content type and body.
func TestFetch(t *testing.T) {
	resp, err := os.ReadFile("testdata/fagskole_fylke.json")
	if err != nil {
		t.Fatal(err)
	}
	wantBody, _ := fagskoleQuery().Body()
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ := io.ReadAll(r.Body)
		if r.Method != http.MethodPost || r.URL.Path != "/api/Tabeller/hentJSONTabellData" ||
			r.Header.Get("Content-Type") != "application/json" || !bytes.Equal(got, wantBody) || r.UserAgent() != "grunnlag-dbh/1" {
			t.Errorf("unexpected request %s %s %q body %s", r.Method, r.URL, r.Header.Get("Content-Type"), got)
			http.Error(w, "bad", 400)
			return
		}
		if status != http.StatusOK {
			w.WriteHeader(status)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(resp)
	}))
	defer srv.Close()
	var recorded []Exchange
	c := New(srv.URL+"/api/Tabeller/hentJSONTabellData", Options{Regions: fakeRegions{}, Retry: httpx.Policy{BaseDelay: time.Millisecond, MaxDelay: time.Millisecond},
		Recorder: func(ex Exchange) error { recorded = append(recorded, ex); return nil }})
	ds, ex, err := c.Fetch(context.Background(), fagskoleQuery())
	if err != nil {
		t.Fatal(err)
	}
	if len(recorded) != 1 || !bytes.Equal(recorded[0].RequestBody, wantBody) || ex.Status != 200 {
		t.Errorf("recorded %d exchanges; want one with the request body", len(recorded))
	}
	for _, tc := range []struct {
		region, period, field string
		want                  float64
		present               bool
	}{
		{"40", "2024", "HELSE", 440, true},
		{"40", "2024", "TEKN", 285, true}, // a JSON number
		{"50", "2024", "HELSE", 1235, true},
		{"50", "2024", "TEKN", 0, false}, // null
	} {
		v, ok := cellAt(t, ds, map[string]string{"region": tc.region, "period": tc.period, "Fagomrade": tc.field})
		if v != tc.want || ok != tc.present {
			t.Errorf("%s %s %s = %v %v, want %v %v", tc.region, tc.period, tc.field, v, ok, tc.want, tc.present)
		}
	}
	if ds.Dim("Fagomrade").Labels[0] != "Helse, omsorg og oppvekst" || ds.Dim("region").Labels[2] != "Trøndelag" {
		t.Errorf("labels = %v %v", ds.Dim("Fagomrade").Labels, ds.Dim("region").Labels)
	}
	if v, ok := cellAt(t, ds, map[string]string{"region": "38", "period": "2023", "Fagomrade": "HELSE"}); !ok || v != 415 {
		t.Errorf("38 2023 HELSE = %v, want 415", v)
	}
	var ext map[string]json.RawMessage
	if err := json.Unmarshal(ds.Extension, &ext); err != nil || string(ext["rounded_to"]) != "5" {
		t.Errorf("extension = %s, want rounded_to 5", ds.Extension)
	}
	if len(ds.Note) != 1 || ds.Note[0] != RoundingNote {
		t.Errorf("notes = %q, want the rounding note", ds.Note)
	}

	status = http.StatusNoContent
	if _, _, err := c.Fetch(context.Background(), fagskoleQuery()); !errors.Is(err, ErrNoData) {
		t.Errorf("204: error %v, want ErrNoData", err)
	}
	status = http.StatusInternalServerError
	_, _, err = c.Fetch(context.Background(), fagskoleQuery())
	var he *httpx.HTTPError
	if !errors.As(err, &he) || he.Status != 500 || !httpx.Recoverable(he) {
		t.Errorf("500: error %v, want *HTTPError 500", err)
	}
}

func TestParseErrors(t *testing.T) {
	q := fagskoleQuery()
	tests := []struct {
		name, body, want string
	}{
		{"empty", "", "dbh: table 999: no data (204)"},
		{"empty array", "[]", "dbh: table 999: no data (204)"},
		{"object", `{"feil": "x"}`, "dbh: table 999: the answer is not a JSON array of rows"},
		{"bad value", `[{"Årstall":"2024","Fylkesnr":"40","Fylkesnavn":"T","Fagområdekode":"H","Fagområde":"h","Antall studenter":"mange"}]`,
			`dbh: table 999: tabular: DBH tabell 999: row 1: column "Antall studenter": "mange" is not a number`},
		{"object value", `[{"Årstall":"2024","Fylkesnr":"40","Fylkesnavn":"T","Fagområdekode":"H","Fagområde":"h","Antall studenter":{"x":1}}]`,
			`tabular: DBH tabell 999: row 1: column "Antall studenter": value {"x":1} is not a string, number or null`},
	}
	// Codes are checked on the period's date: 40 (Telemark) did not exist in 2023.
	_, err := Parse(q, []byte(`[{"Årstall":"2023","Fylkesnr":"40","Fylkesnavn":"T","Fagområdekode":"H","Fagområde":"h","Antall studenter":"5"}]`), fakeRegions{})
	if err == nil || !strings.Contains(err.Error(), `region code "40" is not known on 2023-01-01`) {
		t.Errorf("Parse(40 in 2023) error = %v", err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(q, []byte(tc.body), nil)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("Parse(%s) error = %v, want prefix %q", tc.body, err, tc.want)
			}
		})
	}
}

// TestDemoBundle posts the demo query through Bundle.
func TestDemoBundle(t *testing.T) {
	rt, err := Bundle("../../testdata/demo/dbh")
	if err != nil {
		t.Fatal(err)
	}
	c := New(DemoURL, Options{HTTP: &http.Client{Transport: rt}, Regions: fakeRegions{}})
	ds, _, err := c.Fetch(context.Background(), DemoQuery())
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := cellAt(t, ds, map[string]string{"region": "40", "period": "2024", "Fagomrade": "HELSE"}); !ok || v != 440 {
		t.Errorf("demo Telemark helse 2024 = %v, want 440 (synthetic)", v)
	}
}
