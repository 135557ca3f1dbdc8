// Package xlsx writes a run's watchlist as an Excel workbook for leaders: the watchlist with a
// frozen header, filters and tier colours; a summary sheet; and the monthly ledger of owned
// matters (包案台账).
package xlsx

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/earlywarn/earlywarn/web/review"
)

// FileName is the workbook's name in the output folder.
const FileName = "watchlist.xlsx"

// Tier fills of the tier column, and a light tint of the same for the row.
var tierFill = map[string]string{"red": "FF8A80", "orange": "FFCC80", "yellow": "FFF59D"}

type sheetText struct {
	watchlist, summary, ledger string
	columns, ledgerColumns     []string
	summaryRows                map[string]string
}

var text = map[string]sheetText{
	review.LangZH: {
		watchlist: "预警清单", summary: "汇总", ledger: "包案台账",
		columns: []string{"序号", "事项编号", "事项类型", "预警等级", "分值", "命中规则", "预警原因", "责任单位",
			"乡镇街道", "问题类别", "首次预警日期", "办理状态", "包案领导", "信访件编号", "来信来访编号", "办理环节编号"},
		ledgerColumns: []string{"事项编号", "预警等级", "乡镇街道", "问题类别", "责任单位", "包案领导", "认领日期",
			"化解方案", "完成时限", "本月进展（%s）", "最近进展日期", "状态"},
		summaryRows: map[string]string{"run": "运行编号", "asOf": "数据截至", "total": "预警事项合计",
			"tier": "按预警等级", "rule": "按命中规则", "township": "按乡镇街道", "category": "按问题类别",
			"generated": "生成时间", "overdue": "已逾期", "item": "项目", "count": "数量"},
	},
	review.LangEN: {
		watchlist: "Watchlist", summary: "Summary", ledger: "Ownership ledger",
		columns: []string{"rank", "matter id", "matter kind", "tier", "score", "rules", "reason", "responsible unit",
			"township", "category", "first flagged", "review state", "owner", "case ids", "contact ids", "event ids"},
		ledgerColumns: []string{"matter id", "tier", "township", "category", "responsible unit", "owner", "taken on",
			"plan", "due date", "progress (%s)", "last progress", "state"},
		summaryRows: map[string]string{"run": "run", "asOf": "as of", "total": "matters on the watchlist",
			"tier": "by tier", "rule": "by rule", "township": "by township", "category": "by category",
			"generated": "generated", "overdue": "overdue", "item": "item", "count": "count"},
	},
}

// Sheet names and headers in lang, for readers and tests.
func SheetNames(lang string) (watchlist, summary, ledger string) {
	t := text[review.Lang(lang)]
	return t.watchlist, t.summary, t.ledger
}

// Columns returns the watchlist sheet's headers in lang.
func Columns(lang string) []string { return append([]string(nil), text[review.Lang(lang)].columns...) }

// Write builds the workbook for run runID, with labels and reasons in lang, and saves it to
// path. now dates the ledger: its progress column covers now's calendar month.
func Write(ctx context.Context, q review.Querier, runID, lang, path string, now time.Time) error {
	lang = review.Lang(lang)
	t := text[lang]
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", t.watchlist); err != nil {
		return err
	}
	w := &book{f: f, lang: lang, t: t}
	if err := w.watchlist(ctx, q, runID); err != nil {
		return fmt.Errorf("%s: sheet %s: %w", FileName, t.watchlist, err)
	}
	if err := w.summary(ctx, q, runID, now); err != nil {
		return fmt.Errorf("%s: sheet %s: %w", FileName, t.summary, err)
	}
	if err := w.ledger(ctx, q, now); err != nil {
		return fmt.Errorf("%s: sheet %s: %w", FileName, t.ledger, err)
	}
	// SaveAs insists on an .xlsx name; publish writes under a temporary one.
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.WriteTo(out); err != nil {
		out.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return out.Close()
}

