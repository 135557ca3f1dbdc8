package pipeline

import (
	"database/sql"
	"fmt"
	"os"
	"runtime/metrics"
	"strings"
	"time"
)

// MemoryLogEnv names the environment variable that, set to a file, makes a run append to it,
// about every memoryLogEvery, the process's resident memory beside what DuckDB and Go count of
// it: a developer's view of where a run's memory goes, read beside the query log (QueryLogEnv)
// by scripts/querylog. Columns: time (UTC), rss_mib (VmRSS), duckdb_mib and duckdb_temp_mib
// (duckdb_memory(): memory in use and spilled to disk), go_heap_mib (live and unswept heap
// objects), go_mib (all the Go runtime holds from the OS, less what it returned).
const MemoryLogEnv = "EARLYWARN_MEMORY_LOG"

const memoryLogEvery = time.Second

// memorySampleSQL is what DuckDB counts; its first line keeps it out of scripts/querylog's
// tables.
const memorySampleSQL = `-- memory sample (MemoryLogEnv)
SELECT sum(memory_usage_bytes)::BIGINT, sum(temporary_storage_bytes)::BIGINT FROM duckdb_memory()`

// memoryLog samples while a session is open, until close.
type memoryLog struct {
	stop, done chan struct{}
}

// startMemoryLog starts sampling into the file MemoryLogEnv names, querying DuckDB on a
// connection of its own from pool; nil when the variable is unset. A sample that fails is
// skipped: the log must never stop a run.
func startMemoryLog(pool *sql.DB) *memoryLog {
	path := os.Getenv(MemoryLogEnv)
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil
	}
	if st, err := f.Stat(); err == nil && st.Size() == 0 {
		fmt.Fprintln(f, "time,rss_mib,duckdb_mib,duckdb_temp_mib,go_heap_mib,go_mib")
	}
	m := &memoryLog{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(m.done)
		defer f.Close()
		tick := time.NewTicker(memoryLogEvery)
		defer tick.Stop()
		for {
			sampleMemory(f, pool)
			select {
			case <-m.stop:
				sampleMemory(f, pool) // the last, as the session closes
				return
			case <-tick.C:
			}
		}
	}()
	return m
}

// sampleMemory appends one line to f.
func sampleMemory(f *os.File, pool *sql.DB) {
	var duck, temp int64
	if err := pool.QueryRow(memorySampleSQL).Scan(&duck, &temp); err != nil {
		return
	}
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	heap, total, released := s[0].Value.Uint64(), s[1].Value.Uint64(), s[2].Value.Uint64()
	fmt.Fprintf(f, "%s,%d,%d,%d,%d,%d\n", time.Now().UTC().Format("2006-01-02 15:04:05.000"),
		residentKiB()>>10, duck>>20, temp>>20, heap>>20, (total-released)>>20)
}

func (m *memoryLog) close() {
	if m != nil {
		close(m.stop)
		<-m.done
	}
}

// residentKiB is the process's resident set (VmRSS of /proc/self/status), 0 where there is none.
func residentKiB() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	_, rest, _ := strings.Cut(string(b), "VmRSS:")
	var kib int64
	fmt.Sscan(rest, &kib)
	return kib
}
