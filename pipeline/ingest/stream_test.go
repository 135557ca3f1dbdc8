package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/earlywarn/earlywarn/internal/pseudo"
)

// cpuSeconds is the process's user and system CPU time so far.
func cpuSeconds(tb testing.TB) float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// benchExport reads the bench-ingest export named by EW_BENCH_GB18030 (the benchmark skips
// without it) with read once per iteration, giving it a mapper factory with a bench key, and
// reports rows per second and CPU microseconds per row, which a busy machine disturbs less.
func benchExport(b *testing.B, read func(r recordReader, makeMapper func() *mapper) (readCounts, error)) {
	path := os.Getenv("EW_BENCH_GB18030")
	if path == "" {
		b.Skip("set EW_BENCH_GB18030 to a file written by scripts/bench-ingest")
	}
	p := loadMapping(b, "../../configs/profiles/xinfang-office-gb18030.yaml")
	h, _ := pseudo.New([]byte("bench-key-0123456789abcdef"))
	makeMapper := func() *mapper { return newMapper(p, h.Clone(), time.UTC, time.Time{}) }
	var rows int64
	cpu := cpuSeconds(b)
	for b.Loop() {
		r, err := openSource(p, path)
		if err != nil {
			b.Fatal(err)
		}
		counts, err := read(r, makeMapper)
		if err != nil {
			b.Fatal(err)
		}
		rows += counts.Read
		r.Close()
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric((cpuSeconds(b)-cpu)/float64(rows)*1e6, "cpu-µs/row")
}

// BenchmarkReadAll maps the bench-ingest export (go run ./scripts/bench-ingest makes it) on
// GOMAXPROCS workers: transcoding, parsing, checks, hashing and Arrow batches.
func BenchmarkReadAll(b *testing.B) {
	benchExport(b, func(r recordReader, makeMapper func() *mapper) (readCounts, error) {
		return readAll(context.Background(), r, makeMapper, runtime.GOMAXPROCS(0), func(b arrow.RecordBatch) bool {
			b.Release()
			return true
		})
	})
}

// tinyMapping maps columns id, day, kind of a CSV onto cases.
func tinyMapping(t *testing.T) *mapping {
	t.Helper()
	return parseMapping(t, "test.yaml", `name: test
format: csv
fields:
  case_id: {column: id}
  received_date: {column: day, layouts: ["2006-01-02"]}
  channel: {column: kind, map: {来访: visit}}
  level: {value: county}
  category: {value: 其他}
  township: {value: 城关镇}
  responsible_unit: {value: 县信访局}
`)
}

// fakeReader yields n records (line i+2 for record i, every seventh without a date), then
// fails with err (io.EOF for a clean end).
type fakeReader struct {
	i, n int
	err  error
}

func (f *fakeReader) Next() (record, error) {
	if f.i == f.n {
		return record{}, f.err
	}
	f.i++
	day := "2025-01-02"
	if f.i%7 == 0 {
		day = ""
	}
	return record{Line: int64(f.i + 1), Values: []string{fmt.Sprint("C", f.i), day, "来访"}}, nil
}

func (f *fakeReader) Close() error { return nil }

// readLines runs readAll and returns the lines of the rows emitted and of the rejects.
func readLines(t *testing.T, ctx context.Context, r recordReader, workers int, emit func(arrow.RecordBatch) bool) (rows, rejects []int64, err error) {
	t.Helper()
	p := tinyMapping(t)
	makeMapper := func() *mapper { return newMapper(p, nil, time.UTC, time.Time{}) }
	counts, err := readAll(ctx, r, makeMapper, workers, func(b arrow.RecordBatch) bool {
		rows = append(rows, b.Column(int(b.NumCols())-1).(*array.Int64).Int64Values()...)
		if emit != nil {
			return emit(b)
		}
		b.Release()
		return true
	})
	for _, rej := range counts.Rejects {
		rejects = append(rejects, rej.Line)
	}
	if got := int64(len(rows) + len(rejects)); got != counts.Read {
		t.Errorf("%d rows and rejects, %d read", got, counts.Read)
	}
	return rows, rejects, err
}

// wantLines are the lines of rows and rejects of the first n records of a fakeReader.
func wantLines(n int) (rows, rejects []int64) {
	for i := 1; i <= n; i++ {
		if i%7 == 0 {
			rejects = append(rejects, int64(i+1))
		} else {
			rows = append(rows, int64(i+1))
		}
	}
	return rows, rejects
}

func TestReadAllKeepsFileOrderOnEveryWorkerCount(t *testing.T) {
	const n = 20*1024 + 5 // 21 blocks, the last short
	wantRows, wantRejects := wantLines(n)
	for _, workers := range []int{1, 2, 5} {
		rows, rejects, err := readLines(t, context.Background(), &fakeReader{n: n, err: io.EOF}, workers, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rows, wantRows) || !slices.Equal(rejects, wantRejects) {
			t.Errorf("%d workers: %d rows, %d rejects out of order or missing", workers, len(rows), len(rejects))
		}
	}
}

func TestReadAllEndsAtAReadErrorWithTheRecordsBeforeIt(t *testing.T) {
	broken := errors.New("disk on fire")
	const n = 5*1024 + 300 // the error comes within the sixth block
	rows, rejects, err := readLines(t, context.Background(), &fakeReader{n: n, err: broken}, 3, nil)
	if !errors.Is(err, broken) {
		t.Fatalf("error %v, want %v", err, broken)
	}
	wantRows, wantRejects := wantLines(n)
	if !slices.Equal(rows, wantRows) || !slices.Equal(rejects, wantRejects) {
		t.Errorf("%d rows and %d rejects before the error, want %d and %d", len(rows), len(rejects), len(wantRows), len(wantRejects))
	}
}

func TestReadAllStopsWhenTheConsumerOrContextDoes(t *testing.T) {
	const n = 50 * 1024
	var batches int
	rows, _, err := readLines(t, context.Background(), &fakeReader{n: n, err: io.EOF}, 2, func(b arrow.RecordBatch) bool {
		b.Release()
		batches++
		return batches < 3
	})
	if !errors.Is(err, errStopped) || batches != 3 {
		t.Fatalf("error %v after %d batches, want %v after 3", err, batches, errStopped)
	}
	wantRows, _ := wantLines(3 * 1024)
	if !slices.Equal(rows, wantRows) {
		t.Errorf("%d rows emitted, want the %d of the first three blocks", len(rows), len(wantRows))
	}

	ctx, cancel := context.WithCancel(context.Background())
	r := &fakeReader{n: n, err: io.EOF}
	_, _, err = readLines(t, ctx, r, 2, func(b arrow.RecordBatch) bool {
		b.Release()
		cancel()
		return true
	})
	if !errors.Is(err, errStopped) || r.i == n {
		t.Fatalf("error %v after %d of %d records, want %v before the end", err, r.i, n, errStopped)
	}
}

// TestReadAllMapsCSVBlocksAsOneReaderWould reads a CSV of several blocks, with records over
// two lines and records that cannot be parsed, on several workers and compares rows and
// rejects with mapping the records one by one.
func TestReadAllMapsCSVBlocksAsOneReaderWould(t *testing.T) {
	var body strings.Builder
	body.WriteString("export of 2025\nid,day,kind\n")
	for i := 0; body.Len() < 3<<20; i++ {
		switch i % 101 {
		case 3:
			fmt.Fprintf(&body, "C%d,2025-01-02,\"来\n访\"\n", i) // an unknown code over two lines
		case 50:
			fmt.Fprintf(&body, "C%d,2025-01-02,\"来\"访\n", i) // a quote error
		case 70:
			fmt.Fprintf(&body, "C%d,2025-13-02,来访\n", i) // a bad date
		default:
			fmt.Fprintf(&body, "C%d,2025-01-02,来访\n", i)
		}
	}
	p := tinyMapping(t)
	p.SkipLines = 1
	path := filepath.Join(t.TempDir(), "a.csv")
	if err := os.WriteFile(path, []byte(body.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var wantRows, wantRejects []int64
	r, err := openSource(p, path)
	if err != nil {
		t.Fatal(err)
	}
	m := newMapper(p, nil, time.UTC, time.Time{})
	for {
		rec, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, rej, ok := m.Map(rec); ok {
			wantRows = append(wantRows, rec.Line)
		} else {
			wantRejects = append(wantRejects, rej.Line)
		}
	}
	r.Close()
	r, err = openSource(p, path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rows, rejects, err := readLines(t, context.Background(), r, 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows, wantRows) || !slices.Equal(rejects, wantRejects) || len(wantRejects) == 0 || wantRows[len(wantRows)-1] < 30000 {
		t.Errorf("%d rows and %d rejects, want %d and %d in the same order", len(rows), len(rejects), len(wantRows), len(wantRejects))
	}
}

func TestCaseStreamEndsWithTheReadError(t *testing.T) {
	broken := errors.New("disk on fire")
	p := tinyMapping(t)
	makeMapper := func() *mapper { return newMapper(p, nil, time.UTC, time.Time{}) }
	s := streamRows(context.Background(), &fakeReader{n: 3000, err: broken}, makeMapper, p.schema, 2)
	var rows int64
	for s.Next() {
		rows += s.RecordBatch().NumRows()
	}
	if !errors.Is(s.Err(), broken) {
		t.Errorf("Err() = %v, want %v", s.Err(), broken)
	}
	s.Release()
	counts, _, err := s.Wait()
	if !errors.Is(err, broken) || rows+int64(len(counts.Rejects)) != 3000 || counts.Read != 3000 {
		t.Errorf("%v after %d rows and %d rejects of %d read, want %v after 3000", err, rows, len(counts.Rejects), counts.Read, broken)
	}

	// Released before its end, the stream stops reading.
	r := &fakeReader{n: 100 * 1024, err: io.EOF}
	s = streamRows(context.Background(), r, makeMapper, p.schema, 2)
	if !s.Next() {
		t.Fatal("no first batch")
	}
	s.Release()
	if _, _, err := s.Wait(); !errors.Is(err, errStopped) || r.i == r.n {
		t.Errorf("%v after %d of %d records, want %v before the end", err, r.i, r.n, errStopped)
	}
}

// TestRowStreamGathersBlocksInOrder reads records of many blocks through a stream on several
// workers: the batches handed over are the blocks' rows gathered (handOffBlocks blocks at a
// time, or handOffRows rows), in file order, the same on every run and worker count.
func TestRowStreamGathersBlocksInOrder(t *testing.T) {
	const n = 40*1024 + 77 // 41 blocks, the last short
	p := tinyMapping(t)
	makeMapper := func() *mapper { return newMapper(p, nil, time.UTC, time.Time{}) }
	wantRows, wantRejects := wantLines(n)
	for _, workers := range []int{1, 2, 3} {
		for range 3 {
			s := streamRows(context.Background(), &fakeReader{n: n, err: io.EOF}, makeMapper, p.schema, workers)
			var rows []int64
			var sizes []int64
			for s.Next() {
				b := s.RecordBatch()
				sizes = append(sizes, b.NumRows())
				rows = append(rows, b.Column(int(b.NumCols())-1).(*array.Int64).Int64Values()...)
			}
			s.Release()
			counts, _, err := s.Wait()
			if err != nil || s.Err() != nil {
				t.Fatal(err, s.Err())
			}
			var rejects []int64
			for _, r := range counts.Rejects {
				rejects = append(rejects, r.Line)
			}
			if !slices.Equal(rows, wantRows) || !slices.Equal(rejects, wantRejects) || counts.Read != n {
				t.Fatalf("%d workers: %d rows, %d rejects of %d read, out of order or missing", workers, len(rows), len(rejects), counts.Read)
			}
			// 1,024 records a block, a seventh of them rejected: each batch but the last
			// holds handOffBlocks blocks' rows.
			perBatch := int64(handOffBlocks * 1024 * 6 / 7)
			if len(sizes) != (41+handOffBlocks-1)/handOffBlocks {
				t.Fatalf("%d workers: batches of %v rows", workers, sizes)
			}
			for _, size := range sizes[:len(sizes)-1] {
				if size < perBatch-1 || size > perBatch+1 {
					t.Fatalf("%d workers: batches of %v rows, want about %d but the last", workers, sizes, perBatch)
				}
			}
		}
	}
}
