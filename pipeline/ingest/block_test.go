package ingest

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/internal/damage"

	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// csvRecords parses text with encoding/csv as the profile reader configures it and renders
// each record with its first line (offset by lines) or its error's lines.
func csvRecords(text []byte, comma rune, lines int) []string {
	r := csv.NewReader(bytes.NewReader(text))
	r.Comma = comma
	r.FieldsPerRecord = -1
	var out []string
	for {
		fields, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			out = append(out, fmt.Sprintf("%d-%d: %v", pe.StartLine+lines, pe.Line+lines, pe.Err))
			continue
		}
		line, _ := r.FieldPos(0)
		out = append(out, fmt.Sprintf("%d: %q", line+lines, fields))
	}
}

// cutEveryRecord parses text one record (as recordEnd cuts them) at a time.
func cutEveryRecord(text []byte, comma rune) []string {
	delim := []byte(string(comma))
	var out []string
	lines := 0
	for pos := 0; pos < len(text); {
		end, ok := recordEnd(text, pos, delim)
		if !ok {
			end = len(text)
		}
		out = append(out, csvRecords(text[pos:end], comma, lines)...)
		lines += bytes.Count(text[pos:end], []byte{'\n'})
		pos = end
	}
	return out
}

func TestRecordEndCutsWhereEncodingCSVStartsARecord(t *testing.T) {
	cases := []string{
		"a,b,c\n1,2,3\n",
		"a,\"b\nc\",d\n1,2,3\n",          // a quoted line break
		"a,\"b\"\"\n\"\"c\"\n2,3\n",      // escaped quotes around a line break
		"a,b\"c,\"d\ne\"\n1,2\n",         // a bare quote ends the record with its line
		"a,\"b\"x,\"c\nd\"\n1,2\n",       // a quote followed by text ends it too
		"a,\"b\nc\"x,y\nz\n1,2\n",        // ... also on a continuation line
		"a,\"b\r\nc\"\r\n1,2\r\n\r\n3\r", // CRLF, a blank line, a trailing CR
		"\n\n\"a\n\n\",b\n\n",            // blank lines and a quoted blank line
		"a,\"unterminated\nb,c\n",        // the rest of the file is one bad record
		"\"a\",\"b\"",                    // no final line break
		"a,b,\n,\"\",\"\"\n",             // empty fields
	}
	for _, c := range cases {
		for _, comma := range []rune{',', ';', '，'} {
			text := []byte(strings.ReplaceAll(c, ",", string(comma)))
			want, got := csvRecords(text, comma, 0), cutEveryRecord(text, comma)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("%q with %q:\ncut  %q\nwhole %q", text, comma, got, want)
			}
		}
	}
}

func FuzzRecordEnd(f *testing.F) {
	f.Add([]byte("a,\"b\nc\",d\n1,2,3\n"), uint8(0))
	f.Add([]byte("a,b\"c,\"d\ne\"\n1,2\n"), uint8(1))
	f.Add([]byte("a，\"b\"x，\"c\nd\"\n1，2\n"), uint8(2))
	f.Fuzz(func(t *testing.T, text []byte, which uint8) {
		comma := []rune{',', ';', '，', '\t'}[which%4]
		want, got := csvRecords(text, comma, 0), cutEveryRecord(text, comma)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("%q with %q:\ncut  %q\nwhole %q", text, comma, got, want)
		}
	})
}

