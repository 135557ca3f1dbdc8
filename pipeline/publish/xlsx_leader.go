package publish

import (
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/web/review"
)

// The workbook's first sheet is what a leader reads first (see leader.go): the matters to act on,
// the counts per township, category and responsible unit, and the supervision counts; the full
// list and the cleared matters have their own sheets. This file also holds what every sheet
// shares: print settings and styles.

// The first sheet's columns (the matters to act on): sheet.watchlist.<column> in the catalogue,
// and their widths in characters. The count tables below them use columns B to G.
var (
	leaderColumns = []string{"rank", "matter_id", "title", "tier", "change", "township", "category", "responsible_unit", "rules", "reason", "change_note"}
	leaderWidths  = []float64{6, 20, 36, 8, 8, 11, 12, 16, 22, 50, 26}
	clearedCols   = []string{"matter", "title", "kind", "tier", "why", "rules", "township", "category", "unit", "reason", "listed"}
	clearedWidths = []float64{22, 36, 9, 9, 36, 28, 12, 12, 18, 60, 12}
)

// leaderSheetNames returns the names of the first sheet and the cleared matters' sheet in lang.
func leaderSheetNames(lang string) (leader, cleared string) {
	lang = review.Lang(lang)
	return i18n.T(lang, "sheet.leader.name"), i18n.T(lang, "sheet.cleared.name")
}

// printable sets sheet to print on A4 landscape, fitted to the page's width, with the run's
// date in the page header and page numbers in the footer; titleRow (from 1; 0 for none) is
// repeated at the top of every page. Call it after AutoFilter, which drops the sheet's
// fit-to-page property.
func (b *book) printable(sheet string, titleRow int) error {
	a4, landscape, one, any := 9, "landscape", 1, 0
	fit := true
	if err := b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &one, FitToHeight: &any}); err != nil {
		return err
	}
	if err := b.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	margin := 0.4
	if err := b.f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{Left: &margin, Right: &margin, Top: &margin, Bottom: &margin}); err != nil {
		return err
	}
	if err := b.f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{
		OddHeader: "&L" + headerText(sheet) + "&R" + headerText(b.t("sheet.print.as_of", b.asOf)),
		OddFooter: "&C" + b.t("sheet.print.footer"),
	}); err != nil {
		return err
	}
	if titleRow == 0 {
		return nil
	}
	row := "$" + itoa(titleRow)
	return b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: quoteSheet(sheet) + "!" + row + ":" + row, Scope: sheet})
}

// headerText escapes text for a page header, where '&' starts a code.
func headerText(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r == '&' {
			out = append(out, '&')
		}
		out = append(out, r)
	}
	return string(out)
}

// quoteSheet quotes a sheet name for a reference.
func quoteSheet(name string) string {
	q := "'"
	for _, r := range name {
		if r == '\'' {
			q += "''"
		} else {
			q += string(r)
		}
	}
	return q + "'"
}

func itoa(n int) string {
	cell, _ := excelize.CoordinatesToCellName(1, n)
	return cell[1:]
}

// listStyles are the styles of a list's header row and of its cells whose text wraps.
func (b *book) listStyles() (head, wrap int, err error) {
	if head, err = b.header(); err != nil {
		return 0, 0, err
	}
	wrap, err = b.wrap()
	return head, wrap, err
}

// wrap is the style of a cell whose text wraps, top-aligned.
func (b *book) wrap() (int, error) {
	return b.f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
}

// tierStyle is the style of a tier's cell: its fill, bold.
func (b *book) tierStyle(tier string) (int, error) {
	if id, ok := b.styles[tier]; ok {
		return id, nil
	}
	if b.styles == nil {
		b.styles = map[string]int{}
	}
	style := &excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top"}}
	if color, ok := tierFill[tier]; ok {
		style.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
	}
	id, err := b.f.NewStyle(style)
	b.styles[tier] = id
	return id, err
}

// sheetWriter writes a sheet row by row with the normal API.
type sheetWriter struct {
	b     *book
	sheet string
	row   int // the last row written
	err   error
}

