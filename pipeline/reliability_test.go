package pipeline

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/internal/damage"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// The regression tests of issue 12's findings on malformed canonical CSV files: every record
// of a file is either loaded or quarantined at its first line, and the run goes on.

// caseRow is a sound case record with the given id and content (written as is).
func caseRow(i int, content string) string {
	return fmt.Sprintf("XF-%04d,2025-03-01,visit,county,P-%d,1,征地拆迁,城关镇,东关村,县自然资源局,城关镇人民政府,办理中,%s\n", i, i, content)
}

// runCases runs on the tiny fixture with cases.csv replaced by body and returns the cases
// file's account and its quarantine rows (line, field, reason, raw).
func runCases(t *testing.T, body string) (runrecord.FileResult, [][]string) {
	t.Helper()
	cfg := testConfig(t)
	cfg.Input = copyTiny(t, "cases.csv", []byte(body))
	s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2025-06-30"), Version: "test"})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	var res runrecord.FileResult
	for _, in := range s.Inputs {
		if in.TableName == "cases" {
			res = in
		}
	}
	if res.Read != res.Loaded+res.Quarantined {
		t.Errorf("read %d ≠ loaded %d + quarantined %d", res.Read, res.Loaded, res.Quarantined)
	}
	var rows [][]string
	for _, r := range readRecords(t, filepath.Join(cfg.Output, "quarantine.csv"))[1:] {
		if strings.HasSuffix(r[0], "cases.csv") {
			rows = append(rows, append([]string{r[1]}, r[3:]...)) // line, field, reason, raw
		}
	}
	return res, rows
}

// wantAccount checks a cases file's account and its quarantined lines.
func wantAccount(t *testing.T, res runrecord.FileResult, rows [][]string, read, loaded int64, lines ...string) {
	t.Helper()
	if res.Read != read || res.Loaded != loaded {
		t.Errorf("read %d, loaded %d; want %d, %d", res.Read, res.Loaded, read, loaded)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r[0])
	}
	if strings.Join(got, " ") != strings.Join(lines, " ") {
		t.Errorf("quarantined at lines %v, want %v: %q", got, lines, rows)
	}
}

// Finding 1: a quote opened in the last field of row 50 and never closed took the rest of the
// file with it, and the run succeeded with 149 rows in no table and no quarantine.
func TestUnterminatedQuoteLosesNoRecord(t *testing.T) {
	var b strings.Builder
	b.WriteString(casesHeader)
	for i := 1; i <= 200; i++ {
		content := "reported"
		if i == 50 {
			content = `"reported`
		}
		b.WriteString(caseRow(i, content))
	}
	res, rows := runCases(t, b.String())
	wantAccount(t, res, rows, 200, 199, "51")
	if !strings.Contains(rows[0][2], "引号") || !strings.HasPrefix(rows[0][3], "XF-0050,") {
		t.Errorf("quarantine row %q: want the record and a reason about its quote", rows[0])
	}
}

// Finding 2: the same in Chinese text aborted the run with DuckDB's "Invalid unicode (byte
// sequence mismatch) detected in segment statistics update", as did a field of 2 MB.
func TestUnterminatedQuoteAndLongFieldInChineseText(t *testing.T) {
	var b strings.Builder
	b.WriteString(casesHeader)
	for i := 1; i <= 200; i++ {
		content := "反映东关村土地征收补偿款未发放到位。"
		switch i {
		case 50:
			content = `"反映东关村土地征收补偿款未发放到位。`
		case 120:
			content = strings.Repeat("征", 800_000) // 2.4 MB
		}
		b.WriteString(caseRow(i, content))
	}
	res, rows := runCases(t, b.String())
	wantAccount(t, res, rows, 200, 198, "51", "121")
	if len(rows) == 2 && (!strings.Contains(rows[1][2], "max_record_bytes") || len(rows[1][3]) > 5000) {
		t.Errorf("long record quarantined as %q with %d bytes of raw text; want the limit named and the text cut", rows[1][2], len(rows[1][3]))
	}
}

// Finding 4: after a record over lines 2–4, a bad date on line 7 was reported at line 5.
func TestQuarantineLineAfterMultiLineRecord(t *testing.T) {
	body := casesHeader +
		caseRow(1, "\"第一行\n第二行\n第三行\"") + // lines 2–4
		caseRow(2, "ok") + // line 5
		"\n" + // line 6
		strings.Replace(caseRow(3, "ok"), "2025-03-01", "2025-13-01", 1) + // line 7
		caseRow(4, "\"又一条\n多行记录\"") + // lines 8–9
		strings.Replace(caseRow(5, "ok"), ",1,", ",lots,", 1) + // line 10
		caseRow(6, "ok") // line 11
	res, rows := runCases(t, body)
	wantAccount(t, res, rows, 6, 4, "7", "10")
}

// Finding 8: a row of 100,000 fields took 70 s and 3.2 GB in DuckDB's reader. It is now taken
// out by the census, which counts its fields without parsing it.
func TestWideRowIsQuarantined(t *testing.T) {
	body := casesHeader + caseRow(1, "ok") + strings.Repeat("f,", 99_999) + "f\n" + caseRow(2, "ok")
	res, rows := runCases(t, body)
	wantAccount(t, res, rows, 3, 2, "3")
	if len(rows) == 1 && !strings.Contains(rows[0][2], "100000") {
		t.Errorf("wide row quarantined as %q; want its field count named", rows[0][2])
	}
}

