package nav_test

import (
	"fmt"

	"github.com/grunnlag/grunnlag/sources/nav"
)

func ExampleVacancies() {
	// Three synthetic vacancies; two fall on Skien x 2223 x March 2024.
	csv := "stilling_id;registrert_dato;arbeidssted_fylkesnummer;arbeidssted_fylke;arbeidssted_kommunenummer;arbeidssted_kommune;styrk08;styrk08_navn;orgnr;antall_stillinger\n" +
		"a1;2024-03-04;40;Telemark;4003;Skien;2223;Sykepleiere;974760673;2\n" +
		"a2;2024-03-18;40;Telemark;4003;Skien;2223;Sykepleiere;974760673;1\n" +
		"a3;2024-03-20;40;Telemark;4001;Porsgrunn;2223;Sykepleiere;923609016;3\n"
	ds, err := nav.Vacancies("stillinger.csv", []byte(csv), false, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	r := ds.Dim("region")
	for i, v := range ds.Values {
		fmt.Println(r.Codes[i], r.Labels[i], ds.Dim("period").Codes[0], ds.Dim("Yrke").Labels[0], v)
	}
	// Output:
	// 4003 Skien 2024M03 Sykepleiere 3
	// 4001 Porsgrunn 2024M03 Sykepleiere 3
}
