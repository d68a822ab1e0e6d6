package servicedemo

import (
	"slices"
	"testing"
	"time"

	"pingan/internal/domain"
)

func TestCoordinationMattersInSeason(t *testing.T) {
	first := time.Date(2026, 1, 1, 0, 0, 0, 0, domain.Shanghai)
	for d := 0; d < 366; d++ {
		from := first.AddDate(0, 0, d)
		matters, days, err := planCoordination(from)
		if err != nil {
			t.Fatalf("half year from %s: %v", domain.FormatDate(from), err)
		}
		if len(matters) != len(coordinationMatters) {
			t.Fatalf("half year from %s: %d matters, want %d", domain.FormatDate(from), len(matters), len(coordinationMatters))
		}
		titles := map[string]bool{}
		open := 0
		for i, m := range matters {
			month := from.AddDate(0, 0, days[i]).Month()
			if m.months != nil && !slices.Contains(m.months, month) {
				t.Errorf("half year from %s: %s registered in %s", domain.FormatDate(from), m.title, month)
			}
			if titles[m.title] {
				t.Errorf("half year from %s: %s twice", domain.FormatDate(from), m.title)
			}
			titles[m.title] = true
			if m.open {
				open++
			}
		}
		if open != 3 {
			t.Errorf("half year from %s: %d open matters, want 3", domain.FormatDate(from), open)
		}
	}
}
