package pipeline

import (
	"context"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// writeFiles writes files (name → body) into a new folder and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestThreeFileExport: a profile of three sources loads an office's cases, contacts (one
// without a case id) and handling events from their own files, each file matched by name,
// with Chinese step names mapped; a file beside the export that matches no source is listed as
// ignored, not read; every row of every file is accounted for.
func TestThreeFileExport(t *testing.T) {
	profile := `
name: office
format: csv
null_values: ["无"]
sources:
  - name: 信访件
    table: cases
    files: ["*信访件*.csv"]
    fields:
      case_id: {column: 信访件编号}
      received_date: {column: 登记日期, layouts: ["2006-01-02", "2006/1/2", "2006年1月2日"]}
      channel: {column: 来源, map: {来信: letter, 来访: visit}}
      level: {value: county}
      category: {column: 问题类别}
      township: {column: 乡镇}
      responsible_unit: {column: 责任单位}
      complainant_id: {column: 信访人编号}
  - name: 来访来信记录
    table: contacts
    files: ["*来访来信*.csv"]
    fields:
      contact_id: {column: 登记编号}
      case_id: {column: 信访件编号}
      contact_date: {column: 日期, layouts: ["2006-01-02", "2006/1/2", "2006年1月2日"]}
      channel: {column: 方式, map: {来信: letter, 来访: visit}}
      level: {column: 层级, map: {县级: county, 市级: city}}
      complainant_id: {column: 信访人编号}
  - name: 办理过程
    table: events
    files: ["*办理过程*.csv"]
    fields:
      event_id: {column: 过程编号}
      case_id: {column: 信访件编号}
      event_type: {column: 环节, map: {受理: accepted, 交办: assigned, 转办: assigned, 答复: answered, 办结: closed}}
      event_date: {column: 日期, layouts: ["2006-01-02", "2006/1/2", "2006年1月2日"]}
`
	dir := writeFiles(t, map[string]string{
		"信访件.csv": "信访件编号,登记日期,来源,问题类别,乡镇,责任单位,信访人编号\n" +
			"A1,2025-01-02,来访,劳资纠纷,城关镇,人社局,P1\n" +
			"A2,2025/1/3,来信,征地拆迁,河口乡,自然资源局,P2\n" +
			"A3,2025年13月1日,来信,征地拆迁,河口乡,自然资源局,P3\n",
		"来访来信记录.csv": "登记编号,信访件编号,日期,方式,层级,信访人编号\n" +
			"V1,A1,2025-01-02,来访,县级,P1\nV2,A2,2025-01-03,来信,县级,P2\n" +
			"V3,A1,2025-02-10,来访,市级,P1\nV4,无,2025-03-01,来访,市级,P1\nV5,A2,2025-03-02,传真,县级,P2\n",
		"办理过程.csv": "过程编号,信访件编号,环节,日期\n" +
			"E1,A1,受理,2025-01-02\nE2,A1,转办,2025-01-05\nE3,A2,受理,2025-01-03\nE4,A2,答复,2025-02-01\nE5,A2,办结,2025-02-02\nE6,A1,上访,2025-02-03\n",
		"说明.txt": "这是导出说明，不是数据。\n",
	})
	cfg := testConfig(t)
	cfg.Input = dir
	cfg.Profile = filepath.Join(t.TempDir(), "office.yaml")
	if err := os.WriteFile(cfg.Profile, []byte(profile), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2025-06-30"), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range s.Inputs {
		name := filepath.Base(f.Path)
		if f.Ignored {
			got[name] = "ignored"
			continue
		}
		if f.Read != f.Loaded+f.Quarantined {
			t.Errorf("%s: read %d ≠ loaded %d + quarantined %d", name, f.Read, f.Loaded, f.Quarantined)
		}
		got[name] = fmt.Sprintf("%s %s %d/%d/%d", f.TableName, f.Source, f.Read, f.Loaded, f.Quarantined)
	}
	want := map[string]string{
		"信访件.csv":    "cases 信访件 3/2/1",       // 2025年13月1日 is no date
		"来访来信记录.csv": "contacts 来访来信记录 5/4/1", // 传真 is no channel
		"办理过程.csv":   "events 办理过程 6/5/1",     // 上访 is no step
		"说明.txt":     "ignored",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	// The cases file implies no contact and no event: the other files hold them.
	r := query(t, cfg, `SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM contacts), (SELECT count(*) FROM events),
  (SELECT string_agg(event_type, ',' ORDER BY event_date, event_id) FROM events WHERE case_id = 'A1'),
  (SELECT case_id FROM contact_links WHERE contact_id = 'V4')`)
	if fmt.Sprint(r[0]) != "[2 4 5 accepted,assigned A1]" {
		t.Errorf("tables %v, want 2 cases, 4 contacts, 5 events, A1 accepted,assigned, V4 linked to A1", r[0])
	}
	q := query(t, cfg, "SELECT line, field FROM quarantine ORDER BY file, line")
	if fmt.Sprint(q) != "[[4 received_date] [7 event_type] [6 channel]]" {
		t.Errorf("quarantine %v", q)
	}
}

// TestMessageBoardCaseKey: on a message board, messages of one user on one subject (written
// with other spacing or punctuation) are one case and each a contact of it; a reply is the
// case's answer; the district is found in the text. A message sent twice (same user, subject,
// day and text, white space aside) is quarantined, naming the line that stands: it is no second
// contact.
func TestMessageBoardCaseKey(t *testing.T) {
	profile := `
name: board
format: csv
sources:
  - table: cases
    case_key: {columns: [用户, 主题], normalise: true}
    fields:
      case_id: {column: 编号}
      received_date: {column: 时间, layouts: ["2006/1/2 15:04:05", "2006-01-02 15:04:05"]}
      answered_date: {column: 答复时间, layouts: ["2006/1/2 15:04:05", "2006-01-02 15:04:05"]}
      channel: {value: online}
      level: {value: city}
      category: {value: 未分类}
      township: {columns: [主题, 详情], extract: '(?P<value>A市A\d+区)', default: 未注明}
      responsible_unit: {value: 市政府}
      complainant_id: {column: 用户}
      content: {column: 主题}
`
	dir := writeFiles(t, map[string]string{"board.csv": "编号,用户,主题,时间,详情,答复时间\n" +
		"11,U1,丽发新城小区停水,2019/7/1 09:00:00,A市A3区丽发新城小区停水三天,2019/7/20 10:00:00\n" +
		"12,U2,学院收费问题,2019/7/2 09:00:00,某学院乱收费,\n" +
		"13,U1,丽发新城小区 停水！,2019/7/25 09:00:00,还是停水,\n" +
		"14,U1,丽发新城小区停水,2019/8/2 09:00:00,又停水了,2019-08-09 10:00:00\n" +
		"15,U3,丽发新城小区停水,2019/8/3 09:00:00,A市A3区也停水,\n" +
		"16,U2,学院收费 问题,2019/7/2 09:00:04,某学院乱收费,\n" +
		"17,U2,学院收费问题,2019/7/9 09:00:00,还在乱收费,\n"})
	cfg := testConfig(t)
	cfg.Input = dir
	cfg.Profile = filepath.Join(t.TempDir(), "board.yaml")
	cfg.Quarantine.MaxRejectRate = 0.05 // a message sent twice is not the profile's fault
	if err := os.WriteFile(cfg.Profile, []byte(profile), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2019-12-31"), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if f := s.Inputs[0]; f.Read != 7 || f.Loaded != 6 || f.Quarantined != 1 || f.SentTwice != 1 {
		t.Fatalf("counts %+v", f)
	}
	q := query(t, cfg, "SELECT line, field, raw, reason FROM quarantine")
	if len(q) != 1 || q[0][0] != int64(7) || q[0][1] != "content" || q[0][2] != "16" ||
		runrecord.RenderReason("zh", "content", q[0][3].(string)) != "与第 3 行同一信访人、同一天、内容完全相同，为重复提交，只计一次来信来访" {
		t.Errorf("quarantine %v, want line 7 (message 16) sent twice after line 3", q)
	}
	// The report counts it as sent twice, not as a row to correct.
	report := readFile(t, filepath.Join(cfg.Output, "report.html"))
	if !strings.Contains(report, html.EscapeString(i18n.T("zh", "report.sent_twice", 1, "quarantine.csv"))) || strings.Contains(report, "行有误") {
		t.Error("the report's warnings do not say one row was sent twice, or call it an error")
	}
	r := query(t, cfg, `SELECT c.case_id, c.received_date::VARCHAR, c.township,
  (SELECT string_agg(contact_id, ',' ORDER BY contact_id) FROM contacts o WHERE o.case_id = c.case_id),
  (SELECT string_agg(event_type || '@' || event_date::VARCHAR, ',' ORDER BY event_date) FROM events e WHERE e.case_id = c.case_id)
FROM cases c ORDER BY case_id`)
	want := "[[11 2019-07-01 A市A3区 11,13,14 accepted@2019-07-01,answered@2019-07-20,answered@2019-08-09] " +
		"[12 2019-07-02 未注明 12,17 accepted@2019-07-02] [15 2019-08-03 A市A3区 15 accepted@2019-08-03]]"
	if fmt.Sprint(r) != want {
		t.Errorf("cases\n%v\nwant\n%v", r, want)
	}
}

// TestFoundInText: township, category and target organisation found in the text by a
// dictionary and an expression group seven people's messages into one wave; the case records
// the words that matched, and the matter's reason names them.
func TestFoundInText(t *testing.T) {
	dir := t.TempDir()
	profile := `
name: board
format: csv
sources:
  - table: cases
    fields:
      case_id: {column: 编号}
      received_date: {column: 时间, layouts: ["2006-01-02"]}
      channel: {value: online}
      level: {value: city}
      category: {columns: [详情], dictionary: categories.csv, default: 未分类}
      township: {columns: [主题, 详情], dictionary: places.csv, default: 未注明}
      target_org: {column: 详情, extract: '(?P<value>[\p{Han}]{2,8}物业公司)'}
      responsible_unit: {value: 市政府}
      complainant_id: {column: 用户}
      content: {column: 详情}
`
	for name, body := range map[string]string{
		"board.yaml":     profile,
		"places.csv":     "丽发新城,丽发新城小区\n丽发,丽发新城小区\n华盛世纪新城\n",
		"categories.csv": "停水,供水\n水压,供水\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var b strings.Builder
	b.WriteString("编号,用户,时间,主题,详情\n")
	for i := range 7 {
		fmt.Fprintf(&b, "%d,U%d,2025-03-0%d,反映问题,我们小区（丽发新城）又停水了，绿城物业公司不管\n", i+1, i+1, i%3+1)
	}
	b.WriteString("8,U8,2025-03-02,华盛世纪新城水压低,水压低\n")
	for i := range 7 { // a second wave, whose township is named in the text as it is called
		fmt.Fprintf(&b, "%d,V%d,2025-03-0%d,反映问题,华盛世纪新城又停水了，绿城物业公司不管\n", i+9, i+1, i%3+1)
	}
	in := writeFiles(t, map[string]string{"board.csv": b.String()})
	cfg := testConfig(t)
	cfg.Input, cfg.Profile = in, filepath.Join(dir, "board.yaml")
	s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2025-03-10"), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(s.Inputs[0].FoundInText); got != "map[category:{15 15} target_org:{15 14} township:{15 15}]" {
		t.Errorf("found in text %s, want every row's township and category, 14 of 15 organisations", got)
	}
	r := query(t, cfg, "SELECT township, category, target_org, found_in_text FROM cases WHERE case_id IN ('1', '8') ORDER BY case_id")
	want := `[[丽发新城小区 供水 绿城物业公司 {"category":"停水","target_org":"绿城物业公司","township":"丽发新城"}] [华盛世纪新城 供水 <nil> {"category":"水压","township":"华盛世纪新城"}]]`
	if fmt.Sprint(r) != want {
		t.Errorf("cases\n%v\nwant\n%v", r, want)
	}
	w := query(t, cfg, "SELECT reason_zh, reason_en FROM watchlist WHERE run_id = $1 AND 'group-wave' IN rules ORDER BY township", s.RunID)
	if len(w) != 2 {
		t.Fatalf("wave matters %v, want two", w)
	}
	// A township found by its own name is not quoted twice.
	if zh, en := w[1][0].(string), w[1][1].(string); !strings.Contains(zh, "（乡镇街道“华盛世纪新城”从文本中识别）（问题类别“供水”据文本中的“停水”识别）") ||
		!strings.Contains(en, "(township 华盛世纪新城 found in the text) (category 供水 found in the text: 停水)") {
		t.Errorf("reasons %q, %q do not say the township was found by its name alone", zh, en)
	}
	if zh := w[0][0].(string); !strings.Contains(zh, "（乡镇街道“丽发新城小区”据文本中的“丽发新城”识别）（问题类别“供水”据文本中的“停水”识别）") {
		t.Errorf("reason %q does not name the words found", zh)
	}
	if en := w[0][1].(string); !strings.Contains(en, "(township 丽发新城小区 found in the text: 丽发新城)") {
		t.Errorf("reason %q does not name the words found", en)
	}
}

// TestChangedProfileReloads: a file already loaded is skipped while its profile is unchanged,
// and loaded again, replacing its records, once the profile changes.
func TestChangedProfileReloads(t *testing.T) {
	profile := func(place string) string {
		return `
name: board
format: csv
fields:
  case_id: {column: 编号}
  received_date: {column: 时间, layouts: ["2006-01-02"]}
  channel: {value: online}
  level: {value: city}
  category: {value: 未分类}
  township: {column: 详情, extract: '` + place + `', default: 未注明}
  responsible_unit: {value: 市政府}
`
	}
	in := writeFiles(t, map[string]string{"board.csv": "编号,时间,详情\n1,2025-03-01,A市A3区停水\n2,2025-03-02,L3县修路\n"})
	cfg := testConfig(t)
	cfg.Input, cfg.Profile = in, filepath.Join(t.TempDir(), "board.yaml")
	run := func(place string) *Summary {
		t.Helper()
		if err := os.WriteFile(cfg.Profile, []byte(profile(place)), 0o644); err != nil {
			t.Fatal(err)
		}
		s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2025-03-10"), Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	townships := func() string {
		return fmt.Sprint(query(t, cfg, "SELECT township FROM cases ORDER BY case_id"))
	}
	run(`[A-Z]市[A-Z]\d+[区县]`)
	if got := townships(); got != "[[A市A3区] [未注明]]" {
		t.Fatalf("first load: %s", got)
	}
	if s := run(`[A-Z]市[A-Z]\d+[区县]`); !s.Inputs[0].Skipped {
		t.Errorf("unchanged profile: %+v, want the file skipped", s.Inputs[0])
	}
	s := run(`(?:[A-Z]市)?(?P<value>[A-Z]\d+[区县])`)
	if s.Inputs[0].Skipped || s.Inputs[0].Loaded != 2 {
		t.Errorf("changed profile: %+v, want the file loaded again", s.Inputs[0])
	}
	if got := townships(); got != "[[A3区] [L3县]]" {
		t.Errorf("after the change: %s", got)
	}
}
