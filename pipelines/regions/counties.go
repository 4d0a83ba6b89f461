package regions

import (
	"strings"
	"time"
)

// countyNameSource is one real list of county names and the period it
// names counties for.
type countyNameSource struct {
	From, To time.Time // the period the list is for; To exclusive, zero: open
	Source   string    // where the names come from
	Names    map[string]string
}

// countyNames are the county names the model uses, newest list first. KLASS
// 104 answers are not bundled, so names come from these real files (see
// testdata/klass/PROVENANCE.md, section "Counties"):
//
//   - 2024-: the 15 features of geo-norge-2024/Fylker-S.geojson
//     (robhop/fylker-og-kommuner, property fylkesnavn, Kartverket data);
//   - 2020-2023: the 11 features of geo-norge-2020/Fylker-small.json (same
//     repository, property navn);
//   - before 2020: SSB's region code list tab12576_Region.json
//     (PxTools/PxBuild example_data), labels such as "Østfold (-2019)" with
//     the "(-YYYY)" end year dropped.
var countyNames = []countyNameSource{
	{From: day(2024, 1, 1), Source: "geo-norge-2024/Fylker-S.geojson", Names: map[string]string{
		"03": "Oslo", "11": "Rogaland", "15": "Møre og Romsdal", "18": "Nordland - Nordlánnda",
		"31": "Østfold", "32": "Akershus", "33": "Buskerud", "34": "Innlandet", "39": "Vestfold",
		"40": "Telemark", "42": "Agder", "46": "Vestland", "50": "Trøndelag - Trööndelage",
		"55": "Troms - Romsa - Tromssa", "56": "Finnmark - Finnmárku - Finmarkku",
	}},
	{From: day(2020, 1, 1), To: day(2024, 1, 1), Source: "geo-norge-2020/Fylker-small.json", Names: map[string]string{
		"03": "Oslo", "11": "Rogaland", "15": "Møre og Romsdal", "18": "Nordland", "30": "Viken",
		"34": "Innlandet", "38": "Vestfold og Telemark", "42": "Agder", "46": "Vestland",
		"50": "Trøndelag", "54": "Troms og Finnmark",
	}},
	{To: day(2020, 1, 1), Source: "pxbuild-ssb-parquet/tab12576_Region.json", Names: map[string]string{
		"01": "Østfold", "02": "Akershus", "03": "Oslo", "04": "Hedmark", "05": "Oppland",
		"06": "Buskerud", "07": "Vestfold", "08": "Telemark", "09": "Aust-Agder", "10": "Vest-Agder",
		"11": "Rogaland", "12": "Hordaland", "14": "Sogn og Fjordane", "15": "Møre og Romsdal",
		"16": "Sør-Trøndelag", "17": "Nord-Trøndelag", "18": "Nordland - Nordlánnda",
		"19": "Troms - Romsa", "20": "Finnmark - Finnmárku", "50": "Trøndelag - Trööndelage",
	}},
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// countyName returns the name of county code for a version valid in
// [from, to): the name in the newest list of countyNames whose period
// overlaps it, or "" when no real list names the code.
func countyName(code string, from, to time.Time) string {
	for _, s := range countyNames {
		overlaps := (s.To.IsZero() || from.Before(s.To)) && (to.IsZero() || s.From.Before(to))
		if !overlaps {
			continue
		}
		if n, ok := s.Names[code]; ok {
			return strings.TrimSpace(n)
		}
	}
	return ""
}