type book struct {
	f    *excelize.File
	lang string
	t    sheetText
}

func (b *book) header() (int, error) {
	return b.f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E0E0E0"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
	})
}

func (b *book) watchlist(ctx context.Context, q review.Querier, runID string) error {
	sw, err := b.f.NewStreamWriter(b.t.watchlist)
	if err != nil {
		return err
	}
	head, err := b.header()
	if err != nil {
		return err
	}
	tiers := map[string]int{}
	for tier, color := range tierFill {
		if tiers[tier], err = b.f.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}, Font: &excelize.Font{Bold: true}}); err != nil {
			return err
		}
	}
	wrap, err := b.f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	for i, width := range []float64{6, 22, 9, 9, 7, 24, 60, 18, 12, 12, 12, 12, 10, 24, 24, 24} {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	cells := make([]any, len(b.t.columns))
	for i, c := range b.t.columns {
		cells[i] = excelize.Cell{StyleID: head, Value: c}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return err
	}
	reason := "reason_zh"
	if b.lang == review.LangEN {
		reason = "reason_en"
	}
	rows, err := q.QueryContext(ctx, `SELECT w.rank, w.matter_id, w.matter_kind, w.tier, w.score, array_to_string(w.rules, ';'),
  coalesce(w.`+reason+`, ''), coalesce(w.responsible_unit, ''), coalesce(w.township, ''), coalesce(w.category, ''),
  w.first_flagged, coalesce(m.state, 'open'), coalesce(m.owner, ''),
  array_to_string(w.case_ids, ';'), array_to_string(w.contact_ids, ';'), array_to_string(w.event_ids, ';')
FROM watchlist w LEFT JOIN `+review.Reviewed+` m USING (matter_id)
WHERE w.run_id = $1 ORDER BY w.rank`, runID)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 1
	for rows.Next() {
		var rank int64
		var score float64
		var id, kind, tier, rules, why, unit, town, cat, state, owner, cases, contacts, events string
		var first time.Time
		if err := rows.Scan(&rank, &id, &kind, &tier, &score, &rules, &why, &unit, &town, &cat, &first, &state, &owner, &cases, &contacts, &events); err != nil {
			return err
		}
		n++
		cell, _ := excelize.CoordinatesToCellName(1, n)
		if err := sw.SetRow(cell, []any{
			rank, id, review.Label(b.lang, kind), excelize.Cell{StyleID: tiers[tier], Value: review.Label(b.lang, tier)},
			score, rules, excelize.Cell{StyleID: wrap, Value: why}, unit, town, cat, first.Format(time.DateOnly),
			review.Label(b.lang, state), owner, cases, contacts, events,
		}); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	// An Excel table gives the header its filter buttons. (AutoFilter on a streamed sheet would
	// read the whole sheet back: three times slower for 10,000 rows.)
	last, _ := excelize.CoordinatesToCellName(len(b.t.columns), max(n, 2))
	noStripes := false
	if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: "watchlist", ShowRowStripes: &noStripes}); err != nil {
		return err
	}
	return sw.Flush()
}

