package pipeline

import (
	"errors"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/earlywarn/earlywarn/internal/source"
)

// batchRows is the number of rows per Arrow record batch.
const batchRows = 1 << 16

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

// Batches collects mapped rows and rejects as Arrow record batches.
type Batches struct {
	cases, rejects    *array.RecordBuilder
	nCases, nRejects  int
	Cases, Rejects    []arrow.RecordBatch
	RowsRead, RowsBad int64
}

// newBatches returns empty batches.
func newBatches() *Batches {
	mem := memory.DefaultAllocator
	b := &Batches{cases: array.NewRecordBuilder(mem, caseSchema), rejects: array.NewRecordBuilder(mem, rejectSchema)}
	b.reserve()
	return b
}

// reserve sizes the case builders' value slots for a whole batch, so that they do not grow
// (copy and clear) as rows arrive; string bytes still grow as needed.
func (b *Batches) reserve() {
	b.cases.Reserve(batchRows)
}

func str(b array.Builder, s string, nullable bool) {
	sb := b.(*array.StringBuilder)
	if s == "" && nullable {
		sb.AppendNull()
		return
	}
	sb.Append(s)
}

// AddRow appends a mapped row.
func (b *Batches) AddRow(r *source.Row) {
	f := b.cases.Fields()
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
	if r.Closed != source.NoDate {
		f[15].(*array.Date32Builder).Append(arrow.Date32(r.Closed))
	} else {
		f[15].AppendNull()
	}
	f[16].(*array.Int64Builder).Append(r.Line)
	b.RowsRead++
	if b.nCases++; b.nCases == batchRows {
		b.Cases = append(b.Cases, b.cases.NewRecordBatch())
		b.nCases = 0
		b.reserve()
	}
}

// AddReject appends a reject.
func (b *Batches) AddReject(r *source.Reject) {
	f := b.rejects.Fields()
	f[0].(*array.Int64Builder).Append(r.Line)
	str(f[1], r.Field, true)
	str(f[2], r.Reason, false)
	str(f[3], r.Raw, true)
	b.RowsRead++
	b.RowsBad++
	if b.nRejects++; b.nRejects == batchRows {
		b.Rejects = append(b.Rejects, b.rejects.NewRecordBatch())
		b.nRejects = 0
	}
}

// Finish flushes the partial batches; call it once after the last row.
func (b *Batches) Finish() {
	if b.cases == nil {
		return
	}
	if b.nCases > 0 {
		b.Cases = append(b.Cases, b.cases.NewRecordBatch())
	}
	if b.nRejects > 0 {
		b.Rejects = append(b.Rejects, b.rejects.NewRecordBatch())
	}
	b.cases.Release()
	b.rejects.Release()
	b.cases, b.rejects = nil, nil
	b.nCases, b.nRejects = 0, 0
}

// Release frees the batches.
func (b *Batches) Release() {
	for _, r := range b.Cases {
		r.Release()
	}
	for _, r := range b.Rejects {
		r.Release()
	}
	b.Cases, b.Rejects = nil, nil
}

// readAll reads every record of r through m into batches: one goroutine reads and decodes
// records while the caller's maps, checks, hashes and builds Arrow batches. A read error ends
// it; records read before the error are in the batches.
func readAll(r source.Reader, m *source.Mapper) (*Batches, error) {
	type chunk struct {
		recs []source.Record
		err  error // the error that ended reading, after recs
	}
	chunks := make(chan chunk, 8)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(chunks)
		c := chunk{recs: make([]source.Record, 0, 1024)}
		for {
			rec, err := r.Next()
			if err == nil || source.IsTruncated(err) {
				c.recs = append(c.recs, rec)
			}
			if err != nil || len(c.recs) == cap(c.recs) {
				if err != nil && !errors.Is(err, io.EOF) && !source.IsTruncated(err) {
					c.err = err
				}
				select {
				case chunks <- c:
				case <-done:
					return
				}
				if err != nil {
					return
				}
				c = chunk{recs: make([]source.Record, 0, 1024)}
			}
		}
	}()
	b := newBatches()
	defer b.Finish()
	for c := range chunks {
		for _, rec := range c.recs {
			row, rej, ok := m.Map(rec)
			if ok {
				b.AddRow(&row)
			} else {
				b.AddReject(&rej)
			}
		}
		if c.err != nil {
			return b, c.err
		}
	}
	return b, nil
}
