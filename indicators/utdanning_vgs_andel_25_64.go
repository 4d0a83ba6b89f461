package indicators

// utdanningVGSAndel2564 is utdanning_vgs_andel_25_64, the share of persons
// aged 25-64 whose highest education is upper secondary, from dataset utdanningsniva_alder:
//
//	sum{Nivaa=02a; Alder=A} / sum{Nivaa=01,02a,11,03a,04a,09a; Alder=A} * 100
//
// where A are the dataset's Alder codes that together cover ages 25 to 64
// exactly (see educationAgeIndicator); the denominator includes 09a, as
// for the 16+ indicators.
func utdanningVGSAndel2564() *Indicator {
	return educationAgeIndicator("utdanning_vgs_andel_25_64", "02a",
		"Videregående som høyeste utdanning", "Upper secondary as highest education",
		"videregående skolenivå", "upper secondary level", Neutral)
}
