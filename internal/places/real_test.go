package places

import (
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/earlywarn/earlywarn/internal/realdata"
)

// message is one real message of shared/data/real/cn-message-board: its file ("replies" or
// "labelled"), its 留言编号 and its text, the subject, a line break, then the body trimmed of
// white space (the text the labels were made on).
type message struct {
	source, id, text string
}

var (
	realOnce sync.Once
	realMsgs []message
	realErr  error
)

// realMessages returns the messages of replies.xlsx, then of labelled.xlsx, in file order; it
// skips t when shared/data/real is absent (fails it under CI; see realdata.File).
func realMessages(t testing.TB) []message {
	t.Helper()
	dir := realdata.File(t, "cn-message-board")
	realOnce.Do(func() {
		for _, src := range []string{"replies", "labelled"} {
			f, err := excelize.OpenFile(dir + "/" + src + ".xlsx")
			if err != nil {
				realErr = err
				return
			}
			rows, err := f.GetRows("Sheet1")
			f.Close()
			if err != nil {
				realErr = err
				return
			}
			if len(rows) == 0 || len(rows[0]) < 5 || rows[0][0] != "留言编号" || rows[0][2] != "留言主题" || rows[0][4] != "留言详情" {
				realErr = &realdataError{src}
				return
			}
			for _, r := range rows[1:] {
				if len(r) < 5 || strings.TrimSpace(r[0]) == "" {
					continue // labelled.xlsx ends with empty rows
				}
				realMsgs = append(realMsgs, message{source: src, id: strings.TrimSpace(r[0]),
					text: strings.TrimSpace(r[2]) + "\n" + strings.TrimSpace(r[4])})
			}
		}
	})
	if realErr != nil {
		t.Fatal(realErr)
	}
	return realMsgs
}

type realdataError struct{ src string }

func (e *realdataError) Error() string { return e.src + ".xlsx: unexpected header row" }

// TestRealMessages runs the extractor over every real message: the invariants hold, and the
// extractor finds places in most messages (the board's messages are mostly about a place).
func TestRealMessages(t *testing.T) {
	msgs := realMessages(t)
	if len(msgs) != 2816+495 {
		t.Fatalf("%d messages, want %d", len(msgs), 2816+495)
	}
	e := MustNew(nil)
	with, total := 0, 0
	for _, m := range msgs {
		ms := e.Extract(m.text)
		checkInvariants(t, m.text, ms)
		if len(ms) > 0 {
			with++
		}
		total += len(ms)
	}
	t.Logf("%d messages, %d with a mention, %d mentions", len(msgs), with, total)
	if with < len(msgs)*6/10 {
		t.Errorf("only %d of %d messages have a mention", with, len(msgs))
	}
}

// BenchmarkExtractReal extracts the places of the real messages with 2 workers, as the
// pipeline does on the 2-core machine, and reports messages per second and CPU nanoseconds
// per message (the honest figure on a loaded machine, where wall time includes waiting).
func BenchmarkExtractReal(b *testing.B) {
	benchmarkExtract(b, MustNew(nil))
}

// BenchmarkExtractRealLearnt is BenchmarkExtractReal with the gazetteer Learn makes of the
// same messages (the office's use: learnt from its history, then extracting).
func BenchmarkExtractRealLearnt(b *testing.B) {
	msgs := realMessages(b)
	learnt := Learn(func(yield func(string) bool) {
		for _, m := range msgs {
			if !yield(m.text) {
				return
			}
		}
	}, LearnOptions{})
	benchmarkExtract(b, MustNew(learnt))
}

func benchmarkExtract(b *testing.B, e *Extractor) {
	msgs := realMessages(b)
	b.ResetTimer()
	n := 0
	cpu0 := cpuTime()
	for b.Loop() {
		var wg sync.WaitGroup
		for w := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < len(msgs); i += 2 {
					e.Extract(msgs[i].text)
				}
			}()
		}
		wg.Wait()
		n += len(msgs)
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(n), "cpu-ns/msg")
}
