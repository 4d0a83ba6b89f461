package dbh

import (
	"encoding/json"
	"fmt"
	"strings"
)

// ProgrammeTable is DBH's table of study programmes ("Studieprogram",
// documented on DBH's table documentation page with tabellId=347; the same
// ID is posted as tabell_id to hentJSONTabellData by third-party scripts).
// Whether the API table answers with every column below is UNVERIFIED: see
// the Programme* column constants.
const ProgrammeTable = 347

// Columns of a programme row. Institusjonskode, Studieprogramkode,
// Nivåkode, NUS-kode, Studiepoeng and Årstall are named in DBH's
// documentation and in published queries of table 347; the name columns
// (kodetekst "J"), Kommunenr (the campus municipality) and Studieform are
// UNVERIFIED names, used by the synthetic demo answer.
const (
	ColInstitutionCode = "Institusjonskode"
	ColInstitution     = "Institusjonsnavn"
	ColProgrammeCode   = "Studieprogramkode"
	ColProgramme       = "Studieprogramnavn"
	ColLevel           = "Nivåkode"
	ColNUS             = "NUS-kode"
	ColCredits         = "Studiepoeng"
	ColMunicipality    = "Kommunenr"
	ColMode            = "Studieform"
	ColYear            = "Årstall"
)

// Programme is one row of a programme table, every cell as text ("" for
// null or absent).
type Programme struct {
	Row   int               // position in the answer's array, from 1
	Cells map[string]string // column to cell text
}

// Get returns the cell of column col ("" when absent or null).
func (p Programme) Get(col string) string { return p.Cells[col] }

// ParseProgrammes reads an answer of hentJSONTabellData (a JSON array of
// row objects) as programme rows, keeping every cell as text: strings as
// they are, numbers in their shortest form, null as "". An empty array is
// ErrNoData (wrapped); a cell that is an object or array is a
// *ParseError-like error naming row and column.
func ParseProgrammes(table int, body []byte) ([]Programme, error) {
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil, fmt.Errorf("dbh: table %d: %w", table, ErrNoData)
	}
	var rows []map[string]json.RawMessage
	if err := json.Unmarshal(body, &rows); err != nil {
		return nil, fmt.Errorf("dbh: table %d: the answer is not a JSON array of rows: %w", table, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("dbh: table %d: %w", table, ErrNoData)
	}
	out := make([]Programme, 0, len(rows))
	for i, r := range rows {
		p := Programme{Row: i + 1, Cells: make(map[string]string, len(r))}
		for k, raw := range r {
			s, err := scalar(raw)
			if err != nil {
				return nil, &CellError{Table: table, Row: i + 1, Column: k, Err: err}
			}
			p.Cells[k] = strings.TrimSpace(s)
		}
		out = append(out, p)
	}
	return out, nil
}

// CellError is a cell of an answer that is not a string, number or null.
type CellError struct {
	Table  int
	Row    int // from 1
	Column string
	Err    error
}

func (e *CellError) Error() string {
	return fmt.Sprintf("dbh: table %d: row %d: column %s: %v", e.Table, e.Row, e.Column, e.Err)
}

func (e *CellError) Unwrap() error { return e.Err }
