package synth

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/data"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/internal/idnum"
)

const officeProfilePath = "../../configs/profiles/xinfang-office-export.yaml"

// officeProfile is what these tests read of the shipped profile: enough to map the office
// export back onto canonical rows as its sources, columns, code maps and layouts say.
type officeProfile struct {
	Encoding   string   `yaml:"encoding"`
	NullValues []string `yaml:"null_values"`
	Sources    []struct {
		Name         string   `yaml:"name"`
		Table        string   `yaml:"table"`
		Files        []string `yaml:"files"`
		HeaderPrefix string   `yaml:"header_prefix"`
		Fields       map[string]struct {
			Column  string            `yaml:"column"`
			Layouts []string          `yaml:"layouts"`
			Map     map[string]string `yaml:"map"`
		} `yaml:"fields"`
	} `yaml:"sources"`
}

func readOfficeProfile(t *testing.T) *officeProfile {
	t.Helper()
	b, err := os.ReadFile(officeProfilePath)
	if err != nil {
		t.Fatal(err)
	}
	var p officeProfile
	if err := yaml.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	if p.Encoding != "gb18030" || len(p.Sources) != 3 {
		t.Fatalf("profile: encoding %q, %d sources", p.Encoding, len(p.Sources))
	}
	return &p
}

// mappedRow is one record of an office file as the profile maps it: canonical field → value
// (codes mapped, dates as YYYY-MM-DD, the person as a key of its identifiers), or why it
// cannot be loaded.
type mappedRow struct {
	line   int
	raw    []string
	fields map[string]string
	reject string
	aside  string // a number that is not one, set aside: the row loads
}

// officeFile reads an office file through its source of the profile: it checks the encoding
// (GB18030, not UTF-8, decoding without loss), the title line and the header, and maps each
// record. Blank lines count in lines but give no record.
func officeFile(t *testing.T, prof *officeProfile, dir, name string, header []string) []mappedRow {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	text, err := simplifiedchinese.GB18030.NewDecoder().Bytes(raw)
	if err != nil || !utf8.Valid(text) || bytes.ContainsRune(text, utf8.RuneError) {
		t.Fatalf("%s does not decode as GB18030: %v", name, err)
	}
	if again, _ := simplifiedchinese.GB18030.NewEncoder().Bytes(text); !bytes.Equal(again, raw) || utf8.Valid(raw) {
		t.Fatalf("%s: not GB18030-encoded text (re-encoding differs or the bytes are UTF-8)", name)
	}
	var sources []int
	for i, s := range prof.Sources {
		for _, g := range s.Files {
			if ok, _ := filepath.Match(g, name); ok {
				sources = append(sources, i)
				break
			}
		}
	}
	if len(sources) != 1 {
		t.Fatalf("%s matches sources %v of the profile, want one", name, sources)
	}
	src := prof.Sources[sources[0]]
	title, rest, _ := bytes.Cut(text, []byte{'\n'})
	if !bytes.HasPrefix(title, []byte("某县信访局 ")) || bytes.HasPrefix(title, []byte(src.HeaderPrefix)) ||
		!bytes.HasPrefix(rest, []byte(src.HeaderPrefix)) {
		t.Fatalf("%s: title %q, then %.40q; want a title line, then the header starting %q", name, title, rest, src.HeaderPrefix)
	}
	r := csv.NewReader(bytes.NewReader(rest))
	r.FieldsPerRecord = -1
	got, err := r.Read()
	if err != nil || !slices.Equal(got, header) {
		t.Fatalf("%s: header %v (%v), want %v", name, got, err, header)
	}
	col := map[string]int{}
	for i, h := range got {
		col[h] = i
	}
	for f, m := range src.Fields {
		if _, ok := col[m.Column]; !ok {
			t.Errorf("%s: the profile maps %s to %q, which the file lacks", name, f, m.Column)
		}
	}
	var rows []mappedRow
	seen := map[string]bool{}
	key := map[string]string{"cases": "case_id", "contacts": "contact_id", "events": "event_id"}[src.Table]
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		line, _ := r.FieldPos(0)
		m := mappedRow{line: line + 1, raw: rec, fields: map[string]string{}}
		if len(rec) != len(header) {
			m.reject = "field count"
			rows = append(rows, m)
			continue
		}
		value := func(column string) string {
			v := strings.TrimSpace(rec[col[column]])
			if slices.Contains(prof.NullValues, v) {
				return ""
			}
			return v
		}
		for f, fm := range src.Fields {
			v := value(fm.Column)
			switch {
			case v == "":
			case fm.Map != nil:
				c, ok := fm.Map[v]
				if !ok {
					m.reject = "unknown code " + v
				}
				v = c
			case fm.Layouts != nil:
				d, ok := parseOfficeDate(v, fm.Layouts)
				if !ok {
					m.reject = "bad date " + v
				}
				v = d
			}
			m.fields[f] = v
		}
		if n := m.fields["complainant_id_number"]; n != "" {
			id, err := idnum.ResidentID(n)
			if err != nil {
				m.aside = "id number: " + err.Error()
			}
			m.fields["complainant_id_number"] = id
		}
		if p := m.fields["complainant_phone"]; p != "" {
			phone, err := idnum.Phone(p)
			if err != nil {
				m.aside = "phone: " + err.Error()
			}
			m.fields["complainant_phone"] = phone
		}
		switch {
		case m.fields["complainant_id_number"] != "":
			m.fields["person"] = "id:" + m.fields["complainant_id_number"]
		case m.fields["complainant_name"] != "" && m.fields["complainant_phone"] != "":
			m.fields["person"] = "np:" + m.fields["complainant_name"] + "|" + m.fields["complainant_phone"]
		}
		for _, c := range requiredOffice[src.Table] {
			if m.fields[c] == "" && m.reject == "" {
				m.reject = "missing " + c
			}
		}
		if m.reject == "" && seen[m.fields[key]] {
			m.reject = "duplicate " + m.fields[key]
		}
		seen[m.fields[key]] = true
		rows = append(rows, m)
	}
	return rows
}

