package ingest

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/idnum"
)

// TestFreeTextColumnsAreInTheSchema: every column masked on load is a text column of a
// canonical table, so that renaming one cannot silently stop its masking.
func TestFreeTextColumnsAreInTheSchema(t *testing.T) {
	for _, name := range freeTextColumns {
		found := false
		for _, tbl := range data.Tables {
			i := slices.IndexFunc(tbl.Columns, func(c data.Column) bool { return c.Name == name })
			found = found || i >= 0 && tbl.Columns[i].Type == "VARCHAR"
		}
		if !found {
			t.Errorf("free-text column %s is no text column of a canonical table", name)
		}
	}
}

// TestSQLMasksFreeTextAsGoDoes: the canonical CSV load (DuckDB's regexp_replace) masks
// thousands of random texts full of numbers exactly as idnum.MaskText (Go's regexp) does.
func TestSQLMasksFreeTextAsGoDoes(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	pieces := []string{"电话", "身份证号", " ", "-", "(", ")", "（", "）", "+", "+86 ", "0086", "，", ",", "、", "x", "X", "\n", `"`, "ab"}
	formats := []string{"1%d%09d", "410105199%05d%03dX", "0%d-%08d", "%d%014d", "%d 1234 %04d"}
	header := plainNames(data.Cases)
	var texts []string
	var b strings.Builder
	w := csv.NewWriter(&b)
	if err := w.Write(header); err != nil {
		t.Fatal(err)
	}
	for i := range 3000 {
		var s strings.Builder
		for range 1 + r.IntN(10) {
			switch r.IntN(3) {
			case 0:
				s.WriteString(pieces[r.IntN(len(pieces))])
			case 1:
				fmt.Fprintf(&s, formats[r.IntN(len(formats))], 3+r.IntN(7), r.IntN(1e9))
			default:
				fmt.Fprintf(&s, "%d", r.IntN(1e6))
			}
		}
		texts = append(texts, s.String())
		rec := make([]string, len(header))
		for j, c := range header {
			switch c {
			case "case_id":
				rec[j] = fmt.Sprintf("C%d", i)
			case "received_date", "closed_date", "answered_date":
				rec[j] = "2025-01-01"
			case "head_count":
				rec[j] = "1"
			case "content", "found_in_text":
				rec[j] = s.String()
			default:
				rec[j] = "x"
			}
		}
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	path := filepath.Join(t.TempDir(), "cases.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}

	conn, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx := context.Background()
	cols := make([]string, len(data.Cases.Columns))
	for i, c := range data.Cases.Columns {
		cols[i] = c.Name + " " + c.Type
	}
	if _, err := conn.ExecContext(ctx, "CREATE TABLE t ("+strings.Join(cols, ", ")+")"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, csvLoadStmt(data.Cases, header, "t", censusLimits{maxBytes: configs.DefaultMaxRecordBytes}), sql.Named("path", path)); err != nil {
		t.Fatal(err)
	}
	n, masked := 0, 0
	err = db.Query(ctx, conn, "SELECT case_id, content, found_in_text FROM t", nil, func(rows *sql.Rows) error {
		var id, content, found string
		if err := rows.Scan(&id, &content, &found); err != nil {
			return err
		}
		var i int
		if _, err := fmt.Sscanf(id, "C%d", &i); err != nil {
			return err
		}
		want := idnum.MaskText(texts[i])
		if content != want || found != want {
			t.Errorf("%q: SQL %q (found_in_text %q), Go %q", texts[i], content, found, want)
		}
		n++
		if want != texts[i] {
			masked++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(texts) || masked < len(texts)/5 {
		t.Errorf("%d rows loaded of %d, %d with something masked", n, len(texts), masked)
	}
}
