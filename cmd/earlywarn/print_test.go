package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/pipeline"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// TestPrintRunResult pins run's report, in both languages, to the lines the README quotes (a
// file's rejected rows by field, with the map hint for an unknown code in a profiled file); the
// line on records after the as-of date shows only when there are some, and a rule that keeps
// counts over its period says nothing of them when its period holds no text.
func TestPrintRunResult(t *testing.T) {
	s := &pipeline.Summary{
		RunID: "20261128T083439Z-52d801", AsOf: "2025-12-31", PrevAsOf: "2025-12-30", WatchlistItems: 71, BareTitles: 40, DataLatest: "2025-12-20",
		AfterAsOf: map[string]int64{"cases": 3, "contacts": 5, "events": 12},
		Inputs: []pipeline.FileResult{
			{Input: runrecord.Input{Path: "in/信访件.csv", Mapping: "office"}, Read: 100, Loaded: 98, Quarantined: 2,
				Rejected: []runrecord.RejectedField{{Field: "channel", Rows: 2, FirstLine: 12, Columns: []string{"来访方式"},
					Reason: json.RawMessage(`[["unknown_code","channel","传真","letter, visit"]]`)}}},
			{Read: 50, Loaded: 50, LoadedBy: "20261127T010000Z-aaaaaa"},
			{Read: 10, Loaded: 10, LoadedBy: "20261127T010000Z-aaaaaa"},
			{Skipped: true},
			{Read: 40, Loaded: 37, Quarantined: 3, UnpublishedRun: "20261127T020000Z-bbbbbb"},
		},
		Republished: "20261127T020000Z-bbbbbb", UnpublishedRuns: []string{"20261127T020000Z-bbbbbb"},
		Tiers:   map[string]int64{"red": 22, "orange": 33, "yellow": 16},
		States:  map[string]int64{pipeline.StateNew: 5, pipeline.StateWorse: 4, pipeline.StateReopened: 3, pipeline.StateContinuing: 2, pipeline.StateCleared: 1, pipeline.StateSuppressed: 6},
		Timings: map[string]float64{"total": 1.14},
		Outputs: []string{"out/watchlist.parquet", "out/watchlist.csv", "out/summary.json", "out/quarantine.csv", "out/report.html", "out/watchlist.xlsx"},
		Rules: map[string]pipeline.RuleResult{
			"repeat-contacts": {Name: runrecord.RuleName{ZH: "同一事项90天内反复来信来访", EN: "repeat contacts within 90 days"},
				Rescreened: &pipeline.Rescreened{Cases: 1204, Carried: 310}},
			"escalation-continued": {Name: runrecord.RuleName{ZH: "答复或终结后仍反复来信来访", EN: "contacts after the answer"},
				Rescreened: &pipeline.Rescreened{Cases: 1204, Carried: 45}},
			"group-wave":      {Name: runrecord.RuleName{ZH: "集体访高峰", EN: "a wave of visits"}},
			"group-hot-issue": {Name: runrecord.RuleName{ZH: "文本热点", EN: "hot issue"}, Texts: &runrecord.TextsRead{}},
		},
	}
	for lang, want := range map[string]string{
		"zh": `预警清单：out/watchlist.csv（共 71 项：红 22，橙 33，黄 16）
其中 40 项（共 71 项）的标题只有地点和日期：数据没有问题类别和被反映单位，而标题中的内容摘要默认关闭（摘要偶尔会显示文中的人名）。可在映射配置中映射问题类别或被反映单位，或用 ` + "`earlywarn train-category`" + ` 训练由文本判断类别的模型；接受摘要偶尔显示人名的，可设 ` + "`watchlist.title_gist: true`" + `（见 README“Titles”）
较截至 2025-12-30 的上次运行：新增 5，加重 4，再现 3，持续 2，消除 1；已排除 6
截至 2025-12-31；读入 200 行，载入 195 行，隔离 5 行，跳过已载入文件 1 个；运行编号 20261128T083439Z-52d801，用时 1.1 秒
  信访件.csv 隔离 2 行：来信来访方式（channel），即导出的“来访方式”列 2 行（首见于第 12 行：未知代码 传真；应为 letter（来信）、visit（来访） 之一）。导出中的写法不在代码之列时，可在映射配置该字段的 ` + "`map`" + ` 中把它对应到其中一个代码。逐行见 out/quarantine.csv
按信访件判断的规则（答复或终结后仍反复来信来访、同一事项90天内反复来信来访）本次只重新筛查了 1204 件信访件：自上次运行以来记录有变化的，或有来信来访进出这些规则统计期的；其余信访件的 355 条预警沿用上次运行的结果，与全部重新筛查所得相同。如需全部重新筛查，加 ` + "`--full`" + `
数据中的最新日期 2025-12-20 早于上次运行的截至日期 2025-12-31：本次仍截至 2025-12-31（未指定截至日期时不会早于上次运行；如需按更早的日期筛查，请用 ` + "`--as-of`" + ` 指定）
晚于截至日期 2025-12-31 的 20 条记录已载入，本次筛查不计入（信访件 3，来信来访 5，办理环节 12）
中断的运行 20261127T010000Z-aaaaaa 已载入的文件 2 个由本次运行接续筛查，行数已计入上面
输出文件夹 out 中没有运行 20261127T020000Z-bbbbbb 的完整结果（其发布中断，或换了输出文件夹），已从数据库重新写出
结果文件未曾完整发布的运行 20261127T020000Z-bbbbbb 载入的文件 1 个，行数已计入上面，其隔离的行列在本次的 ` + "`quarantine.csv`" + ` 中
另见：out/watchlist.parquet、out/summary.json、out/quarantine.csv、out/report.html、out/watchlist.xlsx
`,
		"en": `watchlist: out/watchlist.csv (71 matters: 22 red, 33 orange, 16 yellow)
40 of the 71 matters have a title of a place and a day only: the data has no category nor target organisation, and the gist of the content is off by default (a gist now and then shows a name in the text). Map a category or target organisation in the profile, or train a category model from the text with ` + "`earlywarn train-category`" + `; to accept a gist that may now and then show a name, set ` + "`watchlist.title_gist: true`" + ` (README, Titles)
since the last run, as of 2025-12-30: 5 new, 4 worse, 3 back, 2 continuing, 1 cleared; 6 dismissed in review and held back
as of 2025-12-31; rows read 200, loaded 195, quarantined 5; 1 file(s) already loaded, skipped; run 20261128T083439Z-52d801 in 1.1s
  信访件.csv: 2 row(s) quarantined: channel, the export's column “来访方式” 2 (first at line 12: unknown code 传真; expected one of letter, visit). Where the export writes a code another way, the field's ` + "`map`" + ` in the profile can map it to one of the codes. Each row is in out/quarantine.csv
rules by case (contacts after the answer, repeat contacts within 90 days) screened again only 1204 cases: those whose records changed since the last run, or with a contact entering or leaving these rules' periods; the other cases' 355 flags stand from the last run, as screening them again would give them. ` + "`--full`" + ` screens every case again
the latest date in the data, 2025-12-20, is before the last run's as-of date, 2025-12-31: this run is as of 2025-12-31 too (an as-of date left to the data never goes back; to screen an earlier date, give it with ` + "`--as-of`" + `)
20 record(s) dated after 2025-12-31 are loaded and left out of this screening (cases 3, contacts 5, events 12)
2 file(s) loaded by interrupted run 20261127T010000Z-aaaaaa were screened by this run and are counted above
the output folder out did not hold the outputs of run 20261127T020000Z-bbbbbb whole (its publishing was cut short, or the folder is another) and they were written again from the database
1 file(s) loaded by run 20261127T020000Z-bbbbbb, whose outputs were never published whole, are counted above and their quarantined rows are in this run's ` + "`quarantine.csv`" + `
also: out/watchlist.parquet, out/summary.json, out/quarantine.csv, out/report.html, out/watchlist.xlsx
`,
	} {
		var b bytes.Buffer
		printRunResult(&b, lang, s)
		if b.String() != want {
			t.Errorf("%s:\ngot:\n%s\nwant:\n%s", lang, b.String(), want)
		}
	}
}

