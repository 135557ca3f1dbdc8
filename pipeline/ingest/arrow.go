package ingest

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/earlywarn/earlywarn/configs"
)

var (
	text     = arrow.BinaryTypes.String
	date32   = arrow.FixedWidthTypes.Date32
	int32T   = arrow.PrimitiveTypes.Int32
	lineType = arrow.PrimitiveTypes.Int64
)

// outColumn is one column of the Arrow batches of mapped rows. A column with a need is handed
// over only for sources whose shape has it, so that DuckDB does not scan columns of nulls or
// copies: each costs it about half a CPU microsecond a row. appendRow fills the columns in this
// order.
type outColumn struct {
	arrow.Field
	need need // always, or the part of the shape it needs
}

// need names a part of a source's shape.
type need int

const (
	always       need = iota
	needFound         // a field is found in the text
	needAnswered      // the source maps answered_date
	needContact       // the source's rows name their own contact (case key or contact_id)
	needKey           // the source has a case key
)

// shape says which optional columns a source's mapped rows carry: what the stage of its file
// holds, and so what the statements loading it may read.
type shape struct{ found, answered, contact, key bool }

// has reports whether the shape has what n needs.
func (s shape) has(n need) bool {
	switch n {
	case needFound:
		return s.found
	case needAnswered:
		return s.answered
	case needContact:
		return s.contact
	case needKey:
		return s.key
	}
	return true
}

func col(name string, typ arrow.DataType, nullable bool, n need) outColumn {
	return outColumn{arrow.Field{Name: name, Type: typ, Nullable: nullable}, n}
}

// outColumns are the columns of mapped rows by table: the canonical columns (a case's
// complainant_id is the row's PersonID), then what loading them needs besides (the keyed
// hashes; a case's closing and answer dates, contact id and case key) and the source line.
var outColumns = map[string][]outColumn{
	configs.TableCases: {
		col("case_id", text, false, always), col("received_date", date32, false, always),
		col("channel", text, false, always), col("level", text, false, always),
		col("complainant_id", text, false, always), col("head_count", int32T, true, always),
		col("category", text, false, always), col("township", text, false, always),
		col("village", text, true, always), col("target_org", text, true, always),
		col("responsible_unit", text, false, always), col("status", text, true, always),
		col("content", text, true, always), col("found_in_text", text, true, needFound),
		col("complainant_idno_key", text, true, always), col("complainant_namephone_key", text, true, always),
		col("closed_date", date32, true, always), col("answered_date", date32, true, needAnswered),
		col("contact_id", text, false, needContact), col("case_key", text, true, needKey),
		col("_line", lineType, false, always),
	},
	configs.TableContacts: {
		col("contact_id", text, false, always), col("case_id", text, true, always),
		col("contact_date", date32, false, always), col("channel", text, false, always),
		col("level", text, false, always), col("person_id", text, false, always),
		col("head_count", int32T, true, always), col("category", text, true, always),
		col("township", text, true, always), col("complainant_idno_key", text, true, always),
		col("complainant_namephone_key", text, true, always), col("_line", lineType, false, always),
	},
	configs.TableEvents: {
		col("event_id", text, false, always), col("case_id", text, false, always),
		col("event_type", text, false, always), col("event_date", date32, false, always),
		col("result", text, true, always), col("_line", lineType, false, always),
	},
}

// appendRow appends a mapped row of table to the builders of its columns (outColumns, those of
// shape sh only).
func appendRow(table string, sh shape, f []array.Builder, r *row) {
	switch table {
	case configs.TableCases:
		str(f[0], r.CaseID, false)
		day(f[1], r.Date)
		str(f[2], r.Channel, false)
		str(f[3], r.Level, false)
		str(f[4], r.PersonID, false)
		count(f[5], r.HeadCount)
		str(f[6], r.Category, false)
		str(f[7], r.Township, false)
		str(f[8], r.Village, true)
		str(f[9], r.TargetOrg, true)
		str(f[10], r.Unit, false)
		str(f[11], r.Status, true)
		str(f[12], r.Content, true)
		i := 13
		if sh.found {
			str(f[i], r.Found, true)
			i++
		}
		str(f[i], r.IDKey, true)
		str(f[i+1], r.NamePhoneKey, true)
		day(f[i+2], r.Closed)
		i += 3
		if sh.answered {
			day(f[i], r.Answered)
			i++
		}
		if sh.contact {
			str(f[i], r.ID, false)
			i++
		}
		if sh.key {
			str(f[i], r.Key, true)
			i++
		}
		f[i].(*array.Int64Builder).Append(r.Line)
	case configs.TableContacts:
		str(f[0], r.ID, false)
		str(f[1], r.CaseID, true)
		day(f[2], r.Date)
		str(f[3], r.Channel, false)
		str(f[4], r.Level, false)
		str(f[5], r.PersonID, false)
		count(f[6], r.HeadCount)
		str(f[7], r.Category, true)
		str(f[8], r.Township, true)
		str(f[9], r.IDKey, true)
		str(f[10], r.NamePhoneKey, true)
		f[11].(*array.Int64Builder).Append(r.Line)
	case configs.TableEvents:
		str(f[0], r.ID, false)
		str(f[1], r.CaseID, false)
		str(f[2], r.EventType, false)
		day(f[3], r.Date)
		str(f[4], r.Result, true)
		f[5].(*array.Int64Builder).Append(r.Line)
	}
}

