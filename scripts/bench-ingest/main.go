// Command bench-ingest measures the two ingest paths in one run and prints each beside a
// reference measured on the same machine at the same time:
//
//   - the clean UTF-8 CSV path (DuckDB's read_csv, then validation: codes, required fields,
//     dates, duplicate ids) against DuckDB's bare read_csv into a table on the same file;
//
//   - the Go-side path for a GB18030 export through a mapping profile (transcoding, date
//     layouts, id number checks, HMAC-SHA256 of names, id numbers and phones, Arrow hand-off
//     to DuckDB, validation, load into cases, contacts and events).
//
//     go run -tags duckdb_arrow ./scripts/bench-ingest [--rows N] [--dir DIR] [--paths clean,profile] [--cpuprofile FILE]
package main

import (
	"bufio"
	"context"
	"database/sql"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/go-viper/mapstructure/v2"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/idnum"
	"github.com/earlywarn/earlywarn/pipeline"
)

func main() {
	rows := flag.Int("rows", 2_000_000, "rows per generated file")
	dir := flag.String("dir", filepath.Join(os.TempDir(), "earlywarn-bench-ingest"), "work folder (generated files are kept and reused)")
	threads := flag.Int("threads", 2, "DuckDB threads for both the reference and earlywarn")
	repeat := flag.Int("repeat", 3, "alternate the reference and earlywarn this many times; medians are compared")
	paths := flag.String("paths", "clean,profile", "the ingest paths to measure: clean, profile or both")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench-ingest:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(*rows, *dir, *threads, *repeat, strings.Split(*paths, ",")); err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "bench-ingest:", err)
		os.Exit(1)
	}
}

const profilePath = "configs/profiles/xinfang-office-gb18030.yaml"

func run(rows int, dir string, threads, repeat int, paths []string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	fmt.Printf("bench-ingest: %d rows per file, %d DuckDB threads, GOMAXPROCS %d, %d CPUs\n", rows, threads, runtime.GOMAXPROCS(0), runtime.NumCPU())
	clean := filepath.Join(dir, fmt.Sprintf("clean-%d", rows))
	if err := writeCanonical(clean, rows); err != nil {
		return err
	}
	gb := filepath.Join(dir, fmt.Sprintf("office-gb18030-%d.csv", rows))
	if err := writeOffice(gb, rows); err != nil {
		return err
	}

	if slices.Contains(paths, "clean") {
		if err := benchClean(dir, clean, rows, threads, repeat); err != nil {
			return err
		}
	}
	if slices.Contains(paths, "profile") {
		return benchProfile(dir, gb, threads)
	}
	return nil
}

// benchClean measures the clean UTF-8 CSV path: bare read_csv into a table, then earlywarn's
// path on the same file. The machine may be shared: it alternates the two measurements and
// compares medians.
func benchClean(dir, clean string, rows, threads, repeat int) error {
	contacts := filepath.Join(clean, "contacts.csv")
	var refs, ourSecs []float64
	var ours pipeline.FileResult
	for range repeat {
		ref, err := bareReadCSV(contacts, filepath.Join(dir, "reference.duckdb"), threads)
		if err != nil {
			return err
		}
		refs = append(refs, ref)
		s, err := runPipeline(dir, clean, "", threads)
		if err != nil {
			return err
		}
		for _, in := range s.Inputs {
			if in.TableName == "contacts" {
				ours = in
			}
		}
		ourSecs = append(ourSecs, ours.Seconds)
	}
	ref, our := median(refs), median(ourSecs)
	fmt.Printf("clean UTF-8 CSV, %d rows (%s), median of %d alternating runs:\n", ours.Read, contacts, repeat)
	fmt.Printf("  DuckDB bare read_csv into a table: %6.2f s  %5.2f M rows/s  (runs %.2f)\n", ref, float64(rows)/ref/1e6, refs)
	fmt.Printf("  earlywarn read_csv + validation:   %6.2f s  %5.2f M rows/s  (runs %.2f)  ratio %.2f (target ≥ 0.80)\n",
		our, float64(ours.Read)/our/1e6, ourSecs, ref/our)

	return nil
}

// benchProfile measures the Go-side path: a GB18030 export through the office profile.
func benchProfile(dir, gb string, threads int) error {
	s, err := runPipeline(dir, gb, profilePath, threads)
	if err != nil {
		return err
	}
	in := s.Inputs[0]
	fmt.Printf("GB18030 office export through %s, %d rows (%d quarantined):\n", profilePath, in.Read, in.Quarantined)
	goPath := in.GoSeconds + in.HandOffSeconds
	fmt.Printf("  Go side (transcode, parse, check, hash, Arrow batches): %6.2f s\n", in.GoSeconds)
	fmt.Printf("  Arrow hand-off to DuckDB after the last batch:         %6.2f s\n", in.HandOffSeconds)
	fmt.Printf("  Go-side path (the two above):                          %6.2f s  %5.2f M rows/s (target ≥ 1.00)\n", goPath, float64(in.Read)/goPath/1e6)
	fmt.Printf("  whole load (+ validation, cases/contacts/events/person_keys): %6.2f s  %5.2f M rows/s\n",
		in.Seconds, float64(in.Read)/in.Seconds/1e6)
	return nil
}

