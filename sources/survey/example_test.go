package survey_test

import (
	"fmt"

	"github.com/grunnlag/grunnlag/sources/survey"
)

func ExampleParse() {
	data := []byte("orgnr;kommunenr;dato;kompetanseomrade;beskrivelse;utdanningsniva;antall;tidshorisont;hastegrad\n" +
		"923609016;5001;2024-03-14;ikt;Skyløsninger;uh_kort;2;1;hoy\n" +
		"923609017;5001;2024-03-14;;Sveisere;fagbrev;3;;\n")
	s, err := survey.Parse("behov.csv", data, nil, survey.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range s.Responses {
		fmt.Println(r.OrgNr, r.Area, r.Level, r.People)
	}
	for _, p := range s.Problems {
		fmt.Println(p)
	}
	// Output:
	// 923609016 ikt uh_kort 2
	// behov.csv:3:orgnr: 923609017: kontrollsifferet stemmer ikke (MOD11)
}
