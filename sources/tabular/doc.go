// Package tabular imports statistics published as CSV or XLSX files (NAV,
// Udir, IMDi, SSB StatBank exports, Bedriftsundersøkelsen) into the same
// tidy dataset the PxWeb source yields: a *jsonstat.Dataset whose
// dimensions are region (role geo), period (role time), the mapped
// dimensions in order, and a measure dimension (role metric) when a file
// has several value columns. Record() turns it into the Arrow table.
//
// A Mapping (YAML, strict: unknown keys are errors) says how one layout
// becomes that dataset:
//
//	format: csv              # csv | xlsx
//	sheet: ""                # xlsx: sheet name (default: first)
//	encoding: auto           # auto | utf-8 | windows-1252 | iso-8859-1 | utf-16le | utf-16be
//	delimiter: auto          # auto | ";" | "," | "\t"
//	decimal: ","             # "." (default) or ","
//	skip_rows: 0             # lines before the header
//	header_rows: 1           # 0: no header (name the columns with columns: [...])
//	where: {EnhetNivaa: ["1", "2"]}            # keep only these rows
//	skip: {"Geografisk enhet": ["Ukjent"]}     # drop these rows
//	region: {column: "Fylke", code: prefix}    # code (default) | prefix | name; map:, labels:, pattern:, label_column:, value:
//	period: {columns: ["År", "Måned"]}         # or column:, value:, any_of:; granularity: month|quarter|year for dates
//	value: {column: "Antall"}                  # or last: true; multiply: 100 (a power of ten, applied exactly)
//	values: {dim: ContentsCode, columns: [{column: "Antall", code: Personer}, ...]}
//	dims: {Nivaa: {column: "Utdanningsnivå", code: prefix}, Kjonn: {column: "Kjønn", map: {"Menn": "1"}}}
//	melt: {columns: '^\d{4}-\d{2}\.', notes: '\.Brudd$', parts: [{dim: period, pattern: '^(\d{4}-\d{2})'}]}
//	duplicates: error        # error | sum
//	series_breaks: [{period: "2012", note: "STYRK-98 -> STYRK-08"}]
//
// The mappings for the known export formats are shipped in mappings/
// (documented in mappings/README.md) and embedded; Builtin returns one by
// name.
//
// # Text files
//
// Encodings: UTF-8 with or without BOM, windows-1252, ISO-8859-1, UTF-16LE
// and UTF-16BE with or without BOM. With encoding auto a BOM decides, else
// a NUL in every second byte means UTF-16 without BOM, else valid UTF-8 is
// UTF-8, else windows-1252. A first line "sep=X" (Excel's hint) sets the
// delimiter and is dropped; otherwise the delimiter is the most frequent of
// ';', tab and ',' in the header line, outside quotes. Quoted fields
// (RFC 4180, with "" for a quote), CRLF line ends and rows whose cells are
// all empty (dropped) are handled. Quotes are strict: a stray quote, or a
// quoted field that is never closed, is a *QuoteError at its row and byte
// position, never a cell that swallows the rest of the file:
//
//	tabular: svar.csv: row 4, position 11: a quote (") inside a field that does not start with one (...)
//
// A data row with fewer cells than the header, or with a value past the
// last column, is a *WidthError. Files are read as streams.
//
// # Limits
//
// Every reader works within Limits (defaults in brackets): the file's size
// [128 MiB], an XLSX workbook's unpacked size as its zip directory declares
// it [256 MiB, checked before anything is unpacked], one CSV row [4 MiB],
// one cell [131 068 bytes, Excel's 32 767 characters] and the table's cells
// [5 million]. Past a limit the error is a *LimitError inside the
// *ParseError that says where.
//
// # XLSX
//
// Read with excelize, a row at a time: one sheet, raw cell values (numbers
// unformatted, dates as serial numbers, which ParsePeriod accepts).
//
// # Cells
//
// A value cell is a number (ParseNumber: decimal mark per the mapping,
// spaces, no-break and thin spaces as thousands separators: "1 400" ->
// 1400, "20,4" -> 20.4 with decimal ","), a marker (Marker: "*", "..",
// "...", ":", ".", "-") kept as the cell's status with the value missing,
// never zero, or empty (missing, no status). Anything else is an error.
//
// Regions: "code" takes the cell as the code; "prefix" takes the first
// word when it contains a digit ("38 Vestfold og Telemark" -> 38 with
// label "Vestfold og Telemark"); "name" asks the Regions model for the
// code on the date the row's period starts, counties before
// municipalities unless region.level says "fylke" or "kommune" (Oslo is
// both 03 and 0301). Names are never join keys.
// With a Regions model every code is checked with Known on that date.
//
// Periods: see ParsePeriod ("2024M03", "2024K4", "2017-2023", school years
// "2020-21" -> "2020-2021", dates -> "2024M03", Norwegian month names).
// Periods are sorted; other categories keep the order of first
// appearance. Cells no row gives are missing.
//
// Errors are *ParseError values naming file, row and column:
//
//	tabular: arbeidsledighet.csv: row 12: column "Antall personer": "12x" is not a number
package tabular
