package pipeline

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/topics"
	"github.com/earlywarn/earlywarn/rules"
)

// topicsInput writes a county of 90 days: every day a dozen cases on everyday matters from
// eight townships, each opening and closing with the same stock phrases; a phrase three people
// write every day all along (steady); a person's name 20 people write in the last 10 days; and
// the planted burst: 20 people in the last 10 days writing, in their own words around it, of a
// phrase nobody wrote before. Some write twice.
func topicsInput(t *testing.T) configs.Config {
	t.Helper()
	cfg := testConfig(t)
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(14, 3))
	asOf := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	towns := []string{"城关镇", "东城街道", "西城街道", "南湖镇", "北山乡", "青石镇", "河口镇", "白沙乡"}
	everyday := []string{"小区门口路灯坏了很久没人修", "楼道堆放杂物存在消防隐患", "孩子上学的学位申请一直没有结果",
		"单位拖欠工资已经三个月", "社保缴费基数调整后不知道怎么办理", "医院挂号排队时间太长", "公交车班次太少等车要一个小时",
		"附近工地夜间施工噪音很大", "养老金发放时间能否提前", "农村道路坑洼不平雨天无法通行", "菜市场周边占道经营严重",
		"自来水水压不足高层用不上水", "供暖温度不达标家里很冷", "电动车充电桩太少", "房屋产权证迟迟办不下来"}
	around := []string{"最近", "这几天", "入夏以来", "连日下雨", "一到下雨天", "近一个月", "从上周开始", "雨季"}
	after := []string{"车辆被泡", "墙皮脱落", "积水没过脚踝", "无人过问", "电路存在隐患", "已经发霉", "无法停车", "意见很大"}
	var cases, contacts strings.Builder
	cases.WriteString("case_id,received_date,channel,level,complainant_id,head_count,category,township,village,target_org,responsible_unit,status,content\n")
	contacts.WriteString("contact_id,case_id,contact_date,channel,level,person_id,head_count\n")
	n := 0
	add := func(daysBack int, body, person string) {
		n++
		d := asOf.AddDate(0, 0, -daysBack).Format(time.DateOnly)
		town := towns[rng.IntN(len(towns))]
		if person == "" {
			person = fmt.Sprintf("P%05d", n)
		}
		text := "尊敬的领导您好，我是" + town + "的居民，" + body + "，希望相关部门尽快处理，谢谢"
		fmt.Fprintf(&cases, "T%05d,%s,online,county,%s,1,城乡建设,%s,,,%s人民政府,办理中,%s\n", n, d, person, town, town, text)
		fmt.Fprintf(&contacts, "K%05d,T%05d,%s,online,county,%s,1\n", n, n, d, person)
	}
	for day := range 90 {
		for range 12 {
			add(day, everyday[rng.IntN(len(everyday))]+"，"+everyday[rng.IntN(len(everyday))], "")
		}
		for i := range 3 {
			add(day, around[i]+"河道水面漂浮大量死鱼"+after[(day+i)%len(after)], "")
		}
	}
	for i := range 20 {
		add(i%10, around[i%len(around)]+"光明小区地下车库漏水"+after[(i*3)%len(after)], fmt.Sprintf("B%02d", i))
		add(i%10, "村里张书记强占"+after[i%len(after)], fmt.Sprintf("N%02d", i))
	}
	for i := range 4 { // four of them write again, in other words
		add(i, "光明小区地下车库漏水的事还是没人管", fmt.Sprintf("B%02d", i))
	}
	for name, text := range map[string]string{"cases.csv": cases.String(), "contacts.csv": contacts.String(),
		"events.csv": "event_id,case_id,event_type,event_date\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg.Input = dir
	return cfg
}

