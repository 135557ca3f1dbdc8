package ingest

import (
	"context"
	"errors"
	"io"
	"slices"
	"sync/atomic"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"golang.org/x/sync/errgroup"

	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
)

// readCounts are what reading a file gave besides its rows: every record read, and the
// rejects in file order.
type readCounts struct {
	Read     int64
	Rejects  []rejection
	SetAside []rejection                    // the rows loaded with identifiers set aside (Kept)
	Text     map[string]runrecord.TextCount // by field found in text: rows searched and found
}

// mapped is one block mapped by a worker.
type mapped struct {
	cases   arrow.RecordBatch // nil when the block has no row
	rejects []rejection
	aside   []rejection // rows kept with identifiers set aside
	read    int64
	text    map[string]runrecord.TextCount // the block's searches of fields found in text
	err     error                          // the error that ended reading, after this block
}

// mapBlock maps the records of one block with m, building its rows' batch with cb.
func mapBlock(block *recordBlock, m *mapper, cb *rowBuilder) mapped {
	var res mapped
	cb.reserve(cb.last)
	block.Each(func(rec *record) {
		res.read++
		row, rej, ok := m.Map(*rec)
		if !ok {
			res.rejects = append(res.rejects, rej)
			return
		}
		cb.append(&row)
		if rej.Kept {
			res.aside = append(res.aside, rej)
		}
	})
	res.cases = cb.batch()
	res.text = m.takeText()
	return res
}

// readAll reads every record of r and passes the rows, as record batches in file order, to
// emit, which takes ownership of each. One goroutine cuts the file into blocks
// (readBlock) while workers goroutines, each with its own mapper from makeMapper, parse,
// map, check, hash and build a record batch per block. Blocks are collected in the order they
// were read, so rows, rejects and lines do not depend on scheduling. A read error ends it and
// is returned after the rows read before it were emitted; ctx ending, or emit returning
// false, stops it with errStopped. No goroutine outlives it, so r may be closed when it returns.
func readAll(ctx context.Context, r recordReader, makeMapper func() *mapper, workers int, emit func(arrow.RecordBatch) bool) (readCounts, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type job struct {
		block *recordBlock
		err   error // the read error after the block
		out   chan<- mapped
	}
	jobs := make(chan job)
	order := make(chan chan mapped, 2*workers+2) // the blocks in flight, in file order
	var g errgroup.Group
	g.Go(func() error {
		defer close(jobs)
		defer close(order)
		for {
			block, err := readBlock(r)
			end := err != nil
			if errors.Is(err, io.EOF) {
				err = nil
			}
			out := make(chan mapped, 1)
			select {
			case order <- out:
			case <-ctx.Done():
				return nil
			}
			select {
			case jobs <- job{block, err, out}:
			case <-ctx.Done():
				return nil
			}
			if end {
				return nil
			}
		}
	})
	for range workers {
		g.Go(func() error {
			m := makeMapper()
			cb := newRowBuilder(m.p)
			defer cb.release()
			for j := range jobs {
				res := mapBlock(j.block, m, cb)
				res.err = j.err
				if b := j.block; b.cut >= 0 && res.read != b.cut && res.err == nil {
					res.err = i18n.Errorf("ingest.csv.count_mismatch_block", b.c.path, b.line+1, b.cut, res.read)
				}
				j.out <- res
			}
			return nil
		})
	}
	counts, err := collect(ctx, order, emit)
	cancel()
	g.Wait()
	for out := range order { // blocks mapped after collecting stopped
		select {
		case res := <-out:
			if res.cases != nil {
				res.cases.Release()
			}
		default:
		}
	}
	return counts, err
}

// errStopped says that reading stopped before the end of the file because the consumer of
// its rows or the context asked it to.
var errStopped = errors.New("reading stopped")

// collect takes the mapped blocks in order, emitting their rows, until the last, a read
// error or a stop.
func collect(ctx context.Context, order <-chan chan mapped, emit func(arrow.RecordBatch) bool) (readCounts, error) {
	var counts readCounts
	for {
		var out chan mapped
		select {
		case out = <-order:
		case <-ctx.Done():
			return counts, errStopped
		}
		if out == nil {
			return counts, nil
		}
		var res mapped
		select {
		case res = <-out:
		case <-ctx.Done():
			return counts, errStopped
		}
		counts.Read += res.read
		for f, n := range res.text {
			if counts.Text == nil {
				counts.Text = map[string]runrecord.TextCount{}
			}
			c := counts.Text[f]
			c.Searched += n.Searched
			c.Found += n.Found
			counts.Text[f] = c
		}
		counts.Rejects = append(counts.Rejects, res.rejects...)
		counts.SetAside = append(counts.SetAside, res.aside...)
		if res.cases != nil && !emit(res.cases) {
			return counts, errStopped
		}
		if res.err != nil {
			return counts, res.err
		}
	}
}

// rowStream is an array.RecordReader of the row batches of one file, read on other
// goroutines (readAll) while its consumer takes them, so that DuckDB loads the first batches
// while later ones are mapped, and each batch is freed once loaded.
type rowStream struct {
	schema  *arrow.Schema
	refs    atomic.Int64
	batches chan arrow.RecordBatch // closed after the last, once failed is set
	cur     arrow.RecordBatch
	ended   bool          // Next saw batches closed
	failed  error         // the error that ended reading, for Err
	stop    chan struct{} // closed by the last Release
	done    chan struct{} // closed when reading ended; then counts, err and mapped are set
	counts  readCounts
	err     error
	mapped  time.Time // when the last batch was handed over
}

