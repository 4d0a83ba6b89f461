//go:build ignore

// Command assemble builds the offline KLASS bundle in this directory from the
// source lists in sources/ (see PROVENANCE.md). Run from the repository root:
//
//	go run testdata/klass/assemble.go
//
// It writes classifications/<id>/<endpoint>/<query>.json in the API's JSON
// shape. Output is deterministic; review changes as a diff.
package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

const dir = "testdata/klass"

const (
	rangeFrom = "2013-01-01"
	rangeTo   = "2025-01-01"
)

func readCSV(name string, comma rune) [][]string {
	f, err := os.Open(filepath.Join(dir, "sources", name))
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = comma
	rows, err := r.ReadAll()
	if err != nil {
		log.Fatalf("%s: %v", name, err)
	}
	rows[0][0] = strings.TrimPrefix(rows[0][0], "\ufeff")
	return rows[1:]
}

func pad(code string, n int) string {
	for len(code) < n {
		code = "0" + code
	}
	return code
}

type change struct{ date, old, oldName, new, newName string }

type interval struct {
	code, name, from, to string
}

func addYear(d string) string {
	t, err := time.Parse("2006-01-02", d)
	if err != nil {
		log.Fatal(err)
	}
	return t.AddDate(1, 0, 0).Format("2006-01-02")
}

