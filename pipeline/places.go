package pipeline

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/internal/places"
	"github.com/earlywarn/earlywarn/rules"
)

// placesVersion names what the extraction finds; changing it (with package internal/places or
// with what is stored) makes the next run read every text again.
const placesVersion = "places-3"

// Place extraction reads placesChunk texts at a time with placesWorkers workers.
const (
	placesChunk   = 20000
	placesWorkers = 2
)

// placeReader is the extraction a plan runs before screening: the extractor with the config's
// gazetteer, and the salt of the texts' hashes (the version and the gazetteer's digest).
type placeReader struct {
	ex   *places.Extractor
	salt string
}

// newPlaceReader builds the extraction when an enabled rule needs places (rules.Needs.Places),
// reading the gazetteer text.gazetteer names (relative to the config file); nil when no rule
// needs it. A gazetteer that cannot be read is a problem of the config, at its key's line.
func newPlaceReader(cfg configs.Config, rs []*rules.Rule) (*placeReader, error) {
	need := false
	for _, r := range rs {
		need = need || r.Enabled() && r.Needs().Places
	}
	if !need {
		return nil, nil
	}
	entries, text, err := readGazetteer(cfg)
	if err != nil {
		return nil, err
	}
	digest := sha256.Sum256(text)
	ex, err := places.New(entries)
	if err != nil {
		var ee *places.EntryError
		if errors.As(err, &ee) {
			return nil, gazetteerError(cfg, i18n.M("config.gazetteer_entry", cfg.Beside(cfg.Text.Gazetteer), ee.Index+2,
				i18n.M("config.gazetteer_reason."+string(ee.Reason), ee.Name)))
		}
		return nil, err
	}
	return &placeReader{ex: ex, salt: placesVersion + "\x1f" + hex.EncodeToString(digest[:]) + "\x1f"}, nil
}

// readGazetteer reads the gazetteer text.gazetteer names (relative to the config file), with its
// bytes; none when it names none. A gazetteer that cannot be read is a problem of the config, at
// its key's line.
func readGazetteer(cfg configs.Config) ([]places.Entry, []byte, error) {
	name := cfg.Text.Gazetteer
	if name == "" {
		return nil, nil, nil
	}
	path := cfg.Beside(name)
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, gazetteerError(cfg, i18n.M("config.gazetteer_unreadable", path, err))
	}
	entries, err := places.ReadGazetteer(strings.NewReader(string(b)))
	if err != nil {
		var ge *places.GazetteerError
		if errors.As(err, &ge) {
			return nil, nil, gazetteerError(cfg, i18n.M("config.gazetteer_line", path, ge.Line,
				i18n.M("config.gazetteer_reason."+string(ge.Reason), ge.Value)))
		}
		return nil, nil, gazetteerError(cfg, i18n.M("config.gazetteer_unreadable", path, err))
	}
	return entries, b, nil
}

func gazetteerError(cfg configs.Config, msg i18n.Message) error {
	return &ConfigError{Err: cfg.Locate(configs.Fieldf("text.gazetteer", "config.gazetteer", msg))}
}

// extract reads the places of every case whose text is new or changed since it was last read
// (or was read with another version or gazetteer) into case_places, placesChunk texts at a time
// on placesWorkers workers, fetching the next chunk as they read one. It returns how many texts
// it read.
func (pr *placeReader) extract(ctx context.Context, q *sql.Conn) (int64, error) {
	if _, err := q.ExecContext(ctx, placesTodoSQL, sql.Named("salt", pr.salt)); err != nil {
		return 0, err
	}
	type chunk struct{ from, to int64 }
	chunks, err := db.Collect(ctx, q, placesCountSQL, []any{sql.Named("chunk", placesChunk)},
		func(rows *sql.Rows) (chunk, error) {
			var c chunk
			err := rows.Scan(&c.from, &c.to)
			return c, err
		})
	if err != nil {
		return 0, err
	}
	if err := db.Exec(ctx, q, placesClearSQL); err != nil {
		return 0, err
	}
	// While the workers read one chunk's texts, the connection fetches the next chunk's; then,
	// while the workers read that one, it appends what they found in the first.
	type batch struct {
		texts []text
		found [][]caseMention
		done  sync.WaitGroup
	}
	start := func(texts []text) *batch {
		b := &batch{texts: texts, found: make([][]caseMention, len(texts))}
		for w := range placesWorkers {
			b.done.Add(1)
			go func() {
				defer b.done.Done()
				for i := w; i < len(texts); i += placesWorkers {
					b.found[i] = pr.mentions(texts[i].content)
				}
			}()
		}
		return b
	}
	store := func(b *batch) error {
		b.done.Wait()
		return storePlaces(ctx, q, b.texts, b.found)
	}
	var todo int64
	var pending *batch
	for _, c := range chunks {
		texts, err := db.Collect(ctx, q, placesChunkSQL, []any{sql.Named("from", c.from), sql.Named("to", c.to), sql.Named("salt", pr.salt)},
			func(rows *sql.Rows) (text, error) {
				var t text
				err := rows.Scan(&t.r, &t.caseID, &t.content, &t.hash)
				return t, err
			})
		if err != nil {
			if pending != nil {
				pending.done.Wait()
			}
			return 0, err
		}
		todo += int64(len(texts))
		next := start(texts)
		if pending != nil {
			if err := store(pending); err != nil {
				next.done.Wait()
				return 0, err
			}
		}
		pending = next
	}
	if pending != nil {
		if err := store(pending); err != nil {
			return 0, err
		}
	}
	return todo, db.Exec(ctx, q, placesDoneSQL)
}

