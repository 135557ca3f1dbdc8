-- The flags screening collected become run $run_id's, the $seq-th run stored. A flag the latest
-- stored run has alike (every column equal; rule_id and rule_matter_id are a flag's key within a
-- run) keeps its span, which now reaches this run; that run's other flags' spans end with it; the
-- run's other flags begin spans of their own. A night that changes few flags writes few rows.
CREATE OR REPLACE TEMP TABLE {{.flags_kept}} AS
SELECT s.rowid AS span, f.rowid AS flag
FROM flag_spans s JOIN {{.run_flags}} f ON s.rule_id = f.rule_id AND s.rule_matter_id = f.rule_matter_id
WHERE s.to_seq IS NULL
  AND (s.family, s.weight, s.min_tier, s.matter_id, s.matter_kind, s.case_ids, s.contact_ids, s.first_flagged,
       s.strength, s.facts, s.reason_zh, s.reason_en, s.last_evidence, s.live)
      IS NOT DISTINCT FROM
      (f.family, f.weight, f.min_tier, f.matter_id, f.matter_kind, f.case_ids, f.contact_ids, f.first_flagged,
       f.strength, f.facts, f.reason_zh, f.reason_en, f.last_evidence, f.live);

UPDATE flag_spans SET to_seq = $seq - 1
WHERE to_seq IS NULL AND rowid NOT IN (SELECT span FROM {{.flags_kept}});

INSERT INTO flag_spans (from_seq, to_seq, rule_id, family, weight, min_tier, {{join ", " .flag_columns}}, reason_zh,
  reason_en, rule_matter_id, last_evidence, live)
SELECT $seq, NULL, rule_id, family, weight, min_tier, {{join ", " .flag_columns}}, reason_zh, reason_en,
  rule_matter_id, last_evidence, live
FROM {{.run_flags}}
WHERE rowid NOT IN (SELECT flag FROM {{.flags_kept}});

DROP TABLE {{.flags_kept}}
