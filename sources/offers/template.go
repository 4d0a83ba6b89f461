package offers

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// templateHelp documents each column (bokmål), for the XLSX help sheet.
var templateHelp = [][2]string{
	{FieldProvider, "Tilbyderens navn. Påkrevd."},
	{FieldOrgNr, "Tilbyderens organisasjonsnummer, 9 sifre (MOD11). Påkrevd."},
	{FieldTitle, "Tilbudets tittel. Påkrevd."},
	{FieldKind, "evu, fagskole, uh, vgs_voksne eller amo. Påkrevd."},
	{FieldLevel, "vgs, fagskole, hoyere eller kurs. Påkrevd."},
	{FieldNKR, "NKR-nivå 1-8 (fagskole 5.1 eller 5.2) der det er kjent. Valgfri."},
	{FieldNUS, "NUS2000-fagfelt, første siffer 0-9. Valgfri."},
	{FieldAreas, "Kompetanseområder fra krysslisten, skilt med komma (f.eks. ikt,helse). Valgfri."},
	{FieldSTYRK, "STYRK-08-yrker tilbudet retter seg mot (1-4 sifre), skilt med komma. Valgfri."},
	{FieldIndustries, "SN2007-næringer (to sifre eller spenn som 41-43), skilt med komma. Valgfri."},
	{FieldMunicipality, "Kommunenummer der tilbudet gis, 4 sifre. Påkrevd unntatt for nett."},
	{FieldMode, "stedbasert, samlingsbasert eller nett. Påkrevd."},
	{FieldStart, "Oppstart ÅÅÅÅ-MM-DD. Valgfri."},
	{FieldWeeks, "Varighet i hele uker, 1-520. Valgfri."},
	{FieldCredits, "Studiepoeng, 0-300. Valgfri."},
	{FieldCapacity, "Antall plasser, helt tall. Valgfri (tom = ukjent, ikke null)."},
	{FieldPrice, "Pris i kroner. Valgfri."},
	{FieldLink, "Nettadresse til tilbudet (http/https). Valgfri."},
	{FieldGreen, "ja eller nei: tilbudet retter seg mot grønn omstilling. Valgfri (tom: avledes av naering og kompetanseomrade etter grunnlags definisjon av grønne næringer)."},
}

// WriteTemplateCSV writes the default template as CSV: the header line
// only, ';'-separated, UTF-8 without BOM, LF line end.
func WriteTemplateCSV(w io.Writer) error {
	if _, err := io.WriteString(w, strings.Join(Columns, ";")+"\n"); err != nil {
		return fmt.Errorf("offers: template: %w", err)
	}
	return nil
}

// WriteTemplateXLSX writes the default template as XLSX: sheet "Tilbud"
// with the header in row 1, and sheet "Veiledning" explaining each column.
// Only the first sheet is read back.
func WriteTemplateXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Tilbud"); err != nil {
		return fmt.Errorf("offers: template: %w", err)
	}
	for i, c := range Columns {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr("Tilbud", cell, c); err != nil {
			return fmt.Errorf("offers: template: %w", err)
		}
	}
	if _, err := f.NewSheet("Veiledning"); err != nil {
		return fmt.Errorf("offers: template: %w", err)
	}
	_ = f.SetCellStr("Veiledning", "A1", "kolonne")
	_ = f.SetCellStr("Veiledning", "B1", "innhold")
	for i, h := range templateHelp {
		_ = f.SetCellStr("Veiledning", fmt.Sprintf("A%d", i+2), h[0])
		_ = f.SetCellStr("Veiledning", fmt.Sprintf("B%d", i+2), h[1])
	}
	_ = f.SetCellStr("Veiledning", fmt.Sprintf("A%d", len(templateHelp)+3), "Én rad per tilbud. Et tilbud uten fagfelt (nus, kompetanseomrade, styrk, naering) kan ikke kobles til behov.")
	if err := f.Write(w); err != nil {
		return fmt.Errorf("offers: template: %w", err)
	}
	return nil
}
