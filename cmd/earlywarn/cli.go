package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/earlywarn/earlywarn/configs"
	"github.com/earlywarn/earlywarn/data/synth"
	"github.com/earlywarn/earlywarn/internal/i18n"
	"github.com/earlywarn/earlywarn/pipeline"
)

// Exit codes; each command's help repeats this table (cli.help.exit_status).
const (
	exitOK      = 0 // success
	exitUsage   = 2 // bad flags or arguments, or a config that does not validate
	exitFailure = 3 // the job failed: unreadable input, database error, …; no partial run is stored
	exitLocked  = 4 // another process holds the database; try again later
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// usageError is a mistake in how the command was called: a catalogue message and its arguments.
type usageError struct {
	key  string
	args []any
}

func (e *usageError) Error() string { return e.Localize(i18n.Default) }

// Localize renders the error in lang; arguments that are errors are rendered in lang too.
func (e *usageError) Localize(lang string) string {
	return i18n.T(lang, e.key, localizeArgs(lang, e.args)...)
}

// usageErrorf makes a usageError from the catalogue message key and its arguments.
func usageErrorf(key string, args ...any) error { return &usageError{key: key, args: args} }

// localizeArgs renders the errors among args in lang.
func localizeArgs(lang string, args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if err, ok := a.(error); ok {
			a = i18n.Localize(lang, err)
		}
		out[i] = a
	}
	return out
}

// Run runs the earlywarn command line with args (without the program name) and returns the exit
// code. Every error is printed once, to stderr, prefixed "earlywarn: ".
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	lang := initialLang(args)
	root := newRootCmd(stdout, stderr, lang)
	root.SetArgs(args)
	root.SetIn(stdin)
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

// initialLang is the language of the help and of errors before the config is loaded: --lang,
// else EARLYWARN_LANG, else the default.
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

// currentLang is the language of the command's errors (see langKey).
func currentLang(ctx context.Context) string {
	if p, ok := ctx.Value(langKey{}).(*string); ok && p != nil {
		return *p
	}
	return i18n.Default
}

// messageLang is the language of a command that reads no config (gen, hash-password): --lang,
// else EARLYWARN_LANG, else the default. A --lang the catalogue lacks is a usage error.
func messageLang(cmd *cobra.Command) (i18n.Printer, error) {
	if f := cmd.Flags().Lookup("lang"); f != nil && f.Changed {
		v := f.Value.String()
		if !i18n.Supported(v) {
			return "", usageErrorf("cli.bad_lang", v, strings.Join(i18n.Languages, ", "))
		}
		setLang(cmd.Context(), v)
	}
	return i18n.Printer(currentLang(cmd.Context())), nil
}

func exitCode(err error) int {
	var usage *usageError
	var pcfg *pipeline.ConfigError
	var scfg *synth.ConfigError
	switch {
	case errors.As(err, &usage), configs.IsConfigError(err), errors.As(err, &pcfg), errors.As(err, &scfg):
		return exitUsage
	case errors.Is(err, pipeline.ErrLocked):
		return exitLocked
	}
	return exitFailure
}

// newRootCmd builds the command tree with its help in lang.
func newRootCmd(stdout, stderr io.Writer, lang string) *cobra.Command {
	p := i18n.Printer(lang)
	root := &cobra.Command{
		Use:   "earlywarn",
		Short: p.T("cli.cmd.root.short"),
		Long:  p.T("cli.cmd.root.long"),
		// Runnable, so that an unknown command is a usage error in the user's language rather
		// than cobra's English one; with no arguments it shows the help, as cobra would.
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmd.Help()
			}
			return unknownCommand(cmd, args[0])
		},
		SuggestionsMinimumDistance: 2,
		SilenceUsage:               true,
		SilenceErrors:              true,
		Version:                    version,
		CompletionOptions:          cobra.CompletionOptions{DisableDefaultCmd: true},
	}
	root.Flags().String("lang", "", p.T("cli.flag.lang.root"))
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(flagError)
	root.SetUsageTemplate(usageTemplate(p))
	root.SetVersionTemplate(p.T("cli.version", version) + "\n")
	root.AddCommand(newRunCmd(p), newGenCmd(p), newValidateCmd(p), newBacktestCmd(p), newServeCmd(p), newHashPasswordCmd(p), newTrainCategoryCmd(p), newLearnPlacesCmd(p))
	for _, c := range root.Commands() {
		c.Args = noArgs
		c.SilenceUsage = true
	}
	addHelpCmd(root, p)
	for _, c := range append([]*cobra.Command{root}, root.Commands()...) {
		c.Long = strings.TrimSpace(c.Long) + "\n\n" + p.T("cli.help.exit_status")
		c.DisableFlagsInUseLine = true // the usage template adds [flags] in the language
		c.InitDefaultHelpFlag()
		c.Flags().Lookup("help").Usage = p.T("cli.flag.help", c.Name())
	}
	root.InitDefaultVersionFlag()
	root.Flags().Lookup("version").Usage = p.T("cli.flag.version")
	return root
}

