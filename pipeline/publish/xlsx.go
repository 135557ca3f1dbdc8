package publish

import (
	"cmp"
	"context"
	"database/sql"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/web/review"
)

// watchlist.xlsx is the run's watchlist as an Excel workbook for leaders: first the matters to
// act on with the counts a leader reads (xlsx_leader.go); the watchlist's first matters by rank
// (watchlist.sheet_rows; watchlist.csv and watchlist.parquet hold them all) with a frozen header,
// filters and tier colours; the matters cleared since the previous run; a summary sheet; and the
// monthly ledger of owned matters (包案台账). Every list is bounded (bounds.go). Every sheet
// prints on A4 landscape, fitted to the page's width, its header row repeated on each page.

// Tier fills of the tier column, and a light tint of the same for the row.
var tierFill = map[string]string{"red": "FF8A80", "orange": "FFCC80", "yellow": "FFF59D"}

// The sheets' headers: sheet.watchlist.<column> and sheet.ledger.<column> in the catalogue.
var (
	xlsxColumns = []string{"rank", "matter_id", "title", "matter_kind", "tier", "change", "score", "rules", "reason", "change_note",
		"responsible_unit", "township", "category", "first_flagged", "days_overdue", "review_state", "owner", "case_ids", "contact_ids", "event_ids"}
	// xlsxWidths are the watchlist sheet's column widths, in characters: a Chinese character
	// takes about two.
	xlsxWidths    = []float64{6, 22, 44, 9, 9, 8, 7, 28, 60, 30, 18, 12, 12, 12, 8, 12, 10, 24, 24, 24}
	ledgerColumns = []string{"matter_id", "title", "tier", "township", "category", "responsible_unit", "owner", "taken_on",
		"plan", "due", "progress", "last_progress", "state"}
)

// XLSXSheetNames returns the workbook's sheet names in lang.
func XLSXSheetNames(lang string) (watchlist, summary, ledger string) {
	lang = review.Lang(lang)
	return i18n.T(lang, "sheet.watchlist.name"), i18n.T(lang, "sheet.summary.name"), i18n.T(lang, "sheet.ledger.name")
}

// XLSXColumns returns the watchlist sheet's headers in lang.
func XLSXColumns(lang string) []string {
	return header(review.Lang(lang), "sheet.watchlist", xlsxColumns)
}

// WriteXLSX builds the workbook for run runID, with labels and reasons in set.Lang, and saves it
// to path, synced. now dates the ledger: its progress column covers now's calendar month.
func WriteXLSX(ctx context.Context, q db.Querier, runID string, set Settings, path string, now time.Time) error {
	lang := review.Lang(set.Lang)
	f := excelize.NewFile()
	defer f.Close()
	w := &book{f: f, lang: lang, rows: set.rows()}
	w.sheets.watchlist, w.sheets.summary, w.sheets.ledger = XLSXSheetNames(lang)
	w.sheets.leader, w.sheets.cleared = leaderSheetNames(lang)
	if err := f.SetSheetName("Sheet1", w.sheets.leader); err != nil {
		return err
	}
	asOf, _, err := loadRun(ctx, q, runID)
	if err != nil {
		return i18n.Wrap(err, "publish.err.run", runID)
	}
	w.asOf = asOf
	if w.rules, err = review.LoadRules(ctx, q, runID); err != nil {
		return err
	}
	counts, err := loadSummary(ctx, q, runID)
	if err != nil {
		return i18n.Wrap(err, "publish.err.sheet", WatchlistXLSX, w.sheets.summary)
	}
	leader, err := loadLeader(ctx, q, runID, set, w.rules, w.rows)
	if err != nil {
		return i18n.Wrap(err, "publish.err.sheet", WatchlistXLSX, w.sheets.leader)
	}
	if err := w.leader(leader, set.top(), runID, now); err != nil {
		return i18n.Wrap(err, "publish.err.sheet", WatchlistXLSX, w.sheets.leader)
	}
	if err := w.watchlist(ctx, q, runID, counts.total()); err != nil {
		return i18n.Wrap(err, "publish.err.sheet", WatchlistXLSX, w.sheets.watchlist)
	}
	if err := w.cleared(leader); err != nil {
		return i18n.Wrap(err, "publish.err.sheet", WatchlistXLSX, w.sheets.cleared)
	}
	if err := w.summary(counts, runID, leader, now); err != nil {
		return i18n.Wrap(err, "publish.err.sheet", WatchlistXLSX, w.sheets.summary)
	}
	if err := w.ledger(ctx, q, now); err != nil {
		return i18n.Wrap(err, "publish.err.sheet", WatchlistXLSX, w.sheets.ledger)
	}
	if err := w.dueSoon(ctx, q, runID); err != nil {
		return i18n.Wrap(err, "publish.err.sheet", WatchlistXLSX, DueSoonSheetName(lang))
	}
	if err := w.topics(ctx, q, runID); err != nil {
		return i18n.Wrap(err, "publish.err.sheet", WatchlistXLSX, TopicsSheetName(lang))
	}
	// SaveAs insists on an .xlsx name; Publish writes under a temporary one.
	if err := writeFileSynced(path, func(out io.Writer) error { _, err := f.WriteTo(out); return err }); err != nil {
		return i18n.Wrap(err, "publish.err.write", path)
	}
	return nil
}

