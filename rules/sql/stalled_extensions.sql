-- stalled_case check extensions: the handling deadline was extended $threshold
-- (min_extensions) or more times since acceptance or reopening; the flag holds from the day of
-- the $threshold-th extension.
{{define "measure"}}extensions{{end}}
{{define "first_flagged"}}nth_extension{{end}}
{{define "strength"}}extensions / $threshold{{end}}
