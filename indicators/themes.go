package indicators

// Theme is a section of the indicator book's region pages and a sheet of
// the planners' workbook. Every indicator declares one ([Indicator.Theme]
// is a Theme's ID); [NewCatalog] refuses an ID that is not in [Themes].
type Theme struct {
	ID      string // stable snake_case ID, the value of Indicator.Theme
	Title   string // bokmål
	TitleEN string
}

// Theme IDs, in the order of [Themes].
const (
	ThemeEducation  = "utdanning"    // education level, upper secondary, apprenticeships
	ThemeEmployment = "arbeid"       // employment, unemployment, replacement demand
	ThemeIndustry   = "naering"      // industry structure and its change
	ThemeDemand     = "ettersporsel" // labour demand and the companies' competence needs
	ThemeGreen      = "gronn"        // the green transition: green industries, needs and offers
	ThemeOther      = "annet"        // for an indicator that belongs in no other theme
)

// Themes returns the themes in the order the book and the workbook show
// them, each built fresh.
func Themes() []Theme {
	return []Theme{
		{ID: ThemeEducation, Title: "Utdanning", TitleEN: "Education"},
		{ID: ThemeEmployment, Title: "Sysselsetting og ledighet", TitleEN: "Employment and unemployment"},
		{ID: ThemeIndustry, Title: "Næringsstruktur", TitleEN: "Industry structure"},
		{ID: ThemeDemand, Title: "Etterspørsel og kompetansebehov", TitleEN: "Labour demand and skills needs"},
		{ID: ThemeGreen, Title: "Grønn omstilling", TitleEN: "Green transition"},
		{ID: ThemeOther, Title: "Annet", TitleEN: "Other"},
	}
}

// knownTheme reports whether id is the ID of one of [Themes].
func knownTheme(id string) bool {
	for _, t := range Themes() {
		if t.ID == id {
			return true
		}
	}
	return false
}
