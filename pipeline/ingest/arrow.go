package ingest

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// caseSchema is the Arrow schema of mapped rows: the canonical case columns, then
// closed_date and the source line (_line).
var caseSchema = arrow.NewSchema([]arrow.Field{
	{Name: "case_id", Type: arrow.BinaryTypes.String},
	{Name: "received_date", Type: arrow.FixedWidthTypes.Date32},
	{Name: "channel", Type: arrow.BinaryTypes.String},
	{Name: "level", Type: arrow.BinaryTypes.String},
	{Name: "complainant_id", Type: arrow.BinaryTypes.String},
	{Name: "head_count", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "category", Type: arrow.BinaryTypes.String},
	{Name: "township", Type: arrow.BinaryTypes.String},
	{Name: "village", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "target_org", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "responsible_unit", Type: arrow.BinaryTypes.String},
	{Name: "status", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "content", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "complainant_idno_key", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "complainant_namephone_key", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "closed_date", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
	{Name: "_line", Type: arrow.PrimitiveTypes.Int64},
}, nil)

// rejectSchema is the Arrow schema of rejects.
var rejectSchema = arrow.NewSchema([]arrow.Field{
	{Name: "line", Type: arrow.PrimitiveTypes.Int64},
	{Name: "field", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "reason", Type: arrow.BinaryTypes.String},
	{Name: "raw", Type: arrow.BinaryTypes.String, Nullable: true},
}, nil)

// caseBuilder builds record batches of mapped rows (caseSchema). It is not safe for
// concurrent use.
type caseBuilder struct {
	b    *array.RecordBuilder
	n    int
	last int   // rows in the last batch
	data []int // bytes per row of each string column in the last batch
}

func newCaseBuilder() *caseBuilder {
	return &caseBuilder{b: array.NewRecordBuilder(memory.DefaultAllocator, caseSchema)}
}

func str(b array.Builder, s string, nullable bool) {
	sb := b.(*array.StringBuilder)
	if s == "" && nullable {
		sb.AppendNull()
		return
	}
	sb.Append(s)
}

// add appends a mapped row.
func (c *caseBuilder) add(r *caseRow) {
	f := c.b.Fields()
	str(f[0], r.CaseID, false)
	f[1].(*array.Date32Builder).Append(arrow.Date32(r.Received))
	str(f[2], r.Channel, false)
	str(f[3], r.Level, false)
	str(f[4], r.ComplainantID, false)
	if r.HeadCount > 0 {
		f[5].(*array.Int32Builder).Append(r.HeadCount)
	} else {
		f[5].AppendNull()
	}
	str(f[6], r.Category, false)
	str(f[7], r.Township, false)
	str(f[8], r.Village, true)
	str(f[9], r.TargetOrg, true)
	str(f[10], r.Unit, false)
	str(f[11], r.Status, true)
	str(f[12], r.Content, true)
	str(f[13], r.IDKey, true)
	str(f[14], r.NamePhoneKey, true)
	if r.Closed != noDate {
		f[15].(*array.Date32Builder).Append(arrow.Date32(r.Closed))
	} else {
		f[15].AppendNull()
	}
	f[16].(*array.Int64Builder).Append(r.Line)
	c.n++
}

// reserve sizes the builders for rows more rows, string bytes as in the last batch, so that
// they do not grow (copy and clear) as rows arrive.
func (c *caseBuilder) reserve(rows int) {
	c.b.Reserve(rows)
	for i, f := range c.b.Fields() {
		if sb, ok := f.(*array.StringBuilder); ok && i < len(c.data) {
			sb.ReserveData(rows * c.data[i] * 9 / 8)
		}
	}
}

// batch returns the rows added since the last batch, or nil if there are none.
func (c *caseBuilder) batch() arrow.RecordBatch {
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

func (c *caseBuilder) release() { c.b.Release() }

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
