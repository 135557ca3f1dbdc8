package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/internal/idnum"
)

// person is a complainant with identifiers that must never appear in clear.
type person struct{ name, id18, id15, phone, phoneRaw string }

func knownPeople() []person {
	var ps []person
	names := []string{"欧阳明轩", "司马晓燕", "诸葛建国", "上官婉清", "慕容志强", "皇甫秀英", "东方红梅", "令狐长青"}
	for i, n := range names {
		first17 := fmt.Sprintf("33010219%02d0%d1%d%03d", 60+i, 1+i%9, i%3, 100+i)
		id18 := first17 + string(idnum.CheckDigit(first17))
		phone := fmt.Sprintf("1390571%04d", 1234+i*1111)
		ps = append(ps, person{name: n, id18: id18, id15: id18[:6] + id18[8:17], phone: phone,
			phoneRaw: "+86 " + phone[:3] + "-" + phone[3:7] + "-" + phone[7:]})
	}
	return ps
}

// writeOfficeExport writes a GB18030 export in the layout of
// configs/profiles/xinfang-office-gb18030.yaml: the known people file cases, eight of them on
// one day about one matter (a wave), some more than once; the last rows are broken.
func writeOfficeExport(t *testing.T, dir string, ps []person) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("某县信访局 信访件登记表（导出）\n")
	b.WriteString("信访件编号,登记日期,办结日期,来源,信访级别,问题类别,反映内容,人数,乡镇街道,村社区,被反映单位,责任单位,信访人,身份证号,联系电话\n")
	n := 0
	row := func(date, closed, name, id, phone string) {
		n++
		fmt.Fprintf(&b, "XF-%03d,%s,%s,来访,县级,征地拆迁,反映征地补偿款未到位,1,城关镇,东村,县自然资源局,县自然资源局,%s,%s,%s\n", n, date, closed, name, id, phone)
	}
	for i, p := range ps {
		row("2025/5/20 9:00:00", "", p.name, p.id18, p.phoneRaw) // the wave
		if i%2 == 0 {
			row("2025-03-01 10:00:00", "2025/3/20", p.name, p.id15, "") // a 15-digit id
		}
		if i%3 == 0 {
			row("2025/4/2", "", p.name, "", p.phone) // name and phone only
		}
	}
	// Broken rows: a wrong check digit and a bad phone (set aside: the rows load), an
	// unparsable date.
	row("2025/4/3", "", ps[0].name, ps[0].id18[:17]+string("0123456789X"[(strings.IndexByte("0123456789X", ps[0].id18[17])+1)%11]), "")
	row("2025/4/3", "", ps[1].name, "", ps[1].phone[:7])
	row("2025/4/4", "", ps[3].name, ps[3].id18[:17]+string("0123456789X"[(strings.IndexByte("0123456789X", ps[3].id18[17])+1)%11]), ps[3].phone)
	row("2025/13/3", "", ps[2].name, ps[2].id18, ps[2].phone)
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(b.String())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "export.csv")
	if err := os.WriteFile(path, []byte(gb), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// secrets are every form of every identifier, as they would be found in clear.
func secrets(ps []person) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.name, p.id18, p.id15, p.id18[:14], p.phone, p.phone[:7], p.phoneRaw, p.phone[3:])
	}
	return out
}

func assertNoSecret(t *testing.T, where, text string, ps []person) {
	t.Helper()
	for _, s := range secrets(ps) {
		if strings.Contains(text, s) {
			t.Errorf("%s shows %q in clear", where, s)
		}
	}
}

type recorder struct{ lines []string }

func (r *recorder) Step(key string, args ...any) {
	r.lines = append(r.lines, i18n.T("zh", key, args...), i18n.T("en", key, args...))
}

