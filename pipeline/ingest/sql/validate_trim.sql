-- A file's ids and codes with white space around them (padded; trim: the white space, of the
-- characters unicode.IsSpace calls so, as the profile path trims), trimmed in the table and in
-- stage_bad, whose checks then see the values the table holds. Only the rows the screen kept
-- can have them: normally none.
UPDATE {{.table}} SET {{range $i, $c := .cols}}{{if $i}}, {{end}}{{$c}} = regexp_replace({{$c}}, {{$.trim}}, '', 'g'){{end}}
WHERE {{if .in_bad}}rowid IN (SELECT rid FROM {{.stage_bad}}) AND ({{end -}}
{{range $i, $c := .cols}}{{if $i}} OR {{end}}regexp_matches({{$c}}, {{$.padded}}){{end}}{{if .in_bad}}){{end}}
