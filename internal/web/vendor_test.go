package web

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestVendorCopiesMatchNodeModules checks that the committed browser files are the ones npm
// installed from package-lock.json. Without node_modules (a clone where npm ci has not run) it
// checks only that every listed copy exists.
func TestVendorCopiesMatchNodeModules(t *testing.T) {
	manifest, err := os.Open("static/vendor/manifest.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer manifest.Close()
	modules := filepath.Join("..", "..", "node_modules")
	_, statErr := os.Stat(modules)
	haveModules := statErr == nil
	lines := bufio.NewScanner(manifest)
	for lines.Scan() {
		fields := strings.Fields(lines.Text())
		if len(fields) != 2 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		copied, err := os.ReadFile(filepath.Join("static", "vendor", fields[1]))
		if err != nil {
			t.Errorf("vendored copy of %s: %v (run scripts/vendor-assets)", fields[0], err)
			continue
		}
		if !haveModules {
			continue
		}
		original, err := os.ReadFile(filepath.Join(modules, fields[0]))
		if err != nil {
			t.Errorf("%s is listed but not installed: %v (run npm ci)", fields[0], err)
			continue
		}
		if !bytes.Equal(copied, original) {
			t.Errorf("static/vendor/%s differs from node_modules/%s: run scripts/vendor-assets and commit", fields[1], fields[0])
		}
	}
	if !haveModules {
		t.Log("node_modules is missing: checked only that the vendored copies exist")
	}
}
