package regions

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/sources/klass"
)

// deriveVersions on synthetic versions and changes (codes 0101-0105 stand
// for nothing real): the sets it derives, and each check it makes.
func TestDeriveVersions(t *testing.T) {
	d := func(y int) time.Time { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC) }
	first := &klass.Version{ID: 9, ValidFrom: d(2013), ValidTo: d(2015), Items: []klass.Item{
		{Code: "0101", Name: "A"}, {Code: "0102", Name: "B"}, {Code: "0103", Name: "C"}, {Code: Unspecified, Name: "Uoppgitt"}}}
	ch := func(old, oldName, nw string, y int) klass.Change {
		return klass.Change{OldCode: old, OldName: oldName, NewCode: nw, Occurred: d(y)}
	}
	refs := []klass.VersionRef{{ID: 1, Name: "v2011", ValidFrom: d(2011), ValidTo: d(2012)}, {ID: 2, Name: "v2012", ValidFrom: d(2012), ValidTo: d(2013)}}
	sets := func(vs []*klass.Version) string {
		var out []string
		for _, v := range vs {
			var cs []string
			for _, it := range v.Items {
				cs = append(cs, it.Code+" "+it.Name)
			}
			out = append(out, fmtDay(v.ValidFrom)+".."+fmtDay(v.ValidTo)+" #"+string(rune('0'+v.ID))+": "+strings.Join(cs, ", "))
		}
		return strings.Join(out, "\n")
	}
	tests := []struct {
		name     string
		changes  []klass.Change
		want     string // derived sets, or
		wantCode string // the code of the *DerivedVersionError
	}{
		{
			// 2013: 0104 D + 0103 C -> 0103 (merge keeping a code); 2012:
			// 0105 E -> 0102 (recode) and 0101 renamed from "A0"; 2011: a
			// rename of 0103 to the same name, the change the oldest set
			// starts at (it holds the names from that day on).
			name: "merge, recode, rename",
			changes: []klass.Change{ch("0104", "D", "0103", 2013), ch("0103", "C", "0103", 2013),
				ch("0105", "E", "0102", 2012), ch("0101", "A0", "0101", 2012), ch("0103", "C", "0103", 2011)},
			want: "2011-01-01..2012-01-01 #1: 0101 A0, 0103 C, 0104 D, 0105 E\n" +
				"2012-01-01..2013-01-01 #2: 0101 A, 0102 B, 0103 C, 0104 D",
		},
		{name: "new code not valid", changes: []klass.Change{ch("0105", "E", "0109", 2012), ch("0101", "A", "0101", 2011)}, wantCode: "0109"},
		{name: "old code still valid", changes: []klass.Change{ch("0101", "A", "0102", 2012), ch("0101", "A", "0101", 2011)}, wantCode: "0101"},
		{name: "no change on 2012, where KLASS lists a version", changes: []klass.Change{ch("0101", "A", "0101", 2011)}, wantCode: ""},
		{name: "no old code", changes: []klass.Change{ch("", "", "0102", 2012), ch("0101", "A", "0101", 2011)}, wantCode: "0102"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vs, err := deriveVersions(first, tt.changes, refs)
			if tt.want != "" {
				if err != nil {
					t.Fatal(err)
				}
				if got := sets(vs); got != tt.want {
					t.Errorf("deriveVersions =\n%s\nwant\n%s", got, tt.want)
				}
				return
			}
			var de *DerivedVersionError
			if !errors.As(err, &de) || de.Code != tt.wantCode {
				t.Errorf("deriveVersions error = %v, want *DerivedVersionError for code %q", err, tt.wantCode)
			}
		})
	}
}
