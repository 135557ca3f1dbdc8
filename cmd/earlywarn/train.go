package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/internal/textclass"
	"github.com/earlywarn/earlywarn/pipeline"
)

func newTrainCategoryCmd(p i18n.Printer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "train-category",
		Short: p.T("cli.cmd.train_category.short"),
		Long:  p.T("cli.cmd.train_category.long"),
		Example: examples(p,
			"cli.cmd.train_category.example", "earlywarn train-category --input labelled.xlsx --profile cn-message-board-labelled --taxonomy taxonomy.xlsx --out category-model.json"),
	}
	addConfigFlag(cmd, p)
	cmd.Flags().String("input", "", p.T("cli.flag.train_input"))
	cmd.Flags().String("profile", "", p.T("cli.flag.profile"))
	cmd.Flags().String("lang", "", p.T("cli.flag.lang.messages"))
	cmd.Flags().String("out", "category-model.json", p.T("cli.flag.model_out"))
	cmd.Flags().String("taxonomy", "", p.T("cli.flag.taxonomy"))
	def := textclass.DefaultOptions()
	cmd.Flags().String("model", def.Kind, p.T("cli.flag.model_kind"))
	cmd.Flags().String("ngrams", fmt.Sprintf("%d-%d", def.Features.MinN, def.Features.MaxN), p.T("cli.flag.ngrams"))
	cmd.Flags().Int("min-df", def.Features.MinDF, p.T("cli.flag.min_df"))
	cmd.Flags().Int("folds", 5, p.T("cli.flag.folds"))
	cmd.Flags().Uint64("seed", 1, p.T("cli.flag.seed"))
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		opts, err := trainOptions(cmd)
		if err != nil {
			return err
		}
		cfg, err := loadConfig(cmd, map[string]string{"input": "input", "profile": "profile", "lang": "lang"})
		if err != nil {
			return err
		}
		cfg.Text.CategoryModel = "" // the model being trained is not read
		plan, err := pipeline.Prepare(cmd.Context(), cfg)
		if err != nil {
			return err
		}
		opts.Reporter = newStepReporter(cmd.ErrOrStderr(), cfg.Lang)
		res, err := pipeline.TrainCategory(cmd.Context(), plan, opts)
		if err != nil {
			return err
		}
		opts.Reporter.(*stepReporter).done()
		return printTraining(cmd.OutOrStdout(), cfg.Lang, opts, res)
	}
	return cmd
}

// trainOptions reads the training flags.
func trainOptions(cmd *cobra.Command) (pipeline.TrainOptions, error) {
	f := cmd.Flags()
	var o pipeline.TrainOptions
	o.Out, _ = f.GetString("out")
	o.Taxonomy, _ = f.GetString("taxonomy")
	o.Folds, _ = f.GetInt("folds")
	o.Seed, _ = f.GetUint64("seed")
	o.Model = textclass.DefaultOptions()
	o.Model.Kind, _ = f.GetString("model")
	o.Model.Features.MinDF, _ = f.GetInt("min-df")
	if !slices.Contains(textclass.Kinds, o.Model.Kind) {
		return o, usageErrorf("cli.bad_model_kind", o.Model.Kind, strings.Join(textclass.Kinds, ", "))
	}
	if o.Model.Kind == textclass.NaiveBayes {
		o.Model.Features.Weighting = textclass.WeightRaw
	}
	ngrams, _ := f.GetString("ngrams")
	lo, hi, ok := strings.Cut(ngrams, "-")
	minN, err1 := strconv.Atoi(lo)
	maxN, err2 := strconv.Atoi(hi)
	if !ok || err1 != nil || err2 != nil || minN < 1 || maxN < minN || maxN > 8 {
		return o, usageErrorf("cli.bad_ngrams", ngrams)
	}
	o.Model.Features.MinN, o.Model.Features.MaxN = minN, maxN
	if o.Folds < 2 || o.Folds > 20 {
		return o, usageErrorf("cli.bad_folds", o.Folds)
	}
	if o.Model.Features.MinDF < 1 {
		return o, usageErrorf("cli.bad_min_df", o.Model.Features.MinDF)
	}
	return o, nil
}

// printTraining prints the classes and their counts, the cross-validation's figures per class
// and overall, the confidence's coverage and precision at a few thresholds, and the model file.
func printTraining(w io.Writer, lang string, o pipeline.TrainOptions, res *pipeline.TrainResult) error {
	p := i18n.Printer(lang)
	fmt.Fprintln(w, p.T("cli.train.examples", res.Examples, len(res.Eval.Classes), res.Unlabelled))
	if res.Terms > 0 {
		fmt.Fprintln(w, p.T("cli.train.taxonomy", o.Taxonomy, res.Terms))
	}
	fmt.Fprintln(w, p.T("cli.train.cv", o.Folds, o.Seed, o.Model.Kind, o.Model.Features.MinN, o.Model.Features.MaxN))
	fmt.Fprintln(w, p.T("cli.train.header"))
	for _, c := range res.Eval.Classes {
		fmt.Fprintln(w, p.T("cli.train.class", c.Class, c.Examples, c.Predicted, c.Precision, c.Recall, c.F1))
	}
	fmt.Fprintln(w, p.T("cli.train.macro", res.Eval.MacroF1, res.Eval.Accuracy))
	fmt.Fprintln(w, p.T("cli.train.temperature", res.Model.Temperature))
	for _, th := range []float64{0.3, 0.5, 0.7, 0.9} {
		cover, prec := res.Eval.AtConfidence(res.Labels, th)
		fmt.Fprintln(w, p.T("cli.train.confidence", th, 100*cover, 100*prec))
	}
	b, err := os.ReadFile(o.Out)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(b)
	fmt.Fprintln(w, p.T("cli.train.written", o.Out, res.Size/1024, hex.EncodeToString(sum[:])[:12]))
	return nil
}
