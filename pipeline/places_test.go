package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/data/synth"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/internal/places"
)

// TestPlacesIncremental: a run reads the places of every text once; the next reads none, and
// after a text changes only that one.
func TestPlacesIncremental(t *testing.T) {
	ctx := context.Background()
	cfg, plan, _ := screenBoard(t, 3, 2000, 180)
	d, err := OpenDB(ctx, cfg.Database, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	q, err := d.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	var cases, read int64
	if err := q.QueryRowContext(ctx, "SELECT count(DISTINCT case_id) FROM case_places").Scan(&cases); err != nil {
		t.Fatal(err)
	}
	if cases == 0 {
		t.Fatal("no case's places read")
	}
	if read, err = plan.places.extract(ctx, q); err != nil || read != 0 {
		t.Fatalf("second extraction read %d texts (%v), want 0", read, err)
	}
	if _, err := q.ExecContext(ctx, "UPDATE cases SET content = content || '丽发新城小区' WHERE case_id = (SELECT min(case_id) FROM cases)"); err != nil {
		t.Fatal(err)
	}
	if read, err = plan.places.extract(ctx, q); err != nil || read != 1 {
		t.Fatalf("after one text changed, extraction read %d texts (%v), want 1", read, err)
	}
	var n int64
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM case_places WHERE key = '丽发新城' AND case_id = (SELECT min(case_id) FROM cases)").Scan(&n); err != nil || n == 0 {
		t.Errorf("the changed text's new place is not in case_places (%d, %v)", n, err)
	}
}

// TestGazetteerError: a gazetteer that does not read is a config error naming the config's
// line, the gazetteer file and its line.
func TestGazetteerError(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "places.csv"), []byte("name,aliases,kind\n丽发新城小区,丽发新城,castle\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "config.yaml")
	// The default config holds group-hot-issue, which reads places from the text.
	body := string(configs.DefaultYAML) + `
text:
  gazetteer: places.csv
`
	if err := os.WriteFile(config, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := configs.Load(config, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Prepare(context.Background(), cfg)
	if err == nil {
		t.Fatal("a gazetteer with an unknown kind was accepted")
	}
	line := strings.Count(body[:strings.Index(body, "gazetteer:")], "\n") + 1
	for _, lang := range []string{"zh", "en"} {
		msg := i18n.Localize(lang, err)
		for _, want := range []string{config, ":" + strconv.Itoa(line), "places.csv", "castle"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s: %q does not name %q", lang, msg, want)
			}
		}
	}
}

// TestMentionWrittenAsAlias: a place found through a gazetteer alias keeps the entry's name and
// says how the text writes it, for the hot_issue rule to mask; one written as named says nothing.
func TestMentionWrittenAsAlias(t *testing.T) {
	pr := &placeReader{ex: places.MustNew([]places.Entry{{Name: "梅溪青秀小区", Aliases: []string{"梅溪青秀"}, Kind: places.KindEstate}})}
	ms := pr.mentions("梅溪青秀业主反映噪音\n梅溪青秀小区门口每晚施工")
	if len(ms) != 2 {
		t.Fatalf("mentions %+v, want two", ms)
	}
	if ms[0].Name != "梅溪青秀小区" || ms[0].written != "梅溪青秀" || !ms[0].inSubject {
		t.Errorf("first mention %+v: want name 梅溪青秀小区 written 梅溪青秀 in the subject", ms[0])
	}
	if ms[1].Name != "梅溪青秀小区" || ms[1].written != "" || ms[1].inSubject {
		t.Errorf("second mention %+v: want name 梅溪青秀小区, nothing written otherwise, in the body", ms[1])
	}
}

// TestLearnPlacesInRanges: reading the texts in ranges of a few rows learns what reading them
// in one range does, from every text.
func TestLearnPlacesInRanges(t *testing.T) {
	in := filepath.Join(t.TempDir(), "board")
	start, _ := time.Parse(time.DateOnly, "2025-01-01")
	if _, err := synth.Generate(context.Background(), synth.Config{Seed: 5, Cases: 1000, Start: start, Days: 180, Format: synth.FormatBoard}, in, nil); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t)
	cfg.Input, cfg.Profile = in, "../configs/profiles/cn-message-board-csv.yaml"
	cfg.Rules = []configs.RuleSpec{hotIssueRule}
	plan, err := Prepare(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	learn := func(rows int64) *LearnPlacesResult {
		defer func(r int64) { placeTextRows = r }(placeTextRows)
		placeTextRows = rows
		res, err := LearnPlaces(context.Background(), plan, LearnPlacesOptions{Out: filepath.Join(t.TempDir(), "g.csv")})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	whole, ranged := learn(1_000_000), learn(97)
	if whole.Texts < 800 || ranged.Texts != whole.Texts {
		t.Fatalf("texts read: %d in one range, %d in ranges of 97", whole.Texts, ranged.Texts)
	}
	if len(whole.Learnt) == 0 || !reflect.DeepEqual(whole.Learnt, ranged.Learnt) {
		t.Errorf("learnt %d places in one range, %d in ranges of 97, or not the same", len(whole.Learnt), len(ranged.Learnt))
	}
}
