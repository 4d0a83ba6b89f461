package regions

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/grunnlag/grunnlag/sources/httpx"
	"github.com/grunnlag/grunnlag/sources/klass"
	"github.com/grunnlag/grunnlag/sources/replay"
)

// changesFrom is the start of the change table Load reads
// (/classifications/131/changes?from=changesFrom&to=<to>). It is fixed, not
// the model's from, so that every model range ending on the same day asks
// KLASS the same question and one recorded answer serves them all; changes
// on or before the model's first version are ignored.
var changesFrom = time.Date(1971, 1, 1, 0, 0, 0, 0, time.UTC)

// Unspecified is KLASS 131's code for an unknown municipality ("9999
// Uoppgitt"). It is not a region: Load leaves it out.
const Unspecified = "9999"

// Load builds the model from KLASS classification 131 over [from, to):
//
//  1. GET /classifications/131 lists the versions (boundary vintages);
//     every version valid at some time in [from, to) is read with
//     GET /versions/{id}. Together they must cover [from, to) without a gap.
//  2. A municipality code is valid for the union of the versions that list
//     it (contiguous versions are joined); a region version's name is the
//     one of the newest KLASS version within it. 9999 Uoppgitt is left out.
//  3. GET /classifications/131/changes?from=1971-01-01&to=<to> gives the
//     changes; those on or before the first version's start are dropped,
//     and so are pure renames (an entry with the same old and new code and
//     no other change of that code on the day), which keep the boundary.
//  4. Counties are derived, not read from KLASS 104: the first two digits
//     of a municipality code are its county, so a county is valid while
//     some municipality with its prefix is, and a municipality change
//     across prefixes (0101 → 3001 in 2020) is a change of its county
//     (01 → 30). County names come from real lists (2024 and 2020 geo
//     files, SSB's region code list before 2020; see counties.go).
//
// The model covers [start of the first version, ...): a code is not known
// before the first version read (from is rounded down to a version start).
//
// Versions older than every version KLASS answers are derived, not read.
// The bundled KLASS copy (testdata/klass) holds the answers from 2013 on,
// while the classification lists versions back to 1838; asked for an
// earlier from, Load reads the listed versions oldest first, and those
// without an answer (404 Not Found, or none in a replay of recorded
// answers; see noAnswer) before the first one that is answered are made
// from the change table by walking it backwards from that first answered
// version (deriveVersions): codes, names (the change table's old names)
// and validity. Each derived set must start and end exactly where the
// listed version it stands for does, and no derived set starts before
// DeriveFloor (2005-01-01); otherwise Load fails with a
// *DerivedVersionError. A missing answer after a version was answered is
// an error as before. From the first answered version on, the model holds the same
// codes, names and changes as without the derived years; only a region
// valid across that date starts earlier (0301@2005-01-01 instead of
// 0301@2013-01-01). DerivedBefore reports the date before which the model
// is derived.
func Load(ctx context.Context, c *klass.Client, from, to time.Time) (*Model, error) {
	if !from.Before(to) {
		return nil, fmt.Errorf("regions: from %s is not before to %s", from.Format(klass.DateLayout), to.Format(klass.DateLayout))
	}
	cl, err := c.Classification(ctx, klass.Municipalities)
	if err != nil {
		return nil, fmt.Errorf("regions: %w", err)
	}
	var refs []klass.VersionRef
	for _, v := range cl.Versions {
		if v.ValidFrom.Before(to) && (v.ValidTo.IsZero() || v.ValidTo.After(from)) {
			refs = append(refs, v)
		}
	}
	sort.Slice(refs, func(i, j int) bool { return refs[i].ValidFrom.Before(refs[j].ValidFrom) })
	if len(refs) == 0 {
		return nil, fmt.Errorf("regions: classification %d lists no version valid on %s", klass.Municipalities, from.Format(klass.DateLayout))
	}
	var vs []*klass.Version
	var missing []klass.VersionRef // the oldest listed versions KLASS has no answer for
	for i, ref := range refs {
		if i > 0 && !refs[i-1].ValidTo.Equal(ref.ValidFrom) {
			return nil, fmt.Errorf("regions: classification %d: versions %d and %d leave a gap or overlap at %s",
				klass.Municipalities, refs[i-1].ID, ref.ID, ref.ValidFrom.Format(klass.DateLayout))
		}
		v, err := c.Version(ctx, ref.ID)
		if err != nil && len(vs) == 0 && noAnswer(err) {
			missing = append(missing, ref) // older than every version KLASS answers: derived below
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("regions: %w", err)
		}
		if !v.ValidFrom.Equal(ref.ValidFrom) || !v.ValidTo.Equal(ref.ValidTo) {
			return nil, fmt.Errorf("regions: version %d: validity %s..%s differs from the classification's %s..%s", ref.ID,
				fmtDay(v.ValidFrom), fmtDay(v.ValidTo), fmtDay(ref.ValidFrom), fmtDay(ref.ValidTo))
		}
		vs = append(vs, v)
	}
	chs, err := c.Changes(ctx, klass.Municipalities, changesFrom, to)
	if err != nil {
		return nil, fmt.Errorf("regions: %w", err)
	}
	if len(vs) == 0 {
		return nil, fmt.Errorf("regions: classification %d: no version in %s..%s has an answer (the first, %d, is not found)",
			klass.Municipalities, fmtDay(from), fmtDay(to), refs[0].ID)
	}
	derived, err := deriveVersions(vs[0], chs, missing)
	if err != nil {
		return nil, err
	}
	m, err := FromVersions(append(derived, vs...), chs)
	if err != nil {
		return nil, err
	}
	if len(derived) > 0 {
		m.derivedBefore = vs[0].ValidFrom
	}
	return m, nil
}

