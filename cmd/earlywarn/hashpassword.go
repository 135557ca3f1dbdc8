package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/term"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// The passwords hash-password accepts: at least minPasswordChars characters, at most
// maxPasswordBytes bytes (bcrypt ignores what follows).
const (
	minPasswordChars = 10
	maxPasswordBytes = 72
)

func newHashPasswordCmd(p i18n.Printer) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "hash-password",
		Short:   p.T("cli.cmd.hash_password.short"),
		Long:    p.T("cli.cmd.hash_password.long", minPasswordChars),
		Example: examples(p, "cli.cmd.hash_password.example.terminal", "earlywarn hash-password", "cli.cmd.hash_password.example", "earlywarn hash-password < pw.txt"),
	}
	cmd.Flags().String("lang", "", p.T("cli.flag.lang.messages"))
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		p, err := messageLang(cmd)
		if err != nil {
			return err
		}
		var pw string
		if f, ok := cmd.InOrStdin().(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			pw, err = askTwice(p, func(prompt string) (string, error) {
				fmt.Fprint(cmd.ErrOrStderr(), prompt)
				b, err := term.ReadPassword(int(f.Fd()))
				fmt.Fprintln(cmd.ErrOrStderr()) // the newline the hidden input did not show
				return string(b), err
			})
		} else {
			pw, err = readPasswordLine(cmd.InOrStdin())
		}
		if err != nil {
			return err
		}
		if err := checkPassword(pw); err != nil {
			return err
		}
		h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
		if err != nil {
			return err
		}
		fmt.Fprintln(cmd.OutOrStdout(), string(h))
		return nil
	}
	return cmd
}

// askTwice asks for the password and again to confirm it (ask shows a prompt and reads one
// hidden line), and returns it when both agree.
func askTwice(p i18n.Printer, ask func(prompt string) (string, error)) (string, error) {
	first, err := ask(p.T("cli.hash_password.prompt", minPasswordChars))
	if err != nil {
		return "", i18n.Wrap(err, "cli.hash_password.read_terminal")
	}
	if err := checkPassword(first); err != nil {
		return "", err // said at once, not after asking again
	}
	again, err := ask(p.T("cli.hash_password.prompt_again"))
	if err != nil {
		return "", i18n.Wrap(err, "cli.hash_password.read_terminal")
	}
	if again != first {
		return "", usageErrorf("cli.hash_password.mismatch")
	}
	return first, nil
}

// readPasswordLine reads the password a script pipes in: the first line of r, without its line
// end.
func readPasswordLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", i18n.Wrap(err, "cli.hash_password.read")
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", usageErrorf("cli.hash_password.none")
	}
	return pw, nil
}

// checkPassword refuses a password bcrypt cannot take or that is too short to resist guessing.
func checkPassword(pw string) error {
	switch n := utf8.RuneCountInString(pw); {
	case pw == "":
		return usageErrorf("cli.hash_password.empty")
	case !utf8.ValidString(pw):
		return usageErrorf("cli.hash_password.not_utf8")
	case n < minPasswordChars:
		return usageErrorf("cli.hash_password.too_short", n, minPasswordChars)
	case len(pw) > maxPasswordBytes:
		return usageErrorf("cli.hash_password.too_long", len(pw), maxPasswordBytes)
	}
	return nil
}