// TestCorruptedFilesAccountForEveryRecord is the property test of issue 12: a cases file of
// 300 records, about a tenth of them damaged in random ways (package damage), blank lines and
// multi-line records among them, with LF or CR LF line breaks. Every run succeeds, reads as
// many records as were written (counted by the census, independently of DuckDB's reader),
// loads every record that reads as written, and quarantines each other one once, at its first
// line.
func TestCorruptedFilesAccountForEveryRecord(t *testing.T) {
	for seed := range uint64(16) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			eol := "\n"
			if seed%4 == 3 {
				eol = "\r\n"
			}
			f := damage.Write(rand.New(rand.NewPCG(seed, 12)), strings.TrimSuffix(casesHeader, "\n"), 300, eol,
				func(i int, last string) string { return strings.TrimSuffix(caseRow(i, last), "\n") })
			wantLoaded, wantLines := f.Expect(func(k *damage.Kind) bool { return k.Canonical })
			cfg := testConfig(t)
			cfg.Quarantine.MaxRecordBytes = damage.RecordLimit
			cfg.Input = copyTiny(t, "cases.csv", []byte(f.Text))
			s, err := Run(context.Background(), plan(t, cfg), Options{AsOf: asOf(t, "2025-06-30"), Version: "test"})
			if err != nil {
				t.Fatalf("run with %v: %v", f.Summary(), err)
			}
			for _, in := range s.Inputs {
				if in.TableName == "cases" && (in.Read != 300 || in.Loaded != wantLoaded || in.Read != in.Loaded+in.Quarantined) {
					t.Errorf("damage %v: read %d, loaded %d, quarantined %d; want 300 read, %d loaded", f.Summary(), in.Read, in.Loaded, in.Quarantined, wantLoaded)
				}
			}
			var got []string
			for _, q := range readRecords(t, filepath.Join(cfg.Output, "quarantine.csv"))[1:] {
				if strings.HasSuffix(q[0], "cases.csv") {
					got = append(got, q[1])
				}
				if strings.Contains(q[3], "Invalid") || strings.Contains(q[3], "error") {
					t.Errorf("reason in the engine's English: %q", q)
				}
			}
			if strings.Join(got, " ") != strings.Trim(fmt.Sprint(wantLines), "[]") {
				t.Errorf("damage %v: quarantined at lines %v, want %v", f.Summary(), got, wantLines)
			}
		})
	}
}

// A quarantined record keeps its raw text for the analyst, with id numbers and phones masked
// as in the tables: both the records the census takes out and those DuckDB's reader rejects.
func TestQuarantinedRecordsAreMasked(t *testing.T) {
	const idNumber, phone = "11010519491231002X", "13812345678"
	body := casesHeader +
		strings.Replace(caseRow(1, "身份证"+idNumber+"，电话"+phone), "2025-03-01", "2025-13-01", 1) + // reader reject
		caseRow(2, `"身份证`+idNumber+"，电话"+phone) + // census flaw
		caseRow(3, "ok")
	res, rows := runCases(t, body)
	wantAccount(t, res, rows, 3, 1, "2", "3")
	for _, r := range rows {
		if strings.Contains(r[3], idNumber) || strings.Contains(r[3], phone) || !strings.Contains(r[3], "〔身份证号〕") {
			t.Errorf("quarantine row %q: want the id number and phone masked", r)
		}
	}
}

// A file whose records end some with LF and some with CR LF (files joined together) loaded
// half its records into the quarantine: DuckDB's reader cannot read the two mixed. The census
// finds them sound and DuckDB reads a copy with LF throughout; lines stay the file's.
func TestMixedLineBreaksLoadEveryRecord(t *testing.T) {
	var b strings.Builder
	b.WriteString(casesHeader)
	for i := 1; i <= 40; i++ {
		row := caseRow(i, "ok")
		switch {
		case i == 30:
			row = strings.Replace(row, "2025-03-01", "2025-13-01", 1) // line 33: after an empty line and a two-line record
		case i == 20:
			row = caseRow(i, "\"两行\r\n内容\"") // lines 21-22
		}
		if i%2 == 0 {
			row = strings.TrimSuffix(row, "\n") + "\r\n"
		}
		b.WriteString(row)
		if i == 10 {
			b.WriteString("\r\n") // an empty line, line 12
		}
	}
	res, rows := runCases(t, b.String())
	wantAccount(t, res, rows, 40, 39, "33")
}

// A fractional head count loaded rounded on the canonical path (4.6 people as 5, which raised a
// group-visit flag), while the profile path rejects it; now both quarantine it, and a
// whole number written with a fraction (5.0) loads.
func TestFractionalHeadCountIsQuarantined(t *testing.T) {
	body := casesHeader +
		strings.Replace(caseRow(1, "ok"), ",1,征地", ",4.6,征地", 1) +
		strings.Replace(caseRow(2, "ok"), ",1,征地", ",5.0,征地", 1) +
		caseRow(3, "3.5万元")
	res, rows := runCases(t, body)
	wantAccount(t, res, rows, 3, 2, "2")
	if len(rows) == 1 && (rows[0][1] != "人数（head_count）" || !strings.Contains(rows[0][2], "整数")) {
		t.Errorf("quarantine row %q: want head_count, not an integer", rows[0])
	}
}
