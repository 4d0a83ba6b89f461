package survey

// orgNrWeights are the MOD11 weights of digits 1-8 of an organisation
// number.
var orgNrWeights = [8]int{3, 2, 7, 6, 5, 4, 3, 2}

// ValidOrgNr reports whether s is a 9-digit organisation number whose last
// digit is its MOD11 check digit: with s = sum_i d_i*w_i over the first
// eight digits and weights 3,2,7,6,5,4,3,2, r = s mod 11; the check digit
// is 0 when r = 0, else 11 - r, and a check digit of 10 makes the number
// invalid.
func ValidOrgNr(s string) bool {
	if len(s) != 9 {
		return false
	}
	sum := 0
	for i := 0; i < 9; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		if i < 8 {
			sum += int(s[i]-'0') * orgNrWeights[i]
		}
	}
	check := 0
	if r := sum % 11; r != 0 {
		check = 11 - r
	}
	return check != 10 && check == int(s[8]-'0')
}

// OrgNrCheckDigit returns the check digit of the first eight digits of
// s, and false when there is none (the sum gives 10) or s is not eight or
// more digits.
func OrgNrCheckDigit(s string) (byte, bool) {
	if len(s) < 8 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 8; i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		sum += int(s[i]-'0') * orgNrWeights[i]
	}
	check := 0
	if r := sum % 11; r != 0 {
		check = 11 - r
	}
	if check == 10 {
		return 0, false
	}
	return byte('0' + check), true
}
