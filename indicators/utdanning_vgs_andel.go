package indicators

// utdanningVGSAndel is utdanning_vgs_andel, the share of persons 16+ whose
// highest education is upper secondary:
//
//	sum{Nivaa=02a} / sum{Nivaa=01,02a,11,03a,04a,09a} * 100
func utdanningVGSAndel() *Indicator {
	return educationIndicator("utdanning_vgs_andel", "02a",
		"Videregående som høyeste utdanning", "Upper secondary as highest education",
		"videregående skolenivå", "upper secondary level", Neutral)
}
