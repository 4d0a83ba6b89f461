package book

import (
	"gonum.org/v1/plot/vg"

	"github.com/grunnlag/grunnlag/charts"
)

// texts are the words of the book in one language.
type texts struct {
	DefaultTitle, Index, Regions, Nation, Counties, Groupings, Municipalities, Indicators string
	IndexIntro, SyntheticBanner, Version, Changes, ChangesNone, ChangesIntro              string
	Added, Removed, Revised, Dataset                                                      string
	Skip, Back, PartOf, Members, Summary, Heat                                            string
	KeyNumber, Gap, Trend, RankLabel, Notes, DataCSV, AboutIndicator, NoValue             string
	Rank, TrendBreak, HeatCounties, CI95                                                  string
	RankBest, RankOrder, RankLowest, RankHighest, ShareWord, ValueWord                    string
	GapChartTitle, GapChartSub, GapChartAxis                                              string
	BreakNote, BreakLabel, BreakPrefix, SuppressedNote, ApportionedNote, ProvisionalNote  string
	MissingNote, CINote, Significant, NotSignificant, SuppressedCats, Highest             string
	ComputedNote                                                                          string
	// SuppressedKey is the key number of a block whose every value is
	// suppressed (disclosure control), instead of NoValue.
	SuppressedKey string
	// ValidFrom and ValidSpan name a code's validity in the index.
	ValidFrom, ValidSpan                                         string
	TableCaption, Period, Category, Region                       string
	HeatTitle, HeatSub, RankedTitle, MapTitle, Print, Unassigned string
	// The "Om indikatoren" definition (definition.go).
	DefTitle, DefUnit, DefDirection, DefFormula, DefNumerator, DefDenominator, DefBasis string
	DefLevels, DefComparators, DefDisclosure, DefSource, DefLicence, DefCitation        string
	DefBreaks, DefCaveats, DefInputs, DefRole, DefCells, DefTable, DefUpdated           string
	DefFetched, DefOptional                                                             string
	DirHigher, DirLower, DirNeutral, BasisRegister, BasisSurvey                         string
	CompNational, CompRest, CompCounty, CompGroup                                       string
	// PageWord and PageOf make the printed page number, "Side 2 av 7".
	PageWord, PageOf string
	// The population pyramid (population.go).
	Population, PyramidTitle, PyramidSub, PyramidAxis, PyramidNone, Men, Women string
	// HeatScale titles the heatmap's colour legend; HeatNotComputed,
	// HeatNotCompared, HeatSuppressed and HeatNoValue say why a column is
	// blank.
	HeatScale, HeatNotComputed, HeatNotCompared, HeatSuppressed, HeatNoValue string
	// Roles names an input's role (the catalog's bokmål words) in the
	// book's language.
	Roles map[string]string
}