// text is a case's text to read for places, and the hash its places are stored with.
type text struct {
	r               int64 // row in cases and places_todo
	caseID, content string
	hash            uint64
}

// placesSchema is case_places' columns, as storePlaces hands them to DuckDB.
var placesSchema = arrow.NewSchema([]arrow.Field{
	{Name: "case_id", Type: arrow.BinaryTypes.String},
	{Name: "ord", Type: arrow.PrimitiveTypes.Int32}, {Name: "key", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true}, {Name: "kind", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "context", Type: arrow.BinaryTypes.String, Nullable: true}, {Name: "in_subject", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "written", Type: arrow.BinaryTypes.String, Nullable: true}, {Name: "text_hash", Type: arrow.PrimitiveTypes.Uint64},
}, nil)

// placeRows calls row with each row of case_places that texts make (found[i] in texts[i]): a
// mention in the order written (ord 1, 2, …), and for a text that names none one row with ord 0
// and no mention (m nil).
func placeRows(texts []text, found [][]caseMention, row func(t *text, ord int32, m *caseMention) error) error {
	for i := range texts {
		if len(found[i]) == 0 {
			if err := row(&texts[i], 0, nil); err != nil {
				return err
			}
		}
		for j := range found[i] {
			if err := row(&texts[i], int32(j+1), &found[i][j]); err != nil {
				return err
			}
		}
	}
	return nil
}

// storePlaces appends to case_places the rows texts make (placeRows): as one Arrow record batch,
// or without the duckdb_arrow build tag through the appender.
func storePlaces(ctx context.Context, q *sql.Conn, texts []text, found [][]caseMention) error {
	if !db.ArrowAvailable {
		return rules.Append(q, "", "case_places", func(add func(...driver.Value) error) error {
			return placeRows(texts, found, func(t *text, ord int32, m *caseMention) error {
				if m == nil {
					return add(t.caseID, ord, nil, nil, nil, nil, nil, nil, t.hash)
				}
				return add(t.caseID, ord, m.Key, m.Name, string(m.Kind), nullable(m.Context), m.inSubject, nullable(m.written), t.hash)
			})
		})
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, placesSchema)
	defer b.Release()
	caseID, ord := b.Field(0).(*array.StringBuilder), b.Field(1).(*array.Int32Builder)
	key, name, kind := b.Field(2).(*array.StringBuilder), b.Field(3).(*array.StringBuilder), b.Field(4).(*array.StringBuilder)
	placeContext, inSubject := b.Field(5).(*array.StringBuilder), b.Field(6).(*array.BooleanBuilder)
	written, hash := b.Field(7).(*array.StringBuilder), b.Field(8).(*array.Uint64Builder)
	optional := func(sb *array.StringBuilder, s string) {
		if s == "" {
			sb.AppendNull()
		} else {
			sb.Append(s)
		}
	}
	_ = placeRows(texts, found, func(t *text, n int32, m *caseMention) error {
		caseID.Append(t.caseID)
		hash.Append(t.hash)
		ord.Append(n)
		if m == nil {
			for _, sb := range []*array.StringBuilder{key, name, kind, placeContext, written} {
				sb.AppendNull()
			}
			inSubject.AppendNull()
			return nil
		}
		key.Append(m.Key)
		name.Append(m.Name)
		kind.Append(string(m.Kind))
		optional(placeContext, m.Context)
		inSubject.Append(m.inSubject)
		optional(written, m.written)
		return nil
	})
	rec := b.NewRecordBatch()
	defer rec.Release()
	rr, err := array.NewRecordReader(placesSchema, []arrow.RecordBatch{rec})
	if err != nil {
		return err
	}
	return db.FromArrow(ctx, q, placesNewView, rr, placesStoreSQL)
}

// caseMention is a mention, whether it is on the text's first line, and how the text writes it
// when that is not its Name ("" when it is).
type caseMention struct {
	places.Mention
	inSubject bool
	written   string
}

func (pr *placeReader) mentions(text string) []caseMention {
	subject := len(text)
	if i := strings.IndexByte(text, '\n'); i >= 0 {
		subject = i
	}
	ms := pr.ex.Extract(text)
	out := make([]caseMention, len(ms))
	for i, m := range ms {
		out[i] = caseMention{Mention: m, inSubject: m.Start < subject}
		// A name found by its suffix is as written; one of the gazetteer may be an alias.
		if !m.Gazetteer {
			continue
		}
		if w := places.Normalise(text[m.Start:m.End]); w != m.Name {
			out[i].written = w
		}
	}
	return out
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
