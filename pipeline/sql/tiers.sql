-- Snippet on tiers, of a column expression written where it is included: tier_rank is 0 for
-- red, 1 for orange, 2 for yellow (and anything else).
{{define "tier_rank"}}CASE {{.}} WHEN 'red' THEN 0 WHEN 'orange' THEN 1 ELSE 2 END{{end}}
