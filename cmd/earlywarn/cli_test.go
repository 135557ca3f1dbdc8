package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/data/synth"
	"github.com/earlywarn/earlywarn/internal/golden"

	"github.com/earlywarn/earlywarn/pipeline"
	"github.com/earlywarn/earlywarn/pipeline/ingest"
	"github.com/earlywarn/earlywarn/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestMain lets the test binary act as a second process: holding the database open, for the lock
// test, or as the earlywarn command itself (EARLYWARN_TEST_AS_CLI=1, arguments after the program
// name), optionally pausing at the first step whose English name starts with
// EARLYWARN_TEST_PAUSE_AT after printing "paused at STEP" to stderr, for the kill tests.
func TestMain(m *testing.M) {
	if os.Getenv("EARLYWARN_TEST_AS_CLI") == "1" {
		if at := os.Getenv("EARLYWARN_TEST_PAUSE_AT"); at != "" {
			stepHook = func(en string) {
				if strings.HasPrefix(en, at) {
					fmt.Fprintln(os.Stderr, "paused at "+en)
					for {
						time.Sleep(time.Hour) // until killed
					}
				}
			}
		}
		os.Exit(Run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	if path := os.Getenv("EARLYWARN_TEST_HOLD_DB"); path != "" {
		db, err := pipeline.OpenDB(context.Background(), path, configs.Default())
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		fmt.Println("ready")
		bufio.NewReader(os.Stdin).ReadString('\n') // hold until the parent closes stdin
		db.Close()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// cli runs the command line in-process and returns its exit code, stdout and stderr.
func cli(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestDefaultConfigValidates(t *testing.T) {
	for path, rules := range map[string]int{"../../configs/default.yaml": 11, "../../configs/reference.yaml": 11} {
		code, out, errs := cli(t, "validate", "--config", path, "--input", "../../data/sample")
		if code != exitOK || !strings.Contains(out, fmt.Sprintf("检查通过，启用规则 %d 条", rules)) {
			t.Errorf("validate %s: exit %d\n%s%s", path, code, out, errs)
		}
	}
}

// TestReferenceDocumentsEveryKey keeps configs/reference.yaml complete: every key of the config
// structs and of every rule kind's params appears in it.
func TestReferenceDocumentsEveryKey(t *testing.T) {
	ref, err := os.ReadFile("../../configs/reference.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, v := range []any{configs.Config{}, rules.Spec{}, rules.RepeatParams{}, rules.HeadCountParams{},
		rules.WaveParams{}, rules.CopiedParams{}, rules.StalledParams{}} {
		keys = append(keys, mapstructureKeys(reflect.TypeOf(v))...)
	}
	for _, k := range keys {
		// A key the reference cannot set and stay valid (template_townships needs similarity
		// below 1) is documented commented out.
		if !regexp.MustCompile(`(?m)^\s*(# )?(- )?` + regexp.QuoteMeta(k) + `:`).Match(ref) {
			t.Errorf("configs/reference.yaml does not document %q", k)
		}
	}
}

func mapstructureKeys(t reflect.Type) []string {
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("mapstructure")
		if tag == "" || tag == "-" {
			continue
		}
		keys = append(keys, tag)
		if f.Type.Kind() == reflect.Struct {
			keys = append(keys, mapstructureKeys(f.Type)...)
		}
	}
	return keys
}

func TestConfigErrorsNameFileLineAndKey(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		name, yaml string
		want       []string
	}{
		{"unknown top-level key", "version: 1\ndatabse: x.duckdb\nrules:\n  - {id: a, kind: repeat_visits, weight: 1}\n",
			[]string{"bad.yaml:2: databse: 未知的键"}},
		{"unknown param and bad kind at once", `version: 1
rules:
  - id: a
    kind: repeat_visits
    weight: 1
    params:
      window: 30
  - id: b
    kind: gossip
    weight: 1
`, []string{"bad.yaml:7: rules[0].params.window: ", "bad.yaml:9: rules[1].kind"}},
		{"negative window", "version: 1\nrules:\n  - id: a\n    kind: repeat_visits\n    weight: 1\n    params: {window_days: -3}\n",
			[]string{"bad.yaml:6: rules[0].params.window_days: 须为 1 到 10000 之间的天数，此处为 -3"}},
		{"group by a field that does not exist", "version: 1\nrules:\n  - id: w\n    kind: group_signal\n    weight: 1\n    params:\n      signal: wave\n      group_by: [township, person]\n",
			[]string{"bad.yaml:8: rules[0].params.group_by[1]"}},
		{"bad clock", "version: 1\nclocks: {accept_days: 0}\nrules:\n  - {id: a, kind: repeat_visits, weight: 1}\n",
			[]string{"bad.yaml:2: clocks.accept_days: 须为 1 到 10000 之间的天数，此处为 0"}},
		{"not YAML", "rules: [\n", []string{"bad.yaml:1: YAML 格式错误"}},
		{"reject rate out of range", "version: 1\nquarantine:\n  max_reject_rate: 1.5\nrules:\n  - {id: a, kind: repeat_visits, weight: 1}\n",
			[]string{"bad.yaml:3: quarantine.max_reject_rate: 须为 0 到 1 之间的比例"}},
		{"strength cap not a number", "version: 1\nwatchlist: {strength_cap: .nan}\nrules:\n  - {id: a, kind: repeat_visits, weight: 1}\n",
			[]string{"bad.yaml:2: watchlist.strength_cap: 须为不小于 1 的有限数，此处为 NaN"}},
		{"leader list of none, a rule name repeated", "version: 1\nwatchlist: {leader_top: 0}\nrules:\n  - {id: a, kind: repeat_visits, weight: 1, name: {zh: 重复访}}\n  - {id: b, kind: repeat_visits, weight: 1, name: {zh: 重复访}}\n",
			[]string{"bad.yaml:2: watchlist.leader_top: 须为 1 到 1000 之间的整数，此处为 0", "bad.yaml:5: rules[1].name.zh: 名称 \"重复访\" 已被 rules[0] 使用"}},
		{"a fraction where whole days go", "version: 1\nwatchlist:\n  half_life_days: 0.5\nrules:\n  - {id: a, kind: repeat_visits, weight: 1}\n",
			[]string{"bad.yaml:3: watchlist.half_life_days: 须为整数，此处为 \"0.5\""}},
		{"one number where a mapping goes", "version: 1\nwatchlist:\n  active_days: 90\nrules:\n  - {id: a, kind: repeat_visits, weight: 1}\n",
			[]string{"bad.yaml:3: watchlist.active_days: 须为键值映射，此处为 \"90\""}},
		{"a yes where whole days go", "version: 1\nwatchlist:\n  active_days: {repeat: true, group: 90}\nrules:\n  - {id: a, kind: repeat_visits, weight: 1}\n",
			[]string{"bad.yaml:3: watchlist.active_days.repeat: 须为整数，此处为 \"true\""}},
		{"control character", "version: 1\nlang: \x01zh\n", []string{"bad.yaml:2: 含有控制字符（U+0001）"}},
		{"weight not a number", "version: 1\nrules:\n  - {id: a, kind: repeat_visits, weight: .nan}\n",
			[]string{"bad.yaml:3: rules[0].weight: 须为大于 0 的有限数，此处为 NaN"}},
		{"resources a machine cannot give", "version: 1\nthreads: 100000\nmemory_limit: lots\ntimezone: Mars/Olympus\nrules:\n  - {id: a, kind: repeat_visits, weight: 1}\n",
			[]string{"bad.yaml:2: threads: 须为 0", "bad.yaml:3: memory_limit: \"lots\" 不是内存上限", "bad.yaml:4: timezone: \"Mars/Olympus\" 不是 IANA 时区名"}},
		{"a lookback no date can hold", "version: 1\nrules:\n  - id: a\n    kind: repeat_visits\n    weight: 1\n    params: {lookback_days: 3000000000}\n",
			[]string{"bad.yaml:6: rules[0].params.lookback_days: 须为 1 到 10000 之间的天数"}},
		{"an unknown key and a bad param at once", "version: 1\ntimezon: x\nrules:\n  - id: a\n    kind: repeat_visits\n    weight: 1\n    params: {window_days: -3}\n",
			[]string{"bad.yaml:2: timezon: 未知的键", "bad.yaml:7: rules[0].params.window_days: 须为 1 到 10000 之间的天数"}},
		{"a number that is text", "version: 1\nthreads: lots\nrules:\n  - {id: a, kind: repeat_visits, weight: 1}\n",
			[]string{"bad.yaml:2: threads: 须为整数，此处为 \"lots\""}},
		{"a scalar, not a mapping", "just words\n", []string{"bad.yaml:1: 配置须为键值映射"}},
		{"topics that cannot be tested", "version: 1\ntopics:\n  baseline_days: 3\n  alpha: 2\n  max_topics: 500\nrules:\n  - {id: a, kind: repeat_visits, weight: 1}\n",
			[]string{"bad.yaml:3: topics.baseline_days: 须为 7 到 10000 之间的天数，此处为 3", "bad.yaml:4: topics.alpha: 须在 0 与 1 之间", "bad.yaml:5: topics.max_topics: 须为 0（不找话题）到 100 之间，此处为 500"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, "bad.yaml")
			if err := os.WriteFile(path, []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, cmd := range []string{"validate", "run"} {
				code, out, errs := cli(t, cmd, "--config", path, "--db", filepath.Join(dir, "never.duckdb"))
				if cmd == "validate" {
					code, out, errs = cli(t, cmd, "--config", path)
				}
				if code != exitUsage {
					t.Errorf("%s: exit %d, want %d\n%s%s", cmd, code, exitUsage, out, errs)
				}
				for _, w := range tt.want {
					if !strings.Contains(errs, w) {
						t.Errorf("%s: stderr %q lacks %q", cmd, errs, w)
					}
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "never.duckdb")); err == nil {
				t.Error("a run with a bad config touched the database")
			}
		})
	}
}

// TestValidateReadsHeaders: validate rejects, from the header alone, a profile naming a column
// the input lacks, as run would later.
func TestValidateReadsHeaders(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "export.csv")
	if err := os.WriteFile(input, []byte("Unique Key,Created Date\n1,01/02/2024 10:00:00 AM\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "c.yaml")
	body := "version: 1\nprofile: ../../configs/profiles/nyc-311-csv.yaml\ninput: " + input + "\nrules:\n  - {id: a, kind: repeat_visits, weight: 1}\n"
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := cli(t, "validate", "--config", cfg)
	if code != exitUsage || !strings.Contains(errs, "export.csv 中没有列") {
		t.Errorf("validate: exit %d\n%s%s", code, out, errs)
	}
}

// TestValidateNamesRulesAsPeopleReadThem: the rules a profile cannot serve are named by their
// display names, each with its id for the config (NYC 311 maps no complainant).
func TestValidateNamesRulesAsPeopleReadThem(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "export.csv")
	head := "Unique Key,Created Date,Closed Date,Status,Open Data Channel Type,Complaint Type,Descriptor,Borough,Incident Zip,Agency\n"
	if err := os.WriteFile(input, []byte(head+"1,01/02/2024 10:00:00 AM,,Open,PHONE,Noise,Loud Music,BROOKLYN,11201,NYPD\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := cli(t, "validate", "--profile", "../../configs/profiles/nyc-311-csv.yaml", "--input", input)
	want := "规则 “同一乡镇、类别、被反映单位5天内6名以上不同信访人”（group-wave）、“3名以上不同信访人内容相同的来信或网上信访”（group-copied-letters）"
	if code != 0 || !strings.Contains(out, want) || !strings.Contains(out, "权重 2    重复访：同一事项90天内反复来信来访") {
		t.Errorf("validate: exit %d\n%s%s", code, out, errs)
	}
}

// TestValidateMapsTheFirstRows: validate maps the first rows of a profiled file as a run
// would, so that a date layout or a code map the data does not fit shows before the night's run
// (a new user's layout passed validate, which read the header only, and the run then failed).
func TestValidateMapsTheFirstRows(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "export.csv")
	head := "Unique Key,Created Date,Closed Date,Status,Open Data Channel Type,Complaint Type,Descriptor,Borough,Incident Zip,Agency\n"
	rows := "1,01/02/2024 10:00:00 AM,,Open,PHONE,Noise,Loud Music,BROOKLYN,11201,NYPD\n" +
		"2,2024-01-03 10:00:00,,Open,PHONE,Noise,Loud Music,BROOKLYN,11201,NYPD\n"
	for _, c := range []struct{ body, want string }{
		{head + rows[:strings.Index(rows, "\n")+1], "export.csv：前 1 行按映射配置逐行读取（日期格式、代码映射、证件号码等），均可载入"},
		{head + rows, "export.csv：前 2 行按映射配置逐行读取，其中 1 行运行时将被隔离：受理日期（received_date），即导出的“Created Date”列 1 行（首见于第 3 行：“2024-01-03 10:00:00”不符合任何一种日期格式"},
	} {
		if err := os.WriteFile(input, []byte(c.body), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errs := cli(t, "validate", "--profile", "../../configs/profiles/nyc-311-csv.yaml", "--input", input)
		if code != 0 || !strings.Contains(out, c.want) {
			t.Errorf("validate: exit %d, want %q\n%s%s", code, c.want, out, errs)
		}
	}
}

// TestValidateSaysWhichNumbersItSetsAside: in the first rows of an office export, a case whose
// complainant's id number fails its check digit loads; validate says so, with its line. It
// also checks codes as the load does: a channel the profile does not map is quarantined.
func TestValidateSaysWhichNumbersItSetsAside(t *testing.T) {
	dir := t.TempDir()
	input := filepath.Join(dir, "export")
	if code, out, errs := cli(t, "gen", "--seed", "3", "--cases", "1000", "--format", "office", "--out", input); code != 0 {
		t.Fatalf("gen: exit %d\n%s%s", code, out, errs)
	}
	var gj struct {
		Office struct {
			DirtyRows []synth.DirtyRow `json:"dirty_rows"`
		} `json:"office"`
	}
	b, err := os.ReadFile(filepath.Join(input, "generator.json"))
	if err == nil {
		err = json.Unmarshal(b, &gj)
	}
	if err != nil {
		t.Fatal(err)
	}
	line := 0
	for _, d := range gj.Office.DirtyRows {
		if d.Kept && d.File == "信访件.csv" && line == 0 {
			line = d.Line
		}
	}
	if line == 0 || line > ingest.SampleRows {
		t.Fatalf("the export's first case with an id number set aside is on line %d", line)
	}
	// Line 5's channel becomes one the profile's map lacks.
	cases := filepath.Join(input, "信访件.csv")
	raw, err := os.ReadFile(cases)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
	lines := strings.Split(string(text), "\n")
	if !strings.Contains(lines[4], ",来访,") && !strings.Contains(lines[4], ",来信,") && !strings.Contains(lines[4], ",网上信访,") {
		t.Fatalf("line 5: %s", lines[4])
	}
	for _, ch := range []string{",来访,", ",来信,", ",网上信访,", ",电话,"} {
		lines[4] = strings.Replace(lines[4], ch, ",走访,", 1)
	}
	gb, _ := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(strings.Join(lines, "\n")))
	if err := os.WriteFile(cases, gb, 0o644); err != nil {
		t.Fatal(err)
	}
	def, err := os.ReadFile("../../configs/default.yaml")
	if err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(dir, "key")
	cfg := filepath.Join(dir, "cfg.yaml")
	if err := os.WriteFile(key, []byte("validate-test-key-0123456789abcdef"), 0o600); err == nil {
		err = os.WriteFile(cfg, append(def, "\npseudonymisation: {key_file: "+key+"}\n"...), 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := cli(t, "validate", "--config", cfg, "--profile", "../../configs/profiles/xinfang-office-export.yaml", "--input", input)
	for _, want := range []string{
		fmt.Sprintf("信访件.csv：前 1000 行中有 1 行的身份证号码或电话号码无效（首见于第 %d 行），运行时照常载入，该号码不用于识别信访人", line),
		"信访件.csv：前 1000 行按映射配置逐行读取，其中 2 行运行时将被隔离：", "（首见于第 5 行：未知代码 走访；应为 letter（来信）",
	} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("validate: exit %d, want %q\n%s%s", code, want, out, errs)
		}
	}
}

// TestFlagValuesAreBlamedOnTheFlag: a bad value given on the command line names the flag, not
// the config file.
func TestFlagValuesAreBlamedOnTheFlag(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--lang", "fr"}, "--lang: 不支持语言 \"fr\""},
		{[]string{"run", "--max-reject-rate", "abc"}, "--max-reject-rate: 须为数字，此处为 \"abc\""},
	} {
		code, out, errs := cli(t, tt.args...)
		if code != exitUsage || !strings.Contains(errs, tt.want) || strings.Contains(errs, "default") {
			t.Errorf("%v: exit %d\n%s%s", tt.args, code, out, errs)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"run", "extra"}, {"run", "--no-such-flag"}, {"run", "--as-of", "yesterday"}, {"gen"}, {"validate", "--config", "/no/such/file.yaml"},
		{"rnu"}, {"gen", "--cases", "many"}, {"gen", "--out", t.TempDir(), "--lang", "fr"}} {
		if code, _, errs := cli(t, args...); code != exitUsage || !strings.HasPrefix(errs, "earlywarn: ") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
}

// TestDateOutsideTheDataIsAUsageError: an --as-of or --to after today, or before the earliest
// date in the data, is the caller's mistake (exit 2), said in one line with the dates.
func TestDateOutsideTheDataIsAUsageError(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--as-of", "2999-01-01"}, "the as-of date 2999-01-01 is after today"},
		{[]string{"run", "--as-of", "2020-01-01"}, "the as-of date 2020-01-01 is before the earliest date in the data, 2025-01-05"},
		{[]string{"backtest", "--to", "2999-01-01"}, "the backtest's last day 2999-01-01 is after today"},
		{[]string{"backtest", "--from", "2019-01-01", "--to", "2020-01-01"}, "the backtest's last day 2020-01-01 is before the earliest date in the data, 2025-01-05"},
	} {
		dir := t.TempDir()
		args := append(tt.args, "--config", "../../configs/default.yaml", "--input", "testdata/tiny", "--out", filepath.Join(dir, "out"), "--lang", "en")
		if tt.args[0] == "run" {
			args = append(args, "--db", filepath.Join(dir, "ew.duckdb"), "--max-reject-rate", "1")
		}
		code, out, errs := cli(t, args...)
		if code != exitUsage || out != "" || strings.Count(strings.TrimSpace(errs), "\n") != 0 || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d and %q", tt.args, code, out, errs, exitUsage, tt.want)
		}
	}
}

func TestMissingInputFailsWithOneClearLine(t *testing.T) {
	dir := t.TempDir()
	code, _, errs := cli(t, "run", "--config", "../../configs/default.yaml", "--input", filepath.Join(dir, "nope"), "--db", filepath.Join(dir, "x.duckdb"))
	if code != exitFailure || strings.Count(strings.TrimSpace(errs), "\n") != 0 || !strings.Contains(errs, "不存在") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
}

// TestRunGolden runs the whole job on the tiny fixture and compares the CSV watchlist, in both
// languages, with testdata/golden. Regenerate with: go test ./cmd/earlywarn -run Golden -update
func TestRunGolden(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			dir := t.TempDir()
			code, out, errs := cli(t, "run", "--config", "../../configs/default.yaml", "--input", "testdata/tiny",
				"--db", filepath.Join(dir, "ew.duckdb"), "--out", filepath.Join(dir, "out"), "--as-of", "2025-06-30", "--lang", lang, "--max-reject-rate", "1")
			if code != exitOK {
				t.Fatalf("exit %d\n%s%s", code, out, errs)
			}
			got, err := os.ReadFile(filepath.Join(dir, "out", "watchlist.csv"))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(got, []byte("\ufeff")) {
				t.Error("watchlist.csv has no UTF-8 byte-order mark")
			}
			golden.Check(t, filepath.Join("testdata", "golden", "watchlist."+lang+".csv"), got, *update)
			for _, name := range []string{"watchlist.parquet", "summary.json", "report.html", "watchlist.xlsx"} {
				if _, err := os.Stat(filepath.Join(dir, "out", name)); err != nil {
					t.Error(err)
				}
			}
			if !strings.Contains(out, filepath.Join(dir, "out", "watchlist.csv")) {
				t.Errorf("stdout does not say where the watchlist went: %q", out)
			}
		})
	}
}

