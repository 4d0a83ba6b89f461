// Package planning builds the tilbudsplanlegging view: per county and
// grouping, per upper-secondary programme (utdanningsprogram) and year,
// the applicants, places, pupils, apprenticeships, completion and the
// labour demand of the occupations and industries the programme leads to.
//
// # The crosswalk
//
// programmer.csv maps each of Udir's programmes (the codes of the udir
// datasets' Utdprogram columns) to STYRK-08 occupations, NAV occupation
// groups and SN2007 divisions. No official crosswalk exists (DOMAIN.md
// §6); the programmes and their lærefag are Udir's (tilbudsstruktur LK20),
// the links to occupations and industries are our own judgement, said so
// row by row in the column vurdering.
package planning
