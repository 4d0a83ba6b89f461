package indicators

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat/distuv"
)

// ErrEmpty is returned for empty or mismatched inputs.
var ErrEmpty = errors.New("empty input")

func checkFinite(name string, xs ...float64) error {
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("indicators: %s: value %d is %v", name, i, x)
		}
	}
	return nil
}

// Ratio returns num/den*scale: sum_i {num_i} / sum_i {den_i} * scale over
// the slices, so that a share of a region made of several units is computed
// from their counts, never averaged. den must sum to a positive number.
func Ratio(num, den []float64, scale float64) (float64, error) {
	if len(num) == 0 || len(num) != len(den) {
		return 0, fmt.Errorf("indicators: ratio: %d numerators, %d denominators: %w", len(num), len(den), ErrEmpty)
	}
	if err := checkFinite("ratio", append(append([]float64{}, num...), den...)...); err != nil {
		return 0, err
	}
	d := floats.Sum(den)
	if d <= 0 {
		return 0, fmt.Errorf("indicators: ratio: denominators sum to %g", d)
	}
	return floats.Sum(num) / d * scale, nil
}

// LocationQuotient is the location quotient of an industry in a region:
//
//	LQ = (e_ri / e_r) / (E_i / E)
//
// with e_ri employed in the industry in the region, e_r all employed in the
// region, E_i and E the same for the reference (the nation, or the rest of
// the country: E_i = N_i - e_ri, E = N - e_r). LQ > 1: the industry is
// over-represented in the region.
func LocationQuotient(eri, er, Ei, E float64) (float64, error) {
	if err := checkFinite("location quotient", eri, er, Ei, E); err != nil {
		return 0, err
	}
	if er <= 0 || E <= 0 || Ei <= 0 || eri < 0 {
		return 0, fmt.Errorf("indicators: location quotient: need e_ri >= 0 and e_r, E_i, E > 0, got %g, %g, %g, %g", eri, er, Ei, E)
	}
	return (eri / er) / (Ei / E), nil
}

// shares returns e_i / sum_j {e_j}.
func shares(name string, e []float64) ([]float64, error) {
	if len(e) == 0 {
		return nil, fmt.Errorf("indicators: %s: %w", name, ErrEmpty)
	}
	if err := checkFinite(name, e...); err != nil {
		return nil, err
	}
	for i, x := range e {
		if x < 0 {
			return nil, fmt.Errorf("indicators: %s: count %d is negative (%g)", name, i, x)
		}
	}
	t := floats.Sum(e)
	if t <= 0 {
		return nil, fmt.Errorf("indicators: %s: counts sum to %g", name, t)
	}
	s := make([]float64, len(e))
	floats.ScaleTo(s, 1/t, e)
	return s, nil
}

// Herfindahl is the Herfindahl-Hirschman index of a region's employment
// across industries:
//
//	H = sum_i {s_i^2},  s_i = e_i / sum_j {e_j}
//
// between 1/n (employment spread evenly over n industries) and 1 (all in
// one industry).
func Herfindahl(e []float64) (float64, error) {
	s, err := shares("herfindahl", e)
	if err != nil {
		return 0, err
	}
	return floats.Dot(s, s), nil
}

// Krugman is Krugman's specialisation index of a region against a
// reference (the nation or the rest of the country):
//
//	K = sum_i {|s_i - r_i|},  s_i = e_i / sum_j {e_j},  r_i = R_i / sum_j {R_j}
//
// between 0 (the same industry structure) and 2 (no industry in common).
func Krugman(e, ref []float64) (float64, error) {
	if len(e) != len(ref) {
		return 0, fmt.Errorf("indicators: krugman: %d and %d industries: %w", len(e), len(ref), ErrEmpty)
	}
	s, err := shares("krugman", e)
	if err != nil {
		return 0, err
	}
	r, err := shares("krugman reference", ref)
	if err != nil {
		return 0, err
	}
	floats.Sub(s, r)
	return floats.Norm(s, 1), nil
}

// Gap compares a value with a comparator: abs = value - comparator (in
// percentage points for shares), index = value / comparator * 100
// (comparator = 100). ok is false when either is not finite; index is NaN
// when the comparator is 0.
func Gap(value, comparator float64) (abs, index float64, ok bool) {
	if checkFinite("gap", value, comparator) != nil {
		return math.NaN(), math.NaN(), false
	}
	abs = value - comparator
	index = math.NaN()
	if comparator != 0 {
		index = value / comparator * 100
	}
	return abs, index, true
}

// DiffInterval is the interval of the difference a - b of two independent
// estimates with symmetric normal intervals [aLow, aHigh] and [bLow,
// bHigh] at the same level:
//
//	d = a - b,  half = sqrt(((aHigh-aLow)/2)^2 + ((bHigh-bLow)/2)^2)
//	[d - half, d + half]
//
// A register value compared with a survey value has a zero-width interval
// (aLow = aHigh = a).
func DiffInterval(a, aLow, aHigh, b, bLow, bHigh float64) (low, high float64, err error) {
	if err := checkFinite("difference interval", a, aLow, aHigh, b, bLow, bHigh); err != nil {
		return 0, 0, err
	}
	if aLow > a || a > aHigh || bLow > b || b > bHigh {
		return 0, 0, fmt.Errorf("indicators: difference interval: estimates outside their intervals ([%g,%g] ∋ %g, [%g,%g] ∋ %g)", aLow, aHigh, a, bLow, bHigh, b)
	}
	d := a - b
	half := math.Hypot((aHigh-aLow)/2, (bHigh-bLow)/2)
	return d - half, d + half, nil
}

// Significant reports whether the interval [low, high] of a difference
// excludes zero.
func Significant(low, high float64) bool { return low > 0 || high < 0 }

// ProportionInterval is the Wilson score interval of a proportion p
// observed among n units at confidence level conf (0.95):
//
//	z = Φ^-1((1+conf)/2)
//	centre = (p + z^2/(2n)) / (1 + z^2/n)
//	half   = z / (1 + z^2/n) * sqrt(p(1-p)/n + z^2/(4n^2))
//
// n is the (effective) number of responding units. Multiply by 100 for
// per cent.
func ProportionInterval(p, n, conf float64) (low, high float64, err error) {
	if err := checkFinite("proportion interval", p, n, conf); err != nil {
		return 0, 0, err
	}
	if p < 0 || p > 1 || n <= 0 || conf <= 0 || conf >= 1 {
		return 0, 0, fmt.Errorf("indicators: proportion interval: need 0 <= p <= 1, n > 0, 0 < conf < 1, got %g, %g, %g", p, n, conf)
	}
	z := distuv.UnitNormal.Quantile((1 + conf) / 2)
	z2 := z * z
	den := 1 + z2/n
	centre := (p + z2/(2*n)) / den
	half := z / den * math.Sqrt(p*(1-p)/n+z2/(4*n*n))
	return math.Max(0, centre-half), math.Min(1, centre+half), nil
}

// Tightness is the tightness of an industry's labour market as NAV's
// Bedriftsundersøkelsen reports it: estimated shortage of labour in per cent
// of employment,
//
//	T = shortage / employed * 100
func Tightness(shortage, employed float64) (float64, error) {
	if err := checkFinite("tightness", shortage, employed); err != nil {
		return 0, err
	}
	if shortage < 0 || employed <= 0 {
		return 0, fmt.Errorf("indicators: tightness: need shortage >= 0 and employed > 0, got %g, %g", shortage, employed)
	}
	return shortage / employed * 100, nil
}
