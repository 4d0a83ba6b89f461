// Package px decodes PC-Axis (PX) files, the format PxWeb serves and many
// statistics agencies still publish, into the project's *jsonstat.Dataset,
// so that Record, Parquet writing and everything downstream work on a PX
// table exactly as on a JSON-stat response.
//
// # Syntax
//
// A PX file is a header of keyword entries followed by the DATA entry:
//
//	KEYWORD=value;
//	KEYWORD[lang]=value;                   a translation into language lang
//	KEYWORD("subkey")=value;               VALUES("region")=...
//	KEYWORD[lang]("sub1","sub2")=value;    VALUENOTE("gas","SF6")=...
//	DATA=
//	1 2 ".." 4;
//
// Keywords are letters, digits, '-' and '_' (upper-cased on reading). A
// value is a list of items separated by commas and ended by ';':
//
//	"a string"                             no escapes; a string cannot hold '"' or a line break
//	"first half "                          strings separated only by white space are one string:
//	"second half"                          this item is "first half second half"
//	"a","b",                               a list may be continued on the next line
//	"c";
//	0  YES  TLIST(A1,"1990"-"2017")         bare items (numbers, YES/NO, TLIST(...)) are kept verbatim
//
// So codes containing commas ("01.4,02,03.1") are kept whole. Entries
// whose keyword this package does not use are read and ignored. A keyword
// it uses (CHARSET, CODEPAGE, LANGUAGE(S), STUB, HEADING, VALUES, CODES,
// VARIABLECODE, CONTVARIABLE, DECIMALS, SHOWDECIMALS, PRECISION, TIMEVAL,
// UNITS) given twice with the same language and subkeys is an error; of
// another keyword given twice the first is kept. The DATA
// entry must come last; after its ';' only white space may follow. KEYS
// (sparse data) is refused as unsupported.
//
// # Character set
//
// A UTF-8 byte order mark means UTF-8. Otherwise CODEPAGE decides when
// given: "utf-8", or any WHATWG label such as "iso-8859-1",
// "windows-1252" or "iso-8859-15" (as browsers do, "iso-8859-1" is read as
// Windows-1252, its superset), or "ibm850"/"cp850" and "ibm437"/"cp437".
// Without CODEPAGE, CHARSET="ANSI" means Windows-1252; with neither, the
// header is read as UTF-8 when it is valid UTF-8 and as IBM code page 850
// (the "DOS" character set of the PX specification) otherwise. An unknown
// CODEPAGE and invalid UTF-8 in a UTF-8 file are errors.
//
// # Languages
//
// LANGUAGE names the language of the entries without [lang] (an entry
// labelled with it, KEYWORD[default], is read as KEYWORD; the unlabelled
// entry wins when both are given); LANGUAGES lists every language in the
// file. Options.Language chooses one: "" or
// the default language gives the unlabelled entries; another language
// gives its [lang] entries, falling back to the unlabelled entry for a
// keyword that is not translated (such as DECIMALS or a VARIABLE-TYPE).
// Keywords about a variable or a value are matched by position, since the
// variable and value names differ between languages. A language not in
// LANGUAGES is an error of class ErrLanguage.
//
// # Variables and cells
//
// STUB and HEADING list the variables; the dataset's dimensions are the
// STUB variables then the HEADING variables, in that order, and the DATA
// block is row-major over them: the last HEADING variable varies fastest,
// exactly as jsonstat.Dataset.Index expects. Each variable needs
// VALUES("var") (the labels); CODES("var") gives the codes and, when
// absent, the values are the codes. Codes must be unique within a variable.
// The dimension ID is VARIABLECODE("var") when given, else the variable
// name in the default language; the dimension label is the name in the
// chosen language. NOTE("var") and NOTEX("var") become the dimension note.
//
// DATA holds exactly the product of the VALUES counts cells, separated by
// spaces, tabs, line breaks or commas. A cell is a decimal number (sign,
// digits, '.', exponent; no NaN or Inf), possibly quoted, or a status.
// The PX missing-value symbols
//
//	"."  ".."  "..."  "...."  "....."  "......"  "-"  ":"
//
// (quoted or not) make the cell missing: Present false, Values 0, and the
// symbol kept in Status. Missing is never zero. DATASYMBOL1 ...
// DATASYMBOL6 and DATASYMBOLNIL give the symbols shown for "." ...
// "......" and "-"; a cell written with such a shown symbol is read as the
// symbol it stands for, and the table of symbols is kept in the
// extension. Status is nil when no cell has a status. Any other cell is an
// error naming its position.
//
// # Roles, units and decimals
//
// A variable is time when it has TIMEVAL("var") or VARIABLE-TYPE("var")="T",
// or, when the file gives neither TIMEVAL nor VARIABLE-TYPE for it, when
// its name or code is a time word (tid, time, år, year, periode, period,
// kvartal, quarter, måned, month, uke, week). It is geo when
// VARIABLE-TYPE("var")="G" or MAP("var") is given, or by the same rule
// when its name or code is a place word (region, geo, kommune, fylke,
// land, country, area, område, municipality, county). CONTVARIABLE names
// the metric variable: each of its values gets a jsonstat.Unit whose Base
// is UNITS("value") (else the table's UNITS; PxWebApi's JSON-stat puts
// the unit in the same place, leaving Label empty) and whose Decimals
// is PRECISION("var","value"), else SHOWDECIMALS, else DECIMALS. A table
// without CONTVARIABLE has no metric dimension; its UNITS, DECIMALS and
// SHOWDECIMALS are kept in the extension.
//
// The dataset's Label is TITLE (else DESCRIPTION, else CONTENTS), Source
// is SOURCE, Note holds NOTE and NOTEX, and Updated is LAST-UPDATED (the
// latest of the per-content LAST-UPDATED("value") when the table has none
// of its own), written "2006-01-02T15:04" when it has the PX form
// "20060102 15:04" and verbatim otherwise. Extension is a JSON object
// {"px": {...}} with MATRIX, TABLEID, the language, the languages, the
// table UNITS, DECIMALS, SHOWDECIMALS and CONTENTS, the data symbols and
// the TIMEVAL time scale per dimension, where given.
//
// # Bounds and errors
//
// Decode streams its input: the header is held once as raw bytes and once
// decoded, and DATA is read cell by cell into the dataset's slices. A
// header line may be at most MaxLine bytes, a string at most MaxString
// bytes, the header at most MaxHeader bytes and a data cell at most
// MaxCell bytes. A table whose declared cells exceed Options.MaxCells
// (default jsonstat.DefaultMaxCells) is refused before anything is
// allocated, with an error of class jsonstat.ErrTooManyCells naming every
// variable and its size.
//
// Every error is an *Error that formats as
//
//	px: FILE:LINE: KEYWORD: reason
//
// naming the file (Options.Name), the line and the keyword concerned; its
// Err is a class callers may test with errors.Is (ErrSyntax,
// ErrUnsupported, ErrLanguage, jsonstat.ErrTooManyCells) or the read
// error.
package px
