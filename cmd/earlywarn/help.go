package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/text/width"

	"github.com/earlywarn/earlywarn/internal/i18n"
)

func init() {
	cobra.AddTemplateFunc("flagUsages", flagUsages)
}

// usageTemplate is cobra's default usage template (cobra v1.10.2, without command groups,
// aliases and help topics, which earlywarn does not use) with its headings from the catalogue,
// and the flags listed by flagUsages in the language. A command with subcommands shows only
// "earlywarn [command]", as cobra does for a root that is not runnable (ours runs only to report
// an unknown command).
func usageTemplate(p i18n.Printer) string {
	return p.T("cli.help.usage") + `{{if and .Runnable (not .HasAvailableSubCommands)}}
  {{.UseLine}}{{if .HasAvailableFlags}} ` + p.T("cli.help.flags_arg") + `{{end}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} ` + p.T("cli.help.command_arg") + `{{end}}{{if .HasExample}}

` + p.T("cli.help.examples") + `
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

` + p.T("cli.help.commands") + `{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

` + p.T("cli.help.flags") + `
{{flagUsages .LocalFlags "` + p.Lang() + `"}}{{end}}{{if .HasAvailableInheritedFlags}}

` + p.T("cli.help.global_flags") + `
{{flagUsages .InheritedFlags "` + p.Lang() + `"}}{{end}}{{if .HasAvailableSubCommands}}

` + p.T("cli.help.more", "{{.CommandPath}}") + `{{end}}
`
}

// flagUsages lists the flags of fs as pflag's FlagUsages does, with the type names and "(default
// …)" in lang, and the usage texts as they are: pflag would take a `backquoted` word of a usage
// for the value's name, and the catalogue writes ids in backquotes.
func flagUsages(fs *pflag.FlagSet, lang string) string {
	p := i18n.Printer(lang)
	type row struct{ name, usage string }
	var rows []row
	widest := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		name := "      --" + f.Name
		if f.Shorthand != "" && f.ShorthandDeprecated == "" {
			name = "  -" + f.Shorthand + ", --" + f.Name
		}
		if t := typeName(p, f); t != "" {
			name += " " + t
		}
		usage := f.Usage
		if !zeroDefault(f) {
			def := f.DefValue
			if f.Value.Type() == "string" {
				def = fmt.Sprintf("%q", def)
			}
			usage += p.T("cli.help.default", def)
		}
		rows = append(rows, row{name, usage})
		widest = max(widest, displayWidth(name))
	})
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%s%s   %s\n", r.name, strings.Repeat(" ", widest-displayWidth(r.name)), r.usage)
	}
	return strings.TrimRight(b.String(), " \n")
}

// typeName is the name of the value a flag takes, in the printer's language ("" for a switch).
func typeName(p i18n.Printer, f *pflag.Flag) string {
	switch t := f.Value.Type(); t {
	case "bool":
		return ""
	case "string", "int":
		return p.T("cli.help.type." + t)
	case "uint64", "uint":
		return p.T("cli.help.type.uint")
	case "float64":
		return p.T("cli.help.type.float")
	default:
		return t
	}
}

// zeroDefault reports whether a flag's default is its type's zero value, which the help omits.
func zeroDefault(f *pflag.Flag) bool {
	switch f.Value.Type() {
	case "bool":
		return f.DefValue == "false"
	case "string":
		return f.DefValue == ""
	}
	return f.DefValue == "" || f.DefValue == "0"
}

// displayWidth is the number of terminal columns s takes: two for a wide (CJK) character.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
