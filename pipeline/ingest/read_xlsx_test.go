package ingest

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

func xlsxMapping(t *testing.T, extra string) *mapping {
	t.Helper()
	return parseMapping(t, "x.yaml", "format: xlsx\n"+extra+`
fields:
  case_id: {column: id}
  received_date: {column: opened, layouts: ["2006-01-02", "excel"]}
  channel: {value: visit}
  level: {value: county}
  category: {value: 其他}
  township: {column: place, default: unknown}
  responsible_unit: {value: 县信访局}
`)
}

func TestWorkbook(t *testing.T) {
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	rows := [][]any{
		{"县信访局 信访件导出"}, // a title row
		{"id", "opened", "place"},
		{"X1", "2025-01-02", "城关镇"},
		{},
		{"X2", 45660, ""}, // a date stored as Excel's serial day (2025-01-03)
		{"X3", "someday", "东村"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "a.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	p := xlsxMapping(t, "skip_lines: 1")
	r, err := openSource(p, path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	m := newMapper(p, nil, time.UTC, time.Time{})
	var got []string
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		row, rej, ok := m.Map(rec)
		if ok {
			got = append(got, row.CaseID+"@"+time.Unix(int64(row.Date)*86400, 0).UTC().Format(time.DateOnly)+"/"+row.Township+"/"+string(rune('0'+rec.Line)))
		} else {
			got = append(got, "reject line "+string(rune('0'+rej.Line))+" "+rej.Field)
		}
	}
	want := "X1@2025-01-02/城关镇/3 X2@2025-01-03/unknown/5 reject line 6 received_date"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
}

func TestBadWorkbooks(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "bad.xlsx")
	if err := os.WriteFile(garbage, []byte("not a zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := openSource(xlsxMapping(t, ""), garbage); err == nil || !strings.Contains(i18n.Localize("en", err), "not an xlsx workbook") {
		t.Errorf("garbage: %v", err)
	}
	f := excelize.NewFile()
	if err := f.SetSheetRow(f.GetSheetName(0), "A1", &[]any{"id", "date"}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "cols.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	if _, err := openSource(xlsxMapping(t, ""), path); !errors.Is(err, errMissingColumn) || !strings.Contains(err.Error(), `"opened"`) {
		t.Errorf("missing column: %v", err)
	}
	if _, err := openSource(xlsxMapping(t, "sheet: 不存在"), path); err == nil || !strings.Contains(err.Error(), "不存在") {
		t.Errorf("missing sheet: %v", err)
	}
}
