package pipeline

import (
	"context"
	"database/sql"
	"io"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/internal/places"
)

// placeTextRows is how many cases' rows LearnPlaces reads at once (a variable for tests).
var placeTextRows int64 = 50_000

// LearnPlacesOptions are where LearnPlaces writes and what it takes for a place.
type LearnPlacesOptions struct {
	Out      string   // the gazetteer file to write
	MinCount int      // texts a name must be written in with its suffix; 0 means 2
	Reporter Reporter // nil for none
}

// LearnPlacesResult is what LearnPlaces read and wrote.
type LearnPlacesResult struct {
	Texts  int            // texts read
	Known  int            // entries of the config's gazetteer, written first as they were
	Learnt []places.Entry // the entries learnt, written after them
	Bare   int            // learnt entries with a shorter form of their name among their aliases
	Size   int64          // bytes written
}

// LearnPlaces proposes a gazetteer from the office's own texts: the input the plan's config
// names is loaded, through its profile, into a scratch database as a run would load it, and
// places.Learn reads every case's text for the places named with their suffix in at least
// MinCount texts, with their other spellings and, when distinctive, their bare names (梅溪青秀
// for 梅溪青秀小区). It writes the config's gazetteer (text.gazetteer), unchanged, then the
// learnt entries (none that the gazetteer already names), as one gazetteer file to review and
// name in text.gazetteer: a run then finds those places where they are written bare, and a
// message about 梅溪青秀 counts for 梅溪青秀小区. The same input and gazetteer always give the same
// file.
func LearnPlaces(ctx context.Context, plan *Plan, opts LearnPlacesOptions) (*LearnPlacesResult, error) {
	rep := orQuiet(opts.Reporter)
	if st, err := os.Stat(opts.Out); err == nil && st.IsDir() {
		return nil, i18n.Errorf("learn.err.out_dir", opts.Out, filepath.Join(opts.Out, "gazetteer.csv"))
	}
	if err := os.MkdirAll(filepath.Dir(opts.Out), 0o755); err != nil {
		return nil, i18n.Wrap(err, "learn.err.write", opts.Out)
	}
	known, _, err := readGazetteer(plan.Config)
	if err != nil {
		return nil, err
	}
	res := &LearnPlacesResult{Known: len(known)}
	rep.Step("run.step.inputs")
	err = withScratchLoad(ctx, plan, "learn", func(q *sql.Conn) error {
		var qerr error
		var last int64
		if err := q.QueryRowContext(ctx, placeTextsLastSQL).Scan(&last); err != nil {
			return err
		}
		// Learn ranges over the texts twice (extracting, then counting bare names): each pass
		// reads them from the database, placeTextRows rows at a time, so that they are not all
		// held at once.
		passes := 0
		texts := iter.Seq[string](func(yield func(string) bool) {
			passes++
			rep.Step("learn.step.pass", passes)
			n, stop := 0, false
			for _, rg := range db.RowRanges(0, last, placeTextRows) {
				if stop {
					break
				}
				err := db.Query(ctx, q, placeTextsSQL, []any{sql.Named("from", rg[0]), sql.Named("to", rg[1])},
					func(rows *sql.Rows) error {
						var t string
						if err := rows.Scan(&t); err != nil {
							return err
						}
						n++
						if !stop {
							stop = !yield(t)
						}
						return nil
					})
				if err != nil && qerr == nil {
					qerr = err
				}
			}
			res.Texts = n
		})
		res.Learnt = places.Learn(texts, places.LearnOptions{MinCount: opts.MinCount, Known: known})
		return qerr
	})
	if err != nil {
		return nil, err
	}
	if res.Texts == 0 {
		return nil, i18n.Errorf("learn.err.no_texts")
	}
	for _, e := range res.Learnt {
		if HasShortName(e) {
			res.Bare++
		}
	}
	all := append(slices.Clone(known), res.Learnt...)
	if _, err := places.New(all); err != nil {
		return nil, err // Learn leaves out what the gazetteer names: a bug if reached
	}
	res.Size, err = writeFileAtomic(opts.Out, "learn.err.write", func(w io.Writer) error {
		return places.WriteGazetteer(w, all)
	})
	return res, err
}

// HasShortName reports whether a gazetteer entry has a shorter form of its name among its
// aliases (梅溪青秀 of 梅溪青秀小区).
func HasShortName(e places.Entry) bool {
	return slices.ContainsFunc(e.Aliases, func(a string) bool { return len(a) < len(e.Name) && strings.Contains(e.Name, a) })
}
