-- stalled_case check no_progress: no progress event for $threshold (min_days) or more days.
-- Progress (case_state's progress_date) is every stage event but "extended"; supervision,
-- return visits and evaluations are not stage events, except an unsatisfied evaluation that
-- reopened a closed case.
{{define "measure"}}CAST($as_of AS DATE) - progress_date{{end}}
{{define "first_flagged"}}progress_date + CAST($threshold AS INTEGER){{end}}
{{define "strength"}}(CAST($as_of AS DATE) - progress_date) / $threshold{{end}}