// addHelpCmd gives root cobra's help command with its texts from the catalogue.
func addHelpCmd(root *cobra.Command, p i18n.Printer) {
	root.InitDefaultHelpCmd()
	for _, c := range root.Commands() {
		if c.Name() != "help" {
			continue
		}
		c.Use = "help " + p.T("cli.help.command_arg")
		c.Short = p.T("cli.cmd.help.short")
		c.Long = p.T("cli.cmd.help.long")
		c.Run = func(c *cobra.Command, args []string) {
			cmd, _, err := c.Root().Find(args)
			if cmd == nil || err != nil || (cmd == c.Root() && len(args) > 0) {
				c.Println(p.T("cli.help.unknown_topic", strings.Join(args, " ")))
				_ = c.Root().Usage()
				return
			}
			cmd.InitDefaultHelpFlag()
			cmd.InitDefaultVersionFlag()
			_ = cmd.Help()
		}
	}
}

// unknownCommand is the usage error for a command earlywarn does not have, with the commands
// whose names are close to it.
func unknownCommand(root *cobra.Command, name string) error {
	if s := root.SuggestionsFor(name); len(s) > 0 {
		return usageErrorf("cli.unknown_command_suggest", name, strings.Join(s, ", "))
	}
	return usageErrorf("cli.unknown_command", name)
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf("cli.no_args", cmd.Name(), args, cmd.Name())
	}
	return nil
}

// flagError turns an error of the flag parser into a usage error in the user's language.
func flagError(cmd *cobra.Command, err error) error {
	var (
		notExist *pflag.NotExistError
		noValue  *pflag.ValueRequiredError
		badValue *pflag.InvalidValueError
		syntax   *pflag.InvalidSyntaxError
	)
	name := cmd.CommandPath()
	switch {
	case errors.As(err, &notExist) && notExist.GetSpecifiedShortnames() != "":
		return usageErrorf("cli.flag_unknown_short", notExist.GetSpecifiedName()[:1], notExist.GetSpecifiedShortnames(), name)
	case errors.As(err, &notExist):
		return usageErrorf("cli.flag_unknown", notExist.GetSpecifiedName(), name)
	case errors.As(err, &noValue):
		flag := noValue.GetSpecifiedName()
		if f := noValue.GetFlag(); f != nil {
			flag = f.Name
		}
		return usageErrorf("cli.flag_no_value", flag, name)
	case errors.As(err, &badValue):
		f := badValue.GetFlag()
		return usageErrorf("cli.flag_bad_value", badValue.GetValue(), f.Name, typeName(i18n.Printer(currentLang(cmd.Context())), f), name)
	case errors.As(err, &syntax):
		return usageErrorf("cli.flag_syntax", syntax.GetSpecifiedFlag(), name)
	}
	return usageErrorf("cli.flag_error", err.Error(), name)
}

// addConfigFlag adds --config to a command.
func addConfigFlag(cmd *cobra.Command, p i18n.Printer) {
	cmd.Flags().String("config", "configs/default.yaml", p.T("cli.flag.config"))
}

// examples formats a command's examples: each a comment from the catalogue (key) above the
// command line that follows it in pairs.
func examples(p i18n.Printer, pairs ...string) string {
	var b strings.Builder
	for i := 0; i+1 < len(pairs); i += 2 {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "  # %s\n  %s", p.T(pairs[i]), pairs[i+1])
	}
	return b.String()
}

// isTerminal reports whether w is a terminal; progress is shown only there.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
