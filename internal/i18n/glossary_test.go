package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// glossaryRow is one term of docs/glossary.md: the Chinese term and the words rejected for it.
type glossaryRow struct {
	term     string
	rejected []string
}

// readGlossary reads the table of docs/glossary.md: rows of five cells, the first the term, the
// last its rejected words separated by "、" ("—" for none).
func readGlossary(t *testing.T) []glossaryRow {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "glossary.md"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []glossaryRow
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		if len(cells) != 5 {
			t.Fatalf("glossary row with %d cells, want 5: %s", len(cells), line)
		}
		term := strings.TrimSpace(cells[0])
		if term == "术语" || strings.HasPrefix(term, "---") {
			continue
		}
		r := glossaryRow{term: term}
		if last := strings.TrimSpace(cells[4]); last != "—" {
			for _, w := range strings.Split(last, "、") {
				if w = strings.TrimSpace(w); w != "" {
					r.rejected = append(r.rejected, w)
				}
			}
		}
		rows = append(rows, r)
	}
	if len(rows) < 20 {
		t.Fatalf("the glossary has %d terms; the table was not read", len(rows))
	}
	return rows
}

var backquoted = regexp.MustCompile("`[^`]*`")

// TestGlossary: no Chinese message uses a word the glossary rejects (outside backquotes, where
// file names and other systems' headers stay as they are), and every term is in use.
func TestGlossary(t *testing.T) {
	rows := readGlossary(t)
	zh := catalogue["zh"]
	texts := map[string]string{}
	for k, v := range zh {
		texts[k] = backquoted.ReplaceAllString(v, "")
	}
	seen := map[string]string{}
	for _, r := range rows {
		if other, ok := seen[r.term]; ok {
			t.Errorf("%s is in the glossary twice (%s)", r.term, other)
		}
		seen[r.term] = r.term
		used := false
		for _, v := range texts {
			if strings.Contains(v, r.term) {
				used = true
				break
			}
		}
		if !used {
			t.Errorf("glossary term %s is in no message of internal/i18n/zh", r.term)
		}
		for _, w := range r.rejected {
			if w == r.term {
				t.Errorf("glossary term %s rejects itself", r.term)
			}
			for k, v := range texts {
				if strings.Contains(v, w) {
					t.Errorf("%s: %q uses %s; the glossary's term is %s (docs/glossary.md)", k, zh[k], w, r.term)
				}
			}
		}
	}
}
