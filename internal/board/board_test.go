package board

import (
	"strings"
	"testing"
	"time"
)

func TestMatcherNormalizes(t *testing.T) {
	m := NewMatcher("# 注释\n冰毒\n代开发票\nK粉\n网络赌博\n")
	tests := []struct {
		text string
		want []string
	}{
		{"有人在卖冰毒", []string{"冰毒"}},
		{"有人在卖 冰*毒 啊", []string{"冰毒"}},
		{"代．开．发．票，联系", []string{"代开发票"}},
		{"代開發票", []string{"代开发票"}},          // traditional
		{"出售ｋ粉", []string{"K粉"}},            // full-width, lower case
		{"網絡賭博和冰毒", []string{"冰毒", "网络赌博"}}, // list order
		{"河水变黑了，请处理", nil},
	}
	for _, tt := range tests {
		got := m.Find(tt.text)
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("Find(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestStarterWordsParse(t *testing.T) {
	words := ParseWords(StarterWords())
	if len(words) < 20 {
		t.Errorf("starter list has %d words, want at least 20", len(words))
	}
	if got := CachedMatcher(StarterWords()).Find("招 嫖"); len(got) != 1 {
		t.Errorf("starter list misses 招嫖: %v", got)
	}
}

func TestQuestionAnswers(t *testing.T) {
	for i := 0; i < 200; i++ {
		q, a := NewQuestion()
		if !strings.HasSuffix(q, "等于几？") || a == "" {
			t.Fatalf("NewQuestion() = %q, %q", q, a)
		}
		if strings.ContainsAny(q, "0123456789") {
			t.Fatalf("question %q shows digits", q)
		}
	}
	tests := map[string]string{"12": "12", "１２": "12", "十二": "12", "二十": "20", " 7 ": "7", "七": "7", "0": "0", "零": "0", "两": "2", "abc": "abc"}
	for in, want := range tests {
		if got := NormalizeAnswer(in); got != want {
			t.Errorf("NormalizeAnswer(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidatePost(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	ok := Post{Kind: Complaint, Title: "河水发黑有异味", Body: "村口的小河这几天水发黑，还有很重的酸臭味。", Name: "张三",
		Phone: "138 0000 0000", Consent: true}
	if err := ok.Validate(now); err != nil {
		t.Fatalf("valid post: %v", err)
	}
	if ok.Phone != "13800000000" {
		t.Errorf("phone normalized to %q", ok.Phone)
	}
	bad := []struct {
		name  string
		edit  func(p *Post)
		field string
	}{
		{"title too long", func(p *Post) { p.Title = strings.Repeat("河", MaxTitle+1) }, "title"},
		{"body too long", func(p *Post) { p.Body = strings.Repeat("水", MaxBody+1) }, "body"},
		{"script in body", func(p *Post) { p.Body = "河水发黑了<script>alert(1)</script>" }, "body"},
		{"tag in title", func(p *Post) { p.Title = "<b>河水发黑</b>" }, "title"},
		{"bad phone", func(p *Post) { p.Phone = "1234" }, "phone"},
		{"bad id number", func(p *Post) { p.IDNumber = "110105194912310021" }, "id_number"},
		{"no consent", func(p *Post) { p.Consent = false }, "consent"},
		{"unknown kind", func(p *Post) { p.Kind = "x" }, "kind"},
	}
	for _, b := range bad {
		p := ok
		b.edit(&p)
		err := p.Validate(now)
		if err == nil {
			t.Errorf("%s: no error", b.name)
			continue
		}
		if !strings.Contains(err.Error(), b.field+":") {
			t.Errorf("%s: error %v does not name field %s", b.name, err, b.field)
		}
	}
}
