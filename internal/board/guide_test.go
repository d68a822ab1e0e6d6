package board_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"pingan/internal/board"
	"pingan/internal/upload"
)

// TestGuideStatesPostLimits checks that the citizens' guide states the limits Validate and the
// photo upload enforce, so that a visitor learns them before the form rejects a post.
func TestGuideStatesPostLimits(t *testing.T) {
	b, err := os.ReadFile("../../docs/群众指南.md")
	if err != nil {
		t.Fatal(err)
	}
	guide := string(b)
	for _, want := range []string{
		fmt.Sprintf("标题（%d 至 %d 字）", board.MinTitle, board.MaxTitle),
		fmt.Sprintf("留言内容（%d 至 %d 字", board.MinBody, board.MaxBody),
		fmt.Sprintf("姓名（%d 字以内）", board.MaxName),
		fmt.Sprintf("地址（%d 字以内）", board.MaxAddress),
		"手机号码（11 位，以 1 开头）",
		"身份证号码（18 位）",
		fmt.Sprintf("最多 %d 张照片", upload.Photos.MaxFiles),
		fmt.Sprintf("每张 %d MB 以内", upload.Photos.MaxBytes>>20),
		fmt.Sprintf("至少 %d 个字", board.MinBody),
	} {
		if !strings.Contains(guide, want) {
			t.Errorf("docs/群众指南.md does not state %q", want)
		}
	}
}