var requiredOffice = map[string][]string{
	"cases":    {"case_id", "received_date", "channel", "level", "category", "township", "responsible_unit", "person"},
	"contacts": {"contact_id", "contact_date", "channel", "level", "person"},
	"events":   {"event_id", "case_id", "event_type", "event_date"},
}

// officeLayouts are the date layouts the office export mixes.
var officeLayouts = []string{"2006-01-02", "2006/1/2", "2006年1月2日"}

func parseOfficeDate(v string, layouts []string) (string, bool) {
	for _, l := range layouts {
		if d, err := time.Parse(l, v); err == nil {
			return d.Format(time.DateOnly), true
		}
	}
	return "", false
}

// officeInfoOf reads generator.json's office section.
func officeInfoOf(t *testing.T, dir string) officeInfo {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "generator.json"))
	if err != nil {
		t.Fatal(err)
	}
	var in info
	if err := json.Unmarshal(b, &in); err != nil || in.Office == nil || in.Config.Format != FormatOffice {
		t.Fatalf("generator.json: %v, office %v, format %q", err, in.Office, in.Config.Format)
	}
	return *in.Office
}

// TestOfficeExport: the office export, read through the shipped profile, is the canonical
// county of the same seed: the same cases, contacts and events with the same values and
// persons (one identifier set per person, different for different persons), every contact
// without a case id linked back to its own case by person and date, and nothing else but the
// planted dirty rows, each of which the profile's mapping rejects (or, the blank line, skips).
func TestOfficeExport(t *testing.T) {
	cfg := Config{Seed: 11, Cases: 4000}
	canon, cs := generate(t, cfg)
	cfg.Format = FormatOffice
	office, ofs := generate(t, cfg)
	if cs.Cases != ofs.Cases || cs.Contacts != ofs.Contacts || cs.Events != ofs.Events || cs.Planted != ofs.Planted {
		t.Fatalf("summaries differ: %+v, %+v", cs, ofs)
	}
	if !slices.Equal(ofs.Files, []string{filepath.Join(office, "信访件.csv"), filepath.Join(office, "来访来信记录.csv"),
		filepath.Join(office, "办理过程.csv"), filepath.Join(office, "ground_truth.csv"), filepath.Join(office, "generator.json")}) {
		t.Errorf("files %v", ofs.Files)
	}
	for _, name := range []string{"cases.csv", "contacts.csv", "events.csv"} {
		if _, err := os.Stat(filepath.Join(office, name)); err == nil {
			t.Errorf("the office export also wrote %s", name)
		}
	}
	if a, b := readFile(t, canon, "ground_truth.csv"), readFile(t, office, "ground_truth.csv"); !bytes.Equal(a, b) {
		t.Error("ground_truth.csv differs between the formats")
	}
	prof := readOfficeProfile(t)
	for _, name := range []string{"ground_truth.csv", "generator.json"} {
		for _, s := range prof.Sources {
			for _, g := range s.Files {
				if ok, _ := filepath.Match(g, name); ok {
					t.Errorf("%s matches source %s", name, s.Name)
				}
			}
		}
	}
	in := officeInfoOf(t, office)
	cases := officeFile(t, prof, office, "信访件.csv", []string{"信访件编号", "登记日期", "来源", "信访级别", "信访人", "身份证号",
		"联系电话", "人数", "问题类别", "乡镇街道", "村社区", "被反映单位", "责任单位", "办理状态", "反映内容"})
	contacts := officeFile(t, prof, office, "来访来信记录.csv", []string{"登记编号", "信访件编号", "来访日期", "方式", "到达层级",
		"信访人", "身份证号", "联系电话", "人数", "问题类别", "乡镇街道"})
	events := officeFile(t, prof, office, "办理过程.csv", []string{"过程编号", "信访件编号", "办理环节", "办理日期", "评价结果"})

	// The rejected rows are the planted dirty rows, one of each problem, and nothing else; the
	// rows with a number set aside are those planted so, and load.
	wantDirty, wantKept := map[string]string{}, map[string]string{}
	var problems []string
	for _, d := range in.DirtyRows {
		k := d.File + ":" + strconv.Itoa(d.Line)
		switch {
		case d.Kept:
			wantKept[k] = d.Problem
			if !slices.Contains(problems, d.Problem) {
				problems = append(problems, d.Problem)
			}
		case d.Problem != "blank line":
			wantDirty[k] = d.Problem
			fallthrough
		default:
			problems = append(problems, d.Problem)
		}
	}
	if want := []string{"bad date", "duplicate row", "invalid id number check digit", "bad date", "duplicate row",
		"bad phone number", "unknown step", "blank line", "too few fields"}; !slices.Equal(problems, want) {
		t.Errorf("dirty rows %v, want %v", problems, want)
	}
	if len(wantKept) < 3 {
		t.Errorf("rows with a number set aside %v, want a case, its contacts and a contact with a bad phone", wantKept)
	}
	clean := func(name string, rows []mappedRow) []mappedRow {
		var out []mappedRow
		for _, r := range rows {
			k := name + ":" + strconv.Itoa(r.line)
			kept, isKept := wantKept[k]
			if isKept != (r.aside != "") && r.reject == "" {
				t.Errorf("%s: number set aside %q, want %q: %q", k, r.aside, kept, r.raw)
			}
			switch want, dirty := wantDirty[k]; {
			case dirty && r.reject == "":
				t.Errorf("%s (%s) is loaded: %q", k, want, r.raw)
			case !dirty && r.reject != "":
				t.Errorf("%s is rejected (%s): %q", k, r.reject, r.raw)
			case !dirty:
				if isKept {
					t.Logf("%s, %s: loaded, %s set aside", k, kept, r.aside)
				}
				out = append(out, r)
			default:
				t.Logf("%s, %s: rejected as %s", k, want, r.reject)
				delete(wantDirty, k)
			}
		}
		return out
	}
	cases, contacts, events = clean("信访件.csv", cases), clean("来访来信记录.csv", contacts), clean("办理过程.csv", events)
	for k, p := range wantDirty {
		t.Errorf("dirty row %s (%s) is not in the file", k, p)
	}
	for _, d := range in.DirtyRows {
		if d.Problem == "blank line" {
			b, _ := simplifiedchinese.GB18030.NewDecoder().Bytes(readFile(t, office, d.File))
			if lines := strings.Split(string(b), "\n"); len(lines) < d.Line || lines[d.Line-1] != "" {
				t.Errorf("%s line %d is not blank", d.File, d.Line)
			}
		}
	}

	// Every loaded row is the canonical row, with one identifier set per person.
	toOffice, toCanon := map[string]string{}, map[string]string{}
	samePerson := func(what, canonical, off string) {
		if off == "" {
			t.Errorf("%s: no person", what)
		}
		if x, ok := toOffice[canonical]; ok && x != off {
			t.Errorf("%s: person %s is %s here and %s elsewhere", what, canonical, off, x)
		}
		if x, ok := toCanon[off]; ok && x != canonical {
			t.Errorf("%s: %s is both %s and %s", what, off, canonical, x)
		}
		toOffice[canonical], toCanon[off] = off, canonical
	}
	equal := func(what string, got map[string]string, want []string, fields []string) {
		for i, f := range fields {
			if f != "" && got[f] != want[i] {
				t.Errorf("%s: %s = %q, canonical %q", what, f, got[f], want[i])
			}
		}
	}
	cc := readCSV(t, canon, "cases.csv", data.Cases)
	if len(cc) != len(cases) {
		t.Fatalf("%d cases, canonical %d", len(cases), len(cc))
	}
	caseByID := map[string]mappedRow{}
	for i, r := range cc {
		got := cases[i].fields
		equal("case "+r[0], got, r, []string{"case_id", "received_date", "channel", "level", "", "head_count", "category",
			"township", "village", "target_org", "responsible_unit", "status", ""})
		if content := cases[i].raw[14]; content != r[12] {
			t.Errorf("case %s: content %q, canonical %q", r[0], content, r[12])
		}
		samePerson("case "+r[0], r[4], got["person"])
		caseByID[r[0]] = cases[i]
	}
	kc := readCSV(t, canon, "contacts.csv", data.Contacts)
	if len(kc) != len(contacts) {
		t.Fatalf("%d contacts, canonical %d", len(contacts), len(kc))
	}
	var unlinked []int
	for i, r := range kc {
		got := contacts[i].fields
		equal("contact "+r[0], got, r, []string{"contact_id", "", "contact_date", "channel", "level", "", "head_count"})
		samePerson("contact "+r[0], r[5], got["person"])
		c := caseByID[r[1]]
		if got["category"] != c.fields["category"] || got["township"] != c.fields["township"] {
			t.Errorf("contact %s: %s/%s, its case %s/%s", r[0], got["category"], got["township"], c.fields["category"], c.fields["township"])
		}
		if got["case_id"] == "" {
			unlinked = append(unlinked, i)
		} else if got["case_id"] != r[1] {
			t.Errorf("contact %s: case %s, canonical %s", r[0], got["case_id"], r[1])
		}
	}
	ec := readCSV(t, canon, "events.csv", data.Events)
	if len(ec) != len(events) {
		t.Fatalf("%d events, canonical %d", len(events), len(ec))
	}
	for i, r := range ec {
		equal("event "+r[0], events[i].fields, r, []string{"event_id", "case_id", "event_type", "event_date"})
	}

	// Contacts without a case id: as many as generator.json says, each linked back to its own
	// case by the run's rule (pipeline/sql/link_contacts.sql) at the default window and cap.
	def, err := configs.BuiltInConfig()
	if err != nil {
		t.Fatal(err)
	}
	if len(unlinked) != in.UnlinkedContacts || len(unlinked) < len(kc)/100 {
		t.Errorf("%d contacts without case id, generator.json says %d, of %d", len(unlinked), in.UnlinkedContacts, len(kc))
	}
	linked := linkByPerson(cases, contacts, def.Linking.WindowDays, def.Linking.MaxPerCase)
	for _, i := range unlinked {
		if got, want := linked[contacts[i].fields["contact_id"]], kc[i][1]; got != want {
			t.Errorf("contact %s without case id links to %q, canonical case %s", kc[i][0], got, want)
		}
		if contacts[i].fields["head_count"] != "1" {
			t.Errorf("contact %s without case id has head count %s", kc[i][0], contacts[i].fields["head_count"])
		}
	}

	// Variety an office export has: every date layout in every file, both names of an
	// assignment, people without an id number, lower-case x, phones written in groups.
	var ids int
	for name, rows := range map[string][]mappedRow{"信访件.csv": cases, "来访来信记录.csv": contacts, "办理过程.csv": events} {
		dateCol := map[string]int{"信访件.csv": 1, "来访来信记录.csv": 2, "办理过程.csv": 3}[name]
		layouts := map[string]int{}
		for _, r := range rows {
			for _, l := range officeLayouts {
				if _, err := time.Parse(l, r.raw[dateCol]); err == nil {
					layouts[l]++
					break
				}
			}
		}
		if len(layouts) != 3 {
			t.Errorf("%s: date layouts %v, want all three", name, layouts)
		}
		t.Logf("%s: %d rows, layouts %v", name, len(rows), layouts)
	}
	var noID, lowerX, spaced int
	idOf := map[string]string{}
	for _, r := range append(slices.Clone(cases), contacts...) {
		idno, phone := r.raw[5], r.raw[6]
		if len(r.raw) == len(officeContactColumns) {
			idno, phone = r.raw[6], r.raw[7]
		}
		switch {
		case idno == "":
			noID++
		case strings.HasSuffix(idno, "x"):
			lowerX++
		}
		if strings.Contains(phone, " ") {
			spaced++
		}
		if n := r.fields["complainant_id_number"]; n != "" {
			ids++
			if p, ok := idOf[n]; ok && p != r.fields["person"] {
				t.Errorf("id number shared by %s and %s", p, r.fields["person"])
			}
			idOf[n] = r.fields["person"]
		}
	}
	steps := map[string]int{}
	for _, r := range events {
		steps[r.raw[2]]++
	}
	t.Logf("persons %d, id numbers %d; rows without id %d, lower-case x %d, spaced phones %d; steps %v",
		len(toOffice), len(idOf), noID, lowerX, spaced, steps)
	if noID == 0 || lowerX == 0 || spaced == 0 || steps["交办"] == 0 || steps[officeAssignedAlt] == 0 || ids == 0 {
		t.Error("the export lacks some variety (see the log)")
	}
}

