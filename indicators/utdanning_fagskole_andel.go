package indicators

// utdanningFagskoleAndel is utdanning_fagskole_andel, the share of persons
// 16+ whose highest education is tertiary vocational (fagskole):
//
//	sum{Nivaa=11} / sum{Nivaa=01,02a,11,03a,04a,09a} * 100
func utdanningFagskoleAndel() *Indicator {
	return educationIndicator("utdanning_fagskole_andel", "11",
		"Fagskole som høyeste utdanning", "Tertiary vocational (fagskole) as highest education",
		"fagskolenivå", "tertiary vocational level", HigherIsBetter)
}
