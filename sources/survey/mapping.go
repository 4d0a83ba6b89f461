package survey

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

// Field names: the columns of the default template, in order.
const (
	FieldOrgNr        = "orgnr"
	FieldMunicipality = "kommunenr"
	FieldDate         = "dato"
	FieldArea         = "kompetanseomrade"
	FieldText         = "beskrivelse"
	FieldLevel        = "utdanningsniva"
	FieldPeople       = "antall"
	FieldHorizon      = "tidshorisont"
	FieldUrgency      = "hastegrad"
)

// Columns are the columns of the default template, in order.
var Columns = []string{FieldOrgNr, FieldMunicipality, FieldDate, FieldArea, FieldText, FieldLevel, FieldPeople, FieldHorizon, FieldUrgency}

// needFields are the fields of one need (a group under needs:).
var needFields = []string{FieldArea, FieldText, FieldLevel, FieldPeople, FieldHorizon, FieldUrgency}

// firmFields are the fields of the company (columns: only).
var firmFields = []string{FieldOrgNr, FieldMunicipality, FieldDate}

// Levels are the allowed values of utdanningsniva.
var Levels = []string{"grunnskole", "vgs", "fagbrev", "fagskole", "uh_kort", "uh_lang", "kurs"}

// Urgencies are the allowed values of hastegrad.
var Urgencies = []string{"lav", "middels", "hoy"}

// Mapping says how one questionnaire layout becomes Responses. See the
// package doc for the YAML form.
type Mapping struct {
	Format    string `yaml:"format"`
	Sheet     string `yaml:"sheet"`
	Encoding  string `yaml:"encoding"`
	Delimiter string `yaml:"delimiter"`
	Decimal   string `yaml:"decimal"`
	SkipRows  int    `yaml:"skip_rows"`
	// Date is the survey date (YYYY-MM-DD) for every row of a file without
	// a date column.
	Date string `yaml:"date"`
	// Columns maps a field to its header in the file; a field not listed is
	// looked up under its own name.
	Columns map[string]string `yaml:"columns"`
	// Needs, when set, lists groups of need columns of a wide layout.
	Needs []map[string]string `yaml:"needs"`
	// Values maps raw cells (case-insensitive) to canonical values, per field.
	Values map[string]map[string]string `yaml:"values"`
	// Ignore lists headers of columns that are deliberately not read.
	Ignore []string `yaml:"ignore"`
}

// DefaultMapping returns the mapping of the default template (every field
// under its own name, format from the file name).
func DefaultMapping() *Mapping { return &Mapping{} }

// ParseMapping reads a mapping from YAML. Unknown keys are errors; every
// problem is reported at once.
func ParseMapping(data []byte) (*Mapping, error) {
	var m Mapping
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("survey: mapping: %w", err)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	return &m, nil
}

// LoadMappingFile reads a mapping file.
func LoadMappingFile(path string) (*Mapping, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("survey: mapping: %w", err)
	}
	m, err := ParseMapping(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

func isField(f string, list []string) bool {
	for _, x := range list {
		if x == f {
			return true
		}
	}
	return false
}

// Validate returns every problem of the mapping at once.
func (m *Mapping) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf("survey: mapping: "+format, a...)) }
	switch m.Format {
	case "", "csv", "xlsx":
	default:
		bad("format %q: use csv or xlsx", m.Format)
	}
	switch m.Decimal {
	case "", ".", ",":
	default:
		bad("decimal %q: use \".\" or \",\"", m.Decimal)
	}
	if m.SkipRows < 0 {
		bad("skip_rows %d is negative", m.SkipRows)
	}
	if m.Date != "" {
		if _, err := parseDate(m.Date, false); err != nil {
			bad("date %q is not YYYY-MM-DD", m.Date)
		}
	}
	for f, h := range m.Columns {
		if !isField(f, Columns) {
			bad("columns: unknown field %q (fields: %s)", f, strings.Join(Columns, ", "))
		}
		if strings.TrimSpace(h) == "" {
			bad("columns: field %q has an empty header", f)
		}
		if len(m.Needs) > 0 && isField(f, needFields) {
			bad("columns: field %q is a need field; with needs: give it in each group", f)
		}
	}
	for i, g := range m.Needs {
		if len(g) == 0 {
			bad("needs[%d] is empty", i)
		}
		for f := range g {
			if !isField(f, needFields) {
				bad("needs[%d]: field %q is not a need field (%s)", i, f, strings.Join(needFields, ", "))
			}
		}
	}
	for f := range m.Values {
		if !isField(f, Columns) {
			bad("values: unknown field %q", f)
		}
	}
	return errors.Join(errs...)
}

// header returns the header a firm field is read from.
func (m *Mapping) header(f string) string {
	if h, ok := m.Columns[f]; ok {
		return h
	}
	return f
}

// groups returns the need column groups: for the long layout one group
// with every need field under its (mapped) name.
func (m *Mapping) groups() []map[string]string {
	if len(m.Needs) > 0 {
		return m.Needs
	}
	g := map[string]string{}
	for _, f := range needFields {
		g[f] = m.header(f)
	}
	return []map[string]string{g}
}

// value maps a raw cell by the values: table of field f.
func (m *Mapping) value(f, raw string) string {
	t := strings.TrimSpace(raw)
	for k, v := range m.Values[f] {
		if strings.EqualFold(strings.TrimSpace(k), t) {
			return v
		}
	}
	return t
}