type book struct {
	f      *excelize.File
	lang   string
	rows   int // the cap on each list (Settings.rows)
	asOf   string
	rules  review.Rules
	sheets struct{ leader, watchlist, cleared, summary, ledger string }
	styles map[string]int // tierStyle's, by tier
}

// t is the catalogue's message key in the workbook's language.
func (b *book) t(key string, args ...any) string { return i18n.T(b.lang, key, args...) }

func (b *book) header() (int, error) {
	return b.f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E0E0E0"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
	})
}

// watchlist writes the full watchlist's sheet: a note on how many matters there are and how many
// the sheet lists (its first rows by rank, at most b.rows; watchlist.csv and watchlist.parquet
// hold them all), then the header, frozen, and the matters with filters and tier colours.
func (b *book) watchlist(ctx context.Context, q db.Querier, runID string, total int64) error {
	s := b.sheets.watchlist
	if _, err := b.f.NewSheet(s); err != nil {
		return err
	}
	// Before the stream writer: it writes the sheet's print settings as they are when it starts.
	if err := b.printable(s, 2); err != nil {
		return err
	}
	sw, err := b.f.NewStreamWriter(s)
	if err != nil {
		return err
	}
	head, wrap, err := b.listStyles()
	if err != nil {
		return err
	}
	for i, width := range xlsxWidths {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	columns := XLSXColumns(b.lang)
	lastCol, _ := excelize.ColumnNumberToName(len(columns))
	intro := b.t("sheet.watchlist.note_all", total, WatchlistCSV, WatchlistParquet)
	if total > int64(b.rows) {
		intro = b.t("sheet.watchlist.note_first", total, b.rows, WatchlistCSV, WatchlistParquet)
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: wrap, Value: intro}}, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	if err := sw.MergeCell("A1", lastCol+"1"); err != nil {
		return err
	}
	cells := make([]any, len(columns))
	for i, c := range columns {
		cells[i] = excelize.Cell{StyleID: head, Value: c}
	}
	if err := sw.SetRow("A2", cells); err != nil {
		return err
	}
	n := 2
	err = db.Query(ctx, q, xlsxWatchlistSQL.in(b.lang), []any{runID, b.rows}, func(rows *sql.Rows) error {
		var rank int64
		var score float64
		var id, name, kind, tier, change, rules, why, note, unit, town, cat, state, owner, cases, contacts, events string
		var first time.Time
		var overdue sql.NullInt64
		if err := rows.Scan(&rank, &id, &name, &kind, &tier, &change, &score, &rules, &why, &note, &unit, &town, &cat, &first, &overdue, &state, &owner, &cases, &contacts, &events); err != nil {
			return err
		}
		tierStyle, err := b.tierStyle(tier)
		if err != nil {
			return err
		}
		n++
		if err := checkRow(s, n); err != nil {
			return err
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		l := b.lang
		return sw.SetRow(cell, []any{
			rank, id, excelize.Cell{StyleID: wrap, Value: clip(l, MatterTitle(name, town, cat))}, review.Label(l, kind),
			excelize.Cell{StyleID: tierStyle, Value: review.Label(l, tier)}, review.ChangeLabel(l, change), score,
			excelize.Cell{StyleID: wrap, Value: clip(l, b.rules.JoinIDs(l, rules))},
			excelize.Cell{StyleID: wrap, Value: clip(l, why)}, excelize.Cell{StyleID: wrap, Value: clip(l, note)}, clip(l, unit), clip(l, town), clip(l, cat),
			first.Format(time.DateOnly), daysOverdue(overdue), review.Label(l, state), clip(l, owner),
			clipList(l, cases, ";", WatchlistCSV), clipList(l, contacts, ";", WatchlistCSV), clipList(l, events, ";", WatchlistCSV),
		})
	})
	if err != nil {
		return err
	}
	// An Excel table gives the header its filter buttons. (AutoFilter on a streamed sheet would
	// read the whole sheet back: three times slower for 10,000 rows.)
	last, _ := excelize.CoordinatesToCellName(len(columns), max(n, 3))
	noStripes := false
	if err := sw.AddTable(&excelize.Table{Range: "A2:" + last, Name: "watchlist", ShowRowStripes: &noStripes}); err != nil {
		return err
	}
	return sw.Flush()
}

// summary writes the summary sheet: the run, then its counts per tier, change, rule, township,
// category and responsible unit, each at most GroupRows lines.
func (b *book) summary(counts *runSummary, runID string, leader *Leader, now time.Time) error {
	s := b.sheets.summary
	if _, err := b.f.NewSheet(s); err != nil {
		return err
	}
	if err := b.printable(s, 0); err != nil {
		return err
	}
	head, err := b.header()
	if err != nil {
		return err
	}
	asOf := b.asOf
	total := counts.total()
	rows := [][]any{
		{b.t("sheet.summary.item"), b.t("sheet.summary.count")},
		{b.t("sheet.summary.run"), runID},
		{b.t("sheet.summary.as_of"), asOf},
		{b.t("sheet.summary.generated"), now.Format(stampLayout)},
		{b.t("sheet.summary.total"), total},
	}
	for i := range counts.ByTier {
		counts.ByTier[i].Label = review.Label(b.lang, counts.ByTier[i].Key)
	}
	for i := range counts.ByRule {
		counts.ByRule[i].Label = b.rules.Name(b.lang, counts.ByRule[i].Key)
	}
	// By unit as the other lists are, most matters first: the leaders' table puts the most red
	// first, but this list shows only the count.
	byUnit := make([]Count, len(leader.ByUnit))
	for i, c := range leader.ByUnit {
		byUnit[i] = Count{Key: c.Key, Label: c.Key, N: c.Total}
	}
	slices.SortStableFunc(byUnit, func(a, b Count) int { return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Key, b.Key)) })
	for _, g := range []struct {
		title  string
		counts []Count
	}{
		{b.t("sheet.summary.by_tier"), counts.ByTier},
		{b.t("sheet.summary.by_change"), leader.Changes},
		{b.t("sheet.summary.by_rule"), counts.ByRule},
		{b.t("sheet.summary.by_township"), counts.ByTownship},
		{b.t("sheet.summary.by_category"), counts.ByCategory},
		{b.t("sheet.summary.by_unit"), byUnit},
	} {
		if len(g.counts) == 0 {
			continue
		}
		rows = append(rows, nil, []any{g.title, ""})
		for _, c := range capCounts(g.counts, GroupRows, b.lang) {
			rows = append(rows, []any{c.Label, c.N})
		}
	}
	for i, row := range rows {
		if err := checkRow(s, i+1); err != nil {
			return err
		}
		clipCells(b.lang, row)
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

// daysOverdue is a matter's days past its deadline as the watchlist sheet shows it: a number, or
// an empty cell when it is not past one (or the data has no deadline that means anything).
func daysOverdue(d sql.NullInt64) any {
	if !d.Valid || d.Int64 <= 0 {
		return nil
	}
	return d.Int64
}

func (b *book) ledger(ctx context.Context, q db.Querier, now time.Time) error {
	s := b.sheets.ledger
	if _, err := b.f.NewSheet(s); err != nil {
		return err
	}
	head, wrap, err := b.listStyles()
	if err != nil {
		return err
	}
	month := now.Format("2006-01")
	titles := make([]any, len(ledgerColumns))
	for i, c := range ledgerColumns {
		if c == "progress" {
			titles[i] = b.t("sheet.ledger.progress", month)
		} else {
			titles[i] = b.t("sheet.ledger." + c)
		}
	}
	if err := b.f.SetSheetRow(s, "A1", &titles); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(titles), 1)
	if err := b.f.SetCellStyle(s, "A1", last, head); err != nil {
		return err
	}
	loc := now.Location()
	rows, err := review.Ledger(ctx, q, review.Month(now, loc), review.Clock{Now: now, Location: loc, PlanDays: configs.DefaultPlanDays})
	if err != nil {
		return err
	}
	total := len(rows)
	rows = rows[:min(total, b.rows)]
	for i, r := range rows {
		lastNote := ""
		if r.LastNote != nil {
			lastNote = r.LastNote.In(loc).Format(time.DateOnly)
		}
		state := review.Label(b.lang, r.State)
		if slices.Contains(r.Reminders, review.RemindOverdue) {
			state = b.t("sheet.ledger.overdue")
		}
		row := []any{r.MatterID, r.Title, review.Label(b.lang, r.Tier), r.Township, r.Category, r.Unit, r.Owner,
			r.TakenAt.In(loc).Format(time.DateOnly), r.Plan, r.Due, review.NoteLines(b.lang, r.MonthNotes, loc), lastNote, state}
		if err := checkRow(s, i+2); err != nil {
			return err
		}
		clipCells(b.lang, row)
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := b.f.SetSheetRow(s, cell, &row); err != nil {
			return err
		}
		// The title, and the plan to this month's progress, wrap.
		if err := b.f.SetCellStyle(s, "B"+cell[1:], "B"+cell[1:], wrap); err != nil {
			return err
		}
		if err := b.f.SetCellStyle(s, "I"+cell[1:], "K"+cell[1:], wrap); err != nil {
			return err
		}
	}
	for i, width := range []float64{22, 36, 8, 12, 12, 18, 10, 12, 40, 12, 50, 12, 12} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := b.f.SetColWidth(s, col, col, width); err != nil {
			return err
		}
	}
	if err := b.f.SetPanes(s, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	end, _ := excelize.CoordinatesToCellName(len(titles), len(rows)+1)
	if err := b.f.AutoFilter(s, "A1:"+end, nil); err != nil {
		return err
	}
	switch {
	case total == 0: // below the header, after a blank row
		w := &sheetWriter{b: b, sheet: s, row: 2}
		if w.note(len(titles), wrap, b.t("sheet.ledger.none")); w.err != nil {
			return w.err
		}
	case total > len(rows): // below the filter's range, after a blank row
		w := &sheetWriter{b: b, sheet: s, row: len(rows) + 2}
		if w.note(len(titles), wrap, b.t("sheet.ledger.more", total, len(rows))); w.err != nil {
			return w.err
		}
	}
	return b.printable(s, 1)
}
