package db

import (
	"fmt"
	"io/fs"
	"maps"
	"text/template"
)

// Files is a stage's folder of SQL files (an embedded sql/), with what every file of it may use:
// functions (each returning a Fragment) and data (names and fragments, see Template). A stage
// either renders a file once, when its package is initialised (Script, Statement: the data is
// fixed), or parses it then and renders it per call (Parse, Render: the data varies).
//
// Files remembers, for its stage's golden test, every file rendered at initialisation
// (Rendered) and, when OnRender is set, hears of each file rendered per call.
type Files struct {
	stage string // the package, in panics
	fsys  fs.FS
	funcs template.FuncMap
	// Data is what every file may splice in; a stage may add to it (a fragment rendered from
	// another file) before the files that use it are rendered.
	Data map[string]any

	// Rendered lists the files rendered by Script and Statement, in order.
	Rendered []Rendered
	// OnRender, when set (by a test), hears the file of each template Render renders.
	OnRender func(file string)
	fileOf   map[*Template]string
}

// Rendered is a file rendered at initialisation: its name in sql/, what it was rendered for
// (when it is rendered more than once, e.g. per language), and its statements.
type Rendered struct {
	File, Variant string
	Stmts         []string
}

// NewFiles returns the SQL files of stage in the folder sql/ of fsys.
func NewFiles(stage string, fsys fs.FS, funcs template.FuncMap, data map[string]any) *Files {
	if data == nil {
		data = map[string]any{}
	}
	return &Files{stage: stage, fsys: fsys, funcs: funcs, Data: data, fileOf: map[*Template]string{}}
}

// Parse parses files of sql/ as one template (the first the statement, the others snippets it
// includes); it panics if one does not parse (see MustParse).
func (f *Files) Parse(files ...string) *Template {
	paths := make([]string, len(files))
	for i, name := range files {
		paths[i] = "sql/" + name
	}
	t := MustParse(f.fsys, f.funcs, paths...)
	f.fileOf[t] = files[0]
	return t
}

// Render returns t's statement for Data and data (which wins); a failure is a bug in the stage,
// so it panics.
func (f *Files) Render(t *Template, data map[string]any) string {
	if f.OnRender != nil {
		f.OnRender(f.fileOf[t])
	}
	return t.MustExecute(f.with(data))
}

// Script renders file (with snippets) for Data and data as a list of statements (see
// SplitStatements), recorded in Rendered as variant; it panics if the file does not parse or
// render, or holds no statement.
func (f *Files) Script(variant string, data map[string]any, file string, snippets ...string) []string {
	stmts := SplitStatements(f.Parse(append([]string{file}, snippets...)...).MustExecute(f.with(data)))
	if len(stmts) == 0 {
		panic(fmt.Sprintf("%s: sql/%s holds no statement", f.stage, file))
	}
	f.Rendered = append(f.Rendered, Rendered{File: file, Variant: variant, Stmts: stmts})
	return stmts
}

// Statement is Script for a file holding exactly one statement.
func (f *Files) Statement(variant string, data map[string]any, file string, snippets ...string) string {
	stmts := f.Script(variant, data, file, snippets...)
	if len(stmts) != 1 {
		panic(fmt.Sprintf("%s: sql/%s holds %d statements, not one", f.stage, file, len(stmts)))
	}
	return stmts[0]
}

// with is Data with data over it.
func (f *Files) with(data map[string]any) map[string]any {
	if len(data) == 0 {
		return f.Data
	}
	all := maps.Clone(f.Data)
	maps.Copy(all, data)
	return all
}
