package pii

import "testing"

func TestMaskContact(t *testing.T) {
	for in, want := range map[string]string{
		"13905731234":          "139****1234",
		"zhou.min@example.com": "z***@example.com",
		"@example.com":         "***@example.com",
		"":                     "",
	} {
		if got := MaskContact(in); got != want {
			t.Errorf("MaskContact(%q) = %q, want %q", in, got, want)
		}
	}
}
