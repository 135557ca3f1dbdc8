-- flag_liveness: for each of one rule's flags (in rule_flags), its newest evidence and whether
-- it is live on $as_of. The newest evidence is the latest date of the contacts behind it, or
-- $as_of for a flag that describes its case as it stands that day ($current: the stalled
-- family). A flag is live when its newest evidence is at most $active_days days old
-- ($active_days = 0: always), or when any of its cases is pending.
--
-- For a rule screened again for some cases or groups (rescreened), the flags that stand from the
-- latest stored run (standing_flags, see rescreen_carry.sql) keep the newest evidence it found;
-- for a rule by case (by_case), the others' contacts are among those of the cases screened
-- again (rescreen_contacts).
CREATE OR REPLACE TEMP TABLE {{.flag_liveness}} AS
WITH latest AS (
  SELECT f.matter_id, max(c.contact_date) AS last_evidence
  FROM (SELECT matter_id, unnest(contact_ids) AS contact_id FROM {{.rule_flags}}
        WHERE NOT $current{{if .rescreened}} AND matter_id NOT IN (SELECT matter_id FROM {{.standing_flags}}){{end}}) f
  JOIN {{if .by_case}}{{.rescreen_contacts}}{{else}}contacts{{end}} c USING (contact_id)
  GROUP BY f.matter_id
{{- if .rescreened}}
  UNION ALL
  SELECT matter_id, last_evidence FROM {{.standing_flags}} WHERE NOT $current
{{- end}}
),
pending AS (
  SELECT f.matter_id, bool_or(s.pending) AS pending
  FROM (SELECT matter_id, unnest(case_ids) AS case_id FROM {{.rule_flags}} WHERE NOT $current AND $active_days > 0) f
  JOIN {{.case_state}} s USING (case_id)
  GROUP BY f.matter_id
)
SELECT f.matter_id,
       CASE WHEN $current THEN CAST($as_of AS DATE) ELSE l.last_evidence END AS last_evidence,
       $current OR $active_days = 0 OR coalesce(p.pending, false)
         OR coalesce(CAST($as_of AS DATE) - l.last_evidence <= $active_days, false) AS live
FROM {{.rule_flags}} f LEFT JOIN latest l USING (matter_id) LEFT JOIN pending p USING (matter_id)
