package publish

import "github.com/grunnlag/grunnlag/charts/book"

// Themes are the sections of a region page and the sheets of the
// workbook, in order.
func Themes(lang string) []book.Theme {
	if lang == "en" {
		return []book.Theme{
			{ID: "utdanning", Title: "Education"},
			{ID: "arbeid", Title: "Employment and unemployment"},
			{ID: "naering", Title: "Industry structure"},
			{ID: "ettersporsel", Title: "Labour demand and skills needs"},
			{ID: "annet", Title: "Other"},
		}
	}
	return []book.Theme{
		{ID: "utdanning", Title: "Utdanning"},
		{ID: "arbeid", Title: "Sysselsetting og ledighet"},
		{ID: "naering", Title: "Næringsstruktur"},
		{ID: "ettersporsel", Title: "Etterspørsel og kompetansebehov"},
		{ID: "annet", Title: "Annet"},
	}
}

// themeOf is the theme of each catalog indicator; an indicator not listed
// goes to "annet".
var themeOf = map[string]string{
	"utdanning_grunnskole_andel":       "utdanning",
	"utdanning_vgs_andel":              "utdanning",
	"utdanning_fagskole_andel":         "utdanning",
	"utdanning_hoyere_andel":           "utdanning",
	"utdanning_grunnskole_andel_25_64": "utdanning",
	"utdanning_vgs_andel_25_64":        "utdanning",
	"utdanning_fagskole_andel_25_64":   "utdanning",
	"utdanning_hoyere_andel_25_64":     "utdanning",
	"vgs_fullfort_andel":               "utdanning",
	"vgs_forsteonske_andel":            "utdanning",
	"laerekontrakter_per_1000":         "utdanning",
	"sysselsettingsgrad_15_74":         "arbeid",
	"ledighet_helt_andel":              "arbeid",
	"unge_utenfor_andel":               "arbeid",
	"erstatning_55pluss_andel":         "arbeid",
	"erstatningsbehov_10aar":           "arbeid",
	"sysselsatte_naering_lq":           "naering",
	"sysselsatte_naering_lq_resten":    "naering",
	"naering_herfindahl":               "naering",
	"naering_krugman":                  "naering",
	"ledige_stillinger_per_1000":       "ettersporsel",
	"stillinger_per_ledig":             "ettersporsel",
	"stramhet_naering":                 "ettersporsel",
	"bedrifter_behov_andel":            "ettersporsel",
}

// ThemeOf returns the theme ID of an indicator.
func ThemeOf(id string) string {
	if t, ok := themeOf[id]; ok {
		return t
	}
	return "annet"
}
