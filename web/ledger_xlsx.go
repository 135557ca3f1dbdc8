package web

// The ledger and the bulletin as workbooks: a title row, a frozen header repeated on every
// printed page, A4 landscape fitted to one page wide, columns wide enough for Chinese text and
// long text wrapped.

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/earlywarn/earlywarn/web/review"
)

// ledgerColumns are the ledger's columns (the catalogue's web.ledger.col.<name>) and their widths
// in characters (a Chinese character takes about two); wrapped columns hold long text.
var ledgerColumns = []struct {
	name  string
	width float64
	wrap  bool
}{
	{"no", 5, false}, {"matter", 26, true}, {"place", 26, true}, {"owner", 11, false}, {"assigned_by", 11, false},
	{"taken_on", 12, false}, {"plan", 34, true}, {"plan_deadline", 12, false}, {"due", 12, false},
	{"progress", 40, true}, {"supervision", 32, true}, {"visit", 26, true}, {"state", 14, false}, {"reminders", 16, true},
}

// book is a workbook of one sheet being written row by row.
type book struct {
	f                 *excelize.File
	sheet             string
	row               int
	title, head, wrap int // styles
}

// newBook starts a workbook whose one sheet is named sheet, with title in its first row over
// columns columns.
func newBook(sheet, title string, columns int) (*book, error) {
	f := excelize.NewFile()
	b := &book{f: f, sheet: sheet}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	var err error
	if b.title, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}); err != nil {
		return nil, err
	}
	if b.head, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E0E0E0"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		Border:    borders()}); err != nil {
		return nil, err
	}
	if b.wrap, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}, Border: borders()}); err != nil {
		return nil, err
	}
	last, _ := excelize.ColumnNumberToName(columns)
	if err := f.MergeCell(sheet, "A1", last+"1"); err != nil {
		return nil, err
	}
	if err := b.add(b.title, title); err != nil {
		return nil, err
	}
	return b, nil
}

// borders are thin borders on every side of a cell.
func borders() []excelize.Border {
	var out []excelize.Border
	for _, side := range []string{"left", "right", "top", "bottom"} {
		out = append(out, excelize.Border{Type: side, Color: "BDBDBD", Style: 1})
	}
	return out
}

// add writes the next row in style.
func (b *book) add(style int, cells ...any) error {
	b.row++
	first := "A" + strconv.Itoa(b.row)
	if err := b.f.SetSheetRow(b.sheet, first, &cells); err != nil {
		return err
	}
	if len(cells) == 0 {
		return nil
	}
	last, _ := excelize.CoordinatesToCellName(max(len(cells), 1), b.row)
	return b.f.SetCellStyle(b.sheet, first, last, style)
}

// printable sets the sheet up for printing: A4 landscape, one page wide and as many long as it
// takes, the header row headRow repeated on every page and frozen on screen, and the heading
// in the page header.
func (b *book) printable(headRow int, heading string) error {
	a4, landscape, one, any := 9, "landscape", 1, 0
	fit := true
	if err := b.f.SetPageLayout(b.sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &one, FitToHeight: &any}); err != nil {
		return err
	}
	if err := b.f.SetSheetProps(b.sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	margin := 0.4
	if err := b.f.SetPageMargins(b.sheet, &excelize.PageLayoutMarginsOptions{Left: &margin, Right: &margin, Top: &margin, Bottom: &margin}); err != nil {
		return err
	}
	if err := b.f.SetHeaderFooter(b.sheet, &excelize.HeaderFooterOptions{
		OddHeader: "&L" + strings.ReplaceAll(heading, "&", "&&"), OddFooter: "&C&P / &N"}); err != nil {
		return err
	}
	if headRow == 0 {
		return nil
	}
	row := "$" + strconv.Itoa(headRow)
	if err := b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + strings.ReplaceAll(b.sheet, "'", "''") + "'!" + row + ":" + row, Scope: b.sheet}); err != nil {
		return err
	}
	return b.f.SetPanes(b.sheet, &excelize.Panes{Freeze: true, YSplit: headRow, TopLeftCell: "A" + strconv.Itoa(headRow+1), ActivePane: "bottomLeft"})
}