// TestPrintFirstChanges: a run with no earlier date to compare with says every matter is new,
// and a re-run of that date says why its attempt before is not compared with.
func TestPrintFirstChanges(t *testing.T) {
	s := &pipeline.Summary{RunID: "r", AsOf: "2025-12-31", WatchlistItems: 3, Timings: map[string]float64{"total": 1},
		States:  map[string]int64{pipeline.StateNew: 3},
		Outputs: []string{"out/watchlist.parquet", "out/watchlist.csv", "out/summary.json"}}
	for _, c := range []struct {
		same   int
		zh, en string
	}{
		{0, "此前没有截至更早日期的运行可比，全部为新增：新增 3，", "no run as of an earlier date to compare with, so every matter is new: 3 new,"},
		{2, "截至 2025-12-31 已运行过 2 次，重新运行不与之比较，只与截至更早日期的运行比较；此前没有这样的运行，全部为新增：新增 3，",
			"a re-run as of 2025-12-31 (earlier attempts: 2) is compared only with runs as of an earlier date, and there is none, so every matter is new: 3 new,"},
	} {
		s.SameAsOfRuns = c.same
		for lang, want := range map[string]string{"zh": c.zh, "en": c.en} {
			var b bytes.Buffer
			printRunResult(&b, lang, s)
			if !strings.Contains(b.String(), want) {
				t.Errorf("%s, %d earlier attempts: output lacks %q:\n%s", lang, c.same, want, b.String())
			}
		}
	}
}

