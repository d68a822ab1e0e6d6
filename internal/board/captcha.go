package board

import (
	"crypto/rand"
	"math/big"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"
)

var digits = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// ChineseNumber writes 0–99 in Chinese characters: 十二, 二十, 三十五.
func ChineseNumber(n int) string {
	switch {
	case n <= 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n%10]
	case n%10 == 0:
		return digits[n/10] + "十"
	default:
		return digits[n/10] + "十" + digits[n%10]
	}
}

func randInt(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic(err)
	}
	return int(v.Int64())
}

// NewQuestion returns a simple arithmetic question written in Chinese, which a screen reader
// reads aloud, and its answer in digits: "七加五等于几？" → "12".
func NewQuestion() (question, answer string) {
	a, b := 2+randInt(8), 1+randInt(9)
	switch randInt(3) {
	case 0:
		return ChineseNumber(a) + "加" + ChineseNumber(b) + "等于几？", strconv.Itoa(a + b)
	case 1:
		if b > a {
			a, b = b, a
		}
		return ChineseNumber(a) + "减" + ChineseNumber(b) + "等于几？", strconv.Itoa(a - b)
	default:
		a, b = 2+randInt(4), 2+randInt(4)
		return ChineseNumber(a) + "乘以" + ChineseNumber(b) + "等于几？", strconv.Itoa(a * b)
	}
}

// NormalizeAnswer turns a typed answer into digits: full-width digits and Chinese numerals up
// to 99 are accepted, spaces ignored. An answer it cannot read comes back unchanged.
func NormalizeAnswer(s string) string {
	s = strings.TrimSpace(norm.NFKC.String(s))
	s = strings.TrimSuffix(s, "。")
	if n, err := strconv.Atoi(s); err == nil && n >= 0 {
		return strconv.Itoa(n)
	}
	for n := 0; n < 100; n++ {
		if s == ChineseNumber(n) || (n < 20 && n >= 10 && s == "一"+ChineseNumber(n)) {
			return strconv.Itoa(n)
		}
	}
	if s == "两" {
		return "2"
	}
	return s
}