func (b *book) summary(ctx context.Context, q review.Querier, runID string, now time.Time) error {
	s := b.t.summary
	if _, err := b.f.NewSheet(s); err != nil {
		return err
	}
	head, err := b.header()
	if err != nil {
		return err
	}
	var asOf string
	if err := q.QueryRowContext(ctx, `SELECT strftime(as_of, '%Y-%m-%d') FROM runs WHERE run_id = $1`, runID).Scan(&asOf); err != nil {
		return fmt.Errorf("run %s: %w", runID, err)
	}
	r := b.t.summaryRows
	rows := [][]any{{r["item"], r["count"]}, {r["run"], runID}, {r["asOf"], asOf}, {r["generated"], now.Format("2006-01-02 15:04")}}
	var total int64
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM watchlist WHERE run_id = $1`, runID).Scan(&total); err != nil {
		return err
	}
	rows = append(rows, []any{r["total"], total})
	for _, g := range []struct{ title, sql string }{
		{r["tier"], `SELECT tier, count(*) FROM watchlist WHERE run_id = $1 GROUP BY tier ORDER BY CASE tier WHEN 'red' THEN 0 WHEN 'orange' THEN 1 ELSE 2 END`},
		{r["rule"], `SELECT r, count(*) AS n FROM (SELECT unnest(rules) AS r FROM watchlist WHERE run_id = $1) GROUP BY r ORDER BY n DESC, r`},
		{r["township"], `SELECT coalesce(township, ''), count(*) AS n FROM watchlist WHERE run_id = $1 GROUP BY ALL ORDER BY n DESC, 1`},
		{r["category"], `SELECT coalesce(category, ''), count(*) AS n FROM watchlist WHERE run_id = $1 GROUP BY ALL ORDER BY n DESC, 1`},
	} {
		rows = append(rows, nil, []any{g.title, ""})
		res, err := q.QueryContext(ctx, g.sql, runID)
		if err != nil {
			return err
		}
		for res.Next() {
			var k string
			var n int64
			if err := res.Scan(&k, &n); err != nil {
				res.Close()
				return err
			}
			rows = append(rows, []any{review.Label(b.lang, k), n})
		}
		res.Close()
		if err := res.Err(); err != nil {
			return err
		}
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := b.f.SetSheetRow(s, cell, &row); err != nil {
			return err
		}
		if len(row) == 2 && (i == 0 || row[1] == "") {
			if err := b.f.SetCellStyle(s, cell, "B"+strings.TrimPrefix(cell, "A"), head); err != nil {
				return err
			}
		}
	}
	return b.f.SetColWidth(s, "A", "A", 28)
}

func (b *book) ledger(ctx context.Context, q review.Querier, now time.Time) error {
	s := b.t.ledger
	if _, err := b.f.NewSheet(s); err != nil {
		return err
	}
	head, err := b.header()
	if err != nil {
		return err
	}
	wrap, err := b.f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	month := now.Format("2006-01")
	header := make([]any, len(b.t.ledgerColumns))
	for i, c := range b.t.ledgerColumns {
		if strings.Contains(c, "%s") {
			c = fmt.Sprintf(c, month)
		}
		header[i] = c
	}
	if err := b.f.SetSheetRow(s, "A1", &header); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(header), 1)
	if err := b.f.SetCellStyle(s, "A1", last, head); err != nil {
		return err
	}
	rows, err := review.Ledger(ctx, q, now)
	if err != nil {
		return err
	}
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	for i, r := range rows {
		due, lastNote := "", ""
		if r.Due.Valid {
			due = r.Due.Time.Format(time.DateOnly)
		}
		if r.LastNote.Valid {
			lastNote = r.LastNote.Time.In(now.Location()).Format(time.DateOnly)
		}
		state := review.Label(b.lang, r.State)
		if r.Overdue(day) {
			state = b.t.summaryRows["overdue"]
		}
		row := []any{r.MatterID, review.Label(b.lang, r.Tier), r.Township, r.Category, r.Unit, r.Owner,
			r.TakenAt.In(now.Location()).Format(time.DateOnly), r.Plan, due, strings.Join(r.MonthNotes, "\n"), lastNote, state}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := b.f.SetSheetRow(s, cell, &row); err != nil {
			return err
		}
		if err := b.f.SetCellStyle(s, "H"+cell[1:], "J"+cell[1:], wrap); err != nil {
			return err
		}
	}
	for i, width := range []float64{22, 8, 12, 12, 18, 10, 12, 40, 12, 50, 12, 12} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := b.f.SetColWidth(s, col, col, width); err != nil {
			return err
		}
	}
	if err := b.f.SetPanes(s, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	end, _ := excelize.CoordinatesToCellName(len(header), len(rows)+1)
	return b.f.AutoFilter(s, "A1:"+end, nil)
}
