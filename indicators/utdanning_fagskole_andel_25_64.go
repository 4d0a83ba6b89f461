package indicators

// utdanningFagskoleAndel2564 is utdanning_fagskole_andel_25_64, the share of
// persons aged 25-64 whose highest education is tertiary vocational
// (fagskole), from dataset utdanningsniva_alder:
//
//	sum{Nivaa=11; Alder=A} / sum{Nivaa=01,02a,11,03a,04a,09a; Alder=A} * 100
//
// where A are the dataset's Alder codes that together cover ages 25 to 64
// exactly (see educationAgeIndicator); the denominator includes 09a, as
// for the 16+ indicators.
func utdanningFagskoleAndel2564() *Indicator {
	return educationAgeIndicator("utdanning_fagskole_andel_25_64", "11",
		"Fagskole som høyeste utdanning", "Tertiary vocational (fagskole) as highest education",
		"fagskolenivå", "tertiary vocational level", HigherIsBetter)
}
