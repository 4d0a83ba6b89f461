package survey

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// templateHelp documents each column (bokmål), for the XLSX help sheet.
var templateHelp = [][2]string{
	{FieldOrgNr, "Organisasjonsnummer, 9 sifre (virksomhet/underenhet der behovet er). Påkrevd."},
	{FieldMunicipality, "Kommunenummer, 4 sifre, gyldig på kartleggingsdatoen. Påkrevd."},
	{FieldDate, "Kartleggingsdato ÅÅÅÅ-MM-DD. Påkrevd."},
	{FieldArea, "Kompetanseområde fra krysslisten (f.eks. ikt, bygg_anlegg); kan stå tomt når beskrivelse har fritekst."},
	{FieldText, "Fritekst om behovet."},
	{FieldLevel, "grunnskole, vgs, fagbrev, fagskole, uh_kort, uh_lang eller kurs. Påkrevd når raden har et behov."},
	{FieldPeople, "Antall personer, helt tall 1 eller mer. Påkrevd når raden har et behov."},
	{FieldHorizon, "Tidshorisont i hele år, 0-10. Valgfri."},
	{FieldUrgency, "lav, middels eller hoy. Valgfri."},
}

// WriteTemplateCSV writes the default template as CSV: the header line only,
// ';'-separated, UTF-8 without BOM, LF line end.
func WriteTemplateCSV(w io.Writer) error {
	_, err := io.WriteString(w, strings.Join(Columns, ";")+"\n")
	if err != nil {
		return fmt.Errorf("survey: template: %w", err)
	}
	return nil
}

// WriteTemplateXLSX writes the default template as XLSX: sheet "Behov" with
// the header in row 1 (nothing else), and sheet "Veiledning" explaining each
// column. Only the first sheet is read back.
func WriteTemplateXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Behov"); err != nil {
		return fmt.Errorf("survey: template: %w", err)
	}
	for i, c := range Columns {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellStr("Behov", cell, c); err != nil {
			return fmt.Errorf("survey: template: %w", err)
		}
	}
	if _, err := f.NewSheet("Veiledning"); err != nil {
		return fmt.Errorf("survey: template: %w", err)
	}
	_ = f.SetCellStr("Veiledning", "A1", "kolonne")
	_ = f.SetCellStr("Veiledning", "B1", "innhold")
	for i, h := range templateHelp {
		_ = f.SetCellStr("Veiledning", fmt.Sprintf("A%d", i+2), h[0])
		_ = f.SetCellStr("Veiledning", fmt.Sprintf("B%d", i+2), h[1])
	}
	_ = f.SetCellStr("Veiledning", fmt.Sprintf("A%d", len(templateHelp)+3), "Én rad per virksomhet og behov. En rad uten kompetanseområde og beskrivelse betyr «ingen behov».")
	if err := f.Write(w); err != nil {
		return fmt.Errorf("survey: template: %w", err)
	}
	return nil
}
