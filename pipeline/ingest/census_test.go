package ingest

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// TestCensusCountsRecordsAndFindsFlaws checks the census on the cases where DuckDB's reader
// loses or mislabels records: each flawed record is found on its first line and the count
// goes on after it.
func TestCensusCountsRecordsAndFindsFlaws(t *testing.T) {
	type want struct {
		line int64
		code string
	}
	for _, tc := range []struct {
		name    string
		text    string
		records int64
		flaws   []want
	}{
		{"plain", "a,b,c\nx1,1,ok\nx2,2,ok\n", 2, nil},
		{"no final line break", "a,b,c\nx1,1,ok\nx2,2,ok", 2, nil},
		{"blank lines", "a,b,c\n\nx1,1,ok\n\n\nx2,2,ok\n\n", 2, nil},
		{"multi-line record", "a,b,c\nx1,1,\"multi\nline\nrec\"\nx2,2,ok\n\nx3,zz,bad\n", 3, nil},
		{"quoted delimiter and quotes", "a,b,c\nx1,1,\"a,b\"\nx2,2,\"ab\"\"c\"\n x3 , 3 , \"q\"  \n", 3, nil},
		{"quote inside an unquoted field", "a,b,c\nx1,1,ab\"cd\n", 1, nil},
		{"unterminated quote", "a,b,c\nx1,1,ok\nx2,2,\"open\nx3,3,ok\nx4,4,ok\n", 4, []want{{3, runrecord.ReasonQuoteNotClosed}}},
		{"text after a closing quote", "a,b,c\nx1,1,ok\nx2,2,\"ab\"cd\nx3,3,ok\n", 3, []want{{3, runrecord.ReasonTextAfterQuote}}},
		{"a later stray quote closes an open one", "a,b,c\nx1,1,\"open\nx2,2,ok\nx3,3,ab\"cd\nx4,4,ok\n", 4, []want{{2, runrecord.ReasonQuoteRunsOn}}},
		{"field counts", "a,b,c\nx1,1\nx2,2,ok,more\n   \n\"\"\n,\n", 5, []want{{2, runrecord.ReasonFieldCount}, {3, runrecord.ReasonFieldCount}, {4, runrecord.ReasonFieldCount}, {5, runrecord.ReasonFieldCount}, {6, runrecord.ReasonFieldCount}}},
		{"lone CR, and a CR LF in an LF file", "a,b,c\nx1,1,o\rk\nx2,2,\"o\rk\"\nx3,3,ok\r\n", 3, []want{{2, runrecord.ReasonStrayLineBreak}}},
		{"CR LF file with an LF line", "a,b,c\r\nx1,1,ok\r\nx2,2,\"o\r\nk\"\r\n\r\nx3,3,ok\nx4,4,ok\r\n", 4, nil},
		{"too long", "a,b,c\nx1,1," + strings.Repeat("中", 40) + "\nx2,2,ok\n", 2, []want{{2, runrecord.ReasonRecordTooLong}}},
		{"header only", "a,b,c\n", 0, nil},
		{"byte order mark", "\ufeffa,b,c\nx1,1,ok\n", 1, nil},
		{"an empty CR LF line in an LF file", "a,b,c\nx1,1,ok\n\r\nx2,2,ok\n", 2, nil},
		{"a lone CR after LF lines", "a,b,c\nx1,1,ok\nx2,2,ok\rx3,3,ok\rx4,4,ok\n", 2, []want{{3, runrecord.ReasonStrayLineBreak}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := countRecords(strings.NewReader(tc.text), int64(len(tc.text)), censusLimits{maxBytes: 100})
			if err != nil {
				t.Fatal(err)
			}
			var got []want
			for _, f := range c.flaws {
				got = append(got, want{f.line, f.reason.Code})
				if f.start < c.header || f.end > int64(len(tc.text)) || f.start >= f.end {
					t.Errorf("flaw at line %d spans [%d, %d)", f.line, f.start, f.end)
				}
			}
			if c.records != tc.records || len(got) != len(tc.flaws) {
				t.Fatalf("records %d, flaws %v; want %d, %v", c.records, got, tc.records, tc.flaws)
			}
			for i := range got {
				if got[i] != tc.flaws[i] {
					t.Errorf("flaw %d is %v, want %v", i, got[i], tc.flaws[i])
				}
			}
			if c.fields != 3 {
				t.Errorf("header fields %d, want 3", c.fields)
			}
			if mixed := strings.Contains(tc.name, "in an LF file") || strings.Contains(tc.name, "with an LF line"); c.mixed != mixed {
				t.Errorf("mixed line breaks %v, want %v", c.mixed, mixed)
			}
		})
	}
}

// FuzzCensus takes the census of arbitrary bytes: it ends, refuses only a file whose lines end
// with CR alone, and its records come in file order, each after the last.
func FuzzCensus(f *testing.F) {
	f.Add([]byte("a,b,c\nx1,1,\"multi\nline\"\nx2,2,\"open\nx3,3,ok\n"), uint16(64))
	f.Add([]byte("a,b,c\r\nx1,1,o\rk\r\n\r\nx2,\"a\"b,c\n"), uint16(16))
	f.Add([]byte("\ufeffa\n\"\"\"\n"), uint16(0))
	f.Fuzz(func(t *testing.T, text []byte, limit uint16) {
		limits := censusLimits{maxBytes: int64(limit)}
		var last scanned
		var n int64
		_, err := eachRecord(bytes.NewReader(text), int64(len(text)), limits, func(rec *scanned) {
			if n > 0 && (rec.start != last.end || rec.line != last.nextLine) || rec.end <= rec.start || rec.nextLine <= rec.line {
				t.Fatalf("record %+v after %+v", rec, last)
			}
			last = *rec
			n++
		})
		var refused *i18n.Error
		if errors.As(err, &refused) && refused.Key == "ingest.csv.cr_line_breaks" {
			return // lines ending with CR alone: refused, rightly
		}
		if err != nil {
			t.Fatal(err)
		}
		c, err := countRecords(bytes.NewReader(text), int64(len(text)), limits)
		if err != nil || c.records > n || int64(len(c.flaws)) > c.records {
			t.Fatalf("census %+v of %d records: %v", c, n, err)
		}
		if n > 0 && last.end != int64(len(text)) {
			t.Fatalf("the last record ends at %d of %d", last.end, len(text))
		}
	})
}

// TestCensusRefusesCROnlyLineBreaks: a file whose lines end with CR alone made DuckDB's reader
// run out of memory; the census refuses it, saying how to save it.
func TestCensusRefusesCROnlyLineBreaks(t *testing.T) {
	text := "a,b,c\rx1,1,ok\rx2,2,ok\r"
	_, err := countRecords(strings.NewReader(text), int64(len(text)), censusLimits{maxBytes: 100})
	if err == nil || !strings.Contains(i18n.Localize("en", err), "CR alone") {
		t.Fatalf("err %v, want one about lines ending with CR alone", err)
	}
}
