package richtext

import (
	"strings"
	"testing"
)

func TestSanitizeRemovesWhatRuns(t *testing.T) {
	in := `<p style="mso-line-height:150%;text-align:center" onclick="x()">正文<script>alert(1)</script></p>` +
		`<img src="javascript:alert(1)"><img src="/media/ab/c.png" onerror="x()"><a href="javascript:x()">链接</a>` +
		`<table><tr><td colspan="2">单元格</td></tr></table><iframe src="/x"></iframe>` + "\x0b"
	safe, text := Sanitize(in)
	for _, bad := range []string{"script", "onclick", "onerror", "javascript:", "iframe", "mso-", "\x0b"} {
		if strings.Contains(safe, bad) {
			t.Errorf("sanitized HTML keeps %q: %s", bad, safe)
		}
	}
	for _, good := range []string{`text-align: center`, `<img src="/media/ab/c.png"`, `<td colspan="2">`} {
		if !strings.Contains(safe, good) {
			t.Errorf("sanitized HTML lost %q: %s", good, safe)
		}
	}
	if text != "正文\n链接\n单元格" {
		t.Errorf("text = %q", text)
	}
}

func FuzzSanitize(f *testing.F) {
	f.Add(`<p onmouseover="x">a</p><script>b</script>`)
	f.Add(`<img src=x onerror=alert(1)>`)
	f.Fuzz(func(t *testing.T, in string) {
		safe, _ := Sanitize(in)
		if strings.Contains(strings.ToLower(safe), "<script") {
			t.Errorf("script survived: %q → %q", in, safe)
		}
	})
}