func TestPrintBacktest(t *testing.T) {
	lead := 2.5
	res := &pipeline.BacktestResult{From: "2025-06-01", To: "2025-06-30", Days: 30, MatterDays: 2000, HasTruth: true, Seconds: 3.21,
		Rows: []pipeline.BacktestRow{
			{Scope: "family", Name: "stalled", Events: 4, Detected: 3, Alerts: 10, FalseAlerts: 2, MedianLeadDays: &lead},
			{Scope: "rule", Name: "stalled-overdue", Events: 4, Detected: 3, Alerts: 10, FalseAlerts: 2},
		},
		DueSoon: &pipeline.DueSoonBacktest{Days: 7, BecameOverdue: 436, ListedBefore: 430, MedianAhead: &lead}}
	for lang, want := range map[string]string{
		"zh": `回测 2025-06-01 至 2025-06-30：30 天，2000 事项日，用时 3.2 秒
规则/类别                            事件        检出      检出率       预警        误报/千事项日      提前(天)
[stalled]                         4         3    0.750       10          1.000        2.5
stalled-overdue                   4         3    0.750       10          1.000          -
临期预警（7 天）：区间内新超期的 436 件中，430 件此前已列入临期预警清单，中位提前 2.5 天
已写出：[a b]
`,
		"en": `backtest 2025-06-01 to 2025-06-30: 30 days, 2000 matter-days, 3.2s
rule / family                events  detected     rate   alerts   false/1000md    lead(d)
[stalled]                         4         3    0.750       10          1.000        2.5
stalled-overdue                   4         3    0.750       10          1.000          -
due soon (7 days): of 436 cases that became overdue in the range, 430 had been on the due-soon list beforehand, median 2.5 days ahead
written: [a b]
`,
	} {
		var b bytes.Buffer
		printBacktest(&b, lang, res, []string{"a", "b"})
		if b.String() != want {
			t.Errorf("%s:\ngot:\n%s\nwant:\n%s", lang, b.String(), want)
		}
	}
}

