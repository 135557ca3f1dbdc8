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

// rowSchemas are the Arrow schemas of mapped rows by table: the canonical columns (a case's
// complainant_id is the row's PersonID), then what loading them needs besides (the keyed
// hashes, a case's closing and answer dates, contact id and case key) and the source line
// (_line).
var rowSchemas = map[string]*arrow.Schema{
	configs.TableCases: arrow.NewSchema([]arrow.Field{
		{Name: "case_id", Type: text},
		{Name: "received_date", Type: date32},
		{Name: "channel", Type: text},
		{Name: "level", Type: text},
		{Name: "complainant_id", Type: text},
		{Name: "head_count", Type: int32T, Nullable: true},
		{Name: "category", Type: text},
		{Name: "township", Type: text},
		{Name: "village", Type: text, Nullable: true},
		{Name: "target_org", Type: text, Nullable: true},
		{Name: "responsible_unit", Type: text},
		{Name: "status", Type: text, Nullable: true},
		{Name: "content", Type: text, Nullable: true},
		{Name: "found_in_text", Type: text, Nullable: true},
		{Name: "complainant_idno_key", Type: text, Nullable: true},
		{Name: "complainant_namephone_key", Type: text, Nullable: true},
		{Name: "closed_date", Type: date32, Nullable: true},
		{Name: "answered_date", Type: date32, Nullable: true},
		{Name: "contact_id", Type: text},
		{Name: "case_key", Type: text, Nullable: true},
		{Name: "_line", Type: lineType},
	}, nil),
	configs.TableContacts: arrow.NewSchema([]arrow.Field{
		{Name: "contact_id", Type: text},
		{Name: "case_id", Type: text, Nullable: true},
		{Name: "contact_date", Type: date32},
		{Name: "channel", Type: text},
		{Name: "level", Type: text},
		{Name: "person_id", Type: text},
		{Name: "head_count", Type: int32T, Nullable: true},
		{Name: "category", Type: text, Nullable: true},
		{Name: "township", Type: text, Nullable: true},
		{Name: "complainant_idno_key", Type: text, Nullable: true},
		{Name: "complainant_namephone_key", Type: text, Nullable: true},
		{Name: "_line", Type: lineType},
	}, nil),
	configs.TableEvents: arrow.NewSchema([]arrow.Field{
		{Name: "event_id", Type: text},
		{Name: "case_id", Type: text},
		{Name: "event_type", Type: text},
		{Name: "event_date", Type: date32},
		{Name: "result", Type: text, Nullable: true},
		{Name: "_line", Type: lineType},
	}, nil),
}

// appendRow appends a mapped row to the builders of its table's schema (rowSchemas).
var appendRow = map[string]func(f []array.Builder, r *row){
	configs.TableCases: func(f []array.Builder, r *row) {
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
		str(f[13], r.Found, true)
		str(f[14], r.IDKey, true)
		str(f[15], r.NamePhoneKey, true)
		day(f[16], r.Closed)
		day(f[17], r.Answered)
		str(f[18], r.ID, false)
		str(f[19], r.Key, true)
		f[20].(*array.Int64Builder).Append(r.Line)
	},
	configs.TableContacts: func(f []array.Builder, r *row) {
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
	},
	configs.TableEvents: func(f []array.Builder, r *row) {
		str(f[0], r.ID, false)
		str(f[1], r.CaseID, false)
		str(f[2], r.EventType, false)
		day(f[3], r.Date)
		str(f[4], r.Result, true)
		f[5].(*array.Int64Builder).Append(r.Line)
	},
}

// rejectSchema is the Arrow schema of rejects.
var rejectSchema = arrow.NewSchema([]arrow.Field{
	{Name: "line", Type: arrow.PrimitiveTypes.Int64},
	{Name: "field", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "reason", Type: arrow.BinaryTypes.String},
	{Name: "raw", Type: arrow.BinaryTypes.String, Nullable: true},
}, nil)

// rowBuilder builds record batches of mapped rows of one table (rowSchemas). It is not safe
// for concurrent use.
type rowBuilder struct {
	b    *array.RecordBuilder
	add  func(f []array.Builder, r *row)
	n    int
	last int   // rows in the last batch
	data []int // bytes per row of each string column in the last batch
}

func newRowBuilder(table string) *rowBuilder {
	return &rowBuilder{b: array.NewRecordBuilder(memory.DefaultAllocator, rowSchemas[table]), add: appendRow[table]}
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
	c.add(c.b.Fields(), r)
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
	}
	return b.NewRecordBatch()
}