// TestTopicsFindThePlantedBurst: a run finds the planted burst as one topic, its whole phrase,
// with its 20 people and 24 messages; not the steady phrase, the stock phrases or the person's
// name. The topic is stored with the run in topic_bursts and listed in the run record, and the
// watchlist is the same without it.
func TestTopicsFindThePlantedBurst(t *testing.T) {
	cfg := topicsInput(t)
	s, err := Run(t.Context(), plan(t, cfg), Options{AsOf: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Topics == nil || s.Topics.KnownDays != 56 {
		t.Fatalf("run record's topics %+v, want 56 baseline days known", s.Topics)
	}
	var phrases []string
	for _, x := range s.Topics.Topics {
		t.Logf("topic %q %q: %d people, %d messages, expected %.1f, p %.2g, %s..%s, %v",
			x.Phrase, x.Related, x.Complainants, x.Messages, x.Expected, x.PValue, x.FirstDate, x.LastDate, x.Places)
		phrases = append(phrases, x.Phrase)
		for _, w := range append([]string{x.Phrase}, x.Related...) {
			if strings.Contains(w, "张书") || strings.Contains(w, "死鱼") || strings.Contains(w, "尊敬的领导") || strings.Contains(w, "相关部门") {
				t.Errorf("topic %q: %q is a name, steady or stock text", x.Phrase, w)
			}
		}
	}
	if len(phrases) == 0 || phrases[0] != "光明小区地下车库漏水" {
		t.Fatalf("topics %q, want 光明小区地下车库漏水 first", phrases)
	}
	top := s.Topics.Topics[0]
	if top.Complainants != 20 || top.Messages != 24 || top.FirstDate != "2025-06-21" || top.LastDate != "2025-06-30" || len(top.Examples) != 5 {
		t.Errorf("topic %+v, want 20 people, 24 messages from 2025-06-21 to 2025-06-30, 5 examples", top)
	}
	rows := query(t, cfg, `SELECT rank, phrase, complainants, messages, CAST(first_date AS VARCHAR), len(example_case_ids), len(places)
		FROM topic_bursts WHERE run_id = $1 ORDER BY rank`, s.RunID)
	if len(rows) != len(phrases) || rows[0][1] != "光明小区地下车库漏水" || rows[0][2] != int32(20) || rows[0][3] != int32(24) || rows[0][4] != "2025-06-21" || rows[0][5] != int64(5) {
		t.Errorf("topic_bursts %v", rows)
	}
	items := s.WatchlistItems

	// Off: no topics, none stored, none in the record.
	cfg.Topics.Enabled = false
	cfg.Database = filepath.Join(t.TempDir(), "off.duckdb")
	s, err = Run(t.Context(), plan(t, cfg), Options{AsOf: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Topics != nil || len(query(t, cfg, `SELECT * FROM topic_bursts`)) != 0 {
		t.Errorf("topics off, yet %+v", s.Topics)
	}
	if s.WatchlistItems != items {
		t.Errorf("%d watchlist items with topics, %d without: topics are not matters", items, s.WatchlistItems)
	}
	// Too little history: as of day 40 of the data, 26 baseline days are on record.
	cfg.Topics.Enabled = true
	cfg.Database = filepath.Join(t.TempDir(), "early.duckdb")
	s, err = Run(t.Context(), plan(t, cfg), Options{AsOf: time.Date(2025, 5, 11, 0, 0, 0, 0, time.UTC), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if s.Topics == nil || s.Topics.KnownDays != 26 || len(s.Topics.Topics) != 0 {
		t.Errorf("with 26 baseline days known, topics %+v", s.Topics)
	}
}

// TestTopicMessagesAreEachCaseWithItsContacts: readTopicMessages gives, for each period, every
// case with text and a contact in it, once, with exactly those contacts, as a plain per-case
// aggregate of the same tables does, however many ranges of cases it reads them in; a case
// without text is left out, and a contact without a person counts as the case's own (its key
// negated).
func TestTopicMessagesAreEachCaseWithItsContacts(t *testing.T) {
	cfg := topicsInput(t)
	asOf := time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)
	if _, err := Run(t.Context(), plan(t, cfg), Options{AsOf: asOf, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	db, err := OpenDB(t.Context(), cfg.Database, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q, err := db.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	for _, stmt := range []string{
		`UPDATE cases SET content = '' WHERE case_id IN ('T00001', 'T00100')`, // no text: left out
		`UPDATE contacts SET person_id = NULL WHERE case_id IN ('T00002', 'T00500')`,
	} {
		if _, err := q.ExecContext(t.Context(), stmt); err != nil {
			t.Fatal(err)
		}
	}
	for _, st := range rules.PrepareSQL(cfg.Clocks, asOf)[:1] { // case_contacts
		if _, err := q.ExecContext(t.Context(), st.SQL, st.Args...); err != nil {
			t.Fatal(err)
		}
	}
	// Read in ranges of about 150 contacts' cases: dozens of ranges here, as a province's night
	// reads dozens.
	defer func(n int64) { topicRangeContacts = n }(topicRangeContacts)
	topicRangeContacts = 150
	for _, period := range [][2]int{{0, 13}, {14, 69}} {
		got := map[string]string{}
		err := readTopicMessages(t.Context(), q, asOf, period[0], period[1], func(m topics.Message) {
			var cs []string
			for _, c := range m.Contacts {
				cs = append(cs, fmt.Sprintf("%d:%d", c.Day, c.Person))
			}
			slices.Sort(cs)
			if _, twice := got[m.CaseID]; twice {
				t.Errorf("case %s handed over twice", m.CaseID)
			}
			got[m.CaseID] = m.Text + "|" + m.Place + "|" + m.Category + "|" + strings.Join(cs, ",")
		})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}
		rows, err := q.QueryContext(t.Context(), `
			SELECT c.case_id, c.content || '|' || c.township || '|' || c.category || '|' ||
			       string_agg(CAST(DATE '2025-06-30' - k.contact_date AS INTEGER) || ':' || coalesce(k.pk, -k.ck), ',' ORDER BY
			                  CAST(DATE '2025-06-30' - k.contact_date AS INTEGER) || ':' || coalesce(k.pk, -k.ck))
			FROM cases c JOIN case_contacts k ON k.ck = c.rowid
			WHERE c.content <> '' AND k.contact_date BETWEEN DATE '2025-06-30' - $2::INTEGER AND DATE '2025-06-30' - $1::INTEGER
			GROUP BY c.case_id, c.content, c.township, c.category`, period[0], period[1])
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id, v string
			if err := rows.Scan(&id, &v); err != nil {
				t.Fatal(err)
			}
			want[id] = v
		}
		rows.Close()
		if len(want) < 100 || !maps.Equal(got, want) {
			t.Errorf("period %v: %d messages read, %d by aggregate", period, len(got), len(want))
			for id, v := range want {
				if got[id] != v {
					t.Errorf("%s: read %q, want %q", id, got[id], v)
					break
				}
			}
		}
		for _, id := range []string{"T00001", "T00100"} {
			if _, ok := got[id]; ok {
				t.Errorf("case %s without text was read", id)
			}
		}
	}
}
