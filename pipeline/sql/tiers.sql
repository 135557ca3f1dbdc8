-- Snippets on tiers, each of a column expression written where it is included:
-- tier_rank is 0 for red, 1 for orange, 2 for yellow (and anything else); tier_zh is the tier's
-- name in Chinese.
{{define "tier_rank"}}CASE {{.}} WHEN 'red' THEN 0 WHEN 'orange' THEN 1 ELSE 2 END{{end}}
{{define "tier_zh"}}CASE {{.}} WHEN 'red' THEN '红' WHEN 'orange' THEN '橙' ELSE '黄' END{{end}}