// linkByPerson links the contacts without a case id as pipeline/sql/link_contacts.sql does:
// to the only case of the same person (category and township not contradicting) received, or
// contacted about with a case id, within window days up to the contact; a case takes at most
// limit, the earliest.
func linkByPerson(cases, contacts []mappedRow, window, limit int) map[string]string {
	type act struct {
		person, caseID string
		day            int
	}
	var acts []act
	caseOf := map[string]map[string]string{}
	for _, c := range cases {
		acts = append(acts, act{c.fields["person"], c.fields["case_id"], dayOf(c.fields["received_date"])})
		caseOf[c.fields["case_id"]] = c.fields
	}
	for _, k := range contacts {
		if k.fields["case_id"] != "" {
			acts = append(acts, act{k.fields["person"], k.fields["case_id"], dayOf(k.fields["contact_date"])})
		}
	}
	type cand struct {
		id, caseID string
		day        int
	}
	var one []cand
	for _, k := range contacts {
		if k.fields["case_id"] != "" {
			continue
		}
		d, found := dayOf(k.fields["contact_date"]), map[string]bool{}
		for _, a := range acts {
			c := caseOf[a.caseID]
			if a.person == k.fields["person"] && a.day <= d && a.day > d-window &&
				c["category"] == k.fields["category"] && c["township"] == k.fields["township"] {
				found[a.caseID] = true
			}
		}
		if len(found) == 1 {
			for id := range found {
				one = append(one, cand{k.fields["contact_id"], id, d})
			}
		}
	}
	slices.SortFunc(one, func(a, b cand) int {
		if a.day != b.day {
			return a.day - b.day
		}
		return strings.Compare(a.id, b.id)
	})
	out, per := map[string]string{}, map[string]int{}
	for _, c := range one {
		if per[c.caseID] < limit {
			out[c.id] = c.caseID
			per[c.caseID]++
		}
	}
	return out
}

