package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/web/review"
)

// TestMessageKeysExist checks that every message key the app names is in the catalogue: the
// literal keys in the templates and the Go code, and the keys it builds from codes.
func TestMessageKeysExist(t *testing.T) {
	literal := regexp.MustCompile(`"(web\.[a-z0-9_.]*[a-z0-9_])"`)
	sources := map[string][]byte{}
	err := fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			sources[path], err = templateFS.ReadFile(path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, pattern := range []string{"*.go", "review/*.go"} {
		names, _ := filepath.Glob(pattern)
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			if sources[name], err = os.ReadFile(name); err != nil {
				t.Fatal(err)
			}
		}
	}
	used := map[string]string{}
	for name, b := range sources {
		for _, m := range literal.FindAllSubmatch(b, -1) {
			used[string(m[1])] = name
		}
	}
	if len(used) < 50 {
		t.Fatalf("found only %d message keys in the sources", len(used))
	}
	// Keys made from codes: the confirmation after each action, the timeline's kinds, the
	// audit log's actions, the labels of the watchlist's query parameters.
	for _, a := range []string{review.ActTake, review.ActPlan, review.ActProgress, review.ActResolve, review.ActDismiss, review.ActRun} {
		used["web.done."+a] = "a confirmation"
	}
	for _, k := range []string{"received", "contact", "event"} {
		used["web.timeline."+k] = "the timeline"
	}
	for _, a := range review.Actions {
		used["web.action."+a] = "the audit log"
	}
	for _, f := range []string{"tier", "township", "category", "rule", "state"} {
		used["web."+f] = "a filter"
	}
	for _, tab := range review.Tabs {
		used["web.tab."+tab] = "the list's tabs"
	}
	used["web.tab"] = "a filter"
	for _, f := range auditFields {
		used[f.key] = "the audit log"
	}
	for key, where := range used {
		if !i18n.Has(key) {
			t.Errorf("%s names %q, which the catalogue lacks", where, key)
		}
	}
}
