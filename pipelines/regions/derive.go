package regions

import (
	"fmt"
	"sort"
	"time"

	"github.com/grunnlag/grunnlag/sources/klass"
)

// DeriveFloor is the earliest date Load derives municipality sets for
// (2005-01-01, the day 1842 Skjerstad joined 1804 Bodø and KLASS's version
// "Kommuneinndeling 2005" begins). Before the first KLASS version it has
// an answer for (2013 in the bundle), Load walks the change table
// backwards (see Load); the walk is checked, by hand against the change
// table, for 2005-2012 (2005: 433 municipalities, 2006-2007: 431,
// 2008-2011: 430, 2012: 429), and not before, so an older missing version
// is an error.
var DeriveFloor = time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC)

// DerivedVersionError reports that Load cannot derive a municipality set
// for a KLASS version it has no answer for: the change table contradicts
// the walk (a change naming a code the set does not hold), disagrees with
// the versions KLASS lists, or the version is before DeriveFloor.
type DerivedVersionError struct {
	Date   time.Time // the change date (or the requested from) the walk stopped at
	Code   string    // the code at fault; "" when the date is before DeriveFloor
	Reason string
}

func (e *DerivedVersionError) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("regions: no municipality set for %s: %s", fmtDay(e.Date), e.Reason)
	}
	return fmt.Sprintf("regions: change table of classification %d on %s: code %s: %s",
		klass.Municipalities, fmtDay(e.Date), e.Code, e.Reason)
}

// deriveVersions makes the listed versions missing (oldest first, the
// ones KLASS answers 404, contiguous and ending where first starts) from
// the change table, by walking it backwards from first, the oldest version
// KLASS answered: on each change date d (newest first, d <= first's start)
// the set valid before d is the set valid on d without the new codes of
// d's changes and with their old codes (a code that is both old and new on
// d, 1804 Bodø in 2005, stays). A derived set spans [d, the next change
// date) and names each code by the newest name the walk knows: first's
// name, or the change table's old name once a later change names the code
// as old (1736 is "Snåsa" before its 2011 rename).
//
// The walk checks what it assumes, and any failure is a
// *DerivedVersionError: every new code of a change on d is in the set
// valid on d, and every old code that is not also new on d is not; no
// change has an empty code; the derived sets start and end on exactly the
// dates of the listed versions they stand for (whose IDs and names they
// take: the listing is a KLASS answer, the items are not); and none starts
// before DeriveFloor. 9999 Uoppgitt is left out, as in KLASS versions.
func deriveVersions(first *klass.Version, changes []klass.Change, missing []klass.VersionRef) ([]*klass.Version, error) {
	if len(missing) == 0 {
		return nil, nil
	}
	from := missing[0].ValidFrom
	if from.Before(DeriveFloor) {
		return nil, &DerivedVersionError{Date: from, Reason: fmt.Sprintf("version %d (%s) has no KLASS answer, and the model derives municipality sets from the change table no earlier than %s",
			missing[0].ID, missing[0].Name, fmtDay(DeriveFloor))}
	}
	byDate := map[time.Time][]klass.Change{}
	for _, ch := range changes {
		if ch.Occurred.After(first.ValidFrom) || ch.Occurred.Before(from) || ch.OldCode == Unspecified || ch.NewCode == Unspecified {
			continue
		}
		byDate[ch.Occurred] = append(byDate[ch.Occurred], ch)
	}
	var dates []time.Time
	for d := range byDate {
		dates = append(dates, d)
	}
	sort.Slice(dates, func(i, j int) bool { return dates[i].After(dates[j]) }) // newest first
	set := map[string]string{}                                                 // code -> name: the set valid on the date the walk reached
	for _, it := range first.Items {
		if it.Code != Unspecified {
			set[it.Code] = it.Name
		}
	}
	var out []*klass.Version // newest first
	validTo := first.ValidFrom
	for _, d := range dates {
		if d.Before(first.ValidFrom) {
			// Nothing changed in [d, validTo): the current set is that version.
			out = append(out, versionOf(set, d, validTo))
			validTo = d
			if !d.After(from) {
				break // d == from: the oldest version needed
			}
		}
		newCodes := map[string]bool{}
		for _, ch := range byDate[d] {
			if ch.OldCode == "" || ch.NewCode == "" {
				return nil, &DerivedVersionError{Date: d, Code: ch.OldCode + ch.NewCode, Reason: "a change without an old or a new code does not say what the set was before"}
			}
			if _, ok := set[ch.NewCode]; !ok {
				return nil, &DerivedVersionError{Date: d, Code: ch.NewCode, Reason: "new code of a change is not valid on the day"}
			}
			newCodes[ch.NewCode] = true
		}
		for _, ch := range byDate[d] {
			if _, ok := set[ch.OldCode]; ok && !newCodes[ch.OldCode] {
				return nil, &DerivedVersionError{Date: d, Code: ch.OldCode, Reason: "old code of a change is still valid on the day"}
			}
		}
		for c := range newCodes {
			delete(set, c)
		}
		for _, ch := range byDate[d] {
			set[ch.OldCode] = ch.OldName
		}
	}
	// Oldest first, like missing.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	for i, ref := range missing {
		if i >= len(out) || !out[i].ValidFrom.Equal(ref.ValidFrom) || !out[i].ValidTo.Equal(ref.ValidTo) {
			got := "none"
			if i < len(out) {
				got = fmtDay(out[i].ValidFrom) + ".." + fmtDay(out[i].ValidTo)
			}
			return nil, &DerivedVersionError{Date: ref.ValidFrom, Reason: fmt.Sprintf("the change table gives the set %s where KLASS lists version %d (%s) for %s..%s",
				got, ref.ID, ref.Name, fmtDay(ref.ValidFrom), fmtDay(ref.ValidTo))}
		}
		out[i].ID, out[i].Name = ref.ID, ref.Name
	}
	if len(out) != len(missing) {
		return nil, &DerivedVersionError{Date: out[len(missing)].ValidFrom, Reason: "the change table has a change where KLASS lists no version boundary"}
	}
	return out, nil
}

// versionOf makes a derived version from a set of codes and names.
func versionOf(set map[string]string, from, to time.Time) *klass.Version {
	v := &klass.Version{ValidFrom: from, ValidTo: to}
	for c, n := range set {
		v.Items = append(v.Items, klass.Item{Code: c, Name: n, Level: "1"})
	}
	sort.Slice(v.Items, func(i, j int) bool { return v.Items[i].Code < v.Items[j].Code })
	return v
}