func main() {
	// Presence lists: date -> code -> name. national marks lists that cover
	// the whole country (absence there is informative).
	type list struct {
		date     string
		national bool
		names    map[string]string
	}
	var lists []list
	l13 := list{"2013-01-01", true, map[string]string{}}
	for _, r := range readCSV("klass-web-mock-codes-2013.csv", ',') {
		l13.names[r[0]] = r[2]
	}
	l20 := list{"2020-01-01", true, map[string]string{}}
	for _, r := range readCSV("geo-norge-2020-kommuner.csv", ',') {
		l20.names[pad(r[0], 4)] = r[1]
	}
	l24 := list{"2024-01-01", true, map[string]string{}}
	for _, r := range readCSV("geo-norge-2024-kommuner.csv", ',') {
		l24.names[r[0]] = r[1]
	}
	vt19 := list{"2019-01-01", false, map[string]string{}}
	vt23 := list{"2023-01-01", false, map[string]string{}}
	var changes []change
	seen := map[string]bool{}
	for _, r := range readCSV("telemark-kommune_metadata.csv", ';') {
		c19, c23, c24 := pad(r[0], 4), r[3], r[7]
		vt19.names[c19] = r[1]
		vt23.names[c23] = r[5]
		if k := c19 + ">" + c23; c19 != c23 && !seen[k] {
			seen[k] = true
			changes = append(changes, change{"2020-01-01", c19, r[1], c23, r[5]})
		}
		if k := c23 + ">" + c24; c23 != c24 && !seen[k] {
			seen[k] = true
			changes = append(changes, change{"2024-01-01", c23, r[5], c24, r[8]})
		}
	}
	for _, r := range readCSV("assembled-kommune-changes.csv", ',') {
		changes = append(changes, change{r[0], r[1], r[2], r[3], r[4]})
	}
	lists = []list{l13, vt19, l20, vt23, l24}

	// Every code mentioned anywhere.
	codes := map[string]bool{}
	for _, l := range lists {
		for c := range l.names {
			codes[c] = true
		}
	}
	for _, ch := range changes {
		codes[ch.old], codes[ch.new] = true, true
	}
	var all []string
	for c := range codes {
		all = append(all, c)
	}
	sort.Strings(all)

	var out []interval
	for _, code := range all {
		created, ended := map[string]bool{}, map[string]bool{}
		name := ""
		for _, ch := range changes {
			if ch.new == code {
				created[ch.date] = true
				name = ch.newName
			}
		}
		for _, ch := range changes {
			if ch.old == code && !created[ch.date] {
				ended[ch.date] = true
				if name == "" {
					name = ch.oldName
				}
			}
		}
		dates := map[string]bool{}
		for d := range created {
			dates[d] = true
		}
		for d := range ended {
			dates[d] = true
		}
		for _, l := range lists {
			dates[l.date] = true
		}
		var ds []string
		for d := range dates {
			ds = append(ds, d)
		}
		sort.Strings(ds)
		open, from, last := false, "", ""
		closeAt := func(d string) {
			out = append(out, interval{code, name, from, d})
			open = false
		}
		for _, d := range ds {
			if ended[d] {
				if !open {
					log.Fatalf("code %s ends on %s but was never known valid", code, d)
				}
				closeAt(d)
				continue
			}
			for _, l := range lists {
				if l.date != d {
					continue
				}
				if n, ok := l.names[code]; ok {
					if !open {
						open, from = true, d
					}
					last, name = d, n
				} else if open && l.national && !created[d] {
					closeAt(addYear(last))
				}
			}
			if created[d] && !open {
				open, from, last = true, d, d
			}
		}
		if open {
			if _, ok := l24.names[code]; ok {
				closeAt("")
			} else {
				closeAt(addYear(last))
			}
		}
	}

	// Sanity: every change's old code is valid the day before, new code on the day.
	valid := func(code, d string) bool {
		for _, iv := range out {
			if iv.code == code && iv.from <= d && (iv.to == "" || d < iv.to) {
				return true
			}
		}
		return false
	}
	for _, ch := range changes {
		t, _ := time.Parse("2006-01-02", ch.date)
		if !valid(ch.old, t.AddDate(0, 0, -1).Format("2006-01-02")) || !valid(ch.new, ch.date) {
			log.Fatalf("change %+v is not consistent with the intervals", ch)
		}
	}

	writeCodes(filepath.Join("131", "codes", "from="+rangeFrom+"&to="+rangeTo), out, true)
	var at24 []interval
	for _, iv := range out {
		if valid(iv.code, "2024-01-01") && iv.from <= "2024-01-01" && (iv.to == "" || "2024-01-01" < iv.to) {
			at24 = append(at24, iv)
		}
	}
	if len(at24) != len(l24.names) {
		log.Fatalf("codesAt 2024: %d codes, want %d", len(at24), len(l24.names))
	}
	writeCodes(filepath.Join("131", "codesAt", "date=2024-01-01"), at24, false)
	sort.Slice(changes, func(i, j int) bool {
		a, b := changes[i], changes[j]
		if a.date != b.date {
			return a.date < b.date
		}
		if a.old != b.old {
			return a.old < b.old
		}
		return a.new < b.new
	})
	writeChanges(filepath.Join("131", "changes", "from="+rangeFrom+"&to="+rangeTo), changes)

	// Counties.
	var fy []interval
	fyName := map[string]string{}
	for _, r := range readCSV("assembled-fylker.csv", ',') {
		fy = append(fy, interval{r[0], r[1], r[2], r[3]})
		fyName[r[0]] = r[1]
	}
	for _, r := range readCSV("geo-norge-2024-fylker.csv", ',') {
		for i := range fy {
			if fy[i].code == r[0] && fy[i].to == "" {
				fy[i].name = r[1]
			}
		}
		fyName[r[0]] = r[1]
	}
	sort.Slice(fy, func(i, j int) bool { return fy[i].code < fy[j].code })
	writeCodes(filepath.Join("104", "codes", "from="+rangeFrom+"&to="+rangeTo), fy, true)
	var fy24 []interval
	for _, iv := range fy {
		if iv.from <= "2024-01-01" && iv.to == "" {
			fy24 = append(fy24, iv)
		}
	}
	writeCodes(filepath.Join("104", "codesAt", "date=2024-01-01"), fy24, false)
	var fch []change
	for _, r := range readCSV("assembled-fylke-changes.csv", ',') {
		fch = append(fch, change{r[0], r[1], fyName[r[1]], r[2], fyName[r[2]]})
	}
	writeChanges(filepath.Join("104", "changes", "from="+rangeFrom+"&to="+rangeTo), fch)

	// Municipality -> county on 2024-01-01: the first two digits.
	type item struct {
		SourceCode string `json:"sourceCode"`
		SourceName string `json:"sourceName"`
		TargetCode string `json:"targetCode"`
		TargetName string `json:"targetName"`
	}
	var items []item
	for _, iv := range at24 {
		t := iv.code[:2]
		if fyName[t] == "" {
			log.Fatalf("no county %s for %s", t, iv.code)
		}
		items = append(items, item{iv.code, iv.name, t, fyName[t]})
	}
	write(filepath.Join("131", "correspondsAt", "date=2024-01-01&targetClassificationId=104"), map[string]any{"correspondenceItems": items})

	// SN2007 (classification 6): the five levels of the Telemark repo's
	// flattened table, each code once, with its parent. Validity is not in
	// the source: validFrom/validTo are null.
	var sn []map[string]any
	seenSN := map[string]bool{}
	for _, r := range readCSV("telemark-standard_for_naeringsgruppering.csv", ',') {
		parent := ""
		for lv := 0; lv < 5; lv++ {
			code, name := r[3*lv], r[3*lv+1]
			if !seenSN[code] {
				seenSN[code] = true
				var p *string
				if parent != "" {
					pp := parent
					p = &pp
				}
				sn = append(sn, map[string]any{"code": code, "parentCode": p, "level": fmt.Sprint(lv + 1), "name": name,
					"shortName": "", "presentationName": "", "validFrom": nil, "validTo": nil, "notes": ""})
			}
			parent = code
		}
	}
	write(filepath.Join("6", "codesAt", "date=2024-01-01"), map[string]any{"codes": sn})
}

