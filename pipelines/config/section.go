package config

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// section is a kind's own keys of a source or dataset section, handed to
// the kind's factory (sources.Section).
type section struct {
	keys   map[string]yaml.Node
	what   string                  // "a pxweb dataset", for errors
	path   string                  // "datasets.x": where the keys stand
	pos    map[string]keyPos       // each key's position in the file
	shared map[string]reflect.Type // the keys every kind shares there
}

// Decode decodes the keys into v, a pointer to a struct with yaml tags,
// strictly: each key v does not declare is an error naming it and the
// keys v takes.
func (s section) Decode(v any) error {
	known := yamlKeys(reflect.TypeOf(v))
	var errs []error
	for _, k := range slices.Sorted(maps.Keys(s.keys)) {
		if known[k] {
			continue
		}
		if p, ok := s.pos[k]; ok && p.reported {
			continue // a typo of a shared key, reported with its line already
		}
		if p, ok := s.pos[k]; ok {
			// Read from a file: say it in the user's words, with the line
			// and the nearest key valid there (the kind's or the shared).
			valid := slices.Sorted(maps.Keys(known))
			for sk := range s.shared {
				valid = append(valid, sk)
			}
			slices.Sort(valid)
			errs = append(errs, &KeyError{Line: p.line, Column: p.column, Key: k, Path: s.path,
				Suggestion: nearest(k, valid), Valid: valid})
			continue
		}
		takes := "no keys of its own"
		if len(known) > 0 {
			takes = "keys: " + strings.Join(slices.Sorted(maps.Keys(known)), ", ")
		}
		errs = append(errs, fmt.Errorf("%s: not a key of %s (%s)", k, s.what, takes))
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for _, k := range slices.Sorted(maps.Keys(s.keys)) {
		val := s.keys[k]
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}, &val)
	}
	return n.Decode(v)
}

// yamlKeys returns the keys a struct type (or pointer to one) decodes, as
// yaml.v3 names them: the tag's name, or the lower-cased field name.
func yamlKeys(t reflect.Type) map[string]bool {
	keys := map[string]bool{}
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return keys
	}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if strings.Contains(opts, "inline") {
			maps.Copy(keys, yamlKeys(f.Type))
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		keys[name] = true
	}
	return keys
}

// flatten returns the errors joined in err (errors.Join), or err itself.
func flatten(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}