var nb = texts{
	DefaultTitle: "Kunnskapsgrunnlag for kompetansepolitikk", Index: "Innhold", Regions: "Regioner",
	Nation: "Hele landet", Counties: "Fylker", Groupings: "Regioner (kommunegrupper)", Municipalities: "Kommuner etter fylke",
	Indicators:      "Indikatorer",
	IndexIntro:      "Velg din region. Hver side viser regionens indikatorer gruppert etter tema, sammenlignet med fylket og landet, med figurer, tall og merknader om brudd, prikking og usikkerhet. Sidene kan skrives ut som A4.",
	SyntheticBanner: "Syntetiske demodata: tallene er laget for demonstrasjon og er ikke offisiell statistikk.",
	Version:         "Versjon", Changes: "Hva er endret siden forrige versjon", ChangesNone: "Ingen endringer registrert.",
	ChangesIntro: "Antall celler lagt til, fjernet og revidert per datasett, fra katalogen.",
	Added:        "Lagt til", Removed: "Fjernet", Revised: "Revidert", Dataset: "Datasett",
	Skip: "Hopp til innholdet", Back: "Til innholdet", PartOf: "Hører til", Members: "Kommuner i regionen",
	Summary: "Avvik fra landet", Heat: "Kommunene sammenlignet",
	KeyNumber: "Nøkkeltall", Gap: "Avvik", Trend: "Utvikling", RankLabel: "Rangering", Notes: "Merknader",
	DataCSV: "Tallene i figuren (CSV)", AboutIndicator: "Om indikatoren", NoValue: "ingen tall", ValidFrom: "fra %d", ValidSpan: "%d–%d", SuppressedKey: "prikket (færre enn 3 virksomheter, eller prikket for å verne andre prikkede tall)",
	Rank: "nummer %d av %d %s", RankBest: "%s %s", RankOrder: "(1 = %s %s)",
	RankLowest: "lavest", RankHighest: "høyest", ShareWord: "andel", ValueWord: "verdi", TrendBreak: "(merk brudd i serien %s)", HeatCounties: "Fylkene mot landet", CI95: "95 % konfidensintervall",
	GapChartTitle: "%s: avvik fra landet", GapChartSub: "Regionens verdi i prosent av landets, minus 100 (0 = som landet)",
	GapChartAxis: "Prosent over (+) eller under (−) landet",
	BreakNote:    "Brudd i serien %s: %s.", BreakLabel: "brudd", BreakPrefix: "Brudd i serien",
	SuppressedNote:  "Tallet for %s er prikket (for få enheter til å publiseres).",
	ApportionedNote: "Tall for delte kommuner er fordelt etter folketall i delingsåret.",
	ComputedNote:    "Beregnet: kilden publiserer ikke tallet for %s; grunnlag har summert det fra kommunene.",
	ProvisionalNote: "Tallene for %s er foreløpige.",
	MissingNote:     "Tall mangler for %s.",
	CINote:          "Usikkerhet: 95 %% konfidensintervall %s–%s.", Significant: "Forskjellen fra landet er statistisk sikker.",
	NotSignificant: "Forskjellen fra landet er ikke statistisk sikker.",
	SuppressedCats: "%d kategorier er prikket for %s.", Highest: "Høyest: %s, %s",
	TableCaption: "Tall for %s", Period: "Periode", Category: "Kategori", Region: "Region",
	HeatTitle: "%s: kommunene mot landet", HeatSub: "Avviksindeks, landet = 100, siste periode",
	RankedTitle: "%s: alle %s", MapTitle: "%s etter kommune", Print: "Skriv ut",
	Unassigned: "Kommuner uten fylke",
	DefTitle:   "Om indikatoren", DefUnit: "Enhet", DefDirection: "Retning", DefFormula: "Formel", DefNumerator: "Teller",
	DefDenominator: "Nevner", DefBasis: "Grunnlag", DefLevels: "Nivåer", DefComparators: "Sammenlignes med",
	DefDisclosure: "Prikking", DefSource: "Kilde", DefLicence: "Lisens", DefCitation: "Sitering", DefBreaks: "Brudd i serien",
	DefCaveats: "Forbehold", DefInputs: "Datagrunnlag", DefRole: "Rolle", DefCells: "Celler som leses", DefTable: "Tabell",
	DefUpdated: "Oppdatert", DefFetched: "Hentet", DefOptional: "valgfri",
	DirHigher: "høyere er bedre", DirLower: "lavere er bedre", DirNeutral: "nøytral (verken høyere eller lavere er bedre)",
	BasisRegister: "registertall (fulltelling, uten usikkerhetsintervall)", BasisSurvey: "utvalgsundersøkelse (anslag med 95 % konfidensintervall)",
	CompNational: "landet", CompRest: "resten av landet", CompCounty: "fylket", CompGroup: "regionen (kommunegruppen)",
	PageWord: "Side", PageOf: "av",
	Population: "Befolkning", PyramidTitle: "%s: befolkning etter alder og kjønn", PyramidSub: "Prosent av befolkningen, %s (%s personer)",
	PyramidAxis: "Prosent av befolkningen", PyramidNone: "Ingen fullstendige befolkningstall etter alder og kjønn for %s.", Men: "Menn", Women: "Kvinner",
	HeatScale: "Avviksindeks (landet = 100)", HeatNotComputed: "beregnes ikke for %s", HeatNotCompared: "sammenlignes ikke med landet, så det finnes ingen avviksindeks",
	HeatSuppressed: "prikket for alle", HeatNoValue: "ingen tall i siste periode",
}