// layout sets the shape of the source's mapped rows and their schema (the columns of
// outColumns the shape has).
func (m *mapping) layout() {
	m.shape = shape{
		answered: m.fields["answered_date"] != nil,
		contact:  m.key != nil || m.Table == configs.TableCases && m.fields["contact_id"] != nil,
		key:      m.key != nil,
	}
	for _, f := range m.fields {
		m.shape.found = m.shape.found || f.extract != nil || f.dict != nil
	}
	var fields []arrow.Field
	for _, c := range outColumns[m.Table] {
		if m.shape.has(c.need) {
			fields = append(fields, c.Field)
		}
	}
	m.schema = arrow.NewSchema(fields, nil)
}

// rejectSchema is the Arrow schema of rejects.
var rejectSchema = arrow.NewSchema([]arrow.Field{
	{Name: "line", Type: arrow.PrimitiveTypes.Int64},
	{Name: "field", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "reason", Type: arrow.BinaryTypes.String},
	{Name: "raw", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "record_id", Type: arrow.BinaryTypes.String, Nullable: true},
}, nil)

// rowBuilder builds record batches of mapped rows of one source (its mapping's layout). It is
// not safe for concurrent use.
type rowBuilder struct {
	b     *array.RecordBuilder
	table string
	shape shape
	n     int
	last  int   // rows in the last batch
	data  []int // bytes per row of each string column in the last batch
}

func newRowBuilder(m *mapping) *rowBuilder {
	return &rowBuilder{b: array.NewRecordBuilder(memory.DefaultAllocator, m.schema), table: m.Table, shape: m.shape}
}

func str(b array.Builder, s string, nullable bool) {
	sb := b.(*array.StringBuilder)
	if s == "" && nullable {
		sb.AppendNull()
		return
	}
	sb.Append(s)
}

// day appends a date, or null for noDate.
func day(b array.Builder, d int32) {
	if d == noDate {
		b.AppendNull()
		return
	}
	b.(*array.Date32Builder).Append(arrow.Date32(d))
}

// count appends a head count, or null for none.
func count(b array.Builder, n int32) {
	if n > 0 {
		b.(*array.Int32Builder).Append(n)
		return
	}
	b.AppendNull()
}

// append adds a mapped row.
func (c *rowBuilder) append(r *row) {
	appendRow(c.table, c.shape, c.b.Fields(), r)
	c.n++
}

// reserve sizes the builders for rows more rows, string bytes as in the last batch, so that
// they do not grow (copy and clear) as rows arrive.
func (c *rowBuilder) reserve(rows int) {
	c.b.Reserve(rows)
	for i, f := range c.b.Fields() {
		if sb, ok := f.(*array.StringBuilder); ok && i < len(c.data) {
			sb.ReserveData(rows * c.data[i] * 9 / 8)
		}
	}
}

// batch returns the rows added since the last batch, or nil if there are none.
func (c *rowBuilder) batch() arrow.RecordBatch {
	if c.n == 0 {
		return nil
	}
	c.data = c.data[:0]
	for _, f := range c.b.Fields() {
		per := 0
		if sb, ok := f.(*array.StringBuilder); ok {
			per = sb.DataLen()/c.n + 1
		}
		c.data = append(c.data, per)
	}
	c.last, c.n = c.n, 0
	return c.b.NewRecordBatch()
}

func (c *rowBuilder) release() { c.b.Release() }

// rejectBatch returns rejects as one record batch (rejectSchema).
func rejectBatch(rejects []rejection) arrow.RecordBatch {
	b := array.NewRecordBuilder(memory.DefaultAllocator, rejectSchema)
	defer b.Release()
	f := b.Fields()
	for i := range rejects {
		r := &rejects[i]
		f[0].(*array.Int64Builder).Append(r.Line)
		str(f[1], r.Field, true)
		str(f[2], r.Reason, false)
		str(f[3], r.Raw, true)
		str(f[4], r.RecordID, true)
	}
	return b.NewRecordBatch()
}
