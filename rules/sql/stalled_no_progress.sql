-- stalled_case check no_progress: no progress event (any but "extended") for $threshold
-- (min_days) or more days.
{{define "measure"}}CAST($as_of AS DATE) - progress_date{{end}}
{{define "first_flagged"}}progress_date + CAST($threshold AS INTEGER){{end}}
{{define "strength"}}(CAST($as_of AS DATE) - progress_date) / $threshold{{end}}
