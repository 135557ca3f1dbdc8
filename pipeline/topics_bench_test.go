package pipeline

import (
	"os"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/topics"
	"github.com/earlywarn/earlywarn/rules"
)

// BenchmarkTopics runs the topics stage alone on a database a run loaded, as of
// EW_BENCH_TOPICS_AS_OF (default 2025-12-31), with the default config's topics section:
//
//	EW_BENCH_TOPICS_DB=big.duckdb go test -tags duckdb_arrow ./pipeline -run '^$' -bench Topics -benchtime 1x
//
// It builds the contacts table screening would (case_contacts) first, outside the timing. It
// writes only temporary tables. Without the variable it skips.
func BenchmarkTopics(b *testing.B) {
	path := os.Getenv("EW_BENCH_TOPICS_DB")
	if path == "" {
		b.Skip("EW_BENCH_TOPICS_DB names no database")
	}
	asOf := time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
	if s := os.Getenv("EW_BENCH_TOPICS_AS_OF"); s != "" {
		var err error
		if asOf, err = time.Parse(time.DateOnly, s); err != nil {
			b.Fatal(err)
		}
	}
	cfg, err := configs.BuiltInConfig()
	if err != nil {
		b.Fatal(err)
	}
	db, err := OpenDB(b.Context(), path, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	for _, st := range rules.PrepareSQL(cfg.Clocks, asOf)[:1] { // case_contacts only
		if _, err := conn.ExecContext(b.Context(), st.SQL, st.Args...); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		res, err := findTopics(b.Context(), conn, cfg.Topics, asOf, Quiet{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(res.Topics)), "topics")
	}
}

// BenchmarkTopicsRead reads the window's and the baseline's messages and does nothing with them:
// the SQL side of BenchmarkTopics.
func BenchmarkTopicsRead(b *testing.B) {
	path := os.Getenv("EW_BENCH_TOPICS_DB")
	if path == "" {
		b.Skip("EW_BENCH_TOPICS_DB names no database")
	}
	asOf := time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
	cfg, err := configs.BuiltInConfig()
	if err != nil {
		b.Fatal(err)
	}
	db, err := OpenDB(b.Context(), path, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	for _, st := range rules.PrepareSQL(cfg.Clocks, asOf)[:1] {
		if _, err := conn.ExecContext(b.Context(), st.SQL, st.Args...); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		n := 0
		for _, r := range [][2]int{{0, 13}, {14, 69}} {
			if err := readTopicMessages(b.Context(), conn, asOf, r[0], r[1], func(topics.Message) { n++ }); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n), "messages")
	}
}
