package pipeline

import (
	"database/sql"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/idnum"
)

// freeTexts are letters' contents with the known people's names, id numbers and phones written
// in them, in the ways people write them.
func freeTexts(ps []person) []string {
	return []string{
		fmt.Sprintf("信访人%s，身份证号%s，电话%s，再次反映补偿款问题。", ps[0].name, ps[0].id18, ps[0].phone),
		fmt.Sprintf("我叫%s，老身份证%s，手机%s。", ps[1].name, ps[1].id15, ps[1].phoneRaw),
		fmt.Sprintf("联系人%s %s,%s,%s", ps[2].name, ps[2].phone, ps[3].phone, ps[4].phone),
		fmt.Sprintf("身份证 %s %s %s，座机0571-87654321转801", ps[5].id18[:6], ps[5].id18[6:14], ps[5].id18[14:]),
		fmt.Sprintf("(0571)8765432 或 %s-%s-%s", ps[6].phone[:3], ps[6].phone[3:7], ps[6].phone[7:]),
		fmt.Sprintf("%s、%s", ps[7].id18, ps[6].id18),
		"8名工人反映拖欠工资共计35万元，2023-10-12 至今未付，案号XF-2025-0000001。",
		"没有任何号码。",
		"",
	}
}

// identifiers are the known people's id numbers and phones in every form, as they would be
// found in clear (secrets without the names, which free text keeps).
func identifiers(ps []person) []string {
	var out []string
	for _, s := range secrets(ps) {
		if s[0] >= '0' && s[0] <= '9' || s[0] == '+' {
			out = append(out, s)
		}
	}
	return append(out, "87654321", "8765432")
}

// TestIdNumbersAndPhonesInContentAreMaskedOnLoad: the content of a case loads with its resident
// id numbers and phones replaced by markers on every path (a canonical CSV and Parquet file,
// masked by DuckDB, and a file read through a profile, masked in Go), the same on each
// (idnum.MaskText); names stay as written. Neither the database nor any output holds the
// numbers.
func TestIdNumbersAndPhonesInContentAreMaskedOnLoad(t *testing.T) {
	ps := knownPeople()
	texts := freeTexts(ps)
	check := func(t *testing.T, cfg configs.Config, ids []string) {
		t.Helper()
		got := map[string]string{}
		for _, r := range query(t, cfg, "SELECT case_id, coalesce(content, '') FROM cases") {
			got[r[0].(string)] = r[1].(string)
		}
		for i, text := range texts {
			want := idnum.MaskText(text)
			if c, ok := got[ids[i]]; !ok || c != want {
				t.Errorf("case %s: content %q, want %q", ids[i], c, want)
			}
		}
		if !strings.Contains(got[ids[0]], idnum.MarkIDNumber) || !strings.Contains(got[ids[0]], idnum.MarkPhone) ||
			!strings.Contains(got[ids[0]], ps[0].name) {
			t.Errorf("content %q: markers for the numbers, the name as written", got[ids[0]])
		}
		for _, tbl := range query(t, cfg, "SELECT table_name FROM information_schema.tables") {
			name := tbl[0].(string)
			for _, row := range query(t, cfg, fmt.Sprintf("SELECT CAST(COLUMNS(*) AS VARCHAR) FROM %q", name)) {
				assertNoIdentifier(t, "table "+name, fmt.Sprint(row...), identifiers(ps))
			}
		}
		files, _ := filepath.Glob(filepath.Join(cfg.Output, "*"))
		for _, f := range files {
			assertNoIdentifier(t, f, readFile(t, f), identifiers(ps))
		}
	}

	// The tiny fixture with a case for each text.
	canonical := func(t *testing.T) (string, []string) {
		dir := t.TempDir()
		for _, name := range []string{"contacts.csv", "events.csv"} {
			copyFile(t, filepath.Join(tinyInput, name), filepath.Join(dir, name))
		}
		recs, err := csv.NewReader(strings.NewReader(readFile(t, filepath.Join(tinyInput, "cases.csv")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for i, text := range texts {
			rec := append([]string(nil), recs[1]...)
			rec[0], rec[len(rec)-1] = fmt.Sprintf("XF-1%02d", i), text
			recs = append(recs, rec)
			ids = append(ids, rec[0])
		}
		var b strings.Builder
		w := csv.NewWriter(&b)
		if err := w.WriteAll(recs); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "cases.csv"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return dir, ids
	}

	t.Run("canonical CSV", func(t *testing.T) {
		cfg := testConfig(t)
		dir, ids := canonical(t)
		cfg.Input = dir
		run(t, cfg)
		check(t, cfg, ids)
	})

	t.Run("canonical Parquet", func(t *testing.T) {
		cfg := testConfig(t)
		dir, ids := canonical(t)
		db, err := sql.Open("duckdb", "")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		csvPath, parquetPath := filepath.Join(dir, "cases.csv"), filepath.Join(dir, "cases.parquet")
		if _, err := db.Exec(fmt.Sprintf("COPY (FROM read_csv('%s', all_varchar = true)) TO '%s' (FORMAT parquet)", csvPath, parquetPath)); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(csvPath); err != nil {
			t.Fatal(err)
		}
		cfg.Input = dir
		run(t, cfg)
		check(t, cfg, ids)
	})

	t.Run("profile", func(t *testing.T) {
		cfg := testConfig(t)
		var b strings.Builder
		b.WriteString("某县信访局 信访件登记表（导出）\n")
		b.WriteString("信访件编号,登记日期,办结日期,来源,信访级别,问题类别,反映内容,人数,乡镇街道,村社区,被反映单位,责任单位,信访人,身份证号,联系电话\n")
		w := csv.NewWriter(&b)
		var ids []string
		for i, text := range texts {
			id := fmt.Sprintf("XF-%03d", i+1)
			ids = append(ids, id)
			p := ps[i%len(ps)]
			if err := w.Write([]string{id, "2025/5/20", "", "来信", "县级", "征地拆迁", text, "1", "城关镇", "东村", "县自然资源局", "县自然资源局", p.name, p.id18, p.phone}); err != nil {
				t.Fatal(err)
			}
		}
		w.Flush()
		gb, err := simplifiedchinese.GB18030.NewEncoder().String(b.String())
		if err != nil {
			t.Fatal(err)
		}
		cfg.Input = filepath.Join(t.TempDir(), "export.csv")
		if err := os.WriteFile(cfg.Input, []byte(gb), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg.Profile = "../configs/profiles/xinfang-office-gb18030.yaml"
		t.Setenv("EW_TEST_PSEUDO_KEY", "a-test-key-that-is-long-enough-0123")
		cfg.Pseudonymisation.KeyEnv = "EW_TEST_PSEUDO_KEY"
		run(t, cfg)
		check(t, cfg, ids)
	})
}

func assertNoIdentifier(t *testing.T, where, text string, ids []string) {
	t.Helper()
	for _, s := range ids {
		if strings.Contains(text, s) {
			t.Errorf("%s shows %q in clear", where, s)
		}
	}
}
