package db

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"text/template"
)

var files = fstest.MapFS{
	"q.sql": {Data: []byte(`-- a comment stays
SELECT {{join ", " .cols}}, {{.expr}} AS e, {{rank "x"}} AS r
FROM {{.table}}{{if .limit}} LIMIT 1{{end}}
{{template "where" .}}`)},
	"where.sql": {Data: []byte(`-- shared snippet
{{define "where"}}WHERE {{range $i, $c := .cols}}{{if $i}} AND {{end}}t.{{$c}} > $min{{end}}{{end}}`)},
	"bad.sql": {Data: []byte(`SELECT {{.x`)},
}

var funcs = template.FuncMap{"rank": func(col string) Fragment { return Fragment("rank(" + col + ")") }}

func TestTemplateSplicesOnlyWhitelistedValues(t *testing.T) {
	q := MustParse(files, funcs, "q.sql", "where.sql")
	got, err := q.Execute(map[string]any{
		"cols":  Names("a", `b"c`),
		"expr":  Fragment("1 + 1"),
		"table": Name("t"),
		"limit": true,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `-- a comment stays
SELECT "a", "b""c", 1 + 1 AS e, rank(x) AS r
FROM "t" LIMIT 1
WHERE t."a" > $min AND t."b""c" > $min`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}

	for _, data := range []map[string]any{
		{"cols": Names("a"), "expr": "1; DROP TABLE t", "table": Name("t"), "limit": false}, // a string is not a Fragment
		{"cols": []string{"a"}, "expr": Fragment("1"), "table": Name("t"), "limit": false},  // nor strings Names
		{"cols": Names("a"), "expr": Fragment("1"), "limit": false},                         // table missing
	} {
		if s, err := q.Execute(data); err == nil {
			t.Errorf("%v: no error, got %s", data, s)
		}
	}
}

func TestMustParsePanics(t *testing.T) {
	for name, parse := range map[string]func(){
		"syntax":       func() { MustParse(files, nil, "bad.sql") },
		"missing file": func() { MustParse(files, nil, "none.sql") },
		"func returning a string": func() {
			MustParse(files, template.FuncMap{"rank": func(s string) string { return s }}, "q.sql")
		},
	} {
		func() {
			defer func() {
				if r := recover(); r == nil {
					t.Errorf("%s: no panic", name)
				} else if !strings.Contains(r.(string), "db.MustParse") {
					t.Errorf("%s: panic %v does not name db.MustParse", name, r)
				}
			}()
			parse()
		}()
	}
}

func TestSplitStatements(t *testing.T) {
	got := SplitStatements(`-- a script
CREATE TABLE a (x INTEGER);
-- a comment ending with a semicolon;
INSERT INTO a
SELECT 1 ; 
-- nothing but a comment
`)
	want := []string{"-- a script\nCREATE TABLE a (x INTEGER)", "-- a comment ending with a semicolon;\nINSERT INTO a\nSELECT 1"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := SplitStatements("SELECT 1"); !slices.Equal(got, []string{"SELECT 1"}) {
		t.Errorf("one statement without ';': got %q", got)
	}
}
