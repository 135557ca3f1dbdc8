{{/* A snippet: a free-text column (the dot, VARCHAR) with its resident id numbers and phone
numbers replaced by markers, as idnum.MaskText does in Go with the same patterns. Only a value
the prefilter matches goes through the replacements, each pattern twice: a match takes the
character after the number, which may be the one before the next. */ -}}
{{define "masked_text"}}CASE WHEN regexp_matches({{.}}, {{mask "prefilter"}})
  THEN regexp_replace(regexp_replace(regexp_replace(regexp_replace({{.}},
    {{mask "id_number"}}, {{mask "id_number_mark"}}, 'g'), {{mask "id_number"}}, {{mask "id_number_mark"}}, 'g'),
    {{mask "phone"}}, {{mask "phone_mark"}}, 'g'), {{mask "phone"}}, {{mask "phone_mark"}}, 'g')
  ELSE {{.}} END{{end}}
