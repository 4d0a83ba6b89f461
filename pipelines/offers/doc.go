// Package offers puts mapped competence needs beside the education offers
// that could meet them: it reads the offer catalog (sources/offers),
// publishes it as the dataset tilbud, matches every mapped need to the
// offers within reach and publishes behov_tilbud.
//
// # Needs
//
// A need is one cell of needs_vs_supply (built from kompetansebehov by
// pipelines/needs): a municipality, grouping or county × a competence area
// of the crosswalk, with behov_personer_vektet persons. The area total and
// "uoppgitt" are not needs; a cell with no estimate ("..") or zero persons
// is no need. A suppressed cell (":") is a need whose persons stay
// suppressed: it is listed whatever its hidden value, with no persons and
// no coverage, so neither its presence nor any published number (the
// matched capacity depends on the offers only) tells anything about it.
//
// # The matching rule
//
// An offer is matched to a need when it serves the need's field and is
// within reach of its region. Its score is field + level + place points:
//
//	field (FieldPoints, through the crosswalk; 0 = no match):
//	  3  the offer names the area (kompetanseomrade), or one of its STYRK-08
//	     codes maps to it (most specific level first)
//	  2  one of its SN2007 divisions lies in the area's ranges
//	  1  its NUS field (first digit) is one of the area's
//	place (Geography.Reach; not within reach = no match):
//	  3  in the region: the need's municipality, a member of the need's
//	     grouping, or in the need's county
//	  2  in a neighbouring municipality of a grouping the need's
//	     municipality belongs to
//	  1  elsewhere in the same county (for a grouping: all its members'
//	     county)
//	  1  online (form nett) from anywhere, when not nearer
//	level:
//	  1  the offer's level (vgs, fagskole, hoyere, kurs) is among those the
//	     firms of the need's county asked for (published utdanningsniva
//	     cells of kompetansebehov with persons > 0: grunnskole and kurs as
//	     kurs, vgs and fagbrev as vgs, uh_kort and uh_lang as hoyere)
//	  0  otherwise
//
// Matches are ordered by score, then field, then place points, then the
// earliest start (unknown last), then catalog order. A need's capacity is
// the sum of the known capacities of every match (not only the best
// ones); its coverage (dekning) is capacity / persons, missing when any
// match has an unknown capacity.
//
// # behov_tilbud
//
// Long, one row per measure (see MatchesRecord): for each need the
// summary (liste matchet or uten_tilbud: "behov uten tilbud") and its best
// offers (rang 1..Best, default 3); then each offer with no mapped demand
// (liste uten_behov: it matches no published need; a suppressed need is
// not counted, its persons being unknown, and the list depends on
// published cells only). The
// rule is in the metadata key grunnlag.offers.rule.
//
// # tilbud
//
// One row per offer and measure (kapasitet, studiepoeng, varighet_uker,
// pris), with the provider's name in the register (tilbyder_register) and
// flags (ukjent_i_enhetsregisteret, slettet, konkurs, under_avvikling)
// when a register is given. Both tables are published through the store:
// versioned, with metadata, atomically; a synthetic catalog is marked
// synthetic in the title and the metadata. The column kilde says where an
// offer comes from: katalog, or dbh:<table> for a register row.
//
// # The green tag
//
// Every offer gets a green tag (the theme «Grønn omstilling», OfferGreen):
// the catalog's own column gronn when filled in, else derived through the
// same definitions as the needs' tag: green when one of its SN2007
// divisions is a green division of indicators/gronn.csv, or when an area
// it names or one its STYRK-08 codes map to is green in the crosswalk. A
// NUS field alone never makes an offer green. tilbud carries it in gronn
// and gronn_grunnlag (oppgitt i katalogen, or what it was derived from);
// behov_tilbud in behov_gronn (the need's area's tag, from needs_vs_supply)
// and tilbud_gronn (the offer's). These columns are attributes, not
// dimensions (metadata grunnlag.attributes).
//
// # Offers from registers
//
// Options.Registers (config offers.registers) names fetched DBH datasets
// of study programmes (table 347). Build reads the raw answer of each
// one's current version from the store (dbh.ParseProgrammes) and adds
// its rows to the catalog's offers (RegisterOffers: provider, title, level
// and NKR from the level code, NUS field, municipality, mode, credits,
// DBH's table page as link; capacity unknown). A row with a problem is
// rejected, named dataset:row:column, and counted against the error
// budget with the catalog's rows. Register offers have no organisation
// number and are not looked up in the company register.
package offers
