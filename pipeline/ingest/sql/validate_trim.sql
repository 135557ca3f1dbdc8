-- A file's ids and codes with white space around them, trimmed (space: the characters
-- unicode.IsSpace calls white space, as the profile path trims), in the table and in stage_bad,
-- whose checks then see the values the table holds. Only the rows the screen kept can have
-- them: normally none.
UPDATE {{.table}} SET {{range $i, $c := .cols}}{{if $i}}, {{end}}{{$c}} = trim({{$c}}, space.chars){{end}}
FROM (SELECT {{.space}} AS chars) space
WHERE {{if .in_bad}}{{.table}}.rowid IN (SELECT rid FROM {{.stage_bad}}) AND ({{end -}}
{{range $i, $c := .cols}}{{if $i}} OR {{end}}{{$c}} <> trim({{$c}}, space.chars){{end}}{{if .in_bad}}){{end}}
