package indicators

// Prose is an indicator's text in one language: what the book's "Om
// indikatoren" page, the workbook's definitions sheet and `grunnlag
// indicators show` print. The codes, table IDs and numbers in it are the
// same in both languages.
type Prose struct {
	Title       string
	Description string
	Formula     string
	Numerator   string
	Denominator string
	Disclosure  string // the disclosure rule in words
	Sources     []string
	Citation    string
	Caveats     string // "" when the indicator has none
}

// ProseIn returns ind's text in English when english is true, in bokmål
// otherwise. An English field the declaration leaves empty falls back to
// its bokmål text (an indicator declared outside the catalog, in a test,
// say); every catalog indicator has all of them (TestCatalogEnglish).
func (ind *Indicator) ProseIn(english bool) Prose {
	p := Prose{Title: ind.Title, Description: ind.Description, Formula: ind.Formula, Numerator: ind.Numerator,
		Denominator: ind.Denominator, Disclosure: ind.Disclosure.Rule, Sources: ind.Sources, Citation: ind.Citation,
		Caveats: ind.Caveats}
	if !english {
		return p
	}
	en := func(dst *string, s string) {
		if s != "" {
			*dst = s
		}
	}
	en(&p.Title, ind.TitleEN)
	en(&p.Description, ind.DescriptionEN)
	en(&p.Formula, ind.FormulaEN)
	en(&p.Numerator, ind.NumeratorEN)
	en(&p.Denominator, ind.DenominatorEN)
	en(&p.Disclosure, ind.Disclosure.RuleEN)
	en(&p.Citation, ind.CitationEN)
	en(&p.Caveats, ind.CaveatsEN)
	if len(ind.SourcesEN) == len(ind.Sources) {
		p.Sources = ind.SourcesEN
	}
	return p
}

// rolesEN are the English words of the inputs' roles (Input.Role).
var rolesEN = map[string]string{"teller": "numerator", "nevner": "denominator", "teller og nevner": "numerator and denominator",
	"intervall": "interval bounds", "prikkegrunnlag": "disclosure basis"}

// RoleIn returns the input's role in English when english is true (a role
// without an English word, and every role in bokmål, as the catalog writes
// it).
func (in Input) RoleIn(english bool) string {
	if en, ok := rolesEN[in.Role]; ok && english {
		return en
	}
	return in.Role
}
