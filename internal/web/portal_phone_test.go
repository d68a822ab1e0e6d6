package web

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"pingan/internal/store/storetest"
)

// TestBrowserPhoneBoardAndSearch opens the public board and the search page at a phone's width
// (390×844 CSS pixels) and checks that the board list stays readable and that each search label
// sits on the same line as its field.
func TestBrowserPhoneBoardAndSearch(t *testing.T) {
	open := newBrowser(t)
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			h := newDemoHarness(t, dialect)
			ctx := open()

			// Each cell must be at least three characters wide, measured in the cell's own font size.
			narrowCells := `(() => {
				const cells = [...document.querySelectorAll("main table td")];
				if (cells.length === 0) return ["no table cells"];
				return cells.filter(td => {
					const size = parseFloat(getComputedStyle(td).fontSize);
					return td.getBoundingClientRect().width < 3 * size;
				}).map(td => td.textContent.trim());
			})()`
			var narrow []string
			var pageWidth, viewport int
			h.run(t, ctx, "open the board at phone width",
				chromedp.EmulateViewport(390, 844),
				chromedp.Navigate(h.srv.URL+"/board"),
				chromedp.WaitVisible(chromedp.CSS("main table")),
				into(&narrow, chromedp.Evaluate[[]string](narrowCells)),
				into(&pageWidth, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)),
				into(&viewport, chromedp.Evaluate[int](`window.innerWidth`)))
			if len(narrow) > 0 {
				t.Errorf("board cells narrower than three characters at 390 px: %q", narrow)
			}
			if pageWidth > viewport {
				t.Errorf("board page is %d px wide in a %d px viewport", pageWidth, viewport)
			}

			// A label is on its field's line when their vertical ranges overlap and the field follows it.
			apart := `(() => {
				const out = [];
				for (const id of ["q", "column", "from"]) {
					const label = document.querySelector('label[for="' + id + '"]').getBoundingClientRect();
					const field = document.getElementById(id).getBoundingClientRect();
					if (label.bottom <= field.top || field.bottom <= label.top || field.left < label.right) out.push(id);
				}
				return out;
			})()`
			var separated []string
			h.run(t, ctx, "open the search page at phone width",
				chromedp.Navigate(h.srv.URL+"/search?q="+"禁毒"),
				chromedp.WaitVisible(chromedp.CSS("#column")),
				into(&separated, chromedp.Evaluate[[]string](apart)))
			if len(separated) > 0 {
				t.Errorf("search labels not beside their fields at 390 px: %s", fmt.Sprint(separated))
			}
		})
	}
}
