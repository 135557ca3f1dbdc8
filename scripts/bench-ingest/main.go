// Command bench-ingest measures the two ingest paths in one run and prints each beside a
// reference measured on the same machine at the same time:
//
//   - the clean UTF-8 CSV path on a contacts file (checksum, DuckDB's read_csv, validation:
//     codes, required fields, dates, duplicate ids) against DuckDB's bare read_csv into a table
//     on the same file (scripts/internal/ingestref, as scripts/bench uses: the same threads,
//     memory limit and column types as the run), alternating the two and comparing medians;
//     --contacts measures an existing file instead, e.g. scripts/bench's 10 M contacts, and
//     --cases an existing cases file (with the content the contacts lack);
//
//   - the Go-side path for a GB18030 export through a mapping profile (transcoding, date
//     layouts, id number checks, HMAC-SHA256 of names, id numbers and phones, Arrow hand-off
//     to DuckDB, validation, load into cases, contacts and events), alternating with DuckDB's
//     bare read_csv of the same rows in UTF-8 (all text) into a temporary table, as the
//     hand-off loads them: the engine's own pace on that data with none of the Go-side work.
//
//     go run -tags duckdb_arrow ./scripts/bench-ingest [--rows N] [--dir DIR] [--contacts FILE | --cases FILE] [--threads N] [--repeat N] [--skip-profile | --skip-clean] [--cpuprofile FILE]
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"syscall"
	"time"

	"github.com/earlywarn/earlywarn/configs"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/idnum"
	"github.com/earlywarn/earlywarn/pipeline"
	"github.com/earlywarn/earlywarn/pipeline/ingest"
	"github.com/earlywarn/earlywarn/rules"
	"github.com/earlywarn/earlywarn/scripts/internal/ingestref"
)

func main() {
	rows := flag.Int("rows", 2_000_000, "rows per generated file")
	dir := flag.String("dir", filepath.Join(os.TempDir(), "earlywarn-bench-ingest"), "work folder (generated files are kept and reused)")
	threads := flag.Int("threads", 2, "DuckDB threads for both the reference and earlywarn")
	repeat := flag.Int("repeat", 3, "alternate the reference and earlywarn this many times; medians are compared")
	contacts := flag.String("contacts", "", "a canonical contacts CSV to measure the clean path on instead of the generated one")
	cases := flag.String("cases", "", "a canonical cases CSV to measure the clean path on instead of the generated contacts (e.g. cases with their content, from earlywarn gen)")
	skipProfile := flag.Bool("skip-profile", false, "measure the clean path only")
	skipClean := flag.Bool("skip-clean", false, "measure the Go-side profile path only")
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
	}
	err := run(*rows, *dir, *contacts, *cases, *threads, *repeat, *skipProfile, *skipClean)
	pprof.StopCPUProfile()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench-ingest:", err)
		os.Exit(1)
	}
}

const profilePath = "configs/profiles/xinfang-office-gb18030.yaml"

