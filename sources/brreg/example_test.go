package brreg_test

import (
	"fmt"

	"github.com/grunnlag/grunnlag/sources/brreg"
)

func ExampleParseUnit() {
	u, err := brreg.ParseUnit([]byte(`{"organisasjonsnummer":"923609016","navn":"EKSEMPEL AS",
		"naeringskode1":{"kode":"43.210","beskrivelse":"Elektrisk installasjonsarbeid"},
		"antallAnsatte":12,"harRegistrertAntallAnsatte":true,
		"beliggenhetsadresse":{"kommunenummer":"5001"}}`), brreg.Establishment)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(u.OrgNr, u.Section(), u.Municipality, brreg.SizeBand(u))
	// Output: 923609016 F 5001 5-19
}
