package needs

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/grunnlag/grunnlag/indicators"
	"github.com/grunnlag/grunnlag/pipelines/regions"
	"github.com/grunnlag/grunnlag/pipelines/store"
)

// Disclosure across versions.
//
// Two published versions of a firm-derived table give, by differencing,
// whatever changed between them: when one firm's response is added or
// removed, the difference of every cell published in both is exactly that
// firm's answer (people needed by area and level, its industry and size
// band). Suppression within each version cannot prevent that, so the
// store keeps only one public version of a firm-derived dataset:
// RetireSuperseded moves every other version out of <kb>/datasets/ into
// the secure zone,
//
//	<kb>/secure/versions/<dataset>/version=<stamp>/part-0.parquet
//	<kb>/secure/versions/<dataset>/versions.json   the catalog entries (lineage) of the retired versions
//
// and drops them from the catalog. Build does this for FirmDerived after
// every publish. AuditVersions is the check: given every published version
// of DatasetNeeds it finds any cell, or difference of two versions' cells,
// that is determined exactly and relates to 1 to MinFirms-1 firms;
// AuditStore runs it over every version folder still under
// <kb>/datasets/kompetansebehov.
//
// The indicator table holds indicators computed from DatasetNeeds and
// DatasetSupply (FirmDerivedIndicators), so it is under the same rule:
// RetireIndicators, called by pipelines/build after every publish, keeps
// only its current version public. AuditIndicatorVersions is the audit of
// published versions of those indicators (the table's version folders,
// PublicIndicatorVersions, or exports read into IndicatorVersion).

// FirmDerived are the datasets computed from firms' responses, of which
// only the current version stays public.
var FirmDerived = []string{DatasetNeeds, DatasetSupply}

// SecureVersionsDir is where RetireSuperseded puts superseded versions,
// relative to the kb root.
const SecureVersionsDir = "secure/versions"

// RetireSuperseded moves every version of dataset id other than the
// current one from <kb>/datasets/<id>/ to <kb>/secure/versions/<id>/,
// appends their catalog entries to versions.json there, and removes them
// from the catalog. Version folders under datasets/<id>/ that the catalog
// does not reference (left by a crash) are moved too. It returns the
// moved folders relative to the kb root, sorted. It is idempotent: a
// version whose folder is already in the secure zone (a crash after the
// move, before the catalog was written) is only dropped from the catalog.
// Folders are moved before the catalog is written, so a crash never leaves
// a superseded version public. The caller holds the kb lock.
func RetireSuperseded(st *store.Store, id string) (moved []string, err error) {
	return retire(st, id, "datasets/"+id, func(c *store.Catalog) *store.DatasetEntry { return c.Datasets[id] })
}

// IndicatorTable is the name the indicator table has in the secure zone:
// its superseded versions are under <kb>/secure/versions/indicators/.
const IndicatorTable = "indicators"

// RetireIndicators is RetireSuperseded for the indicator table: every
// version of <kb>/indicators/ other than the current one moves to
// <kb>/secure/versions/indicators/ (catalog entries in versions.json
// there). The table holds the survey-derived indicators (those of
// FirmDerivedIndicators), whose values two versions would let a reader
// difference down to one firm's answer, so only its current version stays
// public. pipelines/build calls it after every publish; the book's "what
// changed" reads the previous version back with ReadRetired, for register
// indicators only. The caller holds the kb lock.
func RetireIndicators(st *store.Store) (moved []string, err error) {
	return retire(st, IndicatorTable, "indicators", func(c *store.Catalog) *store.DatasetEntry { return c.Indicators })
}

