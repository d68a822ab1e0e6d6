package web

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// trendChart is a small bar chart drawn as inline SVG on the server, so the dashboard needs no
// script and no file from another site.
type trendChart struct {
	Title string
	SVG   template.HTML
}

func newTrendChart(title string, points []trendPoint) trendChart {
	const w, h, pad, bottom = 320.0, 150.0, 8.0, 22.0
	maxV := 0.0
	for _, p := range points {
		maxV = math.Max(maxV, p.Value)
	}
	if maxV == 0 {
		maxV = 1
	}
	n := float64(max(len(points), 1))
	slot := (w - 2*pad) / n
	var b strings.Builder
	fmt.Fprintf(&b, `<svg viewBox="0 0 %.0f %.0f" role="img" aria-label="%s月度趋势" class="chart">`, w, h, template.HTMLEscapeString(title))
	for i, p := range points {
		bh := (h - bottom - pad - 12) * p.Value / maxV
		x := pad + float64(i)*slot + slot*0.15
		y := h - bottom - bh
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#124a8c"><title>%s：%g</title></rect>`,
			x, y, slot*0.7, bh, template.HTMLEscapeString(p.Label), p.Value)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="middle">%g</text>`, x+slot*0.35, y-3, p.Value)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="11" text-anchor="middle" fill="#555">%s</text>`,
			x+slot*0.35, h-6, template.HTMLEscapeString(p.Label))
	}
	b.WriteString(`</svg>`)
	return trendChart{Title: title, SVG: template.HTML(b.String())}
}
