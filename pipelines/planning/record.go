package planning

import (
	"math"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// Column is one column of tilbudsplanlegging with its bokmål label (with
// unit), kept in the Parquet field's metadata ("label", "unit").
type Column struct {
	Name, Label, Unit string
}

// Columns are the dataset's columns in order.
var Columns = []Column{
	{"periode", "Søknadsår", ""},
	{"region", "Regionkode", ""},
	{"region_label", "Region", ""},
	{"region_level", "Nivå (fylke eller gruppe)", ""},
	{"program", "Programkode", ""},
	{"program_label", "Utdanningsprogram", ""},
	{"programtype", "Programtype (yrkesfag eller studieforberedende)", ""},
	{"forsteonske_sokere", "Førsteønskesøkere til Vg1 (personer)", "personer"},
	{"plasser", "Vg1-plasser (antall)", "plasser"},
	{"elever", "Elever i videregående (personer)", "personer"},
	{"laerekontrakter", "Gjeldende lærekontrakter (antall)", "kontrakter"},
	{"laereplass_sokere", "Søkere til læreplass (personer)", "personer"},
	{"sokere_per_laereplass", "Søkere til læreplass per lærekontrakt (forholdstall)", "forholdstall"},
	{"fullfort_andel", "Fullført og bestått innen fem/seks år (prosent)", "prosent"},
	{"ledige_stillinger", "Utlyste stillinger i programmets yrkesgrupper, NAV (antall, siste måned)", "stillinger"},
	{"mangel_personer", "Estimert mangel på arbeidskraft i programmets næringer, NAV (personer)", "personer"},
	{"erstatningsbehov", "Erstatningsbehov: sysselsatte 55 år og over i programmets næringer (personer)", "personer"},
	{"sokere_endring", "Endring i førsteønskesøkere fra året før (personer)", "personer"},
	{"signal", "Signalkoder", ""},
	{"signal_tekst", "Signal", ""},
	{"fullfort_kull", "Kull for fullført (start–måleår)", ""},
	{"stillinger_periode", "Måned for stillinger", ""},
	{"mangel_periode", "År for mangel", ""},
	{"erstatning_periode", "År for erstatningsbehov", ""},
	{"status", "Manglende tall (kolonne=symbol: .. finnes ikke, : prikket, . kan ikke forekomme)", ""},
	{"computed_columns", "Summert av grunnlag fra kommunene (kolonner)", ""},
	{"computed", "Inneholder tall summert av grunnlag fra kommunene", ""},
	{"synthetic", "Syntetiske demotall", ""},
}

// measureColumns are the numeric columns, in Row.figures order.
var measureColumns = []string{"forsteonske_sokere", "plasser", "elever", "laerekontrakter", "laereplass_sokere", "sokere_per_laereplass",
	"fullfort_andel", "ledige_stillinger", "mangel_personer", "erstatningsbehov", "sokere_endring"}

var dictType = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}

// Record returns the rows as the dataset tilbudsplanlegging: text columns
// dictionary-encoded, measures nullable float64 (null where missing, the
// status in column status), period columns, status and computed_columns
// nullable text, computed and synthetic bool (computed: some figure of the
// row is our sum over municipalities; the same type as the indicator
// table's computed, so one query reads both). Each field carries its label.
func Record(mem memory.Allocator, rows []Row) arrow.Record {
	isMeasure := map[string]bool{}
	for _, m := range measureColumns {
		isMeasure[m] = true
	}
	fields := make([]arrow.Field, len(Columns))
	builders := make([]array.Builder, len(Columns))
	for i, c := range Columns {
		keys, vals := []string{"label"}, []string{c.Label}
		if c.Unit != "" {
			keys, vals = append(keys, "unit"), append(vals, c.Unit)
		}
		md := arrow.NewMetadata(keys, vals)
		switch {
		case isMeasure[c.Name]:
			fields[i] = arrow.Field{Name: c.Name, Type: arrow.PrimitiveTypes.Float64, Nullable: true, Metadata: md}
			builders[i] = array.NewFloat64Builder(mem)
		case c.Name == "synthetic" || c.Name == "computed":
			fields[i] = arrow.Field{Name: c.Name, Type: arrow.FixedWidthTypes.Boolean, Metadata: md}
			builders[i] = array.NewBooleanBuilder(mem)
		case i < 7 || c.Name == "signal" || c.Name == "signal_tekst":
			fields[i] = arrow.Field{Name: c.Name, Type: dictType, Metadata: md}
			builders[i] = array.NewDictionaryBuilder(mem, dictType)
		default:
			fields[i] = arrow.Field{Name: c.Name, Type: arrow.BinaryTypes.String, Nullable: true, Metadata: md}
			builders[i] = array.NewStringBuilder(mem)
		}
	}
	for _, r := range rows {
		figs := r.figures()
		var codes, texts, status, computed []string
		for _, s := range r.Signals {
			codes, texts = append(codes, s.Code), append(texts, s.Text)
		}
		for k, f := range figs {
			if !f.Valid {
				status = append(status, measureColumns[k]+"="+firstStatus(f.Status))
			} else if f.Computed {
				computed = append(computed, measureColumns[k])
			}
		}
		text := map[string]string{
			"periode": r.Period, "region": r.Unit.Code, "region_label": r.Unit.Name, "region_level": string(r.Unit.Level),
			"program": r.Programme.Code, "program_label": r.Programme.Label, "programtype": r.Programme.Type,
			"signal": strings.Join(codes, ";"), "signal_tekst": strings.Join(texts, "; "),
			"fullfort_kull": r.Completion.Period, "stillinger_periode": r.Vacancies.Period, "mangel_periode": r.Shortage.Period,
			"erstatning_periode": r.Replacement.Period, "status": strings.Join(status, ";"), "computed_columns": strings.Join(computed, ";"),
		}
		m := 0
		for i, c := range Columns {
			switch b := builders[i].(type) {
			case *array.Float64Builder:
				f := figs[m]
				m++
				if f.Valid && !math.IsNaN(f.Value) {
					b.Append(f.Value)
				} else {
					b.AppendNull()
				}
			case *array.BooleanBuilder:
				if c.Name == "computed" {
					b.Append(len(computed) > 0)
				} else {
					b.Append(r.Synthetic)
				}
			case *array.BinaryDictionaryBuilder:
				_ = b.AppendString(text[c.Name])
			case *array.StringBuilder:
				if s := text[c.Name]; s != "" {
					b.Append(s)
				} else {
					b.AppendNull()
				}
			}
		}
	}
	cols := make([]arrow.Array, len(builders))
	for i, b := range builders {
		cols[i] = b.NewArray()
		b.Release()
	}
	rec := array.NewRecord(arrow.NewSchema(fields, nil), cols, int64(len(rows)))
	for _, c := range cols {
		c.Release()
	}
	return rec
}