// bareReadCSV loads the file into a new table with read_csv and the same column types, and
// returns the seconds it took.
func bareReadCSV(path, db string, threads int) (float64, error) {
	os.Remove(db)
	defer os.Remove(db)
	conn, err := sql.Open("duckdb", db)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	if _, err := conn.Exec(fmt.Sprintf("SET threads = %d; SET memory_limit = '2GB'", threads)); err != nil {
		return 0, err
	}
	t := time.Now()
	_, err = conn.Exec(`CREATE TABLE contacts AS SELECT * FROM read_csv($1, header = true, auto_detect = false,
  columns = {'contact_id': 'VARCHAR', 'case_id': 'VARCHAR', 'contact_date': 'DATE', 'channel': 'VARCHAR',
  'level': 'VARCHAR', 'person_id': 'VARCHAR', 'head_count': 'INTEGER'})`, path)
	return time.Since(t).Seconds(), err
}

func runPipeline(dir, input, profile string, threads int) (*pipeline.Summary, error) {
	cfg := pipeline.DefaultConfig()
	var raw map[string]any
	if err := yaml.Unmarshal(configs.Default, &raw); err != nil {
		return nil, err
	}
	if err := mapstructure.Decode(raw, &cfg); err != nil {
		return nil, err
	}
	cfg.Input, cfg.Profile, cfg.Threads = input, profile, threads
	cfg.Database = filepath.Join(dir, "bench.duckdb")
	cfg.Output = filepath.Join(dir, "out")
	os.Remove(cfg.Database)
	defer os.Remove(cfg.Database)
	if profile != "" {
		os.Setenv("EARLYWARN_BENCH_KEY", "bench-key-0123456789abcdef")
		cfg.Pseudonymisation.KeyEnv = "EARLYWARN_BENCH_KEY"
	}
	return pipeline.Run(context.Background(), cfg, pipeline.Options{AsOf: "2025-12-31", Version: "bench"})
}

var (
	towns      = []string{"城关镇", "东关街道", "西山乡", "南湖镇", "北岭乡", "青石镇", "白沙乡", "河口镇"}
	categories = []string{"征地拆迁", "劳资纠纷", "城乡建设", "农村农业", "社会保障", "教育", "卫生健康", "环境保护"}
	channels   = []string{"来信", "来访", "网上信访", "电话"}
	names      = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"}
	given      = []string{"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟"}
)

// writeCanonical writes a canonical folder (small cases and events, rows contacts) once.
func writeCanonical(dir string, rows int) error {
	if _, err := os.Stat(filepath.Join(dir, "contacts.csv")); err == nil {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	cases := rows / 10
	err := writeFile(filepath.Join(dir, "cases.csv"), func(w *bufio.Writer) {
		w.WriteString("case_id,received_date,channel,level,complainant_id,head_count,category,township,village,target_org,responsible_unit,status,content\n")
		for i := range cases {
			fmt.Fprintf(w, "C%07d,%s,visit,county,P%07d,1,%s,%s,,县局,县局,,\n", i, day(rng), rng.IntN(cases), categories[rng.IntN(8)], towns[rng.IntN(8)])
		}
	})
	if err != nil {
		return err
	}
	err = writeFile(filepath.Join(dir, "events.csv"), func(w *bufio.Writer) {
		w.WriteString("event_id,case_id,event_type,event_date\n")
		for i := range cases {
			fmt.Fprintf(w, "E%07d,C%07d,accepted,%s\n", i, i, day(rng))
		}
	})
	if err != nil {
		return err
	}
	codes := []string{"letter", "visit", "online", "phone"}
	levels := []string{"county", "city", "province", "national"}
	return writeFile(filepath.Join(dir, "contacts.csv"), func(w *bufio.Writer) {
		w.WriteString("contact_id,case_id,contact_date,channel,level,person_id,head_count\n")
		for i := range rows {
			fmt.Fprintf(w, "V%08d,C%07d,%s,%s,%s,P%07d,%d\n", i, rng.IntN(cases), day(rng), codes[rng.IntN(4)], levels[rng.IntN(4)], rng.IntN(cases), 1+rng.IntN(3))
		}
	})
}

// writeOffice writes a GB18030 office export with names, id numbers and phones once.
func writeOffice(path string, rows int) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	rng := rand.New(rand.NewPCG(3, 4))
	return writeFile(path, func(w *bufio.Writer) {
		enc := transform.NewWriter(w, simplifiedchinese.GB18030.NewEncoder())
		bw := bufio.NewWriterSize(enc, 1<<16)
		bw.WriteString("某县信访局 信访件登记表（导出）\n")
		bw.WriteString("信访件编号,登记日期,办结日期,来源,信访级别,问题类别,反映内容,人数,乡镇街道,村社区,被反映单位,责任单位,信访人,身份证号,联系电话\n")
		for i := range rows {
			first17 := fmt.Sprintf("3301%02d19%02d%02d%02d%03d", rng.IntN(30), 50+rng.IntN(50), 1+rng.IntN(12), 1+rng.IntN(28), rng.IntN(1000))
			id := first17 + string(idnum.CheckDigit(first17))
			closed := ""
			if rng.IntN(3) > 0 {
				closed = "2025-11-30"
			}
			fmt.Fprintf(bw, "XF%08d,2025/%d/%d %d:%02d:00,%s,%s,县级,%s,反映有关问题请求解决,%d,%s,%s村,县某局,县某局,%s%s,%s,139%08d\n",
				i, 1+rng.IntN(11), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60), closed, channels[rng.IntN(4)], categories[rng.IntN(8)],
				1+rng.IntN(3), towns[rng.IntN(8)], names[rng.IntN(10)], names[rng.IntN(10)], given[rng.IntN(15)], id, rng.IntN(1e8))
		}
		bw.Flush()
		enc.Close()
	})
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func day(rng *rand.Rand) string {
	return time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(700)).Format(time.DateOnly)
}

func writeFile(path string, fill func(*bufio.Writer)) error {
	f, err := os.Create(path + ".tmp")
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fill(w)
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(path+".tmp", path)
}
