package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/internal/i18n"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/earlywarn/earlywarn/pipeline"
)

// Exit codes; each command's help repeats this table.
const (
	exitOK      = 0 // success
	exitUsage   = 2 // bad flags or arguments, or a config that does not validate
	exitFailure = 3 // the job failed: unreadable input, database error, …; no partial run is stored
	exitLocked  = 4 // another process holds the database; try again later
)

const exitStatusHelp = `
EXIT STATUS
  0  success
  2  bad flags or arguments, or a config that does not validate
  3  the job failed (missing or unreadable input, database error); no partial run is stored
  4  another process holds the database; try again when it has finished`

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// usageError is a mistake in how the command was called.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// Run runs the earlywarn command line with args (without the program name) and returns the exit
// code. Every error is printed once, to stderr, prefixed "earlywarn: ".
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	root.SetIn(stdin)
	lang := initialLang(args)
	err := root.ExecuteContext(context.WithValue(ctx, langKey{}, &lang))
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "earlywarn: "+strings.ReplaceAll(i18n.Localize(lang, err), "\n", "\n  "))
	return exitCode(err)
}

// langKey holds, in a command's context, a pointer to the language errors print in: --lang or
// EARLYWARN_LANG until the config loads, then the config's (setLang).
type langKey struct{}

// initialLang is the language of errors before the config is loaded: --lang, else
// EARLYWARN_LANG, else the default.
func initialLang(args []string) string {
	for i, a := range args {
		switch {
		case a == "--lang" && i+1 < len(args) && i18n.Supported(args[i+1]):
			return args[i+1]
		case strings.HasPrefix(a, "--lang=") && i18n.Supported(strings.TrimPrefix(a, "--lang=")):
			return strings.TrimPrefix(a, "--lang=")
		}
	}
	if env := os.Getenv("EARLYWARN_LANG"); i18n.Supported(env) {
		return env
	}
	return i18n.Default
}

// setLang makes lang the language of the command's errors.
func setLang(ctx context.Context, lang string) {
	if p, ok := ctx.Value(langKey{}).(*string); ok && i18n.Supported(lang) {
		*p = lang
	}
}

func exitCode(err error) int {
	var usage *usageError
	var pcfg *pipeline.ConfigError
	switch {
	case errors.As(err, &usage), configs.IsConfigError(err), errors.As(err, &pcfg):
		return exitUsage
	case errors.Is(err, pipeline.ErrLocked):
		return exitLocked
	}
	return exitFailure
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "earlywarn",
		Short: "Screen petition records every night and write a watchlist of matters to resolve",
		Long: `earlywarn loads a letters-and-visits office's case, contact and event records into an
embedded DuckDB file, flags repeat visits, group-petition signals and long-stalled cases with
rules from a YAML config, and writes a watchlist of matters (not people) for leaders to resolve.` + exitStatusHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{msg: err.Error()} })
	root.AddCommand(newRunCmd(), newGenCmd(), newValidateCmd(), newBacktestCmd(), newServeCmd(), newHashPasswordCmd())
	for _, c := range root.Commands() {
		c.Long = strings.TrimSpace(c.Long) + "\n" + exitStatusHelp
		c.SilenceUsage = true
		c.Args = noArgs
	}
	return root
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf("%s takes no arguments, got %q; see earlywarn %s --help", cmd.Name(), args, cmd.Name())
	}
	return nil
}

// addConfigFlag adds --config to a command.
func addConfigFlag(cmd *cobra.Command) {
	cmd.Flags().String("config", "configs/default.yaml", "config file (built-in default when this path does not exist and the flag is not given)")
}

// isTerminal reports whether w is a terminal; progress is shown only there.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
