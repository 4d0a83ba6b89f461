package indicators

// utdanningHoyereAndel2564 is utdanning_hoyere_andel_25_64, the share of
// persons aged 25-64 with university or college education, short (up to
// 4 years) and long (over 4 years) together, from dataset utdanningsniva_alder:
//
//	sum{Nivaa=03a,04a; Alder=A} / sum{Nivaa=01,02a,11,03a,04a,09a; Alder=A} * 100
//
// where A are the dataset's Alder codes that together cover ages 25 to 64
// exactly (see educationAgeIndicator); the denominator includes 09a, as
// for the 16+ indicators.
func utdanningHoyereAndel2564() *Indicator {
	return educationAgeIndicator("utdanning_hoyere_andel_25_64", "03a+04a",
		"Høyere utdanning (universitet og høgskole)", "Higher education (university and college)",
		"universitets- og høgskolenivå, kort eller lang", "university or college level, short or long", HigherIsBetter)
}
