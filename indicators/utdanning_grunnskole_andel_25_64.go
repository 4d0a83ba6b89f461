package indicators

// utdanningGrunnskoleAndel2564 is utdanning_grunnskole_andel_25_64, the share
// of persons aged 25-64 whose highest education is primary and lower
// secondary, from dataset utdanningsniva_alder:
//
//	sum{Nivaa=01; Alder=A} / sum{Nivaa=01,02a,11,03a,04a,09a; Alder=A} * 100
//
// where A are the dataset's Alder codes that together cover ages 25 to 64
// exactly (see educationAgeIndicator); the denominator includes 09a, as
// for the 16+ indicators.
func utdanningGrunnskoleAndel2564() *Indicator {
	return educationAgeIndicator("utdanning_grunnskole_andel_25_64", "01",
		"Grunnskole som høyeste utdanning", "Primary and lower secondary as highest education",
		"grunnskolenivå", "primary and lower secondary level", LowerIsBetter)
}
