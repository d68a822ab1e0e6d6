package web

import (
	"html/template"
	"strconv"
	"time"

	"pingan/internal/domain"
)

// coordTemplateFuncs are the template functions of the coordination pages.
var coordTemplateFuncs = template.FuncMap{
	"fileSize":      fileSize,
	"localDateTime": domain.FormatLocalDateTime,
	"before":        func(a, b time.Time) bool { return a.Before(b) },
	"isZero":        func(t time.Time) bool { return t.IsZero() },
	"pct":           percent,
	"int64":         func(v int) int64 { return int64(v) },
	"add64":         func(a, b int64) int64 { return a + b },
	"statusClass":   statusClass,
	"sections":      sections,
	"dict":          dict,
	"noErrors":      func() map[string]string { return nil },
}

// fileSize shows a byte count in the units people read: 812 B, 35.2 KB, 4.1 MB.
func fileSize(n int64) string {
	switch {
	case n < 1024:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1024*1024:
		return strconv.FormatFloat(float64(n)/1024, 'f', 1, 64) + " KB"
	default:
		return strconv.FormatFloat(float64(n)/1024/1024, 'f', 1, 64) + " MB"
	}
}

// percent shows part of whole as a percentage with one decimal, or "—" when whole is 0.
func percent(part, whole int) string {
	if whole == 0 {
		return "—"
	}
	return strconv.FormatFloat(float64(part)*100/float64(whole), 'f', 1, 64) + "%"
}

// statusClass returns the CSS class that colors a report status.
func statusClass(s domain.SubmissionStatus) string {
	switch s {
	case domain.SubmissionAccepted, domain.SubmissionSubmitted:
		return "ok"
	case domain.SubmissionReturned:
		return "bad"
	case domain.SubmissionDraft:
		return "warn"
	}
	return ""
}

// dict builds a map from alternating keys and values, to pass several values to a template.
func dict(pairs ...any) map[string]any {
	m := make(map[string]any, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		if k, ok := pairs[i].(string); ok {
			m[k] = pairs[i+1]
		}
	}
	return m
}