func TestNoPersonalIdentifierInClear(t *testing.T) {
	ps := knownPeople()
	cfg := testConfig(t)
	cfg.Input = writeOfficeExport(t, t.TempDir(), ps)
	cfg.Profile = "../configs/profiles/xinfang-office-gb18030.yaml"

	// Without a key the run refuses, and says how to give one.
	_, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "auto"), Version: "test"})
	var ce *ConfigError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "pseudonymisation.key_file") {
		t.Fatalf("run without a key: %v", err)
	}
	assertNoSecret(t, "the no-key error", err.Error(), ps)
	if _, err := os.Stat(cfg.Database); err == nil {
		t.Error("a refused run created the database")
	}

	t.Setenv("EW_TEST_PSEUDO_KEY", "a-test-key-that-is-long-enough-0123")
	cfg.Pseudonymisation.KeyEnv = "EW_TEST_PSEUDO_KEY"
	queryLog := t.TempDir() // a developer's query log (QueryLogEnv) holds SQL text, no values
	t.Setenv(QueryLogEnv, queryLog)
	rec := &recorder{}
	s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "auto"), Version: "test", Reporter: rec})
	if err != nil {
		t.Fatal(err)
	}
	in := s.Inputs[0]
	if in.Read != 8+4+3+4 || in.Quarantined != 1 || in.SetAside != 3 || in.Pseudonymisation != "keyed (HMAC-SHA256)" {
		t.Errorf("read %d loaded %d quarantined %d (%s)", in.Read, in.Loaded, in.Quarantined, in.Pseudonymisation)
	}
	assertNoSecret(t, "progress", strings.Join(rec.lines, "\n"), ps)
	js, _ := json.Marshal(s)
	assertNoSecret(t, "the run summary", string(js), ps)

	// One person, one id: the 18- and 15-digit forms of an id number give the same person, so
	// do name with phone known with that id number (also where the id number was mistyped and
	// set aside), and a wave of eight distinct people is flagged.
	r := query(t, cfg, `SELECT (SELECT count(DISTINCT person_id) FROM person_keys WHERE idno_key IS NOT NULL),
  count(*) FILTER (WHERE complainant_id LIKE 'N%'), count(*) FILTER (WHERE complainant_id LIKE 'P%'),
  (SELECT count(*) FROM person_keys WHERE idno_key IS NOT NULL AND namephone_key IS NOT NULL)
  FROM cases`)
	// 8 people by id number; 12 cases by id number, of which the 8 wave cases also carry name
	// and phone (tying those keys to the id), and 4 by name and phone so tied.
	if r[0][0].(int64) != int64(len(ps)) || r[0][1].(int64) != 0 || r[0][2].(int64) != 16 || r[0][3].(int64) != 8 {
		t.Errorf("persons by id %v, name+phone cases %v, id cases %v, persons with both keys %v", r[0][0], r[0][1], r[0][2], r[0][3])
	}
	if r := query(t, cfg, "SELECT count(*) FROM contacts c JOIN cases USING (case_id) WHERE c.person_id = cases.complainant_id"); r[0][0].(int64) != 18 {
		t.Errorf("contacts carry the complainant's person id: %v of 18", r[0][0])
	}
	if w := query(t, cfg, "SELECT count(*) FROM watchlist WHERE list_contains(rules, 'group-wave')"); w[0][0].(int64) != 1 {
		t.Errorf("wave flags: %v", w)
	}
	q := query(t, cfg, "SELECT field, raw FROM set_aside ORDER BY line")
	if len(q) != 3 || !strings.HasPrefix(q[0][1].(string), "hmac:") || !strings.HasPrefix(q[2][1].(string), "hmac:") {
		t.Errorf("set aside %v: personal raw values must be hashes", q)
	}

	// Every table of the database, every value as text.
	for _, tbl := range query(t, cfg, "SELECT table_name FROM information_schema.tables") {
		name := tbl[0].(string)
		for _, row := range query(t, cfg, fmt.Sprintf("SELECT CAST(COLUMNS(*) AS VARCHAR) FROM %q", name)) {
			assertNoSecret(t, "table "+name, fmt.Sprint(row...), ps)
		}
	}
	// Every output file, as bytes, and the Parquet watchlist's values.
	files, _ := filepath.Glob(filepath.Join(cfg.Output, "*"))
	if len(files) < 3 {
		t.Fatalf("outputs %v", files)
	}
	for _, f := range append(files, cfg.Database) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		assertNoSecret(t, f, string(b), ps)
		if strings.HasSuffix(f, ".parquet") {
			for _, row := range query(t, cfg, "SELECT CAST(COLUMNS(*) AS VARCHAR) FROM read_parquet($1)", f) {
				assertNoSecret(t, f, fmt.Sprint(row...), ps)
			}
		}
	}

	logs, _ := filepath.Glob(filepath.Join(queryLog, "*.csv"))
	if len(logs) == 0 {
		t.Errorf("no query log in %s", queryLog)
	}
	for _, f := range logs {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(f, "entries") && !strings.Contains(string(b), "INSERT INTO quarantine") {
			t.Errorf("the query log %s lacks the quarantined rows' statement", f)
		}
		assertNoSecret(t, f, string(b), ps)
	}

	// Errors: a profile naming a column the file lacks names the column, not the values.
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	prof, _ := os.ReadFile(cfg.Profile)
	if err := os.WriteFile(bad, []byte(strings.Replace(string(prof), "{column: 联系电话}", "{column: 手机}", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg2 := cfg
	cfg2.Profile, cfg2.Database = bad, filepath.Join(t.TempDir(), "ew.duckdb")
	_, err = Run(context.Background(), plan(t, cfg2), Options{AsOf: asOf(t, "auto"), Version: "test"})
	if err == nil || !strings.Contains(i18n.Localize("en", err), `has no column "手机"`) || !strings.Contains(err.Error(), "export.csv") {
		t.Errorf("missing column: %v", err)
	} else {
		assertNoSecret(t, "the missing-column error", err.Error(), ps)
	}
}
