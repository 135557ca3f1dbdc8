package configs

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

func TestProfileErrors(t *testing.T) {
	for _, c := range []struct{ yaml, want string }{
		{"format: xml\nfields: {}", `format "xml"`},
		{"format: csv\nfields: {case_id: {column: a}}", "p.yaml:2: fields.received_date: required for a source of cases"},
		{"format: csv\nencoding: latin1\nfields: {}", "p.yaml:2: encoding"},
		{"format: csv\nbogus: 1\nfields: {}", "p.yaml:2: bogus: unknown key; the keys here are delimiter, description, encoding"},
		{"format: csv\nfields: {colour: {column: a}}", "fields.colour: unknown field; a source of cases maps case_id"},
		{"format: csv\nfields: {case_id: {column: a, value: b}}", "exactly one of"},
		{"format: csv\nfields: {case_id: {colum: a}}", "p.yaml:2: fields.case_id.colum: unknown key (did you mean `column`?); the keys here are column, columns"},
		{"format: csv\nfields: {case_id: {Column: a}}", "(did you mean `column`?)"},
		{"format: csv\nfields: {received_date: {column: a}}", "fields.received_date.layouts: list one or more"},
		{"format: csv\nskip_lines: 1\nheader_prefix: x\nfields: {}", "not both"},
		{"format: csv\ntimezone: Mars/Olympus\nfields: {}", "timezone"},
		{"format: csv\n", "neither sources nor fields"},
		{"format: csv\nfields: {}\nsources: [{table: cases}]", "give sources or fields"},
		{"format: csv\nsources:\n- table: complaints\n", "p.yaml:3: sources[0].table: table \"complaints\""},
		{"format: csv\nsources:\n- {table: contacts, files: [a*.csv], fields: {contact_id: {column: a}, received_date: {column: b}}}\n- {table: events, fields: {}}",
			"sources[0].fields.received_date: unknown field; a source of contacts maps contact_id, case_id, contact_date"},
		{"format: csv\nsources:\n- {table: contacts, files: [a*.csv], fields: {}}\n- {table: events, fields: {}}", "sources[1].files: a profile with several sources needs files"},
		{"format: csv\nsources:\n- {table: events, files: [\"[\"], fields: {}}", "sources[0].files[0]: \"[\" is not a file-name pattern"},
		{"format: csv\nsources:\n- {table: events, fields: {case_id: {column: a}, event_type: {column: b}, event_date: {column: c, layouts: [x]}, colour: {column: d}}}", "sources[0].fields.colour: unknown field; a source of events maps event_id, case_id, event_type, event_date, result"},
		{"format: csv\nsources:\n- {table: contacts, case_key: {column: a}, fields: {}}", "sources[0].case_key: only a cases source"},
		{"format: csv\nfields: {township: {column: a, extract: \"(\"}}", "fields.township.extract: not a regular expression"},
		{"format: csv\nfields: {case_id: {column: a, extract: \"x\"}}", "fields.case_id: extract and dictionary fill only category"},
		{"format: csv\nfields: {received_date: {column: a, layouts: [\"2006-01-02\", \"YYYY-MM-DD\"]}}", "p.yaml:2: fields.received_date.layouts[1]: \"YYYY-MM-DD\" is not a date layout"},
		{"name: x\nformat: csv\nencoding: gb2312\nsources:\n- {table: events, files: [a], fields: {}}\n- {table: contacts, files: [b], fields: {}}", "p.yaml:3: encoding: encoding \"gb2312\""},
		{"format: csv\nfields: {township: {column: a, dictionary: nowhere.csv}}", "fields.township.dictionary: cannot read dictionary nowhere.csv"},
	} {
		_, err := ParseProfile("p.yaml", []byte(c.yaml))
		if err == nil || !strings.Contains(i18n.Localize("en", err), c.want) {
			t.Errorf("%q: %v, want %q", c.yaml, err, c.want)
			continue
		}
		if zh := err.Error(); !strings.Contains(zh, "p.yaml") || strings.Contains(zh, "unknown") || strings.Contains(zh, "required") {
			t.Errorf("%q: %v does not render in the default language (zh) with the file", c.yaml, err)
		}
	}
}

