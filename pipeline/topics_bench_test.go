package pipeline

import (
	"database/sql"
	"os"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/topics"
	"github.com/earlywarn/earlywarn/rules"
)

// The topics stage alone, on a database a run loaded (EW_BENCH_TOPICS_DB), as of
// EW_BENCH_TOPICS_AS_OF (default 2025-12-31), with the default config's topics section:
//
//	EW_BENCH_TOPICS_DB=big.duckdb go test -tags duckdb_arrow ./pipeline -run '^$' -bench Topics -benchtime 1x
//
// BenchmarkTopics runs the whole stage; BenchmarkTopicsRead only reads the window's and the
// baseline's messages (its SQL side). Both build the contacts table screening would
// (case_contacts) first, outside the timing, and write only temporary tables. Without the
// variable they skip.

// topicsBench opens the database and builds case_contacts as of the date.
func topicsBench(b *testing.B) (*sql.Conn, configs.Config, time.Time) {
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
	b.Cleanup(func() { db.Close() })
	conn, err := db.Conn(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	for _, st := range rules.PrepareSQL(cfg.Clocks, asOf)[:1] { // case_contacts only
		if _, err := conn.ExecContext(b.Context(), st.SQL, st.Args...); err != nil {
			b.Fatal(err)
		}
	}
	return conn, cfg, asOf
}

func BenchmarkTopics(b *testing.B) {
	conn, cfg, asOf := topicsBench(b)
	for b.Loop() {
		res, err := findTopics(b.Context(), conn, cfg, asOf, Quiet{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(res.Topics)), "topics")
	}
}

func BenchmarkTopicsRead(b *testing.B) {
	conn, cfg, asOf := topicsBench(b)
	w, all := cfg.Topics.WindowDays, cfg.Topics.WindowDays+cfg.Topics.BaselineDays
	for b.Loop() {
		n := 0
		for _, r := range [][2]int{{0, w - 1}, {w, all - 1}} {
			if err := readTopicMessages(b.Context(), conn, asOf, r[0], r[1], func(topics.Message) { n++ }); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n), "messages")
	}
}