// TestOfficeIdentifiers: the persons' id numbers and phones pass the loader's checks, and no
// two persons share an id number or a phone, over many more persons than a test county has.
func TestOfficeIdentifiers(t *testing.T) {
	l := &layout{p: &planner{cfg: Config{Seed: 3, Days: 30, Start: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}}}
	l.dates = make([]string, 30)
	o := newOffice(l)
	ids, phones := map[string]uint32{}, map[string]uint32{}
	men := 0
	for person := uint32(0); person < 200_000; person++ {
		first := string(o.idFirst17(nil, person))
		id := first + string(idnum.CheckDigit(first))
		if got, err := idnum.ResidentID(id); err != nil || got != id {
			t.Fatalf("person %d: id number %s: %v", person, id, err)
		}
		if born, _ := time.Parse("20060102", id[6:14]); born.Before(birthStart) || born.Year() > 2006 {
			t.Fatalf("person %d: born %s", person, id[6:14])
		}
		phone := string(o.appendPhone(nil, person, false))
		if got, err := idnum.Phone(phone); err != nil || got != phone || len(phone) != 11 {
			t.Fatalf("person %d: phone %s: %v", person, phone, err)
		}
		if spaced := string(o.appendPhone(nil, person, true)); strings.ReplaceAll(spaced, " ", "") != phone {
			t.Fatalf("person %d: spaced phone %s", person, spaced)
		}
		if p, ok := ids[id]; ok {
			t.Fatalf("persons %d and %d share id number %s", p, person, id)
		}
		if p, ok := phones[phone]; ok {
			t.Fatalf("persons %d and %d share phone %s", p, person, phone)
		}
		ids[id], phones[phone] = person, person
		fields := strings.Split(string(o.appendPerson(nil, person, plainRow)), ",")
		if person == o.badID {
			// Every row of this one writes the id number with a wrong check digit.
			if fields[1] == "" || fields[1] == id || fields[1][:17] != id[:17] {
				t.Fatalf("person %d (bad id number): %q (id %s)", person, fields, id)
			}
			fields[1] = id
		}
		if len(fields) != 3 || fields[2] != phone || fields[1] != "" && fields[1] != id || utf8.RuneCountInString(fields[0]) < 2 {
			t.Fatalf("person %d: %q (id %s, phone %s)", person, fields, id, phone)
		}
		if id[16]%2 == 1 {
			men++
		}
	}
	if men < 90_000 || men > 110_000 {
		t.Errorf("%d men of 200,000", men)
	}
}

