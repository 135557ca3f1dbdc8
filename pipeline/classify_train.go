package pipeline

import (
	"context"
	"database/sql"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/internal/textclass"
)

// TrainOptions are what TrainCategory trains on and how.
type TrainOptions struct {
	Out      string // the model file to write
	Taxonomy string // the office's category scheme (xlsx or UTF-8 csv), "" for none
	Model    textclass.Options
	Folds    int
	Seed     uint64
	Reporter Reporter // nil for none
}

// TrainResult is what TrainCategory learnt and measured.
type TrainResult struct {
	Model      *textclass.Model
	Size       int64 // bytes of the model file written
	Examples   int   // labelled texts trained on
	Unlabelled int   // loaded cases left out: no content, or a category meaning none
	Terms      int   // texts the category scheme added to each training
	Eval       *textclass.Evaluation
	Labels     []string // the true labels of Eval's predictions
}

// TrainCategory trains a category classifier on the office's labelled history: the input the
// plan's config names is loaded, through its profile, into a scratch database as a run would
// load it, and each case's content is a text labelled with its category (cases whose category
// is empty or one of text.unknown_categories are left out). The category scheme's level-2 and
// level-3 terms, when given, are more texts of their level-1 category (only of the categories
// the cases have). It cross-validates (stratified, seeded), fits the confidence's temperature
// to the out-of-fold predictions, trains on everything and writes the model file.
func TrainCategory(ctx context.Context, plan *Plan, opts TrainOptions) (*TrainResult, error) {
	cfg := plan.Config
	rep := orQuiet(opts.Reporter)
	rep.Step("run.step.inputs")
	all, err := loadLabelled(ctx, plan)
	if err != nil {
		return nil, err
	}
	res := &TrainResult{}
	var data textclass.Set
	unknown := cfg.Text.Unknown()
	for i, t := range all.Texts {
		if strings.TrimSpace(t) == "" || slices.Contains(unknown, all.Labels[i]) {
			res.Unlabelled++
			continue
		}
		data.Add(t, all.Labels[i])
	}
	res.Examples, res.Labels = len(data.Texts), data.Labels
	classes := slices.Compact(slices.Sorted(slices.Values(data.Labels)))
	if len(classes) < 2 {
		return nil, i18n.Errorf("train.err.classes", len(data.Texts), len(classes), len(all.Texts))
	}
	for _, n := range textclassCounts(data.Labels) {
		if n < opts.Folds {
			return nil, i18n.Errorf("train.err.few", opts.Folds)
		}
	}
	var extra textclass.Set
	if opts.Taxonomy != "" {
		if extra, err = readTaxonomy(opts.Taxonomy, classes); err != nil {
			return nil, err
		}
	}
	res.Terms = len(extra.Texts)
	res.Eval, err = textclass.CrossValidate(data, extra, opts.Model, opts.Folds, opts.Seed, func(fold int) {
		rep.Step("train.step.fold", fold, opts.Folds)
	})
	if err != nil {
		return nil, err
	}
	temperature := res.Eval.Calibrate()
	rep.Step("train.step.train", len(data.Texts)+len(extra.Texts))
	res.Model, err = textclass.Train(append(data.Texts, extra.Texts...), append(data.Labels, extra.Labels...), opts.Model)
	if err != nil {
		return nil, err
	}
	res.Model.Temperature = float32(temperature)
	res.Size, err = writeModel(opts.Out, res.Model)
	return res, err
}

// textclassCounts counts the texts of each label.
func textclassCounts(labels []string) map[string]int {
	n := map[string]int{}
	for _, l := range labels {
		n[l]++
	}
	return n
}

// loadLabelled loads the plan's input into a scratch database, as a run would, and returns
// every case's content and category.
func loadLabelled(ctx context.Context, plan *Plan) (textclass.Set, error) {
	var set textclass.Set
	err := withScratchLoad(ctx, plan, "train", func(q *sql.Conn) error {
		return db.Query(ctx, q, labelledCasesSQL, nil, func(rows *sql.Rows) error {
			var text, label string
			if err := rows.Scan(&text, &label); err != nil {
				return err
			}
			set.Add(text, label)
			return nil
		})
	})
	return set, err
}

// withScratchLoad loads the plan's input, as a run would, into a scratch database that is
// removed afterwards (the production database is not touched) and calls read with it.
func withScratchLoad(ctx context.Context, plan *Plan, name string, read func(*sql.Conn) error) error {
	scratch, err := os.MkdirTemp("", "earlywarn-"+name+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(scratch)
	path := filepath.Join(scratch, name+".duckdb")
	ses, err := plan.open(ctx, path, nil, runDay(time.Time{}, plan.Config.TimeZone))
	if err != nil {
		return err
	}
	defer ses.close(ctx)
	if err := ses.createSchema(ctx, path); err != nil {
		return err
	}
	if _, _, err := load(ctx, ses.conn, name, ses.inputs, nil, 1, plan.Config.Linking, nil); err != nil {
		return err
	}
	return read(ses.conn)
}

// readTaxonomy reads an office's category scheme: a sheet (xlsx, the first) or UTF-8 CSV
// whose columns are levels 1, 2 and 3 (by the headers 一级分类, 二级分类, 三级分类, else the
// first three columns). Each row of a level-1 category among classes is a text, its level-2
// and level-3 terms, labelled with that category.
func readTaxonomy(path string, classes []string) (textclass.Set, error) {
	var rows [][]string
	var err error
	if strings.EqualFold(filepath.Ext(path), ".xlsx") {
		rows, err = xlsxRows(path)
	} else {
		rows, err = csvRows(path)
	}
	var set textclass.Set
	if err != nil {
		return set, i18n.Wrap(err, "train.err.taxonomy", path)
	}
	if len(rows) == 0 {
		return set, i18n.Errorf("train.err.taxonomy_empty", path)
	}
	col := []int{0, 1, 2}
	for i, h := range []string{"一级分类", "二级分类", "三级分类"} {
		if j := slices.Index(rows[0], h); j >= 0 {
			col[i] = j
		}
	}
	cell := func(r []string, i int) string {
		if col[i] < len(r) {
			return strings.TrimSpace(r[col[i]])
		}
		return ""
	}
	for _, r := range rows[1:] {
		if c := cell(r, 0); slices.Contains(classes, c) {
			if t := strings.TrimSpace(cell(r, 1) + " " + cell(r, 2)); t != "" {
				set.Add(t, c)
			}
		}
	}
	if len(set.Texts) == 0 {
		return set, i18n.Errorf("train.err.taxonomy_none", path, strings.Join(classes, "、"))
	}
	return set, nil
}

func xlsxRows(path string) ([][]string, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.GetRows(f.GetSheetName(0))
}

func csvRows(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		rows = append(rows, rec)
	}
}

// writeModel writes the model file under a temporary name and renames it into place, and
// returns its size.
func writeModel(path string, m *textclass.Model) (int64, error) {
	return writeFileAtomic(path, "train.err.write", func(w io.Writer) error { return m.Save(w) })
}

// writeFileAtomic writes a file beside path under a temporary name and renames it into place,
// so that path is either as it was or whole; it returns the bytes written. An error is wrapped
// with the catalogue's errKey (its one argument the path).
func writeFileAtomic(path, errKey string, write func(io.Writer) error) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return 0, i18n.Wrap(err, errKey, path)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return 0, i18n.Wrap(err, errKey, path)
	}
	st, err := tmp.Stat()
	if err == nil {
		err = tmp.Close()
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return 0, i18n.Wrap(err, errKey, path)
	}
	return st.Size(), nil
}
