// Package planning builds the tilbudsplanlegging view for the planners'
// annual dimensioning cycle: per county and grouping, per upper-secondary
// programme (utdanningsprogram, Vg1 → Vg2 → lære) and application year,
// the applicants, places, pupils, apprenticeships and completion, beside
// the labour demand of the occupations and industries the programme leads
// to, with the signals a planner acts on. The planning step (Step, after
// harmonise) publishes it as the dataset tilbudsplanlegging through the
// store, like every dataset: versioned, atomic, with metadata.
//
// # The crosswalk
//
// programmer.csv maps each of Udir's programmes (the codes of the udir
// datasets' Utdprogram columns) to STYRK-08 occupations, NAV occupation
// groups (as NAV's yrkespraksis file names them) and SN2007 divisions. No
// official crosswalk exists (DOMAIN.md §6): the programmes and their
// lærefag are Udir's (tilbudsstruktur LK20), the links to occupations and
// industries are our own judgement, said so row by row in the column
// vurdering. General programmes (studieforberedende) lead to higher
// education, not to particular occupations: their labour-demand and
// apprenticeship columns are ".".
//
// # Inputs and columns
//
// Every input is read from the harmonised layer (DefaultDatasets names
// them). One row per (periode, region, program):
//
//	forsteonske_sokere     udir_vgo_soker (+ udir_vgo_soker_fjor, the year before): first-choice Vg1 applicants
//	plasser                udir_vg1_plasser: Vg1 places
//	elever                 udir_elever_program: pupils (the school year starting in periode)
//	laerekontrakter        udir_laerekontrakter_program: current apprenticeship contracts
//	laereplass_sokere      udir_laereplass_sokere: applicants for an apprenticeship
//	sokere_per_laereplass  laereplass_sokere / laerekontrakter (recomputed, never averaged)
//	fullfort_andel         vgs_gjennomforing: completed and passed within five/six years, percent,
//	                       the latest cohort measured by periode (fullfort_kull)
//	ledige_stillinger      nav_yrkespraksis: advertised vacancies (ContentsCode Stillinger) in the
//	                       programme's NAV occupation groups, the latest month by periode
//	mangel_personer        nav_mangel_naering: NAV's estimated shortage in the programme's industries,
//	                       the latest survey by periode
//	erstatningsbehov       sysselsatte_alder_naering (SSB 07984): employed aged 55-66 and 67-74 in the
//	                       programme's industries, the latest year by periode (as the indicator
//	                       erstatningsbehov_10aar: an upper bound on the replacement need)
//	sokere_endring         forsteonske_sokere minus the year before
//
// An industry category of a labour-demand table (an 07984 group such as
// 41-43, a NAV industry, mapped to its SN2007 section's divisions) counts
// for a programme only when it lies wholly within the programme's SN2007
// divisions: a coarser category (all of manufacturing, 10-33, for the food
// trades' 10-11) is not counted, and a programme none of whose categories
// fits has the figure missing (".."), never a share of a category.
//
// # Official figures first
//
// A county's figure is the source's published county row whenever there is
// one (a masked one stays missing); a county code of an earlier vintage
// with exactly today's county's municipalities counts as today's (Telemark
// 08 for the 2019 cohort is today's 40; Vestfold og Telemark 38 is not). A
// grouping's figure, and a county's without a published row, is the sum
// over its municipalities on today's vintage, listed in the column
// computed_columns (and the row's computed is true); it is missing when a
// member municipality has no cell ("..") or a masked one (its status, ":"
// first), and it is missing with ".." when
// the input has no municipality detail at all (Udir's report API gives
// counties only), never invented. Shares (fullfort_andel) are never summed:
// without a published figure they are missing. A missing value is null,
// its symbol in the column status as column=symbol (".." no data, ":"
// suppressed, "." cannot occur, or the source's own marker such as "*").
//
// # Signals
//
// signal lists the codes that fire, ";"-joined; signal_tekst says the same
// in bokmål with the figures. Each needs both of its figures; a missing
// figure never fires a signal.
//
//	flere_sokere_enn_plasser        forsteonske_sokere > plasser
//	flere_plasser_enn_sokere        plasser ≥ 1,10 × forsteonske_sokere (PlacesSurplus), plasser > 0
//	flere_sokere_enn_laereplasser   laereplass_sokere > laerekontrakter
//	mangel_fallende_sokere          mangel_personer > 0 and sokere_endring ≤ −5 % of the year
//	                                before (ApplicantFall)
//
// laerekontrakter counts every current contract (about two cohorts of
// apprentices) while laereplass_sokere is one year's applicants, so the
// apprenticeship signal errs on the side of not firing.
//
// # Labels
//
// Each Parquet field carries a bokmål label with its unit in its metadata
// ("label", "unit"; see Columns), so that the book and the planners'
// workbook render the table generically.
package planning