var en = texts{
	DefaultTitle: "Knowledge base for regional competence policy", Index: "Contents", Regions: "Regions",
	Nation: "Norway", Counties: "Counties", Groupings: "Regions (groupings of municipalities)", Municipalities: "Municipalities by county",
	Indicators:      "Indicators",
	IndexIntro:      "Choose your region. Each page shows the region's indicators by theme against the county and the nation, with charts, numbers and notes on breaks, suppression and uncertainty. Pages print as A4.",
	SyntheticBanner: "Synthetic demo data: the numbers are made up for demonstration and are not official statistics.",
	Version:         "Version", Changes: "What changed since the last version", ChangesNone: "No changes recorded.",
	ChangesIntro: "Cells added, removed and revised per dataset, from the catalog.",
	Added:        "Added", Removed: "Removed", Revised: "Revised", Dataset: "Dataset",
	Skip: "Skip to content", Back: "Contents", PartOf: "Part of", Members: "Municipalities in the region",
	Summary: "Gaps to the nation", Heat: "The municipalities compared",
	KeyNumber: "Key number", Gap: "Gap", Trend: "Trend", RankLabel: "Rank", Notes: "Notes",
	DataCSV: "The numbers in the chart (CSV)", AboutIndicator: "About the indicator", NoValue: "no value", ValidFrom: "from %d", ValidSpan: "%d–%d", SuppressedKey: "suppressed (fewer than 3 firms, or suppressed to protect other suppressed figures)",
	Rank: "rank %d of %d %s", RankBest: "%s %s", RankOrder: "(1 = %s %s)",
	RankLowest: "lowest", RankHighest: "highest", ShareWord: "share", ValueWord: "value", TrendBreak: "(note the series break in %s)", HeatCounties: "Counties against the nation", CI95: "95 % confidence interval",
	GapChartTitle: "%s: gaps to the nation", GapChartSub: "The region's value as a per cent of the nation's, minus 100 (0 = as the nation)",
	GapChartAxis: "Per cent above (+) or below (−) the nation",
	BreakNote:    "Series break %s: %s.", BreakLabel: "break", BreakPrefix: "Series break",
	SuppressedNote:  "The value for %s is suppressed (too few units).",
	ApportionedNote: "Values of split municipalities are apportioned by population in the year of the split.",
	ComputedNote:    "Computed: the source does not publish the figure for %s; grunnlag summed it from the municipalities.",
	ProvisionalNote: "Values for %s are provisional.",
	MissingNote:     "No value for %s.",
	CINote:          "Uncertainty: 95 %% confidence interval %s–%s.", Significant: "The gap to the nation is significant.",
	NotSignificant: "The gap to the nation is not significant.",
	SuppressedCats: "%d categories suppressed for %s.", Highest: "Highest: %s, %s",
	TableCaption: "Values of %s", Period: "Period", Category: "Category", Region: "Region",
	HeatTitle: "%s: municipalities against the nation", HeatSub: "Gap index, nation = 100, latest period",
	RankedTitle: "%s: all %s", MapTitle: "%s by municipality", Print: "Print",
	Unassigned: "Municipalities without a county",
	DefTitle:   "About the indicator", DefUnit: "Unit", DefDirection: "Direction", DefFormula: "Formula", DefNumerator: "Numerator",
	DefDenominator: "Denominator", DefBasis: "Basis", DefLevels: "Levels", DefComparators: "Compared with",
	DefDisclosure: "Disclosure control", DefSource: "Source", DefLicence: "Licence", DefCitation: "Citation", DefBreaks: "Series breaks",
	DefCaveats: "Caveats", DefInputs: "Data", DefRole: "Role", DefCells: "Cells read", DefTable: "Table",
	DefUpdated: "Updated", DefFetched: "Fetched", DefOptional: "optional",
	DirHigher: "higher is better", DirLower: "lower is better", DirNeutral: "neutral (neither higher nor lower is better)",
	BasisRegister: "register data (full count, no interval)", BasisSurvey: "sample survey (estimates with 95 % confidence intervals)",
	CompNational: "the nation", CompRest: "the rest of the country", CompCounty: "the county", CompGroup: "the region (grouping)",
	Roles: map[string]string{"teller": "numerator", "nevner": "denominator", "teller og nevner": "numerator and denominator",
		"intervall": "interval bounds", "prikkegrunnlag": "disclosure basis"},
	PageWord: "Page", PageOf: "of",
	Population: "Population", PyramidTitle: "%s: population by age and sex", PyramidSub: "Per cent of the population, %s (%s persons)",
	PyramidAxis: "Per cent of the population", PyramidNone: "No complete population figures by age and sex for %s.", Men: "Men", Women: "Women",
	HeatScale: "Gap index (nation = 100)", HeatNotComputed: "not computed for %s", HeatNotCompared: "not compared with the nation, so there is no gap index",
	HeatSuppressed: "suppressed for all", HeatNoValue: "no value in the latest period",
}

func (d *dataset) text() texts {
	if d.lang == charts.English {
		return en
	}
	return nb
}

// vgLines is the chart height added for n more labelled rows.
func vgLines(n int) vg.Length { return vg.Length(n) * vg.Points(11) }
