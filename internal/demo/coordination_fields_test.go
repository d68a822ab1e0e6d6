package demo

import (
	"strings"
	"testing"
)

// The report form adds each text field's limit from domain.MaxTextValue, so a demo help text
// that states its own limit could contradict it.
func TestDemoFieldHelpStatesNoLimit(t *testing.T) {
	for _, f := range demoFields {
		if strings.Contains(f[4], "字以内") {
			t.Errorf("field %q help %q states a length limit", f[1], f[4])
		}
	}
}