// line writes values from column col of the next row, each cell in style (0 for none); it
// returns the row written.
func (w *sheetWriter) line(col, style int, values ...any) int {
	w.row++
	if w.err == nil {
		w.err = checkRow(w.sheet, w.row)
	}
	if w.err != nil || len(values) == 0 {
		return w.row
	}
	clipCells(w.b.lang, values)
	cell, _ := excelize.CoordinatesToCellName(col, w.row)
	if w.err = w.b.f.SetSheetRow(w.sheet, cell, &values); w.err != nil || style == 0 {
		return w.row
	}
	last, _ := excelize.CoordinatesToCellName(col+len(values)-1, w.row)
	w.err = w.b.f.SetCellStyle(w.sheet, cell, last, style)
	return w.row
}

// style sets the style of cells from column col to col+n-1 of row.
func (w *sheetWriter) style(row, col, n, style int) {
	if w.err != nil {
		return
	}
	from, _ := excelize.CoordinatesToCellName(col, row)
	to, _ := excelize.CoordinatesToCellName(col+n-1, row)
	w.err = w.b.f.SetCellStyle(w.sheet, from, to, style)
}

// note writes text across the first n columns of the next row, wrapped, in style.
func (w *sheetWriter) note(n, style int, text string) {
	row := w.line(1, style, text)
	if w.err != nil || n < 2 {
		return
	}
	from, _ := excelize.CoordinatesToCellName(1, row)
	to, _ := excelize.CoordinatesToCellName(n, row)
	w.err = w.b.f.MergeCell(w.sheet, from, to)
}

// widths sets the sheet's column widths from column A.
func (w *sheetWriter) widths(ws []float64) {
	for i, width := range ws {
		if w.err != nil {
			return
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		w.err = w.b.f.SetColWidth(w.sheet, col, col, width)
	}
}

// leader writes the first sheet: the matters to act on (at most top), the counts per township,
// category and responsible unit (the first TopGroups, the rest as "other"), and the
// supervision counts.
func (b *book) leader(l *Leader, top int, runID string, now time.Time) error {
	s := b.sheets.leader
	head, wrap, err := b.listStyles()
	if err != nil {
		return err
	}
	title, err := b.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	if err != nil {
		return err
	}
	section, err := b.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}})
	if err != nil {
		return err
	}
	w := &sheetWriter{b: b, sheet: s}
	n := len(leaderColumns)
	w.widths(leaderWidths)
	w.note(n, title, b.t("sheet.leader.title"))
	w.note(n, 0, b.t("sheet.leader.meta", b.asOf, runID, now.Format(stampLayout)))
	w.line(1, 0)
	if len(l.Warnings) > 0 {
		// The run's input warnings, as the report leads with them.
		w.line(1, section, b.t("report.warnings"))
		for _, x := range l.Warnings {
			w.note(n, wrap, x)
		}
		w.note(n, wrap, b.t("report.warnings_detail"))
		for _, x := range l.WarningDetails {
			w.note(n, wrap, x)
		}
		w.line(1, 0)
	}
	w.line(1, section, b.t("sheet.leader.top", len(l.ActOn)))
	w.note(n, wrap, b.t("sheet.leader.top_note", top))
	headerRow := w.line(1, head, anys(header(b.lang, "sheet.watchlist", leaderColumns))...)
	for _, m := range l.ActOn {
		tier, err := b.tierStyle(m.Tier)
		if err != nil {
			return err
		}
		row := w.line(1, wrap, m.Rank, m.ID, m.Title, review.Label(b.lang, m.Tier), review.ChangeLabel(b.lang, m.Change),
			m.Township, m.Category, m.Unit, m.Rules, m.Reason, m.ChangeNote)
		w.style(row, 4, 1, tier)
	}
	if len(l.ActOn) == 0 {
		w.note(n, 0, b.t("sheet.leader.top_none"))
	}
	if l.ActOnMore > 0 {
		w.note(n, 0, b.t("sheet.leader.top_more", l.ActOnMore, b.sheets.watchlist))
	}

	var total int64
	for _, c := range l.ByTownship {
		total += c.Total
	}
	w.line(1, 0)
	w.line(1, section, b.t("sheet.leader.counts", total))
	groups := []struct {
		column string
		rows   []TierCount
	}{{"township", l.ByTownship}, {"category", l.ByCategory}, {"responsible_unit", l.ByUnit}}
	if total == 0 { // no matter: one line says so instead of empty tables
		w.note(n, 0, b.t("sheet.leader.counts_none"))
		w.line(1, 0)
		groups = nil
	}
	tiers := make([]any, 0, 5)
	for _, t := range review.Tiers {
		tiers = append(tiers, review.Label(b.lang, t))
	}
	tiers = append(tiers, b.t("leader.count.total"))
	for _, g := range groups {
		w.line(2, head, append([]any{b.t("leader.group." + g.column)}, tiers...)...)
		for _, c := range topWithOther(g.rows, TopGroups, b.lang) {
			w.line(2, 0, orDash(c.Key), c.Red, c.Orange, c.Yellow, c.Total)
		}
		w.line(1, 0)
	}

	w.line(1, section, b.t("sheet.leader.supervise"))
	if l.DeadlinesUnknown {
		w.note(n, 0, b.t("sheet.leader.supervise_unknown"))
	}
	if len(l.Supervise) == 0 && !l.DeadlinesUnknown {
		w.note(n, 0, b.t("sheet.leader.supervise_none"))
	} else if len(l.Supervise) > 0 {
		w.line(2, head, b.t("leader.sup.unit"), b.t("leader.sup.matters"), b.t("leader.sup.red"), b.t("leader.sup.overdue"),
			b.t("leader.sup.stalled"), b.t("leader.sup.max_days"))
		for _, u := range l.Supervise {
			w.line(2, 0, orDash(u.Unit), u.Matters, u.Red, u.Overdue, u.Stalled, u.MaxDaysOverdue)
		}
	}
	w.line(1, 0)
	if total > int64(b.rows) {
		w.note(n, 0, b.t("sheet.leader.full_first", total, b.sheets.watchlist, b.rows, WatchlistCSV, WatchlistParquet, b.sheets.cleared))
	} else {
		w.note(n, 0, b.t("sheet.leader.full", b.sheets.watchlist, b.sheets.cleared))
	}
	if w.err != nil {
		return w.err
	}
	return b.printable(s, headerRow)
}

