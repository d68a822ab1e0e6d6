package search

import (
	"fmt"
	"testing"
)

func TestTokens(t *testing.T) {
	tests := []struct{ in, want string }{
		{"禁毒宣传", "[禁毒 毒宣 宣传 传]"},
		{"禁", "[禁]"},
		{"开展WiFi安全", "[开展 展 wifi 安全 全]"},
		{"110报警，消防119", "[110 报警 警 消防 防 119]"},
		{"<script>", "[script]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(Tokens(tt.in)); got != tt.want {
			t.Errorf("Tokens(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParseQueryTreatsWildcardsAsSeparators(t *testing.T) {
	if got := ParseQuery("%_"); len(got) != 0 {
		t.Errorf("ParseQuery(%%_) = %v, want no terms", got)
	}
	got := ParseQuery("禁毒 100% 禁毒")
	if fmt.Sprint(got) != "[{禁毒 true} {100 false}]" {
		t.Errorf("ParseQuery = %v", got)
	}
}

func TestHighlightEscapesAndMarks(t *testing.T) {
	got := Highlight("<b>禁毒</b>宣传，禁毒", ParseQuery("禁毒"), 0)
	want := "&lt;b&gt;<mark>禁毒</mark>&lt;/b&gt;宣传，<mark>禁毒</mark>"
	if string(got) != want {
		t.Errorf("Highlight = %s, want %s", got, want)
	}
	long := "前面很长的一段文字前面很长的一段文字前面很长的一段文字，这里有纠纷调解，后面还有文字"
	got = Highlight(long, ParseQuery("纠纷"), 20)
	if want := "…文字，这里有<mark>纠纷</mark>调解，后面还有文字"; string(got) != want {
		t.Errorf("excerpt = %s, want %s", got, want)
	}
}