type jcode struct {
	Code             string  `json:"code"`
	ParentCode       *string `json:"parentCode"`
	Level            string  `json:"level"`
	Name             string  `json:"name"`
	ShortName        string  `json:"shortName"`
	PresentationName string  `json:"presentationName"`
	ValidFrom        string  `json:"validFrom"`
	ValidTo          *string `json:"validTo"`
	ValidFromIn      *string `json:"validFromInRequestedRange,omitempty"`
	ValidToIn        *string `json:"validToInRequestedRange,omitempty"`
	Notes            string  `json:"notes"`
}

func writeCodes(name string, ivs []interval, inRange bool) {
	var cs []jcode
	for _, iv := range ivs {
		c := jcode{Code: iv.code, Level: "1", Name: iv.name, ValidFrom: iv.from}
		if iv.to != "" {
			to := iv.to
			c.ValidTo = &to
		}
		if inRange {
			f, t := iv.from, rangeTo
			if f < rangeFrom {
				f = rangeFrom
			}
			if iv.to != "" && iv.to < t {
				t = iv.to
			}
			c.ValidFromIn, c.ValidToIn = &f, &t
		}
		cs = append(cs, c)
	}
	write(name, map[string]any{"codes": cs})
}

func writeChanges(name string, chs []change) {
	type jc struct {
		OldCode        string `json:"oldCode"`
		OldName        string `json:"oldName"`
		OldShortName   string `json:"oldShortName"`
		NewCode        string `json:"newCode"`
		NewName        string `json:"newName"`
		NewShortName   string `json:"newShortName"`
		ChangeOccurred string `json:"changeOccurred"`
	}
	var out []jc
	for _, c := range chs {
		out = append(out, jc{OldCode: c.old, OldName: c.oldName, NewCode: c.new, NewName: c.newName, ChangeOccurred: c.date})
	}
	write(name, map[string]any{"codeChanges": out})
}

func write(name string, v any) {
	p := filepath.Join(dir, "classifications", name+".json")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		log.Fatal(err)
	}
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(p, append(b, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Println("wrote", p)
}
