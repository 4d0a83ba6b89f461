package udir

// DemoBaseURL is the base URL the offline demo bundle
// (testdata/demo/udir/index.json, served by Bundle) answers.
const DemoBaseURL = "https://udir.offline/api/rapportering/rest/v1"

// DemoQueries are the queries the demo bundle holds responses for:
// apprenticeship contracts by county (2024 and the latest year) and
// completion within five/six years by programme for the 2019 cohort.
func DemoQueries() []Query {
	return []Query{
		{Report: "FOY_LK_FylkUtdprogAar", RowPath: "F", Label: "Gjeldende lærekontrakter etter fylke",
			Filter: []Filter{{ID: "TidID", Values: []string{"202410", "siste"}}, {ID: "UtdprogramID", Values: []string{"-10"}}}},
		{Report: "VGO_Gjennomfoering_Fylk", RowPath: "F", Label: "Fullført og bestått videregående, kull 2019",
			ColumnDim: "Utdprogram", ColumnDimLabel: "Utdanningsprogram", Period: "2019-2025",
			Filter: []Filter{{ID: "KullID", Values: []string{"2019"}}}},
	}
}

// DemoExportURL is the demo bundle's statistics-bank export (the fallback).
const DemoExportURL = "https://udir.offline/eksport/slutta-vgo-fylker.csv"