// noAnswer reports whether err says the source has no answer for the
// request: KLASS's 404 Not Found (*httpx.HTTPError; the test transport of
// the bundle answers so too), or a replay of recorded answers that holds
// none for it (*replay.MissError: the bundled KLASS copy as served by the
// pipelines, and the knowledge base's raw snapshots offline).
func noAnswer(err error) bool {
	var he *httpx.HTTPError
	var me *replay.MissError
	return errors.As(err, &he) && he.Status == http.StatusNotFound || errors.As(err, &me)
}

// FromVersions builds the model from versions of KLASS 131 (contiguous,
// any order) and its changes, as Load describes.
func FromVersions(versions []*klass.Version, changes []klass.Change) (*Model, error) {
	if len(versions) == 0 {
		return nil, fmt.Errorf("regions: no version of classification %d", klass.Municipalities)
	}
	vs := append([]*klass.Version(nil), versions...)
	sort.Slice(vs, func(i, j int) bool { return vs[i].ValidFrom.Before(vs[j].ValidFrom) })
	start := vs[0].ValidFrom
	var end time.Time // zero: still valid
	munis := spans{}
	counties := spans{}
	names := map[string][]namedSpan{} // municipality code -> its name per KLASS version
	for i, v := range vs {
		if i > 0 && !vs[i-1].ValidTo.Equal(v.ValidFrom) {
			return nil, fmt.Errorf("regions: versions %d and %d of classification %d leave a gap or overlap at %s",
				vs[i-1].ID, v.ID, klass.Municipalities, fmtDay(v.ValidFrom))
		}
		end = v.ValidTo
		for _, it := range v.Items {
			if it.Code == Unspecified {
				continue
			}
			if lv, ok := LevelOf(it.Code); !ok || lv != Municipality {
				return nil, fmt.Errorf("regions: version %d: code %q is not a four-digit municipality code", v.ID, it.Code)
			}
			munis.add(it.Code, it.Name, v.ValidFrom, v.ValidTo)
			names[it.Code] = append(names[it.Code], namedSpan{it.Name, v.ValidFrom, v.ValidTo})
			counties.add(it.Code[:2], "", v.ValidFrom, v.ValidTo)
		}
	}
	var mch, cch []klass.Change
	seenCounty := map[string]bool{}
	touched := map[string]int{} // code@date -> changes with another code
	for _, ch := range changes {
		if ch.OldCode != ch.NewCode {
			d := ch.Occurred.Format(klass.DateLayout)
			touched[ch.OldCode+"@"+d]++
			touched[ch.NewCode+"@"+d]++
		}
	}
	for _, ch := range changes {
		if !ch.Occurred.After(start) || (!end.IsZero() && !ch.Occurred.Before(end)) {
			continue
		}
		if ch.OldCode == Unspecified || ch.NewCode == Unspecified {
			continue
		}
		if ch.OldCode == ch.NewCode && touched[ch.OldCode+"@"+ch.Occurred.Format(klass.DateLayout)] == 0 {
			continue // a pure rename: the boundary is kept
		}
		mch = append(mch, ch)
		if len(ch.OldCode) == 4 && len(ch.NewCode) == 4 && ch.OldCode[:2] != ch.NewCode[:2] {
			k := ch.OldCode[:2] + ">" + ch.NewCode[:2] + "@" + ch.Occurred.Format(klass.DateLayout)
			if !seenCounty[k] {
				seenCounty[k] = true
				cch = append(cch, klass.Change{OldCode: ch.OldCode[:2], NewCode: ch.NewCode[:2], Occurred: ch.Occurred})
			}
		}
	}
	m, err := New(munis.codes(), counties.codes(), mch, cch)
	if err != nil {
		return nil, err
	}
	// Name every version (after New split them at changes): a county from
	// the real list of its period, a municipality by the newest KLASS
	// version within it (5001 is "Trondheim" in 2018-2019 and "Trondheim -
	// Tråante" from 2020, the name of 2023-2024).
	for _, v := range m.all {
		switch v.Level {
		case County:
			v.Name = countyName(v.Code, v.From, v.To)
		case Municipality:
			for _, n := range names[v.Code] {
				if (v.To.IsZero() || n.from.Before(v.To)) && (n.to.IsZero() || n.to.After(v.From)) {
					v.Name = n.name // versions are oldest first: the last match is the newest
				}
			}
		}
	}
	m.derivedCounties = true
	return m, nil
}

type namedSpan struct {
	name     string
	from, to time.Time
}

// spans collects, per code, the union of validity intervals.
type spans map[string][]*klass.Code

func (s spans) add(code, name string, from, to time.Time) {
	cs := s[code]
	if n := len(cs); n > 0 && cs[n-1].ValidTo.Equal(to) && !from.Before(cs[n-1].ValidFrom) {
		return // already covered (a county seen through another municipality)
	}
	if n := len(cs); n > 0 && cs[n-1].ValidTo.Equal(from) {
		cs[n-1].ValidTo = to
		if name != "" {
			cs[n-1].Name = name
		}
		return
	}
	s[code] = append(cs, &klass.Code{Code: code, Name: name, ValidFrom: from, ValidTo: to})
}

func (s spans) codes() []klass.Code {
	var out []klass.Code
	for _, cs := range s {
		for _, c := range cs {
			out = append(out, *c)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Code != out[j].Code {
			return out[i].Code < out[j].Code
		}
		return out[i].ValidFrom.Before(out[j].ValidFrom)
	})
	return out
}

func fmtDay(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(klass.DateLayout)
}