// retire moves the versions of the entry (the catalog entry entry gives,
// its folders under <kb>/<pub>/version=*) other than the current one to
// <kb>/secure/versions/<id>/.
func retire(st *store.Store, id, pub string, entry func(*store.Catalog) *store.DatasetEntry) (moved []string, err error) {
	root := st.Root()
	pubDir := filepath.Join(root, filepath.FromSlash(pub))
	secDir := filepath.Join(root, filepath.FromSlash(SecureVersionsDir), id)
	err = st.UpdateCatalog(func(c *store.Catalog) error {
		e := entry(c)
		current := ""
		if cv := e.CurrentVersion(); cv != nil {
			current = path.Base(path.Dir(cv.Path))
		}
		var kept, gone []store.Version
		if e != nil {
			for _, v := range e.Versions {
				if v.Stamp == e.Current {
					kept = append(kept, v)
				} else {
					gone = append(gone, v)
				}
			}
		}
		// Folders to move: those of the retired versions and any other
		// version folder but the current's.
		folders := map[string]bool{}
		for _, v := range gone {
			dir := path.Dir(v.Path)
			if dir != pub+"/"+path.Base(dir) || !strings.HasPrefix(path.Base(dir), "version=") {
				return fmt.Errorf("needs: retire %s: version %s has path %q outside %s/version=*", id, v.Stamp, v.Path, pub)
			}
			folders[path.Base(dir)] = true
		}
		ents, err := os.ReadDir(pubDir)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("needs: retire %s: %w", id, err)
		}
		for _, d := range ents {
			if d.IsDir() && strings.HasPrefix(d.Name(), "version=") && d.Name() != current {
				folders[d.Name()] = true
			}
		}
		if len(folders) == 0 && len(gone) == 0 {
			return nil
		}
		if err := os.MkdirAll(secDir, 0o700); err != nil {
			return fmt.Errorf("needs: retire %s: %w", id, err)
		}
		if err := recordRetired(filepath.Join(secDir, "versions.json"), gone); err != nil {
			return fmt.Errorf("needs: retire %s: %w", id, err)
		}
		names := make([]string, 0, len(folders))
		for n := range folders {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			src, dst := filepath.Join(pubDir, n), filepath.Join(secDir, n)
			if _, err := os.Stat(src); errors.Is(err, fs.ErrNotExist) {
				continue // moved before a crash
			}
			if _, err := os.Stat(dst); err == nil {
				// A version folder is never rewritten: the copy in the
				// secure zone is this one.
				if err := os.RemoveAll(src); err != nil {
					return fmt.Errorf("needs: retire %s: %w", id, err)
				}
			} else if err := os.Rename(src, dst); err != nil {
				return fmt.Errorf("needs: retire %s: %w", id, err)
			}
			moved = append(moved, pub+"/"+n)
		}
		for _, d := range []string{secDir, pubDir} {
			if err := syncDir(d); err != nil {
				return fmt.Errorf("needs: retire %s: %w", id, err)
			}
		}
		if e != nil {
			e.Versions = kept
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return moved, nil
}

// recordRetired adds the catalog entries vs to the JSON array in file
// (by stamp, oldest first), atomically.
func recordRetired(file string, vs []store.Version) error {
	var all []store.Version
	f, err := os.Open(file)
	switch {
	case err == nil:
		err = json.NewDecoder(io.LimitReader(f, 64<<20)).Decode(&all)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	seen := map[string]bool{}
	for _, v := range all {
		seen[v.Stamp] = true
	}
	for _, v := range vs {
		if !seen[v.Stamp] {
			all = append(all, v)
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Stamp < all[j].Stamp })
	return store.WriteFileAtomic(file, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(all)
	})
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}

// auditMeasures are the measures of DatasetNeeds the audit works on: the
// unweighted counts, which add up exactly.
var auditMeasures = []string{"respondenter", "virksomheter_med_behov", "personer"}

// PublishedVersion is what a reader knows of one published version of
// DatasetNeeds: for every cell key and audit measure, the value, or
// nothing when the cell is suppressed.
type PublishedVersion struct {
	Name string // the version (folder name or stamp)
	// Values[measure][key]; a suppressed cell is absent from Values and
	// present in Suppressed.
	Values     map[string]map[Key]float64
	Suppressed map[string]map[Key]bool
	// Groups are the groupings' member municipalities (by grouping ID,
	// the region code of its rows): a reader knows that every column of a
	// grouping is the sum of its members.
	Groups map[string][]string
}

// ReadPublished reads a published DatasetNeeds record (columns region,
// inndeling, kategori, maal, value, status). A cell with status ":" is
// suppressed; one with status ".." (no respondents) is known to be 0.
func ReadPublished(name string, rec arrow.Record) (*PublishedVersion, error) {
	get := func(c string) (func(int) string, error) { return store.StringColumn(rec, c) }
	reg, err := get("region")
	if err != nil {
		return nil, fmt.Errorf("needs: %s: %w", name, err)
	}
	view, err := get("inndeling")
	if err != nil {
		return nil, fmt.Errorf("needs: %s: %w", name, err)
	}
	cat, err := get("kategori")
	if err != nil {
		return nil, fmt.Errorf("needs: %s: %w", name, err)
	}
	maal, err := get("maal")
	if err != nil {
		return nil, fmt.Errorf("needs: %s: %w", name, err)
	}
	status, err := get("status")
	if err != nil {
		return nil, fmt.Errorf("needs: %s: %w", name, err)
	}
	val, err := store.FloatColumn(rec, "value")
	if err != nil {
		return nil, fmt.Errorf("needs: %s: %w", name, err)
	}
	pv := &PublishedVersion{Name: name, Values: map[string]map[Key]float64{}, Suppressed: map[string]map[Key]bool{}}
	want := map[string]bool{}
	for _, m := range auditMeasures {
		want[m] = true
		pv.Values[m] = map[Key]float64{}
		pv.Suppressed[m] = map[Key]bool{}
	}
	for i := 0; i < int(rec.NumRows()); i++ {
		m := maal(i)
		if !want[m] {
			continue
		}
		k := Key{reg(i), view(i), cat(i)}
		v := val(i)
		switch {
		case !math.IsNaN(v):
			pv.Values[m][k] = v
		case status(i) == NoRespondentsStatus:
			pv.Values[m][k] = 0
		default:
			pv.Suppressed[m][k] = true
		}
	}
	return pv, nil
}

// VersionExposure is a cell of one version, or the difference of a cell
// between two versions, that a reader of the published versions
// determines exactly and that relates to 1 to MinFirms-1 firms.
type VersionExposure struct {
	Key     Key
	Measure string
	// Versions names the version of a cell, or the two versions whose
	// difference (second minus first) is exposed.
	Versions []string
	// Low and High bound the cell's value or the difference.
	Low, High float64
	// Firms is, for a difference, the smallest number of firms it can be
	// about by the published counts: max |Δ respondenter|, |Δ
	// virksomheter_med_behov| (0 when only answers were revised).
	Firms int
}

func (e VersionExposure) String() string {
	return fmt.Sprintf("%s %s in %s: [%g, %g] (%d firms)", e.Key, e.Measure, strings.Join(e.Versions, " − "), e.Low, e.High, e.Firms)
}

// publishedLines are the additive relations a reader knows: in every
// region each breakdown adds up to the region's total (respondenter and
// virksomheter_med_behov only for firm-attribute views, where a firm is
// in one category); in every column counties add up to "_T",
// municipalities (4 digits) to their county (2 digits), and the members of
// every grouping (groups, by ID) to the grouping, when all of them are in
// the table (groupings overlap one another and the counties: these lines
// are what differencing two of them, or any set of them, uses).
func publishedLines(keys map[Key]bool, measure string, groups map[string][]string) []Line {
	regionsSeen := map[string]bool{}
	cols := map[[2]string]bool{}
	for k := range keys {
		regionsSeen[k.Region] = true
		cols[[2]string{k.View, k.Category}] = true
	}
	var lines []Line
	for r := range regionsSeen {
		byView := map[string][]Key{}
		for k := range keys {
			if k.Region == r && k.View != Total {
				byView[k.View] = append(byView[k.View], k)
			}
		}
		for v, ms := range byView {
			if measure != "personer" && !firmView(v) {
				continue
			}
			lines = append(lines, Line{Total: Key{r, Total, Total}, Members: ms})
		}
	}
	for c := range cols {
		top := Line{Total: Key{Total, c[0], c[1]}}
		byCounty := map[string][]Key{}
		for r := range regionsSeen {
			k := Key{r, c[0], c[1]}
			switch {
			case r == Total || !keys[k]:
			case isCode(r, 2):
				top.Members = append(top.Members, k)
			case isCode(r, 4):
				byCounty[r[:2]] = append(byCounty[r[:2]], k)
			}
		}
		if keys[top.Total] && len(top.Members) > 0 {
			lines = append(lines, top)
		}
		for county, ms := range byCounty {
			if keys[Key{county, c[0], c[1]}] {
				lines = append(lines, Line{Total: Key{county, c[0], c[1]}, Members: ms})
			}
		}
		for g, members := range groups {
			l := Line{Total: Key{g, c[0], c[1]}}
			ok := keys[l.Total] && len(members) > 0
			for _, m := range members {
				k := Key{m, c[0], c[1]}
				ok = ok && keys[k]
				l.Members = append(l.Members, k)
			}
			if ok {
				lines = append(lines, l)
			}
		}
	}
	return lines
}

// AuditVersions is the exact audit of a set of published versions of
// DatasetNeeds (an interval audit by linear programming):
//
//  1. Within each version, every suppressed cell's feasible range is
//     computed from the published cells and the published lines
//     (FeasibleRanges, gonum simplex, x >= 0) for each of the counts
//     respondenter, virksomheter_med_behov and personer. A range narrower
//     than one unit pins the count; it is an exposure unless it is pinned
//     at 0 (no firm with a need there, which the primary rule publishes
//     as well).
//  2. Across versions, for every pair and every cell published in both, the
//     difference is exact. It is an exposure when it is not zero in some
//     measure and relates to fewer than MinFirms firms by the published
//     counts (max of |Δ respondenter| and |Δ virksomheter_med_behov|; a
//     pure revision counts as 0 firms, conservatively). A cell suppressed
//     in either version is not differenced: its range is at least one unit
//     wide after step 1, so the difference's range ([lo_b − hi_a, hi_b −
//     lo_a]) is too; the versions share no unknowns for a reader who does
//     not know which firms changed.
//
// Exposures are sorted by versions, key and measure.
func AuditVersions(vs []*PublishedVersion, rule Rule) ([]VersionExposure, error) {
	rule = rule.withDefaults()
	var out []VersionExposure
	for _, v := range vs {
		for _, m := range auditMeasures {
			keys := map[Key]bool{}
			cells := map[Key]*Cell{}
			for k := range v.Values[m] {
				keys[k] = true
				cells[k] = &Cell{Key: k}
			}
			for k := range v.Suppressed[m] {
				keys[k] = true
				cells[k] = &Cell{Key: k, Secondary: true}
			}
			vals := v.Values[m]
			ranges, err := componentRanges(cells, publishedLines(keys, m, v.Groups), func(c *Cell) float64 { return vals[c.Key] })
			if err != nil {
				return nil, fmt.Errorf("needs: audit %s %s: %w", v.Name, m, err)
			}
			for k, r := range ranges {
				if r[1]-r[0] < 1-1e-6 && r[1] > 1e-6 {
					out = append(out, VersionExposure{Key: k, Measure: m, Versions: []string{v.Name}, Low: r[0], High: r[1]})
				}
			}
		}
	}
	for i := range vs {
		for j := i + 1; j < len(vs); j++ {
			a, b := vs[i], vs[j]
			for k := range a.Values["personer"] {
				d := map[string]float64{}
				both, changed := true, false
				for _, m := range auditMeasures {
					va, oka := a.Values[m][k]
					vb, okb := b.Values[m][k]
					if !oka || !okb {
						both = false
						break
					}
					d[m] = vb - va
					changed = changed || d[m] != 0
				}
				if !both || !changed {
					continue
				}
				firms := int(math.Max(math.Abs(d["respondenter"]), math.Abs(d["virksomheter_med_behov"])))
				if firms >= rule.MinFirms {
					continue
				}
				for _, m := range auditMeasures {
					if d[m] != 0 {
						out = append(out, VersionExposure{Key: k, Measure: m, Versions: []string{a.Name, b.Name}, Low: d[m], High: d[m], Firms: firms})
					}
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if sa, sb := strings.Join(a.Versions, "\x00"), strings.Join(b.Versions, "\x00"); sa != sb {
			return sa < sb
		}
		if a.Key != b.Key {
			return a.Key.String() < b.Key.String()
		}
		return a.Measure < b.Measure
	})
	return out, nil
}

// componentRanges is FeasibleRanges solved separately for each group of
// suppressed cells linked by lines (they share no constraint with other
// groups, so the ranges are the same), which keeps each linear program
// small.
func componentRanges(cells map[Key]*Cell, lines []Line, val func(*Cell) float64) (map[Key][2]float64, error) {
	parent := map[Key]Key{}
	var find func(k Key) Key
	find = func(k Key) Key {
		p, ok := parent[k]
		if !ok || p == k {
			return k
		}
		r := find(p)
		parent[k] = r
		return r
	}
	sup := func(k Key) bool { c := cells[k]; return c != nil && c.Suppressed() }
	for k := range cells {
		if sup(k) {
			parent[k] = k
		}
	}
	for _, l := range lines {
		first, have := Key{}, false
		for _, k := range append([]Key{l.Total}, l.Members...) {
			if !sup(k) {
				continue
			}
			if !have {
				first, have = find(k), true
				continue
			}
			if r := find(k); r != first {
				parent[r] = first
			}
		}
	}
	comps := map[Key][]Line{}
	for _, l := range lines {
		for _, k := range append([]Key{l.Total}, l.Members...) {
			if sup(k) {
				r := find(k)
				comps[r] = append(comps[r], l)
				break
			}
		}
	}
	out := map[Key][2]float64{}
	for k := range parent {
		if _, ok := comps[find(k)]; !ok {
			out[k] = [2]float64{0, math.Inf(1)} // in no line: unconstrained
		}
	}
	roots := make([]Key, 0, len(comps))
	for r := range comps {
		roots = append(roots, r)
	}
	sort.Slice(roots, func(i, j int) bool { return roots[i].String() < roots[j].String() })
	for _, r := range roots {
		sub := map[Key]*Cell{}
		for _, l := range comps[r] {
			for _, k := range append([]Key{l.Total}, l.Members...) {
				if c := cells[k]; c != nil {
					sub[k] = c
				}
			}
		}
		rs, err := FeasibleRanges(sub, comps[r], val)
		if err != nil {
			return nil, err
		}
		for k, v := range rs {
			out[k] = v
		}
	}
	return out, nil
}

// PublicVersions reads every version of DatasetNeeds that is public: every
// version folder under <kb>/datasets/kompetansebehov/, whether the catalog
// references it or not, oldest first.
func PublicVersions(st *store.Store) ([]*PublishedVersion, error) {
	dirs, err := filepath.Glob(filepath.Join(st.Root(), "datasets", DatasetNeeds, "version=*"))
	if err != nil {
		return nil, fmt.Errorf("needs: %w", err)
	}
	sort.Strings(dirs)
	var out []*PublishedVersion
	for _, d := range dirs {
		files, err := filepath.Glob(filepath.Join(d, "*.parquet"))
		if err != nil {
			return nil, fmt.Errorf("needs: %w", err)
		}
		for _, f := range files {
			pv, err := ReadPublishedFile(filepath.Base(d), f)
			if err != nil {
				return nil, err
			}
			out = append(out, pv)
		}
	}
	return out, nil
}

// ReadPublishedFile reads a DatasetNeeds Parquet file (a public or a
// retired version) for AuditVersions, named name.
func ReadPublishedFile(name, file string) (*PublishedVersion, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("needs: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("needs: %w", err)
	}
	rec, err := store.ReadParquet(f, fi.Size(), memory.NewGoAllocator())
	if err != nil {
		return nil, fmt.Errorf("needs: %s: %w", file, err)
	}
	defer rec.Release()
	return ReadPublished(name, rec)
}

// DisclosureError is returned by Build when the table it would publish
// fails AuditVersions: nothing is published then.
type DisclosureError struct {
	Exposures []VersionExposure
}

func (e *DisclosureError) Error() string {
	if len(e.Exposures) == 0 {
		return "needs: disclosure audit failed"
	}
	return fmt.Sprintf("needs: disclosure audit: %d cells determined exactly, first %s", len(e.Exposures), e.Exposures[0])
}

// checkPublishable audits rec, the DatasetNeeds record about to be
// published, on its own (with the grouping lines of groups): once it is
// published, RetireSuperseded leaves it the only public version.
func checkPublishable(rec arrow.Record, rule Rule, groups []regions.Group) error {
	pv, err := ReadPublished("ny versjon", rec)
	if err != nil {
		return err
	}
	pv.Groups = groupMembers(groups)
	ex, err := AuditVersions([]*PublishedVersion{pv}, rule)
	if err != nil {
		return err
	}
	if len(ex) > 0 {
		return &DisclosureError{Exposures: ex}
	}
	return nil
}

// AuditStore runs AuditVersions over PublicVersions, with the grouping
// lines of groups (the groupings the table was built with).
func AuditStore(st *store.Store, rule Rule, groups ...regions.Group) ([]VersionExposure, error) {
	vs, err := PublicVersions(st)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		v.Groups = groupMembers(groups)
	}
	return AuditVersions(vs, rule)
}

// RetiredVersions returns the catalog entries of the versions of id (a
// dataset, or IndicatorTable) that RetireSuperseded or RetireIndicators
// moved to the secure zone, oldest first; none when nothing was retired.
func RetiredVersions(st *store.Store, id string) ([]store.Version, error) {
	file := filepath.Join(st.Root(), filepath.FromSlash(SecureVersionsDir), id, "versions.json")
	f, err := os.Open(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("needs: %w", err)
	}
	defer f.Close()
	var all []store.Version
	if err := json.NewDecoder(io.LimitReader(f, 64<<20)).Decode(&all); err != nil {
		return nil, fmt.Errorf("needs: %s: %w", file, err)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Stamp < all[j].Stamp })
	return all, nil
}

// ReadRetired reads the retired version v of id (an entry of
// RetiredVersions) from the secure zone, checking its sha256 against the
// entry. The caller releases the record.
func ReadRetired(st *store.Store, id string, v store.Version) (arrow.Record, error) {
	dir := path.Base(path.Dir(v.Path))
	if dir != "version="+v.Stamp || path.Base(v.Path) == "." || strings.ContainsAny(path.Base(v.Path), `/\`) {
		return nil, fmt.Errorf("needs: retired %s version %s: bad path %q", id, v.Stamp, v.Path)
	}
	file := filepath.Join(st.Root(), filepath.FromSlash(SecureVersionsDir), id, dir, path.Base(v.Path))
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("needs: retired %s version %s: %w", id, v.Stamp, err)
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != v.SHA256 {
		return nil, fmt.Errorf("needs: retired %s version %s: %s does not match the sha256 in versions.json", id, v.Stamp, file)
	}
	rec, err := store.ReadParquet(bytes.NewReader(b), int64(len(b)), memory.NewGoAllocator())
	if err != nil {
		return nil, fmt.Errorf("needs: %s: %w", file, err)
	}
	return rec, nil
}

// FirmDerivedIndicators returns the IDs of the indicators of list that
// read a FirmDerived dataset: their values are computed from firms'
// responses and fall under the disclosure rules across versions.
func FirmDerivedIndicators(list []*indicators.Indicator) map[string]bool {
	firm := map[string]bool{}
	for _, id := range FirmDerived {
		firm[id] = true
	}
	out := map[string]bool{}
	for _, ind := range list {
		for _, in := range ind.Inputs {
			if firm[in.Dataset] {
				out[ind.ID] = true
			}
		}
	}
	return out
}

// groupMembers maps every grouping's ID to its members.
func groupMembers(groups []regions.Group) map[string][]string {
	out := map[string][]string{}
	for _, g := range groups {
		out[g.ID] = g.Members
	}
	return out
}

// indicatorMeasures are the columns of the indicator table the audit
// compares: the survey's weighted count (numerator), the value and the
// number of responding firms (n_units).
var indicatorMeasures = []string{"numerator", "value", "n_units"}

// IndicatorCell identifies a value of the indicator table.
type IndicatorCell struct {
	Indicator, Region, Period, Category string
}

func (c IndicatorCell) String() string {
	return c.Indicator + "/" + c.Region + "/" + c.Period + "/" + c.Category
}

// IndicatorVersion is what a reader knows of one published version of the
// firm-derived indicators (from the indicator table or an export of it):
// per cell with a value, the audit measures (NaN when not published).
type IndicatorVersion struct {
	Name  string
	Cells map[IndicatorCell]map[string]float64
}

// AddIndicatorCell records a published value of a firm-derived indicator
// in v (a reader of exports fills a version this way); a cell seen twice
// (one row per comparator) keeps its first values.
func (v *IndicatorVersion) AddIndicatorCell(c IndicatorCell, numerator, value, nUnits float64) {
	if v.Cells == nil {
		v.Cells = map[IndicatorCell]map[string]float64{}
	}
	if _, ok := v.Cells[c]; ok || math.IsNaN(value) {
		return
	}
	v.Cells[c] = map[string]float64{"numerator": numerator, "value": value, "n_units": nUnits}
}

// ReadIndicatorVersion reads the rows of the indicators in firm from an
// indicator table record (pipelines/build's long schema: indicator,
// region, period, category, value, numerator, n_units).
func ReadIndicatorVersion(name string, rec arrow.Record, firm map[string]bool) (*IndicatorVersion, error) {
	str := map[string]func(int) string{}
	for _, c := range []string{"indicator", "region", "period", "category"} {
		f, err := store.StringColumn(rec, c)
		if err != nil {
			return nil, fmt.Errorf("needs: %s: %w", name, err)
		}
		str[c] = f
	}
	num := map[string]func(int) float64{}
	for _, c := range indicatorMeasures {
		f, err := store.FloatColumn(rec, c)
		if err != nil {
			return nil, fmt.Errorf("needs: %s: %w", name, err)
		}
		num[c] = f
	}
	v := &IndicatorVersion{Name: name, Cells: map[IndicatorCell]map[string]float64{}}
	for i := 0; i < int(rec.NumRows()); i++ {
		if !firm[str["indicator"](i)] {
			continue
		}
		c := IndicatorCell{str["indicator"](i), str["region"](i), str["period"](i), str["category"](i)}
		v.AddIndicatorCell(c, num["numerator"](i), num["value"](i), num["n_units"](i))
	}
	return v, nil
}

// IndicatorExposure is a published value of a firm-derived indicator, or
// the difference of one between two versions, that relates to 1 to
// MinFirms-1 firms.
type IndicatorExposure struct {
	Cell     IndicatorCell
	Measure  string
	Versions []string // one version, or the two differenced (second minus first)
	Value    float64  // the value, or the difference
	Firms    int      // n_units, or |Δ n_units|
}

func (e IndicatorExposure) String() string {
	return fmt.Sprintf("%s %s in %s: %g (%d firms)", e.Cell, e.Measure, strings.Join(e.Versions, " − "), e.Value, e.Firms)
}

// AuditIndicatorVersions is the exact audit of published versions of the
// firm-derived indicators. Within a version, a value published with 1 to
// MinFirms-1 responding firms (n_units) is an exposure. Across versions,
// every cell published in two versions is known exactly in both, so its
// difference is exact: it is an exposure when the numerator or the value
// differs and n_units differs by fewer than MinFirms (a revision without a
// change in n_units counts as 0 firms, conservatively). A change of the
// value alone with the same numerator (a register denominator revised) is
// no firm's answer and is not reported. Exposures are sorted by versions,
// cell and measure.
func AuditIndicatorVersions(vs []*IndicatorVersion, rule Rule) []IndicatorExposure {
	rule = rule.withDefaults()
	var out []IndicatorExposure
	for _, v := range vs {
		for c, m := range v.Cells {
			if n := m["n_units"]; n >= 1 && n < float64(rule.MinFirms) {
				out = append(out, IndicatorExposure{Cell: c, Measure: "n_units", Versions: []string{v.Name}, Value: n, Firms: int(n)})
			}
		}
	}
	same := func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
	for i := range vs {
		for j := i + 1; j < len(vs); j++ {
			a, b := vs[i], vs[j]
			for c, ma := range a.Cells {
				mb, ok := b.Cells[c]
				if !ok {
					continue
				}
				changed := !same(ma["numerator"], mb["numerator"]) || !same(ma["n_units"], mb["n_units"]) ||
					(math.IsNaN(ma["numerator"]) || math.IsNaN(mb["numerator"])) && !same(ma["value"], mb["value"])
				if !changed {
					continue
				}
				dn := mb["n_units"] - ma["n_units"]
				if math.IsNaN(dn) {
					dn = 0
				}
				firms := int(math.Abs(dn))
				if firms >= rule.MinFirms {
					continue
				}
				for _, m := range indicatorMeasures {
					if d := mb[m] - ma[m]; d != 0 && !math.IsNaN(d) {
						out = append(out, IndicatorExposure{Cell: c, Measure: m, Versions: []string{a.Name, b.Name}, Value: d, Firms: firms})
					}
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if sa, sb := strings.Join(a.Versions, "\x00"), strings.Join(b.Versions, "\x00"); sa != sb {
			return sa < sb
		}
		if a.Cell != b.Cell {
			return a.Cell.String() < b.Cell.String()
		}
		return a.Measure < b.Measure
	})
	return out
}

// PublicIndicatorVersions reads the firm-derived indicators of every
// version of the indicator table that is public: every version folder
// under <kb>/indicators/, whether the catalog references it or not, oldest
// first.
func PublicIndicatorVersions(st *store.Store, firm map[string]bool) ([]*IndicatorVersion, error) {
	files, err := filepath.Glob(filepath.Join(st.Root(), "indicators", "version=*", store.IndicatorsFile))
	if err != nil {
		return nil, fmt.Errorf("needs: %w", err)
	}
	sort.Strings(files)
	var out []*IndicatorVersion
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("needs: %w", err)
		}
		rec, err := store.ReadParquet(bytes.NewReader(b), int64(len(b)), memory.NewGoAllocator())
		if err != nil {
			return nil, fmt.Errorf("needs: %s: %w", file, err)
		}
		v, err := ReadIndicatorVersion(filepath.Base(filepath.Dir(file)), rec, firm)
		rec.Release()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// isCode reports whether s is a code of n digits (a county: 2, a
// municipality: 4); a grouping ID never is.
func isCode(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