// cleared writes the sheet of the matters the run cleared, as the previous run listed them.
func (b *book) cleared(l *Leader) error {
	s := b.sheets.cleared
	if _, err := b.f.NewSheet(s); err != nil {
		return err
	}
	head, wrap, err := b.listStyles()
	if err != nil {
		return err
	}
	w := &sheetWriter{b: b, sheet: s}
	w.widths(clearedWidths)
	w.line(1, head, anys(header(b.lang, "leader.cleared", clearedCols))...)
	for _, c := range l.Cleared {
		tier, err := b.tierStyle(c.Tier)
		if err != nil {
			return err
		}
		row := w.line(1, wrap, c.ID, c.Title, review.Label(b.lang, c.Kind), review.Label(b.lang, c.Tier), c.Why, c.Rules, c.Township, c.Category, c.Unit, c.Reason, c.Listed)
		w.style(row, 4, 1, tier)
	}
	switch {
	case l.PrevRun == "" || len(l.Cleared) == 0:
		w.note(len(clearedCols), 0, b.t("sheet.cleared.none"))
	default:
		if w.err == nil {
			if err := b.f.SetPanes(s, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
				return err
			}
			end, _ := excelize.CoordinatesToCellName(len(clearedCols), w.row)
			w.err = b.f.AutoFilter(s, "A1:"+end, nil)
		}
		if l.ClearedTotal > int64(len(l.Cleared)) { // below the filter's range, after a blank row
			w.line(1, 0)
			w.note(len(clearedCols), wrap, b.t("sheet.cleared.more", l.ClearedTotal, len(l.Cleared)))
		}
	}
	if w.err != nil {
		return w.err
	}
	return b.printable(s, 1) // after the filter, which replaces the sheet's properties
}

// orDash shows an empty key as a dash.
func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