// TestCSVBlocksKeepLinesAcrossBlocks reads a file of several blocks whose records span lines
// and carry errors, and expects the records and lines one encoding/csv pass gives.
func TestCSVBlocksKeepLinesAcrossBlocks(t *testing.T) {
	var body bytes.Buffer
	body.WriteString("title line\n" + testHeader)
	for i := 0; body.Len() < 3*blockBytes+1000; i++ {
		switch i % 97 {
		case 5:
			fmt.Fprintf(&body, "%d,2025-01-02,,来访,\"镇\n第%d行\",,,\n", i, i) // a quoted line break
		case 50:
			fmt.Fprintf(&body, "%d,2025-01-02,,\"来\"访,镇,,,\n", i) // a quote error
		case 70:
			fmt.Fprintf(&body, "%d,2025-01-02\n\n", i) // too few fields, a blank line
		default:
			fmt.Fprintf(&body, "%d,2025-01-02,,来访,镇%s,,,\n", i, strings.Repeat("x", i%200))
		}
	}
	path := filepath.Join(t.TempDir(), "big.csv")
	if err := os.WriteFile(path, body.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := openSource(testProfile(t, "csv", "skip_lines: 1"), path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	want := csvRecords(body.Bytes()[bytes.IndexByte(body.Bytes(), '\n')+1:], ',', 1)[1:] // after the title and header
	var blocks, n int
	for {
		b, err := readBlock(r)
		blocks++
		for _, rec := range b.Records() {
			if n >= len(want) {
				t.Fatalf("record %d beyond the %d expected: %+v", n, len(want), rec)
			}
			line, _, _ := strings.Cut(want[n], ":")
			line, _, _ = strings.Cut(line, "-")
			if got := fmt.Sprint(rec.Line); got != line {
				t.Fatalf("record %d: line %s, want %s (%s)", n, got, line, want[n])
			}
			parsed := strings.Contains(want[n], ": [")
			if parsed && rec.Err != nil && rec.Err.Code != runrecord.ReasonFieldCount || !parsed && (rec.Err == nil || rec.Err.Code != runrecord.ReasonUnparsable && rec.Err.Code != runrecord.ReasonTextAfterQuote && rec.Err.Code != runrecord.ReasonBareQuote) {
				t.Fatalf("record %d: %+v, want %s", n, rec, want[n])
			}
			n++
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if n != len(want) || blocks < 4 {
		t.Fatalf("%d records in %d blocks, want %d records in at least 4 blocks", n, blocks, len(want))
	}
}

// TestProfileCSVUnclosedQuoteResumesOnNextLine: a quote opened in row 50 and never closed
// took the rest of the file into one bad record; now the record ends with its line and the
// rows after it are read.
func TestProfileCSVUnclosedQuoteResumesOnNextLine(t *testing.T) {
	var body strings.Builder
	body.WriteString(testHeader)
	for i := 1; i <= 200; i++ {
		place := "城关镇"
		if i == 50 {
			place = `"城关镇`
		}
		fmt.Fprintf(&body, "A%d,2025-01-02,,来访,%s,,,\n", i, place)
	}
	rows, rejects, err := mapFile(t, testProfile(t, "csv", ""), write(t, "a.csv", []byte(body.String())))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 199 || len(rejects) != 1 || rejects[0].Line != 51 || !strings.Contains(rejects[0].Reason, `"quote_not_closed","","51"`) {
		t.Fatalf("%d rows, rejects %+v; want 199 rows and the record of line 51", len(rows), rejects)
	}
	if rows[49].CaseID != "A51" || rows[49].Line != 52 {
		t.Errorf("the row after the bad record is %s at line %d, want A51 at line 52", rows[49].CaseID, rows[49].Line)
	}
}

// TestProfileRecordOverTheLimitIsQuarantined: a record longer than quarantine.max_record_bytes
// is quarantined at its first line, in CSV and TSV, and the records around it are read.
func TestProfileRecordOverTheLimitIsQuarantined(t *testing.T) {
	for _, format := range []string{"csv", "tsv"} {
		sep := map[string]string{"csv": ",", "tsv": "\t"}[format]
		row := func(id, place string) string {
			return strings.Join([]string{id, "2025-01-02", "", "来访", place, "", "", ""}, sep) + "\n"
		}
		body := strings.ReplaceAll(testHeader, ",", sep) + row("A1", "镇") + row("A2", strings.Repeat("镇", 400)) + row("A3", "镇")
		p := testProfile(t, format, "")
		p.maxRecordBytes = 1024
		rows, rejects, err := mapFile(t, p, write(t, "a."+format, []byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || len(rejects) != 1 || rejects[0].Line != 3 || !strings.Contains(rejects[0].Reason, "record_too_long") {
			t.Errorf("%s: %d rows, rejects %+v; want 2 rows and the record of line 3, too long", format, len(rows), rejects)
		}
	}
}

// TestProfileCSVDamagedFilesAccountForEveryRecord is the profile path's property test: files
// of 300 records, about a tenth damaged in random ways (package damage), with blank lines,
// multi-line records and LF or CR LF line breaks. Every record is a row or one reject at its
// first line, and the records that read as written are rows.
func TestProfileCSVDamagedFilesAccountForEveryRecord(t *testing.T) {
	const header = "id,opened,closed,kind,name,idno,tel,place"
	for seed := range uint64(32) {
		eol := "\n"
		if seed%4 == 3 {
			eol = "\r\n"
		}
		f := damage.Write(rand.New(rand.NewPCG(seed, 7)), header, 300, eol,
			func(i int, last string) string { return fmt.Sprintf("A%d,2025-01-02,,来访,,,,%s", i, last) })
		p := testProfile(t, "csv", "")
		p.maxRecordBytes = damage.RecordLimit
		rows, rejects, err := mapFile(t, p, write(t, "a.csv", []byte(f.Text)))
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		wantRows, wantLines := f.Expect(func(k *damage.Kind) bool { return k.Profile })
		var lines []int
		for _, r := range rejects {
			lines = append(lines, int(r.Line))
		}
		if int64(len(rows)) != wantRows || fmt.Sprint(lines) != fmt.Sprint(wantLines) {
			t.Errorf("seed %d, damage %v: %d rows, rejects at %v; want %d rows, rejects at %v", seed, f.Summary(), len(rows), lines, wantRows, wantLines)
		}
	}
}
