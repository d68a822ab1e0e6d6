package casework

import (
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"pingan/internal/domain"
)

// queryAlphabet has no look-alike characters: no 0/O, 1/I/L, and no U (read as V).
const queryAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// QueryCodeLength is the number of characters of a query code: 30^8 ≈ 6.6×10^11 codes, and a
// code opens a post or case only together with its mobile number.
const QueryCodeLength = 8

// NewQueryCode returns a random query code.
func NewQueryCode() string {
	b := make([]byte, QueryCodeLength)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	out := make([]byte, QueryCodeLength)
	for i, v := range b {
		// 256 is not a multiple of 30; the bias of at most one in eight is harmless here
		// because a code alone opens nothing.
		out[i] = queryAlphabet[int(v)%len(queryAlphabet)]
	}
	return string(out)
}

// NormalizeQueryCode upper-cases a typed code and drops spaces and dashes, so "ab2c-3d4e"
// matches "AB2C3D4E".
func NormalizeQueryCode(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	return strings.NewReplacer(" ", "", "-", "", "　", "").Replace(s)
}

// ValidQueryCode reports whether s, normalized, could be a query code.
func ValidQueryCode(s string) bool {
	if len(s) != QueryCodeLength {
		return false
	}
	for _, c := range s {
		if !strings.ContainsRune(queryAlphabet, c) {
			return false
		}
	}
	return true
}

// FormatNumber returns the readable case number of the seq-th case a town registered on the
// Beijing day of at: "高桥-20260930-0007". prefix is the town's code or short name.
func FormatNumber(prefix string, at time.Time, seq int) string {
	return fmt.Sprintf("%s-%s-%04d", prefix, at.In(domain.Shanghai).Format("20060102"), seq)
}

// TownPrefix returns the prefix of a town's case numbers: its code when set, else its name
// without the trailing 镇 or 街道.
func TownPrefix(code, name string) string {
	if c := strings.TrimSpace(code); c != "" {
		return c
	}
	name = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(name), "街道"), "镇")
	if name == "" {
		return "GD"
	}
	return name
}
