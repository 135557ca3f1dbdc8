-- case_digests_now: a digest of each case's records as they stand now, whatever their dates:
-- its cases row, its contacts (those linked to it included) and its events, each row hashed
-- and the hashes of a case's contacts and of its events combined by xor, so that their order
-- does not count. The case's text (content, found_in_text) is left out: no rule by case reads
-- it. For the rules by group: group_key digests the fields they may group by
-- (rules.GroupByFields), so that a case that left its group shows (rescreen_moved.sql);
-- group_digest what they read of a case's records (its receipt, those fields and its
-- contacts, not its events); resolved is the case's state as of this run's date, which is all
-- they read of its events. case_changes: the cases whose digest or resolved state differs from
-- what the latest stored run kept in case_digests (new cases and cases gone included), with
-- what changed: their records (digest: changed_cases), what the rules by group read (group_digest
-- or resolved: changed_group_cases), and whether a case of that run left its group (its row
-- gone or its group_key changed: rescreen_moved.sql). A changed group_digest or group_key
-- changes the digest.
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

CREATE OR REPLACE TEMP TABLE {{.case_changes}} AS
SELECT coalesce(n.case_id, o.case_id) AS case_id,
       n.digest IS DISTINCT FROM o.digest AS records,
       n.group_digest IS DISTINCT FROM o.group_digest OR n.resolved IS DISTINCT FROM o.resolved AS for_groups,
       n.digest IS DISTINCT FROM o.digest AND o.case_id IS NOT NULL AND n.group_key IS DISTINCT FROM o.group_key AS left_group
FROM {{.case_digests_now}} n FULL JOIN case_digests o ON o.case_id = n.case_id
WHERE n.digest IS DISTINCT FROM o.digest OR n.resolved IS DISTINCT FROM o.resolved;

CREATE OR REPLACE TEMP TABLE {{.changed_cases}} AS
SELECT case_id FROM {{.case_changes}} WHERE records;

CREATE OR REPLACE TEMP TABLE {{.changed_group_cases}} AS
SELECT case_id FROM {{.case_changes}} WHERE for_groups;
