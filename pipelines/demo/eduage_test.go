package demo

import (
	"slices"
	"testing"
)

// TestEduAgeSumsTo09429 checks the rule of the synthetic education-by-age
// table on the bundle: for every region code (municipalities of every
// vintage, counties, the nation), every year and every level, the age
// groups sum to 09429's Personer for both sexes, and a level is null in
// every age group exactly where 09429 has no number. So the real Telemark
// totals stay real in sum: Skien 2025 UH kort is 11432 (PROVENANCE.md) in
// 09429 and, summed over age, here.
func TestEduAgeSumsTo09429(t *testing.T) {
	edu, age := load(t, "09429"), load(t, eduAgeID)
	if got := age.Dims[3].Codes; !slices.Equal(got, eduAgeCodes) {
		t.Fatalf("Alder codes = %v, want %v", got, eduAgeCodes)
	}
	if !slices.Equal(age.Dims[0].Codes, edu.Dims[0].Codes) || !slices.Equal(age.Dims[5].Codes, edu.Dims[4].Codes) {
		t.Fatalf("Region or Tid differ from 09429")
	}
	bad, checked := 0, 0
	for _, r := range edu.Dims[0].Codes {
		for _, y := range edu.Dims[4].Codes {
			for _, l := range nivaaCodes {
				want, has := cell(t, edu, r, l, "0", "Personer", y)
				var sum float64
				present := 0
				for _, a := range eduAgeCodes {
					if v, ok := cell(t, age, r, l, "0", a, "Personer", y); ok {
						sum += v
						present++
					}
				}
				checked++
				if (has && (present != len(eduAgeCodes) || sum != want)) || (!has && present != 0) {
					if bad++; bad <= 5 {
						t.Errorf("%s %s %s %s: sum over %d age groups = %v, want 09429 Personer %v (present %v)", eduAgeID, r, l, y, present, sum, want, has)
					}
				}
			}
		}
	}
	// 408 regions × 11 years × 6 levels.
	if checked != 408*11*6 {
		t.Errorf("checked %d cells, want 408*11*6 = %d", checked, 408*11*6)
	}
	var skien float64
	for _, a := range eduAgeCodes {
		v, _ := cell(t, age, "4003", "03a", "0", a, "Personer", "2025")
		skien += v
	}
	if skien != 11432 {
		t.Errorf("Skien 2025 UH kort summed over age = %v, want 11432 (SSB 09429, PROVENANCE.md)", skien)
	}
	// The split is an age split: nobody aged 16-19 has higher education
	// (the profile's weight there is 0).
	if v, ok := cell(t, age, "0", "04a", "0", "16-19", "Personer", "2025"); !ok || v != 0 {
		t.Errorf("Hele landet 2025 UH lang 16-19 = %v (present %v), want 0", v, ok)
	}
}
