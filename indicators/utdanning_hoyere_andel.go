package indicators

// utdanningHoyereAndel is utdanning_hoyere_andel, the share of persons 16+
// with university or college education, short (up to 4 years) and long
// (over 4 years) together:
//
//	sum{Nivaa=03a,04a} / sum{Nivaa=01,02a,11,03a,04a,09a} * 100
//
// Telemark 2025: 46447 / 149622 * 100 = 31.04 (17 municipalities, SSB
// 09429).
func utdanningHoyereAndel() *Indicator {
	return educationIndicator("utdanning_hoyere_andel", "03a+04a",
		"Høyere utdanning (universitet og høgskole)", "Higher education (university and college)",
		"universitets- og høgskolenivå, kort eller lang", "university or college level, short or long", HigherIsBetter)
}
