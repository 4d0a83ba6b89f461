// Package brreg reads the Central Coordinating Register for Legal Entities
// (Enhetsregisteret, https://data.brreg.no/enhetsregisteret/api): legal
// units (enheter) and establishments (underenheter, "bedrifter").
//
// It is used to enrich mapped company needs with industry, municipality and
// employees. Sources:
//
//	GET /enheter/{orgnr}        one legal unit (JSON)
//	GET /underenheter/{orgnr}   one establishment (JSON)
//	/enheter/lastned, /underenheter/lastned
//	                            every unit as a gzip-compressed JSON array of
//	                            the same objects (the offline cache: LoadBulk)
//
// A unit becomes a Unit:
//
//   - Industry is naeringskode1.kode ("52.292", SN2007 with a dot) and
//     Section its SN2007 section letter (52 -> "H").
//   - Municipality is the establishment's beliggenhetsadresse.kommunenummer;
//     for a legal unit forretningsadresse (the head office), else
//     postadresse. MunicipalityFrom names which address was used.
//   - Employees is antallAnsatte; EmployeesKnown is false when
//     harRegistrertAntallAnsatte is false or antallAnsatte is absent (unknown,
//     never 0). SizeBand puts it in a band.
//   - Deleted is set for 410 Gone and for a unit with slettedato; Bankrupt for
//     konkurs true; UnderLiquidation for underAvvikling or
//     underTvangsavviklingEllerTvangsopplosning; Closed holds an
//     establishment's nedleggelsesdato.
//
// A 404 is ErrNotFound. Other non-2xx answers are *httpx.HTTPError (5xx,
// 429 and network errors are retried first, by package httpx). Register looks
// a number up in the bulk cache first (establishments before legal units)
// and asks the API only for numbers the cache does not hold, establishment
// first, then legal unit.
package brreg