// TestPrintRunWarnings: run prints each input warning after the counts, naming the rule (by its
// display name, else its id), whether it was skipped and what to do, in the run's language.
func TestPrintRunWarnings(t *testing.T) {
	s := &pipeline.Summary{
		RunID: "r", AsOf: "2025-12-31", Timings: map[string]float64{"total": 1},
		Outputs: []string{"out/watchlist.parquet", "out/watchlist.csv", "out/summary.json"},
		Rules:   map[string]pipeline.RuleResult{"stalled-overdue": {Name: runrecord.RuleName{ZH: "当前环节超过法定期限", EN: "stage past its deadline"}}},
		Warnings: []pipeline.Warning{
			{Rule: "stalled-overdue", Code: "no_closing", Skipped: true, Args: []string{"2025-12-31", "75", "3851"}},
			{Rule: "group-wave", Code: "field_constant", Args: []string{"category", "365", "859", "未分类"}},
		},
	}
	for lang, want := range map[string][]string{
		"zh": {"警告：规则“当前环节超过法定期限”已跳过，未运行：截至 2025-12-31，数据中没有任何答复、复查、复核、终结或办结事件，而受理已超过办理时限（75 天）的信访件有 3851 件",
			"警告：规则“group-wave”：分组字段 `category` 在近 365 天受理的 859 件中只有一个值（未分类）：按它分组不起作用。请在映射配置中映射该字段的真实值（导出没有问题类别一栏时，可用 `earlywarn train-category` 由文本判断类别），或把它从规则的 `group_by` 中去掉\n"},
		"en": {"warning: rule \"stage past its deadline\" skipped, not run: as of 2025-12-31 the data hold no answered, reviewed, re-reviewed, terminated or closed event, while 3851 cases are past the handling clock (75 days)",
			"warning: rule \"group-wave\": group-by field `category` has one value (未分类) in all 859 cases received in the last 365 days: grouping by it does nothing. Map the field's real values in the profile (for a category the export lacks, `earlywarn train-category` trains a model that tells it from the text), or remove it from the rule's `group_by`\n"},
	} {
		var b bytes.Buffer
		printRunResult(&b, lang, s)
		for _, w := range want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: output lacks %q:\n%s", lang, w, b.String())
			}
		}
	}
}

// A run whose data has no closing records says that it lists nothing due soon, and why, though
// no rule of its config warned of it.
func TestPrintDeadlinesUnknown(t *testing.T) {
	s := &pipeline.Summary{RunID: "r", AsOf: "2025-12-31", Timings: map[string]float64{"total": 1}, DeadlinesUnknown: true,
		Outputs: []string{"out/watchlist.parquet", "out/watchlist.csv", "out/summary.json"}}
	var b bytes.Buffer
	printRunResult(&b, "zh", s)
	if want := "临期预警：本次不列。数据中没有任何答复、复查、复核、终结或办结记录"; !strings.Contains(b.String(), want) {
		t.Errorf("output lacks %q:\n%s", want, b.String())
	}
}

// TestPrintNothingToScreenAgain: a night whose rules by case had no case to screen again says so
// (not "screened again only 0 cases"), and a run with no earlier as-of date to compare with says
// every matter is new.
func TestPrintNothingToScreenAgain(t *testing.T) {
	s := &pipeline.Summary{
		RunID: "r", AsOf: "2025-12-31", Timings: map[string]float64{"total": 1},
		States:  map[string]int64{pipeline.StateNew: 3},
		Outputs: []string{"out/watchlist.parquet", "out/watchlist.csv", "out/summary.json"},
		Rules: map[string]pipeline.RuleResult{"repeat-contacts": {Name: runrecord.RuleName{ZH: "同一事项90天内反复来信来访"},
			Rescreened: &pipeline.Rescreened{Cases: 0, Carried: 12}}},
	}
	var out strings.Builder
	printRunResult(&out, "zh", s)
	for _, want := range []string{"按信访件判断的规则（同一事项90天内反复来信来访）本次没有要重新筛查的信访件", "上次运行的 12 条预警照旧",
		"此前没有截至更早日期的运行可比，全部为新增：新增 3，"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("printout lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "只重新筛查了 0 件") {
		t.Errorf("printout says it screened again only 0 cases:\n%s", out.String())
	}
}