func run(rows int, dir, contactsFile, casesFile string, threads, repeat int, skipProfile, skipClean bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	fmt.Printf("bench-ingest: %d rows per generated file, %d DuckDB threads, GOMAXPROCS %d, %d CPUs, load average %s\n",
		rows, threads, runtime.GOMAXPROCS(0), runtime.NumCPU(), ingestref.LoadAverage())
	clean := filepath.Join(dir, fmt.Sprintf("clean-%d", rows))
	if err := writeCanonical(clean, rows); err != nil {
		return err
	}
	measured := data.Contacts
	for _, given := range []struct {
		file  string
		table data.Table
	}{{contactsFile, data.Contacts}, {casesFile, data.Cases}} {
		if given.file == "" {
			continue
		}
		// The given file beside the generated other tables.
		abs, err := filepath.Abs(given.file)
		if err != nil {
			return err
		}
		generated := clean
		clean, measured = filepath.Join(dir, "given"), given.table
		os.RemoveAll(clean)
		if err := os.MkdirAll(clean, 0o755); err != nil {
			return err
		}
		for _, t := range data.Tables {
			from := filepath.Join(generated, t.Name+".csv")
			if t.Name == given.table.Name {
				from = abs
			}
			if err := os.Symlink(from, filepath.Join(clean, t.Name+".csv")); err != nil {
				return err
			}
		}
		break
	}

	// 1. Clean UTF-8 CSV: bare read_csv into a table, then earlywarn's path on the same file.
	// The machine may be shared: alternate the two measurements and compare medians.
	cfg, err := configs.BuiltInConfig()
	if err != nil {
		return err
	}
	cfg.Threads = threads
	if !skipClean {
		if err := benchClean(cfg, dir, clean, measured, repeat); err != nil {
			return err
		}
	}
	if skipProfile {
		return nil
	}
	gb := filepath.Join(dir, fmt.Sprintf("office-gb18030-%d.csv", rows))
	if err := writeOffice(gb, rows); err != nil {
		return err
	}

	// 2. Go-side path: GB18030 through a profile.
	return benchProfiled(cfg, dir, gb, rows, repeat)
}

// benchProfiled measures the Go-side path: a GB18030 export through a profile, alternating with
// DuckDB's bare read_csv of the same rows in UTF-8 (no transcoding, checks or hashing) into a
// temporary table, where the hand-off loads them: what the engine alone reaches. It compares
// medians.
func benchProfiled(cfg configs.Config, dir, gb string, rows, repeat int) error {
	utf8 := filepath.Join(dir, fmt.Sprintf("office-utf8-%d.csv", rows))
	if err := writeUTF8(gb, utf8); err != nil {
		return err
	}
	var refs, refCPUs, goPaths, loads []float64
	var in ingest.FileResult
	for range repeat {
		cpu := cpuSeconds()
		_, ref, err := ingestref.LoadTemp(context.Background(), cfg, filepath.Join(dir, "reference.duckdb"), data.Cases, utf8)
		if err != nil {
			return err
		}
		refs, refCPUs = append(refs, ref), append(refCPUs, cpuSeconds()-cpu)
		s, err := runPipeline(cfg, dir, gb, profilePath, true) // the load is measured, not the rules
		if err != nil {
			return err
		}
		in = s.Inputs[0]
		goPaths = append(goPaths, in.GoSeconds+in.HandOffSeconds)
		loads = append(loads, in.Seconds)
	}
	n := float64(in.Read)
	ref, goPath, load := ingestref.Median(refs), ingestref.Median(goPaths), ingestref.Median(loads)
	fmt.Printf("GB18030 office export through %s, %d rows (%d quarantined), median of %d alternating runs; load average %s:\n",
		profilePath, in.Read, in.Quarantined, repeat, ingestref.LoadAverage())
	fmt.Printf("  DuckDB read_csv, same rows in UTF-8, to temp table: %6.2f s  %5.2f M rows/s  (runs %.2f)\n", ref, n/ref/1e6, refs)
	refCPU := ingestref.Median(refCPUs)
	fmt.Printf("    CPU %.2f s (%.2f µs a row), %.2f cores busy\n", refCPU, refCPU/n*1e6, refCPU/ref)
	fmt.Printf("  Go-side path (transcode, parse, check, hash, Arrow batches, hand-off to DuckDB):\n")
	fmt.Printf("                                                     %6.2f s  %5.2f M rows/s  (runs %.2f; target ≥ 1.00)  ratio %.2f\n",
		goPath, n/goPath/1e6, goPaths, ref/goPath)
	fmt.Printf("    of which the last run: Go side %.2f s, hand-off after the last batch %.2f s\n", in.GoSeconds, in.HandOffSeconds)
	fmt.Printf("  whole load (+ validation, cases/contacts/events/person_keys): %6.2f s  %5.2f M rows/s  (runs %.2f)\n", load, n/load/1e6, loads)
	return nil
}

