package indicators

// utdanningGrunnskoleAndel is utdanning_grunnskole_andel, the share of
// persons 16+ whose highest education is primary and lower secondary:
//
//	sum{Nivaa=01} / sum{Nivaa=01,02a,11,03a,04a,09a} * 100
func utdanningGrunnskoleAndel() *Indicator {
	return educationIndicator("utdanning_grunnskole_andel", "01",
		"Grunnskole som høyeste utdanning", "Primary and lower secondary as highest education",
		"grunnskolenivå", "primary and lower secondary level", LowerIsBetter)
}
