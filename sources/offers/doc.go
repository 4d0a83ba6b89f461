// Package offers reads a catalog of education offers (the dataset
// "tilbud"): one row per offer (an EVU course, a fagskole programme, a
// university or college course, upper-secondary for adults, a
// labour-market course), from a CSV or XLSX file in the default template
// (WriteTemplateCSV, WriteTemplateXLSX) or in another layout through a
// Mapping.
//
// # The template
//
// One header row, then one row per offer; CSV is ';'-separated UTF-8.
// The columns, in order (Columns), bokmål names:
//
//	tilbyder          provider's name (required)
//	orgnr             provider's organisation number, 9 digits, MOD11 (required)
//	tittel            the offer's title (required)
//	type              evu, fagskole, uh, vgs_voksne or amo (required)
//	niva              vgs, fagskole, hoyere or kurs (required)
//	nkr               NKR level 1-8, or 5.1/5.2 for fagskole (optional)
//	nus               NUS2000 field, first digit 0-9 (optional)
//	kompetanseomrade  competence areas of the crosswalk, ',' separated (optional)
//	styrk             STYRK-08 codes (1-4 digits), ',' separated (optional)
//	naering           SN2007 divisions or ranges ("41-43,71"), ',' separated (optional)
//	kommunenr         municipality, 4 digits, valid on the reference date
//	                  (required unless form is nett)
//	form              stedbasert, samlingsbasert or nett (required)
//	start             start date YYYY-MM-DD (optional)
//	varighet_uker     length in whole weeks, 1-520 (optional)
//	studiepoeng       credits, 0-300, decimals allowed (optional)
//	kapasitet         places, whole number 0-100000 (optional)
//	pris              price in NOK, 0 or more (optional)
//	lenke             an http(s) address of the offer (optional)
//	gronn             ja or nei: the offer serves the green transition (optional;
//	                  empty: pipelines/offers derives it from naering and the
//	                  competence areas)
//
// A row with no field at all (no nus, kompetanseomrade, styrk or naering)
// is a problem: it could never be matched to a need.
//
// # Problems
//
// Every problem is one survey.Problem, printed as
//
//	FILE:ROW:COLUMN: VALUE: REASON
//
// with ROW counted as in a spreadsheet (the header is row 1) and REASON in
// bokmål. A row with any problem is rejected; the caller decides, by its
// error budget, whether anything may be published from the file.
//
// # Mapping
//
// A mapping (YAML, strict) names the header of each field and maps raw
// values to the template's:
//
//	format: xlsx          # csv or xlsx; "" = by the file name
//	sheet: Tilbud
//	delimiter: ","
//	decimal: ","
//	skip_rows: 0
//	columns: {tilbyder: Leverandør, kapasitet: Plasser}
//	values: {form: {Digitalt: nett}, niva: {Høgskole: hoyere}}
//	ignore: [Kommentar]
package offers