// writeUTF8 writes the GB18030 export gb once more in UTF-8 without its preamble line, for the
// reference, once.
func writeUTF8(gb, path string) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	f, err := os.Open(gb)
	if err != nil {
		return err
	}
	defer f.Close()
	r := bufio.NewReader(transform.NewReader(f, simplifiedchinese.GB18030.NewDecoder()))
	if _, err := r.ReadString('\n'); err != nil { // the preamble
		return err
	}
	var readErr error
	if err := writeFile(path, func(w *bufio.Writer) { _, readErr = r.WriteTo(w) }); err != nil {
		return err
	}
	if readErr != nil {
		os.Remove(path)
		return fmt.Errorf("transcoding %s: %w", gb, readErr)
	}
	return nil
}

// runPipeline runs the nightly job on input (through profile, if not "") into a fresh
// database. With onlyOneRule the screening runs a single cheap rule: it is not measured here.
// benchClean measures the clean UTF-8 CSV path: bare read_csv into a table, then earlywarn's
// path on the same file. The machine may be shared: it alternates the two measurements and
// compares medians.
func benchClean(cfg configs.Config, dir, clean string, table data.Table, repeat int) error {
	file := filepath.Join(clean, table.Name+".csv")
	var refs, ourSecs []float64
	var ours ingest.FileResult
	for range repeat {
		_, ref, err := ingestref.Load(context.Background(), cfg, filepath.Join(dir, "reference.duckdb"), table, file)
		if err != nil {
			return err
		}
		refs = append(refs, ref)
		s, err := runPipeline(cfg, dir, clean, "", true)
		if err != nil {
			return err
		}
		for _, in := range s.Inputs {
			if in.TableName == table.Name {
				ours = in
			}
		}
		ourSecs = append(ourSecs, ours.Seconds)
	}
	ref, our := ingestref.Median(refs), ingestref.Median(ourSecs)
	fmt.Printf("clean UTF-8 CSV, %d rows (%s), median of %d alternating runs; load average %s:\n", ours.Read, file, repeat, ingestref.LoadAverage())
	fmt.Printf("  DuckDB bare read_csv into a table: %6.2f s  %5.2f M rows/s  (runs %.2f)\n", ref, float64(ours.Read)/ref/1e6, refs)
	fmt.Printf("  earlywarn read_csv + validation:   %6.2f s  %5.2f M rows/s  (runs %.2f)  ratio %.2f (target ≥ 0.80)\n",
		our, float64(ours.Read)/our/1e6, ourSecs, ref/our)
	fmt.Printf("  fastest runs: %.2f s and %.2f s, ratio %.2f\n", slices.Min(refs), slices.Min(ourSecs), slices.Min(refs)/slices.Min(ourSecs))
	return nil
}

func runPipeline(cfg configs.Config, dir, input, profile string, onlyOneRule bool) (*pipeline.Summary, error) {
	cfg.Input, cfg.Profile = input, profile
	cfg.Database = filepath.Join(dir, "bench.duckdb")
	cfg.Output = filepath.Join(dir, "out")
	if onlyOneRule {
		cfg.Rules = slices.DeleteFunc(slices.Clone(cfg.Rules), func(r rules.Spec) bool { return r.ID != "group-head-count" })
	}
	os.Remove(cfg.Database)
	defer os.Remove(cfg.Database)
	if profile != "" {
		os.Setenv("EARLYWARN_BENCH_KEY", "bench-key-0123456789abcdef")
		cfg.Pseudonymisation.KeyEnv = "EARLYWARN_BENCH_KEY"
	}
	plan, err := pipeline.Prepare(context.Background(), cfg)
	if err != nil {
		return nil, err
	}
	return pipeline.Run(context.Background(), plan, pipeline.Options{AsOf: time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), Version: "bench"})
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

// cpuSeconds is the process's user and system CPU time so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
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