// bytes is the workbook, saved.
func (b *book) bytes() ([]byte, error) {
	defer b.f.Close()
	var out bytes.Buffer
	if _, err := b.f.WriteTo(&out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// ledgerBook is the ledger d as a workbook.
func (s *Server) ledgerBook(d ledgerData) ([]byte, error) {
	b, err := newBook(s.t("web.ledger"), d.Heading, len(ledgerColumns))
	if err != nil {
		return nil, err
	}
	head := make([]any, len(ledgerColumns))
	for i, c := range ledgerColumns {
		head[i] = s.t("web.ledger.col." + c.name)
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := b.f.SetColWidth(b.sheet, col, col, c.width); err != nil {
			return nil, err
		}
	}
	if err := b.add(b.head, head...); err != nil {
		return nil, err
	}
	for _, l := range d.Lines {
		if err := b.add(b.wrap, l.No, l.Title, l.Place, l.Owner, l.AssignedBy, l.TakenOn, l.Plan, l.PlanDeadline, l.Due,
			strings.Join(l.Progress, "\n"), strings.Join(l.Supervision, "\n"), l.Visit, l.State, strings.Join(l.Reminders, s.t("label.list_sep"))); err != nil {
			return nil, err
		}
	}
	if len(d.Lines) == 0 {
		if err := b.add(b.wrap, s.t("web.ledger.none")); err != nil {
			return nil, err
		}
	}
	if err := b.printable(2, d.Heading); err != nil {
		return nil, err
	}
	return b.bytes()
}

// bulletinBook is the bulletin d as a workbook: its tables one under another.
func (s *Server) bulletinBook(d bulletinData) ([]byte, error) {
	const columns = 6
	b, err := newBook(s.t("web.bulletin"), d.Heading, columns)
	if err != nil {
		return nil, err
	}
	for i, w := range []float64{24, 12, 14, 12, 12, 12} {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := b.f.SetColWidth(b.sheet, col, col, w); err != nil {
			return nil, err
		}
	}
	if err := b.add(b.wrap, d.Summary); err != nil {
		return nil, err
	}
	if err := b.f.MergeCell(b.sheet, "A2", "F2"); err != nil {
		return nil, err
	}
	if err := b.f.SetRowHeight(b.sheet, 2, 36); err != nil {
		return nil, err
	}
	table := func(title string, head []string, rows [][]any) error {
		b.row++ // a blank row
		if err := b.add(b.title, title); err != nil {
			return err
		}
		cells := make([]any, len(head))
		for i, h := range head {
			cells[i] = h
		}
		if err := b.add(b.head, cells...); err != nil {
			return err
		}
		for _, r := range rows {
			if err := b.add(b.wrap, r...); err != nil {
				return err
			}
		}
		return nil
	}
	var leaders [][]any
	for _, l := range d.B.Leaders {
		leaders = append(leaders, []any{l.Owner, l.Owned, l.WithProgress, l.WithReminders, l.Overdue, l.ResolvedThisMonth})
	}
	if err := table(s.t("web.bulletin.leaders"), d.LeaderHead, leaders); err != nil {
		return nil, err
	}
	groups := func(gs []review.GroupCount, unit bool) [][]any {
		var out [][]any
		for _, g := range gs {
			r := []any{g.Key, g.Live, g.CaseOverdue}
			if unit {
				r = append(r, g.BaoanOverdue)
			}
			out = append(out, r)
		}
		return out
	}
	for _, g := range []struct {
		key  string
		gs   []review.GroupCount
		unit bool
	}{{"web.bulletin.by_unit", d.B.ByUnit, true}, {"web.bulletin.by_township", d.B.ByTownship, false}, {"web.bulletin.by_category", d.B.ByCategory, false}} {
		head := []string{s.t(g.key + "_col"), s.t("web.bulletin.live"), s.t("web.bulletin.case_overdue")}
		if g.unit {
			head = append(head, s.t("web.bulletin.baoan_overdue"))
		}
		if err := table(s.t(g.key), head, groups(g.gs, g.unit)); err != nil {
			return nil, err
		}
	}
	if err := b.printable(0, d.Heading); err != nil {
		return nil, err
	}
	return b.bytes()
}