// TestProfileSources: a profile of three sources inherits the top-level reader settings, may
// override them, and knows which records its cases source implies.
func TestProfileSources(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "places.csv"), []byte("# name,value\n丽发新城,丽发新城小区\n城关镇\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	y := `
name: office
format: csv
encoding: gb18030
null_values: ["无"]
sources:
  - {name: 信访件, table: cases, files: ["*信访件*.csv"], header_prefix: "编号,",
     fields: {case_id: {column: 编号}, received_date: {column: 日期, layouts: ["2006-01-02"]}, channel: {value: letter},
              level: {value: county}, category: {value: 其他}, township: {column: 内容, dictionary: places.csv},
              responsible_unit: {value: 县信访局}}}
  - {name: 办理过程, table: events, files: ["*办理过程*.csv"], encoding: utf-8,
     fields: {case_id: {column: 编号}, event_type: {column: 环节, map: {督办: supervised}}, event_date: {column: 日期, layouts: ["2006-01-02"]}}}
`
	path := filepath.Join(dir, "office.yaml")
	if err := os.WriteFile(path, []byte(y), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := LoadProfile(path)
	if err != nil {
		t.Fatal(err)
	}
	cases, events := p.Sources[0], p.Sources[1]
	if cases.Encoding != "gb18030" || events.Encoding != "utf-8" || cases.HeaderPrefix != "编号," || events.NullValues[0] != "无" {
		t.Errorf("reader settings: cases %+v, events %+v", cases.Reader, events.Reader)
	}
	if !cases.ImpliesContact || cases.ImpliesEvents || events.ImpliesContact {
		t.Errorf("implies: cases %v/%v", cases.ImpliesContact, cases.ImpliesEvents)
	}
	if !cases.Matches("2025年信访件.csv") || cases.Matches("办理过程.csv") || !events.Matches("办理过程.csv") {
		t.Error("file patterns")
	}
	got := cases.Fields["township"].Entries
	if len(got) != 2 || got[0] != (Entry{"丽发新城", "丽发新城小区"}) || got[1] != (Entry{"城关镇", "城关镇"}) {
		t.Errorf("dictionary %v", got)
	}
}

// TestShippedProfileByName: a profile named without a path is the shipped one.
func TestShippedProfileByName(t *testing.T) {
	p, err := LoadProfile("nyc-311-csv")
	if err != nil || p.Name != "nyc-311-csv" {
		t.Fatalf("%v %v", p, err)
	}
	_, err = LoadProfile("nyc-312")
	if err == nil || !strings.Contains(i18n.Localize("en", err), "shipped profiles: cfpb-complaints") {
		t.Errorf("%v", err)
	}
}

func TestShippedProfilesLoad(t *testing.T) {
	paths, _ := filepath.Glob("profiles/*.yaml")
	if len(paths) < 6 {
		t.Fatalf("profiles: %v", paths)
	}
	for _, p := range paths {
		if _, err := LoadProfile(p); err != nil {
			t.Error(err)
		}
	}
}

// FuzzProfile parses arbitrary profile YAML: an error names the file, never a panic.
func FuzzProfile(f *testing.F) {
	paths, _ := filepath.Glob("profiles/*.yaml")
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("format: csv\nfields: {case_id: {columns: [a, a]}, received_date: {column: b, layouts: [\"\"]}}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParseProfile("fuzz.yaml", b)
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz.yaml") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		for _, s := range p.Sources {
			for _, n := range RequiredFields[s.Table] {
				if _, ok := s.Fields[n]; !ok {
					t.Fatalf("accepted a source of %s without %s", s.Table, n)
				}
			}
		}
	})
}

// TestProfileBesideTheConfig: a profile the config names by a relative path is found from the
// current folder first, then beside the config file; one in neither is missing, said in the
// run's language.
func TestProfileBesideTheConfig(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "office"), 0o755); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "office", "config.yaml")
	for path, text := range map[string]string{config: "version: 1\nprofile: export.yaml\n", filepath.Join(dir, "office", "export.yaml"): "format: csv\n"} {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	cfg, err := Load(config, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.ProfilePath(), filepath.Join(dir, "office", "export.yaml"); got != want {
		t.Errorf("profile found at %s, want beside the config at %s", got, want)
	}
	if err := os.WriteFile(filepath.Join(dir, "export.yaml"), []byte("format: csv\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := cfg.ProfilePath(); got != "export.yaml" {
		t.Errorf("profile found at %s, want export.yaml in the current folder first", got)
	}
	cfg.Profile = "gone/export.yaml"
	_, err = LoadProfile(cfg.ProfilePath())
	if err == nil || !strings.Contains(i18n.Localize("zh", err), "找不到映射配置文件 gone/export.yaml：") {
		t.Errorf("a missing profile gives %v", err)
	}
}

// A field's export columns, for messages: a cases source without a contact_id names its rows'
// contacts by their case ids, whose columns those are (the board's duplicate 留言编号 was
// quarantined as a contact id with no column named).
func TestSourceColumns(t *testing.T) {
	p, err := LoadProfile("cn-message-board-labelled")
	if err != nil {
		t.Fatal(err)
	}
	s := &p.Sources[0]
	for field, want := range map[string]string{"case_id": "[留言编号]", "contact_id": "[留言编号]", "channel": "[]", "content": "[留言主题 留言详情]"} {
		if got := fmt.Sprint(s.Columns(field)); got != want {
			t.Errorf("%s: %s, want %s", field, got, want)
		}
	}
}
