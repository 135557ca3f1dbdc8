-- stalled_case check overdue: the current stage's deadline passed $threshold
-- (min_days_overdue) or more days ago. Strength grows by 1 for each 30 days past the deadline.
{{define "measure"}}CAST($as_of AS DATE) - deadline{{end}}
{{define "first_flagged"}}deadline + CAST($threshold AS INTEGER){{end}}
{{define "strength"}}1 + (CAST($as_of AS DATE) - deadline) / 30{{end}}
