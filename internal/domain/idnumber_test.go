package domain

import (
	"testing"
	"time"
)

func TestValidIDNumber(t *testing.T) {
	today := time.Date(2026, 6, 1, 0, 0, 0, 0, Shanghai)
	tests := []struct {
		in   string
		want bool
	}{
		{"11010519491231002X", true},  // the standard's worked example
		{"110105194912310021", false}, // wrong check character
		{"11010519491331002X", false}, // month 13
		{"110105202712310028", false}, // born after today
		{"11010519491231002", false},  // 17 characters
		{"1101051949123100AX", false}, // letter among the digits
		{"330483199002300013", false}, // 30 February
	}
	for _, tt := range tests {
		if got := ValidIDNumber(tt.in, today); got != tt.want {
			t.Errorf("ValidIDNumber(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
