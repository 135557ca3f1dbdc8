package db

import (
	"fmt"
	"io/fs"
	"path"
	"reflect"
	"strings"
	"text/template"
)

// Name is an identifier a template splices in. It prints quoted by Ident.
type Name string

func (n Name) String() string { return Ident(string(n)) }

// Names converts identifiers to Names, for a list a template ranges over.
func Names(names ...string) []Name {
	out := make([]Name, len(names))
	for i, n := range names {
		out[i] = Name(n)
	}
	return out
}

// Fragment is SQL text Go built from constants; it prints as is. Never make one from
// configuration or data: quote such strings with Ident or Literal, or bind them.
type Fragment string

// Template is a parsed SQL file: a Go text/template that may splice in only what Go hands it from
// a whitelist; every value stays a bound parameter ($name) the template leaves alone.
//
// A template's data is a map whose values are each
//
//   - a Name or a []Name: an identifier (a table name constant, a column name checked against a
//     list), printed quoted by Ident;
//   - a Fragment: SQL text Go built from constants (e.g. a CASE over the schema's code list,
//     each code quoted by Literal), printed as is;
//   - a bool: a switch for {{if}}, which prints nothing of its own.
//
// Anything else is refused when the template runs. Besides the built-in actions a template may
// call join (join ", " .names) and the functions given to MustParse, each of which must return
// a Fragment.
type Template struct {
	t *template.Template
}

var fragmentType = reflect.TypeFor[Fragment]()

// MustParse parses files of fsys as one template: the first is the statement, the others may
// define snippets it includes with {{template "name" .}}. funcs (may be nil) adds functions,
// each returning a Fragment. It panics if a file is missing or does not parse, so a broken SQL
// file stops the program when its package is initialised, not in the middle of a run.
func MustParse(fsys fs.FS, funcs template.FuncMap, files ...string) *Template {
	if len(files) == 0 {
		panic("db.MustParse: no files")
	}
	for name, f := range funcs {
		ft := reflect.TypeOf(f)
		if ft.Kind() != reflect.Func || ft.NumOut() != 1 || ft.Out(0) != fragmentType {
			panic(fmt.Sprintf("db.MustParse %s: function %s must return a Fragment", files[0], name))
		}
	}
	t, err := template.New(path.Base(files[0])).Option("missingkey=error").
		Funcs(template.FuncMap{"join": join}).Funcs(funcs).ParseFS(fsys, files...)
	if err != nil {
		panic(fmt.Sprintf("db.MustParse: %v", err))
	}
	return &Template{t: t}
}

// Execute returns the statement for data, without surrounding blank space, or an error if a
// value of data is not of a type Template lists or the template names a key data lacks.
func (t *Template) Execute(data map[string]any) (string, error) {
	for k, v := range data {
		switch v.(type) {
		case Name, []Name, Fragment, bool:
		default:
			return "", fmt.Errorf("%s: .%s is a %T; a SQL template takes only Name, []Name, Fragment or bool", t.t.Name(), k, v)
		}
	}
	var b strings.Builder
	if err := t.t.Execute(&b, data); err != nil {
		return "", err
	}
	return strings.TrimSpace(b.String()), nil
}

// MustExecute is Execute for data built from constants and whitelisted names, where an error is
// a bug in the program: it panics.
func (t *Template) MustExecute(data map[string]any) string {
	s, err := t.Execute(data)
	if err != nil {
		panic(err)
	}
	return s
}

// join prints names quoted, separated by sep.
func join(sep string, names []Name) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = n.String()
	}
	return strings.Join(quoted, sep)
}

// SplitStatements splits a script at each ';' that ends a line (outside a '--' comment line)
// and drops that ';'. A comment before a statement stays with it; a part holding nothing but
// comments and blank space is dropped.
func SplitStatements(s string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if st := strings.TrimSpace(cur.String()); !onlyComments(st) {
			out = append(out, st)
		}
		cur.Reset()
	}
	for line := range strings.Lines(s) {
		t := strings.TrimSpace(line)
		if !strings.HasPrefix(t, "--") && strings.HasSuffix(t, ";") {
			cur.WriteString(strings.TrimSuffix(strings.TrimRight(line, " \t\r\n"), ";"))
			flush()
			continue
		}
		cur.WriteString(line)
	}
	flush()
	return out
}

// onlyComments reports whether s holds no SQL but comments and blank space.
func onlyComments(s string) bool {
	for line := range strings.Lines(s) {
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "--") {
			return false
		}
	}
	return true
}
