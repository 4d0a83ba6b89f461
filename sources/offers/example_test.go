package offers_test

import (
	"fmt"

	"github.com/grunnlag/grunnlag/sources/offers"
)

// Reading a small catalog in the default template: one valid online offer
// and one row with a bad organisation number (SYNTHETIC rows).
func ExampleParse() {
	data := "tilbyder;orgnr;tittel;type;niva;kompetanseomrade;kommunenr;form;kapasitet\n" +
		"Demo høgskole (syntetisk);999000851;Skytjenester;uh;hoyere;ikt;;nett;40\n" +
		"Demo høgskole (syntetisk);999000852;Ledelse;evu;hoyere;ledelse;4005;stedbasert;mange\n"
	c, err := offers.Parse("tilbud.csv", []byte(data), nil, offers.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, o := range c.Offers {
		fmt.Println(o.Title, o.Mode, o.Capacity)
	}
	for _, p := range c.Problems {
		fmt.Println(p)
	}
	// Output:
	// Skytjenester nett 40
	// tilbud.csv:3:orgnr: 999000852: kontrollsifferet stemmer ikke (MOD11)
	// tilbud.csv:3:kapasitet: mange: må være et helt tall (antall plasser)
}
