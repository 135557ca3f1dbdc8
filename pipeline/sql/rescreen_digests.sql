-- case_digests_now: a digest of each case's records as they stand now, whatever their dates:
-- its cases row, its contacts (those linked to it included) and its events, each row hashed
-- and the hashes of a case's contacts and of its events combined by xor, so that their order
-- does not count. The case's text (content, found_in_text) is left out: no rule by case reads
-- it. For the rules by group: group_key digests the fields they may group by
-- (rules.GroupByFields), so that a case that left its group shows (rescreen_moved.sql);
-- group_digest what they read of a case's records (its receipt, those fields and its
-- contacts, not its events); resolved is the case's state as of this run's date, which is all
-- they read of its events. changed_cases: the cases whose digest differs from the one the
-- latest stored run kept in case_digests, new cases and cases gone included;
-- changed_group_cases those whose group_digest or resolved state differs.
CREATE OR REPLACE TEMP TABLE {{.case_digests_now}} AS
WITH k AS (
  SELECT coalesce(k.case_id, l.case_id) AS case_id,
         bit_xor(hash(k.contact_id, k.contact_date, k.channel, k.level, k.person_id, k.head_count)) AS h
  FROM contacts k LEFT JOIN contact_links l ON k.case_id IS NULL AND l.contact_id = k.contact_id
  GROUP BY ALL
),
e AS (
  SELECT case_id, bit_xor(hash(event_id, event_type, event_date, result)) AS h
  FROM events
  GROUP BY case_id
)
SELECT c.case_id,
       hash(c.received_date, c.channel, c.level, c.complainant_id, c.head_count, c.category, c.township,
            c.village, c.target_org, c.responsible_unit, c.status, k.h, e.h) AS digest,
       hash(c.township, c.village, c.category, c.target_org, c.responsible_unit) AS group_key,
       hash(c.received_date, c.township, c.village, c.category, c.target_org, c.responsible_unit, k.h) AS group_digest,
       s.resolved
FROM cases c LEFT JOIN k USING (case_id) LEFT JOIN e USING (case_id) LEFT JOIN {{.case_state}} s USING (case_id);

CREATE OR REPLACE TEMP TABLE {{.changed_cases}} AS
SELECT coalesce(n.case_id, o.case_id) AS case_id
FROM {{.case_digests_now}} n FULL JOIN case_digests o ON o.case_id = n.case_id
WHERE n.digest IS DISTINCT FROM o.digest;

CREATE OR REPLACE TEMP TABLE {{.changed_group_cases}} AS
SELECT coalesce(n.case_id, o.case_id) AS case_id
FROM {{.case_digests_now}} n FULL JOIN case_digests o ON o.case_id = n.case_id
WHERE n.group_digest IS DISTINCT FROM o.group_digest OR n.resolved IS DISTINCT FROM o.resolved;
