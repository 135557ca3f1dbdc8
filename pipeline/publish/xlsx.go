package publish

import (
	"context"
	"database/sql"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/web/review"
)

// watchlist.xlsx is the run's watchlist as an Excel workbook for leaders: the watchlist with a
// frozen header, filters and tier colours; a summary sheet; and the monthly ledger of owned
// matters (包案台账).

// Tier fills of the tier column, and a light tint of the same for the row.
var tierFill = map[string]string{"red": "FF8A80", "orange": "FFCC80", "yellow": "FFF59D"}

// The sheets' headers: sheet.watchlist.<column> and sheet.ledger.<column> in the catalogue.
var (
	xlsxColumns = []string{"rank", "matter_id", "matter_kind", "tier", "score", "rules", "reason", "responsible_unit",
		"township", "category", "first_flagged", "review_state", "owner", "case_ids", "contact_ids", "event_ids"}
	ledgerColumns = []string{"matter_id", "tier", "township", "category", "responsible_unit", "owner", "taken_on",
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

// WriteXLSX builds the workbook for run runID, with labels and reasons in lang, and saves it to
// path, synced. now dates the ledger: its progress column covers now's calendar month.
func WriteXLSX(ctx context.Context, q db.Querier, runID, lang, path string, now time.Time) error {
	lang = review.Lang(lang)
	f := excelize.NewFile()
	defer f.Close()
	w := &book{f: f, lang: lang}
	w.sheets.watchlist, w.sheets.summary, w.sheets.ledger = XLSXSheetNames(lang)
	if err := f.SetSheetName("Sheet1", w.sheets.watchlist); err != nil {
		return err
	}
	if err := w.watchlist(ctx, q, runID); err != nil {
		return i18n.Wrap(err, "publish.err.sheet", WatchlistXLSX, w.sheets.watchlist)
	}
	if err := w.summary(ctx, q, runID, now); err != nil {
		return i18n.Wrap(err, "publish.err.sheet", WatchlistXLSX, w.sheets.summary)
	}
	if err := w.ledger(ctx, q, now); err != nil {
		return i18n.Wrap(err, "publish.err.sheet", WatchlistXLSX, w.sheets.ledger)
	}
	if err := w.dueSoon(ctx, q, runID); err != nil {
		return i18n.Wrap(err, "publish.err.sheet", WatchlistXLSX, DueSoonSheetName(lang))
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
	sheets struct{ watchlist, summary, ledger string }
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

func (b *book) watchlist(ctx context.Context, q db.Querier, runID string) error {
	sw, err := b.f.NewStreamWriter(b.sheets.watchlist)
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
	columns := XLSXColumns(b.lang)
	cells := make([]any, len(columns))
	for i, c := range columns {
		cells[i] = excelize.Cell{StyleID: head, Value: c}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return err
	}
	n := 1
	err = db.Query(ctx, q, xlsxWatchlistSQL.in(b.lang), []any{runID}, func(rows *sql.Rows) error {
		var rank int64
		var score float64
		var id, kind, tier, rules, why, unit, town, cat, state, owner, cases, contacts, events string
		var first time.Time
		if err := rows.Scan(&rank, &id, &kind, &tier, &score, &rules, &why, &unit, &town, &cat, &first, &state, &owner, &cases, &contacts, &events); err != nil {
			return err
		}
		n++
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, []any{
			rank, id, review.Label(b.lang, kind), excelize.Cell{StyleID: tiers[tier], Value: review.Label(b.lang, tier)},
			score, rules, excelize.Cell{StyleID: wrap, Value: why}, unit, town, cat, first.Format(time.DateOnly),
			review.Label(b.lang, state), owner, cases, contacts, events,
		})
	})
	if err != nil {
		return err
	}
	// An Excel table gives the header its filter buttons. (AutoFilter on a streamed sheet would
	// read the whole sheet back: three times slower for 10,000 rows.)
	last, _ := excelize.CoordinatesToCellName(len(columns), max(n, 2))
	noStripes := false
	if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: "watchlist", ShowRowStripes: &noStripes}); err != nil {
		return err
	}
	return sw.Flush()
}

func (b *book) summary(ctx context.Context, q db.Querier, runID string, now time.Time) error {
	s := b.sheets.summary
	if _, err := b.f.NewSheet(s); err != nil {
		return err
	}
	head, err := b.header()
	if err != nil {
		return err
	}
	asOf, _, err := loadRun(ctx, q, runID)
	if err != nil {
		return i18n.Wrap(err, "publish.err.run", runID)
	}
	counts, err := loadSummary(ctx, q, runID)
	if err != nil {
		return err
	}
	var total int64
	for _, c := range counts.ByTier {
		total += c.N
	}
	rows := [][]any{
		{b.t("sheet.summary.item"), b.t("sheet.summary.count")},
		{b.t("sheet.summary.run"), runID},
		{b.t("sheet.summary.as_of"), asOf},
		{b.t("sheet.summary.generated"), now.Format("2006-01-02 15:04")},
		{b.t("sheet.summary.total"), total},
	}
	for _, g := range []struct {
		title  string
		counts []Count
	}{
		{b.t("sheet.summary.by_tier"), counts.ByTier},
		{b.t("sheet.summary.by_rule"), counts.ByRule},
		{b.t("sheet.summary.by_township"), counts.ByTownship},
		{b.t("sheet.summary.by_category"), counts.ByCategory},
	} {
		rows = append(rows, nil, []any{g.title, ""})
		for _, c := range g.counts {
			rows = append(rows, []any{review.Label(b.lang, c.Key), c.N})
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

func (b *book) ledger(ctx context.Context, q db.Querier, now time.Time) error {
	s := b.sheets.ledger
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
			state = b.t("sheet.ledger.overdue")
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
	end, _ := excelize.CoordinatesToCellName(len(titles), len(rows)+1)
	return b.f.AutoFilter(s, "A1:"+end, nil)
}
