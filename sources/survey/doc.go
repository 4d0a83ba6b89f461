// Package survey reads mapped company competence needs: the files county
// competence pilots fill in when they visit or survey companies (Digital
// Norway/PwC's mapping tool, "Mind the gap", local forms, interview notes
// typed into a spreadsheet). It turns them into Responses and reports every
// problem with its position; nothing is dropped silently.
//
// Survey rows name companies. This package never logs cell contents; the
// caller keeps Responses inside the secure zone.
//
// # Default template
//
// A file with exactly these columns needs no mapping (CSV with ';', UTF-8;
// or XLSX with the header in row 1 of the first sheet). WriteTemplateCSV and
// WriteTemplateXLSX write it; testdata/survey/mal.csv and mal.xlsx at the
// root of the repository are copies.
//
//	orgnr;kommunenr;dato;kompetanseomrade;beskrivelse;utdanningsniva;antall;tidshorisont;hastegrad
//	923609016;5001;2024-03-14;ikt;Skyløsninger og drift;uh_kort;2;1;hoy
//	923609016;5001;2024-03-14;;Sveisere med sertifikat;fagbrev;3;2;middels
//	974760673;4001;2024-03-20;;;;;;
//
// One row per company and need:
//
//	orgnr             organisation number, 9 digits with a valid MOD11 check
//	                  digit (spaces allowed: "923 609 016"); required
//	kommunenr         municipality code (4 digits) valid on the survey date;
//	                  required
//	dato              survey date YYYY-MM-DD (also DD.MM.YYYY, and an Excel
//	                  date serial in XLSX); required, not in the future
//	kompetanseomrade  competence area ID from the crosswalk; may be empty when
//	                  beskrivelse holds free text
//	beskrivelse       free text describing the need
//	utdanningsniva    grunnskole, vgs, fagbrev, fagskole, uh_kort, uh_lang or
//	                  kurs; required on a need row
//	antall            number of people needed, a whole number >= 1 ("3",
//	                  "3,0" with decimal comma); required on a need row
//	tidshorisont      horizon in whole years 0-10; optional (empty: unknown)
//	hastegrad         lav, middels or hoy ("høy" is accepted); optional
//
// A row whose kompetanseomrade and beskrivelse are both empty is a "no need"
// row: the company answered and reported no need. Its utdanningsniva,
// antall, tidshorisont and hastegrad must then be empty. Such rows matter:
// they are the firms without a need in the denominators of shares.
//
// Text encodings and CSV dialects are those of sources/tabular: UTF-8 with or
// without BOM, windows-1252, ISO-8859-1, UTF-16; ';', ',' or tab (detected
// from the header line unless the mapping says); a decimal comma when the
// mapping sets decimal: ",". Header names match case-insensitively after
// trimming. Columns the mapping does not use are problems unless listed
// under ignore:.
//
// # Mapping
//
// A county's own questionnaire is read with a mapping (YAML, strict: unknown
// keys are errors):
//
//	format: xlsx            # csv (default) | xlsx
//	sheet: "Svar"           # xlsx: sheet name (default: the first)
//	encoding: auto          # auto | utf-8 | windows-1252 | iso-8859-1 | utf-16le | utf-16be
//	delimiter: auto         # auto | ";" | "," | "\t"
//	decimal: ","            # "." (default) or ","
//	skip_rows: 0            # lines before the header
//	date: "2024-03-01"      # survey date for every row when there is no date column
//	columns:                # field -> header in the file (default: the field name)
//	  orgnr: "Organisasjonsnummer"
//	  kommunenr: "Kommune"
//	  dato: "Besøksdato"
//	needs:                  # optional: one row per company with need columns;
//	  - {kompetanseomrade: "Behov 1", antall: "Antall 1", utdanningsniva: "Nivå 1"}
//	  - {kompetanseomrade: "Behov 2", antall: "Antall 2", utdanningsniva: "Nivå 2"}
//	values:                 # raw cell (case-insensitive) -> canonical value, per field
//	  utdanningsniva: {"Fagbrev/svennebrev": fagbrev, "Master": uh_lang}
//	  hastegrad: {"Haster": hoy}
//	ignore: ["Kontaktperson"]
//
// With needs:, every group whose need fields are all empty is skipped, and a
// company with no non-empty group gives one "no need" response. The fields
// of a need group are kompetanseomrade, beskrivelse, utdanningsniva, antall,
// tidshorisont and hastegrad; the others come from columns:.
//
// # Problems
//
// Every problem is a Problem, printed as
//
//	FILE:ROW:COLUMN: VALUE: REASON
//
// where ROW counts as a spreadsheet does (the header is row 1, or 1 +
// skip_rows), COLUMN is the header in the file, VALUE the raw cell and
// REASON a sentence in bokmål, for example
//
//	mal.csv:3:orgnr: 923609017: kontrollsifferet stemmer ikke (MOD11)
//	mal.csv:4:kommunenr: 5001: kommunenummeret gjaldt ikke på 2019-05-02
//	mal.csv:7:orgnr: 923609016: duplikat av rad 2
//
// Checks: MOD11 org numbers (ValidOrgNr); municipality codes valid on the
// row's date (through the consumer-owned Regions interface, so this package
// does not depend on the region model); required fields; allowed values;
// ranges; competence areas known to the crosswalk (Options.Areas); duplicate
// rows (same company, date, area, text and level). A row with any problem is
// rejected: it is listed in Survey.Rejected and not in Survey.Responses.
package survey
