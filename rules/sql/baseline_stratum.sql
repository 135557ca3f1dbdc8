-- group_signal baseline: a case's stratum, as SQL text: its group_by fields, NULL read as '',
-- joined by U+001F. The case_state row is s.
{{define "stratum"}}concat_ws(chr(31), {{range $i, $c := .group_by}}{{if $i}}, {{end}}coalesce(s.{{$c}}, ''){{end}}){{end}}
