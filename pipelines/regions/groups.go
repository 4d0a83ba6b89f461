package regions

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/grunnlag/grunnlag/sources/klass"
)

// Group is a custom grouping of municipalities (a regional council region
// and the like). Groupings may overlap: one municipality may sit in several.
type Group struct {
	ID      string   `yaml:"id"`      // stable snake_case id: "namdal"
	Name    string   `yaml:"name"`    // display name, bokmål
	Members []string `yaml:"members"` // municipality codes on the model's vintage
	Source  string   `yaml:"source"`  // where the member list comes from
}

type groupsFile struct {
	Groups []Group `yaml:"groups"`
}

var groupID = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// ParseGroups reads a groupings file:
//
//	groups:
//	  - id: namdal
//	    name: "Namdal regionråd"
//	    members: ["5007", "5049"]
//	    source: "..."
//
// Strict: unknown keys are errors. name is the file name used in messages.
// Every structural problem is reported at once (errors.Join), each with its
// line. Member codes are checked against a model by ValidateGroups.
func ParseGroups(r io.Reader, name string) ([]Group, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("regions: %s: %w", name, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f groupsFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("regions: %s: %w", name, err)
	}
	lines := groupLines(data)
	var errs []error
	ids := map[string]int{}
	for i, g := range f.Groups {
		pos := fmt.Sprintf("regions: %s: line %d: group %d (%s)", name, lines.group(i), i+1, g.ID)
		if !groupID.MatchString(g.ID) {
			errs = append(errs, fmt.Errorf("%s: id %q is not snake_case (a-z, 0-9, _)", pos, g.ID))
		}
		if j, dup := ids[g.ID]; dup {
			errs = append(errs, fmt.Errorf("%s: id %q also used by group %d", pos, g.ID, j+1))
		}
		ids[g.ID] = i
		if g.Name == "" {
			errs = append(errs, fmt.Errorf("%s: name is empty", pos))
		}
		if g.Source == "" {
			errs = append(errs, fmt.Errorf("%s: source is empty", pos))
		}
		if len(g.Members) == 0 {
			errs = append(errs, fmt.Errorf("%s: no members", pos))
		}
		seen := map[string]bool{}
		for k, c := range g.Members {
			if seen[c] {
				errs = append(errs, fmt.Errorf("regions: %s: line %d: group %s: member %s listed twice", name, lines.member(i, k), g.ID, c))
			}
			seen[c] = true
		}
	}
	if len(f.Groups) == 0 {
		errs = append(errs, fmt.Errorf("regions: %s: no groups", name))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return f.Groups, nil
}

// ValidateGroups checks every member against the model on date d: each must
// be a municipality valid on d. All problems are reported at once.
func (m *Model) ValidateGroups(gs []Group, d time.Time) error {
	var errs []error
	for _, g := range gs {
		for _, c := range g.Members {
			lv, ok := LevelOf(c)
			if !ok || lv != Municipality {
				errs = append(errs, fmt.Errorf("regions: group %s: member %q is not a municipality code", g.ID, c))
				continue
			}
			if _, err := m.resolve(c, d); err != nil {
				errs = append(errs, fmt.Errorf("regions: group %s: member %s is not a municipality on %s", g.ID, c, d.Format(klass.DateLayout)))
			}
		}
	}
	return errors.Join(errs...)
}

// LoadGroups reads and validates a groupings file against the model on d
// (zero => Model.Latest()).
func LoadGroups(path string, m *Model, d time.Time) ([]Group, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("regions: %w", err)
	}
	gs, err := ParseGroups(bytes.NewReader(b), path)
	if err != nil {
		return nil, err
	}
	if d.IsZero() {
		d = m.Latest()
	}
	if err := m.ValidateGroups(gs, d); err != nil {
		return nil, fmt.Errorf("regions: %s: %w", path, err)
	}
	return gs, nil
}

// lineIndex holds the line of each group and member in the source file.
type lineIndex struct {
	groups  []int
	members [][]int
}

func (l lineIndex) group(i int) int {
	if i < len(l.groups) {
		return l.groups[i]
	}
	return 0
}

func (l lineIndex) member(i, k int) int {
	if i < len(l.members) && k < len(l.members[i]) {
		return l.members[i][k]
	}
	return 0
}

func groupLines(data []byte) lineIndex {
	var root yaml.Node
	var li lineIndex
	if yaml.Unmarshal(data, &root) != nil || len(root.Content) == 0 {
		return li
	}
	doc := root.Content[0]
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if doc.Content[i].Value != "groups" || doc.Content[i+1].Kind != yaml.SequenceNode {
			continue
		}
		for _, g := range doc.Content[i+1].Content {
			li.groups = append(li.groups, g.Line)
			var ms []int
			for j := 0; j+1 < len(g.Content); j += 2 {
				if g.Content[j].Value == "members" {
					for _, m := range g.Content[j+1].Content {
						ms = append(ms, m.Line)
					}
				}
			}
			li.members = append(li.members, ms)
		}
	}
	return li
}