func TestSecondRunFindsTheDatabaseLocked(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ew.duckdb")
	holder := exec.Command(os.Args[0], "-test.run=^$")
	holder.Env = append(os.Environ(), "EARLYWARN_TEST_HOLD_DB="+db)
	stdin, err := holder.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := holder.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); holder.Wait() }()
	if line, _ := bufio.NewReader(stdout).ReadString('\n'); line != "ready\n" {
		t.Fatalf("holder: %q", line)
	}
	code, _, errs := cli(t, "run", "--config", "../../configs/default.yaml", "--input", "testdata/tiny", "--db", db, "--out", filepath.Join(dir, "out"))
	if code != exitLocked || !strings.Contains(errs, fmt.Sprintf("PID %d", holder.Process.Pid)) || !strings.Contains(errs, "请等待该运行结束") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	code, _, errs = cli(t, "run", "--lang", "en", "--config", "../../configs/default.yaml", "--input", "testdata/tiny", "--db", db, "--out", filepath.Join(dir, "out"))
	if code != exitLocked || !strings.Contains(errs, fmt.Sprintf("PID %d", holder.Process.Pid)) || !strings.Contains(errs, "wait for that run to finish") {
		t.Errorf("--lang en: exit %d, stderr %q", code, errs)
	}
}
