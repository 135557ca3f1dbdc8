// Package data defines earlywarn's canonical schema: the three record tables every input is
// mapped onto, their CSV layout, and the code lists for channels, levels, case events and the
// results of an evaluation.
//
// Ids are strings. Dates are calendar dates (DATE) in the configured time zone; a source that
// carries timestamps is converted to a date in that zone on load.
package data

import (
	"strings"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// Column describes one canonical column: its name, DuckDB type, whether a row without it is
// rejected, and what it means.
type Column struct {
	Name     string
	Type     string
	Required bool
	Doc      string
}

// Table is one canonical table. Key is the column that identifies a record; a later load of a
// record with the same key replaces the earlier one.
type Table struct {
	Name    string
	Key     string
	Doc     string
	Columns []Column
}

// Cases, Contacts and Events are the canonical tables, in load order.
var (
	Cases = Table{
		Name: "cases", Key: "case_id",
		Doc: "信访件: one petition matter as registered by the office.",
		Columns: []Column{
			{"case_id", "VARCHAR", true, "case id, unique within the office"},
			{"received_date", "DATE", true, "date the office received the matter"},
			{"channel", "VARCHAR", true, "channel code of the first contact: letter, visit, online, phone"},
			{"level", "VARCHAR", true, "level where received: county, city, province, national"},
			{"complainant_id", "VARCHAR", true, "pseudonymous id of the lead complainant"},
			{"head_count", "INTEGER", false, "people named on the case (1 when empty)"},
			{"category", "VARCHAR", true, "matter category, e.g. 征地拆迁, 劳资纠纷"},
			{"township", "VARCHAR", true, "township or street (乡镇/街道)"},
			{"village", "VARCHAR", false, "village or community (村/社区)"},
			{"target_org", "VARCHAR", false, "organisation complained about (被反映单位)"},
			{"responsible_unit", "VARCHAR", true, "unit responsible for handling (责任单位)"},
			{"status", "VARCHAR", false, "status as exported by the source system; informational, screening derives state from events"},
			{"content", "VARCHAR", false, "free-text content of the matter"},
			{"found_in_text", "VARCHAR", false, "fields found in the text: a JSON object of field → the words that matched (a profile's extract or dictionary, or the category classifier's words), and the classifier's category_class, category_confidence and category_model (its file's SHA-256, 12 hex digits)"},
		},
	}
	Contacts = Table{
		Name: "contacts", Key: "contact_id",
		Doc: "来访/来信记录: each time someone contacts the office.",
		Columns: []Column{
			{"contact_id", "VARCHAR", true, "contact id"},
			{"case_id", "VARCHAR", false, "case the contact is about; empty when the office did not link it"},
			{"contact_date", "DATE", true, "date of the contact"},
			{"channel", "VARCHAR", true, "letter, visit, online, phone"},
			{"level", "VARCHAR", true, "level the contact reached: county, city, province, national"},
			{"person_id", "VARCHAR", true, "pseudonymous id of the lead person"},
			{"head_count", "INTEGER", false, "people in the contact (1 when empty)"},
			{"category", "VARCHAR", false, "matter category as recorded with the contact; links a contact without a case id"},
			{"township", "VARCHAR", false, "township or street as recorded with the contact; links a contact without a case id"},
		},
	}
	Events = Table{
		Name: "events", Key: "event_id",
		Doc: "办理过程: one step in handling a case.",
		Columns: []Column{
			{"event_id", "VARCHAR", true, "event id"},
			{"case_id", "VARCHAR", true, "case the event belongs to"},
			{"event_type", "VARCHAR", true, "one of EventTypes"},
			{"event_date", "DATE", true, "date of the event"},
			{"result", "VARCHAR", false, "outcome of an evaluation, one of Results: satisfied, basically_satisfied, unsatisfied; empty for other events"},
		},
	}
)

// ContactLinks is derived, not loaded: for each contact recorded without a case id, the case a
// run linked it to (see pipeline's linking step). Rules count a linked contact as the case's.
var ContactLinks = Table{
	Name: "contact_links", Key: "contact_id",
	Doc: "contacts without a case id, linked to a case by their person and date",
	Columns: []Column{
		{"contact_id", "VARCHAR", true, "the unlinked contact"},
		{"case_id", "VARCHAR", true, "the case it was linked to"},
		{"linked_by", "VARCHAR", true, "how: person_window (the person's only case active within the window)"},
	},
}

// PersonKeys links pseudonymous person ids to the keyed hashes (HMAC-SHA256, see
// internal/pseudo) they were derived from: a person id comes from a valid resident id number,
// else from name with phone, never from a phone alone. One row per distinct combination seen,
// so a row holding both keys ties a name-and-phone to an id number. Personal identifiers
// themselves are stored nowhere.
var PersonKeys = Table{
	Name: "person_keys", Key: "person_id",
	Doc: "keyed hashes behind each pseudonymous person id",
	Columns: []Column{
		{"person_id", "VARCHAR", true, "complainant_id / person_id as in cases and contacts"},
		{"idno_key", "VARCHAR", false, "keyed hash of the checked 18-character resident id number"},
		{"namephone_key", "VARCHAR", false, "keyed hash of the name with the normalised phone number"},
	},
}

// CaseKeys remembers, for a profile's case key (see configs.ProfileSource.CaseKey), the case
// its rows make, so that a message on the same subject in a later file is a contact of the
// same case. Only a digest of the key is stored.
var CaseKeys = Table{
	Name: "case_keys", Key: "case_key",
	Doc: "digest of each case key seen, and the case its rows belong to",
	Columns: []Column{
		{"case_key", "VARCHAR", true, "SHA-256 digest (128 bits) of the key's normalised columns"},
		{"case_id", "VARCHAR", true, "the case the key's rows are contacts of"},
	},
}

// CreateSQL is the statement that creates the table when it does not exist.
func (t Table) CreateSQL() string {
	cols := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = c.Name + " " + c.Type
	}
	return "CREATE TABLE IF NOT EXISTS " + t.Name + " (" + strings.Join(cols, ", ") + ")"
}

