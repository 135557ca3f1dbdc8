-- Each merge keeps the oldest id among its members: the member first listed under its own id on
-- a watchlist before $as_of, else the first listed as merged into another, else the first
-- flagged, a cluster before a case, then the smallest id.
UPDATE {{.matter_merges}} SET matter_id = k.kept
FROM (
  SELECT m.component,
         arg_min(m.rule_matter_id, (coalesce(o.listed, DATE '9999-12-31'), coalesce(g.listed, DATE '9999-12-31'),
                                    f.first_flagged, f.kind <> 'cluster', m.rule_matter_id)) AS kept
  FROM {{.matter_merges}} m
  LEFT JOIN (
    SELECT matter_id AS rule_matter_id, min(as_of) AS listed FROM watchlist
    WHERE as_of < CAST($as_of AS DATE) AND matter_id IN (SELECT rule_matter_id FROM {{.matter_merges}})
    GROUP BY ALL
  ) o USING (rule_matter_id)
  LEFT JOIN (
    SELECT rule_matter_id, min(as_of) AS listed
    FROM (SELECT as_of, unnest(merged_ids) AS rule_matter_id FROM watchlist
          WHERE as_of < CAST($as_of AS DATE) AND len(merged_ids) > 0)
    WHERE rule_matter_id IN (SELECT rule_matter_id FROM {{.matter_merges}})
    GROUP BY ALL
  ) g USING (rule_matter_id)
  JOIN (
    SELECT rule_matter_id, min(first_flagged) AS first_flagged, max(matter_kind) AS kind
    FROM {{.run_flags}} GROUP BY ALL
  ) f USING (rule_matter_id)
  GROUP BY m.component
) k
WHERE {{.matter_merges}}.component = k.component
