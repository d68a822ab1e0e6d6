package web

import "testing"

// TestTemplateFuncNamesUnique guards against two feature areas registering one template function
// name: the later map would silently replace the earlier function and break its pages.
func TestTemplateFuncNamesUnique(t *testing.T) {
	for name := range coordTemplateFuncs {
		if _, ok := templateFuncs[name]; ok {
			t.Errorf("template function %q is defined twice", name)
		}
	}
}
