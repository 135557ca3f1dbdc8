package main

import (
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

// commandPaths lists every command's arguments: the root's (none), then each subcommand's.
func commandPaths() [][]string {
	paths := [][]string{nil}
	root := newRootCmd(io.Discard, io.Discard, i18n.Default)
	root.InitDefaultHelpCmd()
	for _, c := range root.Commands() {
		paths = append(paths, []string{c.Name()})
	}
	return paths
}

var (
	// What may stay in Latin letters in Chinese help: `backquoted` ids, flags, paths and file
	// names, and the example command lines.
	helpIDs = []*regexp.Regexp{
		regexp.MustCompile("`[^`]*`"),
		regexp.MustCompile(`(?m)^\s+earlywarn\b.*$`),
		regexp.MustCompile(`--?[A-Za-z][-A-Za-z]*`),
		regexp.MustCompile(`\S*[/.]\S*`),
	}
	latinWord = regexp.MustCompile(`[A-Za-z]{4,}`)
	// Three Latin words in a row read as an English phrase, however short the words.
	latinPhrase = regexp.MustCompile(`[A-Za-z]+[ ,;:]+[A-Za-z]+[ ,;:]+[A-Za-z]+`)
)

// englishLines returns the lines of Chinese help text that read as English: after removing ids,
// flags and paths, more than two runs of four or more Latin letters (the heuristic of
// internal/i18n's TestNoEnglishInChinese), or three Latin words in a row.
func englishLines(help string) []string {
	var bad []string
	for _, line := range strings.Split(help, "\n") {
		stripped := line
		for _, re := range helpIDs {
			stripped = re.ReplaceAllString(stripped, " ")
		}
		if len(latinWord.FindAllString(stripped, -1)) > 2 || latinPhrase.MatchString(stripped) {
			bad = append(bad, line)
		}
	}
	return bad
}

// TestHelpInEveryLanguage runs --help for every command in each language: the help is in that
// language (in Chinese, no English but ids, flags and paths, and none of cobra's English
// headings) and shows the exit status table.
func TestHelpInEveryLanguage(t *testing.T) {
	for _, lang := range i18n.Languages {
		t.Run(lang, func(t *testing.T) {
			t.Setenv("EARLYWARN_LANG", lang)
			for _, path := range commandPaths() {
				name := strings.Join(append([]string{"earlywarn"}, path...), " ")
				code, out, errs := cli(t, append(path, "--help")...)
				if code != exitOK || errs != "" {
					t.Errorf("%s --help: exit %d, stderr %q", name, code, errs)
					continue
				}
				status := i18n.T(lang, "cli.help.exit_status")
				if !strings.Contains(out, status) {
					t.Errorf("%s --help lacks the exit status table:\n%s", name, out)
				}
				for _, code := range []int{exitOK, exitUsage, exitFailure, exitLocked} {
					if !regexp.MustCompile(`(?m)^  ` + string(rune('0'+code)) + `  \S`).MatchString(status) {
						t.Errorf("the exit status table does not explain %d:\n%s", code, status)
					}
				}
				for _, key := range []string{"cli.help.usage", "cli.help.flags"} {
					if !strings.Contains(out, i18n.T(lang, key)) {
						t.Errorf("%s --help lacks %q:\n%s", name, i18n.T(lang, key), out)
					}
				}
				if lang != "zh" {
					continue
				}
				for _, cobra := range []string{"Usage:", "Flags:", "Examples:", "Available Commands", "help for", "(default", "[flags]", "[command]"} {
					if strings.Contains(out, cobra) {
						t.Errorf("%s --help has cobra's English %q:\n%s", name, cobra, out)
					}
				}
				if bad := englishLines(out); len(bad) > 0 {
					t.Errorf("%s --help has English lines:\n%s", name, strings.Join(bad, "\n"))
				}
			}
		})
	}
}

// TestHelpLanguageFlag: --lang picks the help's language, over EARLYWARN_LANG.
func TestHelpLanguageFlag(t *testing.T) {
	t.Setenv("EARLYWARN_LANG", "zh")
	for _, args := range [][]string{{"--lang", "en", "--help"}, {"run", "--help", "--lang=en"}} {
		if code, out, _ := cli(t, args...); code != exitOK || !strings.Contains(out, "EXIT STATUS") || !strings.Contains(out, "Usage:") {
			t.Errorf("%v: exit %d\n%s", args, code, out)
		}
	}
	if code, out, _ := cli(t, "--version"); code != exitOK || out != "earlywarn 版本 "+version+"\n" {
		t.Errorf("--version: exit %d, %q", code, out)
	}
}

// TestEnglishLinesHeuristic keeps the heuristic able to tell English from ids.
func TestEnglishLinesHeuristic(t *testing.T) {
	for _, tt := range []struct {
		line    string
		english bool
	}{
		{"  -h, --help   help for run", true},
		{"Use \"earlywarn [command] --help\" for more information", true},
		{"screen as of this date", true},
		{"用法：", false},
		{"      --db 文本   DuckDB 数据库文件（配置键 `database`）", false},
		{"  earlywarn run --config configs/default.yaml --lang en", false},
		{"按 YAML 配置中的规则标出重复访", false},
	} {
		line, english := tt.line, tt.english
		if got := len(englishLines(line)) > 0; got != english {
			t.Errorf("%q: English %v, want %v", line, got, english)
		}
	}
}

// TestUsageErrorsInEnglish: a usage error prints in the language --lang asks for.
func TestUsageErrorsInEnglish(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"rnu", "--lang", "en"}, `unknown command "rnu"; did you mean run?`},
		{[]string{"gen", "--lang", "en"}, "gen needs `--out`"},
		{[]string{"gen", "--lang", "en", "--days", "x"}, "\"x\" is not a valid value for `--days` (expected int)"},
		{[]string{"run", "--lang", "en", "--as-of", "soon"}, "`--as-of` \"soon\" is not a date; use `YYYY-MM-DD` or `auto`"},
		{[]string{"run", "--lang", "en", "--nope"}, "unknown flag `--nope`; see `earlywarn run --help`"},
		{[]string{"run", "--lang", "en", "x"}, "`run` takes no arguments"},
	} {
		if code, _, errs := cli(t, tt.args...); code != exitUsage || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tt.args, code, errs, exitUsage, tt.want)
		}
	}
}