// TestOfficeDeterministic: the same config writes the same bytes in every office file.
func TestOfficeDeterministic(t *testing.T) {
	cfg := Config{Seed: 5, Cases: 2000, Format: FormatOffice}
	a, _ := generate(t, cfg)
	b, _ := generate(t, cfg)
	for _, name := range officeFileNames {
		if !bytes.Equal(readFile(t, a, name), readFile(t, b, name)) {
			t.Errorf("%s differs between two runs of the same config", name)
		}
	}
}

func TestFormatChecked(t *testing.T) {
	_, err := Generate(context.Background(), Config{Seed: 1, Cases: 1000, Format: "xlsx"}, t.TempDir(), nil)
	if err == nil || !strings.Contains(i18n.Localize("en", err), `no format "xlsx"; choose canonical, office`) {
		t.Errorf("err = %v", err)
	}
}

// TestOfficeNames: every code the county writes has a Chinese name in the office export, and
// the profile maps each name back to its code.
func TestOfficeNames(t *testing.T) {
	prof := readOfficeProfile(t)
	maps := map[string]map[string]string{}
	for _, s := range prof.Sources {
		for f, m := range s.Fields {
			if m.Map != nil {
				maps[s.Table+"."+f] = m.Map
			}
		}
	}
	check := func(field string, names, codes []string) {
		if len(names) != len(codes) {
			t.Errorf("%s: %d names for %d codes", field, len(names), len(codes))
		}
		for i, n := range names {
			if got := maps[field][n]; n == "" || got != codes[i] {
				t.Errorf("%s: %q maps to %q, want %q", field, n, got, codes[i])
			}
		}
	}
	for _, tab := range []string{"cases", "contacts"} {
		check(tab+".channel", officeChannels[:], channelCodes[:])
		check(tab+".level", officeLevels[:], levelCodes[:])
	}
	check("events.event_type", append(officeSteps[:], officeAssignedAlt), append(eventCodes[:], "assigned"))
	for name, code := range maps["events.event_type"] {
		if !slices.ContainsFunc(data.EventTypes, func(c data.Code) bool { return c.Code == code }) &&
			!slices.Contains([]string{"supervised", "return_visit", "evaluated"}, code) {
			t.Errorf("the profile maps %s to %s, no event type", name, code)
		}
	}
}

func readFile(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// BenchmarkGenerateOffice is BenchmarkGenerate in the office format.
func BenchmarkGenerateOffice(b *testing.B) {
	dir := b.TempDir()
	var rows int
	for b.Loop() {
		s, err := Generate(context.Background(), Config{Seed: 1, Cases: 100_000, Format: FormatOffice}, dir, nil)
		if err != nil {
			b.Fatal(err)
		}
		rows += s.Cases + s.Contacts + s.Events
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
