package publish

import (
	"bytes"
	"testing"
)

// TestSafeCSVKeepsNumbersAndQuotesFormulas checks the cell rules of safeCSV: text starting with a
// formula character gets a single quote, in any column; a plain decimal number in a numeric
// column stays as it is, anything else there is text.
func TestSafeCSVKeepsNumbersAndQuotesFormulas(t *testing.T) {
	for _, c := range []struct {
		cell    string
		numeric bool
		want    string
	}{
		{"", false, ""},
		{"城关镇", false, "城关镇"},
		{"a=1", false, "a=1"},
		{"=1+1", false, "'=1+1"},
		{"+1", false, "'+1"},
		{"-1.50", false, "'-1.50"},
		{"@SUM(A1)", false, "'@SUM(A1)"},
		{"\t=1", false, "'\t=1"},
		{"\r=1", false, "'\r=1"},
		{"'=1", false, "'=1"},
		{"-1.50", true, "-1.50"},
		{"-12", true, "-12"},
		{"3.25", true, "3.25"},
		{"-", true, "'-"},
		{"-1.", true, "'-1."},
		{"-.5", true, "'-.5"},
		{"--1", true, "'--1"},
		{"-1e5", true, "'-1e5"},
		{"-Inf", true, "'-Inf"},
		{"+1", true, "'+1"},
		{"=1", true, "'=1"},
		{"-1+cmd|' /C calc'!A0", true, "'-1+cmd|' /C calc'!A0"},
	} {
		var b bytes.Buffer
		w := newSafeCSV(&b, []bool{false, c.numeric})
		rec := []string{"x", c.cell}
		if err := w.Write(rec); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if rec[1] != c.cell {
			t.Errorf("Write changed its argument: %q", rec[1])
		}
		var want bytes.Buffer
		plain := newSafeCSV(&want, nil)
		plain.w.Write([]string{"x", c.want})
		plain.w.Flush()
		if b.String() != want.String() {
			t.Errorf("cell %q (numeric %v): wrote %q, want %q", c.cell, c.numeric, b.String(), want.String())
		}
	}
}