// Tables lists the canonical tables in load order.
var Tables = []Table{Cases, Contacts, Events}

// Channels are the contact channel codes with their Chinese names.
var Channels = []Code{
	{"letter", "channel"},
	{"visit", "channel"},
	{"online", "channel"},
	{"phone", "channel"},
}

// Levels are the levels of government a contact can reach, lowest first; their order is the
// order of escalation (越级).
var Levels = []Code{
	{"county", "level"},
	{"city", "level"},
	{"province", "level"},
	{"national", "level"},
}

// EventTypes are the case event codes in the order of the handling process; events of one day
// are ordered by it.
//
// Most events move a case to a stage (see package rules). Three only record what happened
// around the handling and change neither the stage nor the no-progress clock: supervised
// (督办, a superior unit pressing for the matter to be handled), return_visit (回访, the office
// calling on the complainant) and evaluated (评价, the complainant's satisfaction, with a
// result from Results). An evaluation "unsatisfied" of a case that stands closed at that
// moment reopens it, as a reopened event on that day would.
var EventTypes = []Code{
	{"accepted", "event"},
	{"assigned", "event"},
	{"supervised", "event"},
	{"extended", "event"},
	{"answered", "event"},
	{"review_requested", "event"},
	{"reviewed", "event"},
	{"rereview_requested", "event"},
	{"rereviewed", "event"},
	{"terminated", "event"},
	{"closed", "event"},
	{"return_visit", "event"},
	{"evaluated", "event"},
	{"reopened", "event"},
}

// Results are the outcomes of an evaluation (评价), most satisfied first: the events column
// result of an evaluated event.
var Results = []Code{
	{"satisfied", "result"},
	{"basically_satisfied", "result"},
	{"unsatisfied", "result"},
}

// Code is one entry of a code list: the code as stored, and the group its name is listed under
// in the message catalogue (label.<group>.<code>).
type Code struct {
	Code  string
	Group string
}

// Label is the code's name in lang, from the message catalogue.
func (c Code) Label(lang string) string { return i18n.Label(lang, c.Group, c.Code) }