// streamRows starts reading r as readAll does and returns the stream of its batches of rows
// (of schema, the mapping's).
// The consumer must Release the stream; Wait then gives what reading found.
func streamRows(ctx context.Context, r recordReader, makeMapper func() *mapper, schema *arrow.Schema, workers int) *rowStream {
	s := &rowStream{schema: schema, batches: make(chan arrow.RecordBatch), stop: make(chan struct{}), done: make(chan struct{})}
	s.refs.Store(1)
	go func() {
		defer close(s.done)
		send := func(b arrow.RecordBatch) bool {
			select {
			case s.batches <- b:
				return true
			case <-s.stop:
				b.Release()
				return false
			}
		}
		var g gather
		handOver := func() bool {
			taken := g.take(schema)
			for i, b := range taken {
				if !send(b) {
					for _, rest := range taken[i+1:] {
						rest.Release()
					}
					return false
				}
			}
			return true
		}
		s.counts, s.err = readAll(ctx, r, makeMapper, workers, func(b arrow.RecordBatch) bool {
			select {
			case <-s.stop: // released: Release may be taking batches still, to free them
				b.Release()
				return false
			default:
				return g.add(b) || handOver()
			}
		})
		// The last rows, also those before a read error.
		if g.rows > 0 && !errors.Is(s.err, errStopped) && !handOver() && s.err == nil {
			s.err = errStopped
		}
		g.release()
		s.mapped, s.failed = time.Now(), s.err
		close(s.batches)
	}()
	return s
}

// DuckDB stores each batch of a stream in row groups of its own and merges them afterwards,
// in order: the fewer and larger the batches, the less it spends on each row (storing 6,000-row
// batches, one per block, cost it about 2 CPU µs a row against 1.5 for 50,000-row ones and 1.2
// for 100,000-row ones, BenchmarkProfileHandOff's file). So the batches of consecutive blocks
// are handed over together: handOffBlocks blocks (of up to blockBytes of text each, or
// recordsPerBlock records) or handOffRows rows, whichever comes first. The blocks bound the
// memory this takes: the rows are in Go twice over while gathered, and eight blocks raised the
// benchmark's peak RSS from about 500 to 630 MB (32 blocks: 700–760 MB, for little less CPU).
const (
	handOffRows   = 65536
	handOffBlocks = 8
)

// gather holds the batches of consecutive blocks until they are handed over as one.
type gather struct {
	batches []arrow.RecordBatch
	rows    int64
}

// add takes b and reports whether to wait for more before handing them over.
func (g *gather) add(b arrow.RecordBatch) bool {
	g.batches = append(g.batches, b)
	g.rows += b.NumRows()
	return g.rows < handOffRows && len(g.batches) < handOffBlocks
}

// take returns the batches gathered, of schema, as one (as they are if they cannot be: more
// text than a batch's offsets address), and starts anew. The caller releases them.
func (g *gather) take(schema *arrow.Schema) []arrow.RecordBatch {
	if len(g.batches) <= 1 {
		taken := slices.Clone(g.batches)
		g.batches, g.rows = g.batches[:0], 0
		return taken
	}
	defer g.release()
	cols := make([]arrow.Array, schema.NumFields())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	parts := make([]arrow.Array, len(g.batches))
	for i := range cols {
		for j, b := range g.batches {
			parts[j] = b.Column(i)
		}
		c, err := array.Concatenate(parts, memory.DefaultAllocator)
		if err != nil {
			taken := slices.Clone(g.batches)
			g.batches, g.rows = g.batches[:0], 0
			return taken
		}
		cols[i] = c
	}
	return []arrow.RecordBatch{array.NewRecordBatch(schema, cols, g.rows)}
}

// release frees the batches gathered.
func (g *gather) release() {
	for _, b := range g.batches {
		b.Release()
	}
	g.batches, g.rows = g.batches[:0], 0
}

// Wait waits until reading ended and returns its counts and error (errStopped when the
// consumer released the stream before its end), and when the last batch was handed over.
func (s *rowStream) Wait() (readCounts, time.Time, error) {
	<-s.done
	return s.counts, s.mapped, s.err
}

func (s *rowStream) Schema() *arrow.Schema { return s.schema }

func (s *rowStream) Retain() { s.refs.Add(1) }

// Release frees the current batch and stops reading once the last reference is gone.
func (s *rowStream) Release() {
	if s.refs.Add(-1) > 0 {
		return
	}
	close(s.stop)
	if s.cur != nil {
		s.cur.Release()
		s.cur = nil
	}
	for b := range s.batches { // until reading has stopped
		b.Release()
	}
}

// Next frees the current batch and waits for the next; false after the last or an error.
func (s *rowStream) Next() bool {
	if s.cur != nil {
		s.cur.Release()
		s.cur = nil
	}
	b, ok := <-s.batches
	s.cur, s.ended = b, !ok
	return ok
}

func (s *rowStream) RecordBatch() arrow.RecordBatch { return s.cur }

// Record is RecordBatch, for array.RecordReader.
//
// Deprecated: use RecordBatch.
func (s *rowStream) Record() arrow.RecordBatch { return s.cur }

// Err returns the error that ended reading, once Next has returned false.
func (s *rowStream) Err() error {
	if !s.ended {
		return nil
	}
	return s.failed
}
