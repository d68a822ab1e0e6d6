package domain

import (
	"strings"
	"time"
)

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// NormalizeIDNumber trims spaces and upper-cases a final x.
func NormalizeIDNumber(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// ValidIDNumber reports whether s is an 18-character resident identity number of GB 11643: 17
// digits whose sixth to fourteenth characters are a real date of birth not after today, and a
// check character computed with the ISO 7064 MOD 11-2 weights. It does not check the region code.
func ValidIDNumber(s string, today time.Time) bool {
	if len(s) != 18 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * idWeights[i]
	}
	if s[17] != idCheckChars[sum%11] {
		return false
	}
	birth, err := time.ParseInLocation("20060102", s[6:14], Shanghai)
	if err != nil || birth.Year() < 1900 || birth.After(today) {
		return false
	}
	return true
}
