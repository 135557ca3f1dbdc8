package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/db"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/internal/textclass"
	"github.com/earlywarn/earlywarn/pipeline/runrecord"
	"github.com/earlywarn/earlywarn/rules"
)

// categoryModel is the config's category classifier (text.category_model), read once by
// Prepare.
type categoryModel struct {
	model  *textclass.Model
	path   string // as the config resolves it
	sha256 string // of the file
}

// The keys a classification adds to a case's found_in_text, beside "category" (the words the
// prediction rests on, when it replaced the category).
const (
	foundCategoryClass      = "category_class"      // the class predicted
	foundCategoryConfidence = "category_confidence" // its confidence, 0.00 to 1.00
	foundCategoryModel      = "category_model"      // the first 12 hex digits of the model file's SHA-256
)

// loadCategoryModel reads the model file the config names (relative to the config file); nil
// when it names none. A missing, unreadable or foreign file, or one of another version, is a
// config error that says what to do, at the key's line.
func loadCategoryModel(cfg configs.Config) (*categoryModel, error) {
	name := cfg.Text.CategoryModel
	if name == "" {
		return nil, nil
	}
	path := cfg.Beside(name)
	fail := func(key string, args ...any) error {
		return &ConfigError{Err: cfg.Locate(configs.Fieldf("text.category_model", key, append([]any{path}, args...)...))}
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fail("config.category_model.missing")
	} else if err != nil {
		return nil, fail("config.category_model.unreadable", err)
	}
	m, err := textclass.Load(bytes.NewReader(b))
	var version *textclass.VersionError
	var corrupt *textclass.CorruptError
	switch {
	case errors.As(err, &version):
		return nil, fail("config.category_model.version", version.Got, version.Want)
	case errors.As(err, &corrupt):
		return nil, fail("config.category_model.corrupt", corrupt.Reason)
	case err != nil:
		return nil, fail("config.category_model.not_model")
	}
	sum := sha256.Sum256(b)
	return &categoryModel{model: m, path: path, sha256: hex.EncodeToString(sum[:])}, nil
}

// classifyBatch is how many cases classifyCategories reads from the database at a time.
const classifyBatch = 4096

// pendingCase is a case the classifier has to classify, and what it decided.
type pendingCase struct {
	id, content, found string
	category           any // the new category, nil to leave it
}

// classifyCategories gives each case loaded with its category empty or one of text's unknown
// categories, and not classified before, the category cm predicts from its content when the
// prediction's confidence is at least text.CategoryMinConfidence, and records in its
// found_in_text the class, the confidence, the model and (when the category was replaced) the
// words the prediction rests on. A case is classified once: a case classified before is not
// classified again, by this model or another, until a file replaces it. It runs on every core.
func classifyCategories(ctx context.Context, q *sql.Conn, cm *categoryModel, text configs.Text, rep Reporter) (*runrecord.Categories, error) {
	res := &runrecord.Categories{Model: cm.path, SHA256: cm.sha256, MinConfidence: text.CategoryMinConfidence, Classified: map[string]int64{}}
	rep.Step("run.step.classify", cm.path)
	if err := db.Exec(ctx, q, classifyTableSQL); err != nil {
		return nil, err
	}
	unknown := make([]any, 0, len(text.Unknown()))
	for _, u := range text.Unknown() {
		unknown = append(unknown, strings.TrimSpace(u))
	}
	for after := ""; ; {
		batch, err := db.Collect(ctx, q, classifyPendingSQL, []any{
			sql.Named("unknown", unknown), sql.Named("after", after), sql.Named("limit", classifyBatch),
		}, func(rows *sql.Rows) (pendingCase, error) {
			var c pendingCase
			err := rows.Scan(&c.id, &c.content, &c.found)
			return c, err
		})
		if err != nil {
			return nil, i18n.Wrap(err, "run.err.classify")
		}
		if len(batch) == 0 {
			break
		}
		if err := cm.classify(batch, text.CategoryMinConfidence, res); err != nil {
			return nil, err
		}
		err = rules.AppendTemp(q, classifiedTable, func(add func(...driver.Value) error) error {
			for _, c := range batch {
				if err := add(c.id, c.category, c.found); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, i18n.Wrap(err, "run.err.classify")
		}
		after = batch[len(batch)-1].id
	}
	if err := db.Exec(ctx, q, classifyApplySQL); err != nil {
		return nil, i18n.Wrap(err, "run.err.classify")
	}
	return res, db.DropTemp(ctx, q, classifiedTable)
}

// classify decides the cases of batch, on every core, and counts the decisions into res.
func (cm *categoryModel) classify(batch []pendingCase, minConfidence float64, res *runrecord.Categories) error {
	var wg sync.WaitGroup
	errs := make([]error, runtime.GOMAXPROCS(0))
	for w := range errs {
		wg.Go(func() {
			for i := w; i < len(batch); i += len(errs) {
				if errs[w] = cm.decide(&batch[i], minConfidence); errs[w] != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for _, c := range batch {
		if c.category == nil {
			res.Uncertain++
		} else {
			res.Classified[c.category.(string)]++
		}
	}
	return nil
}

// decide classifies one case: its new category (nil when the prediction is not confident
// enough) and its found_in_text with the classification added.
func (cm *categoryModel) decide(c *pendingCase, minConfidence float64) error {
	p := cm.model.Predict(c.content)
	found := map[string]string{}
	if c.found != "" {
		if err := json.Unmarshal([]byte(c.found), &found); err != nil {
			return i18n.Wrap(err, "run.err.found_in_text", c.id)
		}
	}
	found[foundCategoryClass] = p.Class
	found[foundCategoryConfidence] = strconv.FormatFloat(p.Confidence, 'f', 2, 64)
	found[foundCategoryModel] = cm.sha256[:12]
	if p.Confidence >= minConfidence {
		c.category = p.Class
		if len(p.Words) > 0 {
			found["category"] = strings.Join(p.Words, "、")
		}
	}
	b, err := json.Marshal(found) // keys sorted: the same decision, the same text
	c.found = string(b)
	return err
}
