package regions

import (
	"fmt"
	"strings"
	"time"
)

// Known reports whether code names a region valid on d: the nation ("0"),
// a county or a municipality. With CodeOnDate it lets the file and report
// sources validate region codes against the model.
func (m *Model) Known(code string, d time.Time) bool {
	if code == NationCode {
		return true
	}
	_, err := m.Resolve(code, d)
	return err == nil
}

// CodeOnDate resolves a region name to the code valid on d. Names are
// matched without regard to case or surrounding space, on the whole name
// or its first part before " - " (KLASS writes "Troms - Romsa - Tromssa";
// NAV writes "Troms"). "Hele landet", "Landet", "Norge" and "I alt" are
// the nation. Counties are tried before municipalities, so a name that is
// both (Oslo) resolves to the county (use CodeOnDateAt to say which); a
// name shared by two regions of the same level is an error naming both
// codes, and so is an unknown name. Names are never join keys: this is for
// files that give no codes.
func (m *Model) CodeOnDate(name string, d time.Time) (string, error) {
	return m.CodeOnDateAt(name, "", d)
}

// CodeOnDateAt is CodeOnDate restricted to one level: "fylke" (County)
// or "kommune" (Municipality); "" tries both, counties first. With level
// "kommune", "Oslo" is 0301, not the county 03. The nation's names resolve
// at every level.
func (m *Model) CodeOnDateAt(name, level string, d time.Time) (string, error) {
	levels := []Level{County, Municipality}
	switch Level(level) {
	case "":
	case County, Municipality:
		levels = []Level{Level(level)}
	default:
		return "", fmt.Errorf("regions: level %q is not fylke or kommune", level)
	}
	want := normName(name)
	switch want {
	case "":
		return "", fmt.Errorf("regions: empty region name")
	case "hele landet", "landet", "norge", "i alt":
		return NationCode, nil
	}
	for _, lv := range levels {
		var hits []Region
		for _, r := range m.Regions(lv, d) {
			if normName(r.Name) == want || normName(firstPart(r.Name)) == want {
				hits = append(hits, r)
			}
		}
		switch len(hits) {
		case 0:
			continue
		case 1:
			return hits[0].Code, nil
		default:
			codes := make([]string, len(hits))
			for i, h := range hits {
				codes[i] = h.Code
			}
			return "", fmt.Errorf("regions: the name %q fits several regions on %s: %s", name, d.Format("2006-01-02"), strings.Join(codes, ", "))
		}
	}
	if len(levels) == 1 {
		what := map[Level]string{County: "county", Municipality: "municipality"}[levels[0]]
		return "", fmt.Errorf("regions: no %s is called %q on %s", what, name, d.Format("2006-01-02"))
	}
	return "", fmt.Errorf("regions: no county or municipality is called %q on %s", name, d.Format("2006-01-02"))
}

func normName(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

func firstPart(s string) string {
	if i := strings.Index(s, " - "); i > 0 {
		return s[:i]
	}
	return s
}
