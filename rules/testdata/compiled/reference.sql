-- The SQL compiled from configs/reference.yaml as of 2025-12-31: what screening runs, in order.
-- Written by TestCompiledSQL (go test -tags duckdb_arrow ./rules -run TestCompiledSQL -update).

-- ------------------------------------------------------------------------------------------------
-- prepare 1/4
--   $as_of = '2025-12-31'
-- case_contacts: every contact on or before $as_of of a case received on or before $as_of,
-- with the case's key ck (the cases row's rowid) and the level's rank lvl (1 county .. 4
-- national; level_code maps it back). A contact without a case id counts for the case
-- contact_links links it to, if any.
--
-- pk is an integer key of the person (equal for equal person ids, NULL without one): from 1 up,
-- negative for a record that names no complainant (a profile gives it an id of its own, 'U:'
-- and the record's; see pipeline/ingest). Rules only count distinct people, and say how many of
-- them are such records (the fact "unnamed"). It is a 62-bit hash of the person id, so that no
-- dictionary of the persons is built and joined every night; two persons share one with a chance
-- of about n²/2^63 for n persons (1 in 900 at 10^8, 1 in 9·10^6 at 10^6), which would count them
-- as one. The table holds every contact, so each column costs.
CREATE OR REPLACE TEMP TABLE "case_contacts" AS
SELECT c.rowid AS ck, k.contact_date, k.contact_id,
       CASE WHEN starts_with(k.person_id, 'U:') THEN -CAST((hash(k.person_id) >> 2) + 1 AS BIGINT)
            WHEN k.person_id IS NOT NULL THEN CAST((hash(k.person_id) >> 2) + 1 AS BIGINT) END AS pk,
       CAST(CASE k.level WHEN 'county' THEN 1 WHEN 'city' THEN 2 WHEN 'province' THEN 3 WHEN 'national' THEN 4 END AS TINYINT) AS lvl, k.head_count
FROM contacts k LEFT JOIN contact_links l ON k.case_id IS NULL AND l.contact_id = k.contact_id
JOIN cases c ON c.case_id = coalesce(k.case_id, l.case_id)
WHERE k.contact_date <= CAST($as_of AS DATE) AND c.received_date <= CAST($as_of AS DATE);

-- ------------------------------------------------------------------------------------------------
-- prepare 2/4
--   $as_of = '2025-12-31'
-- case_events: one row per case with a stage event on or before $as_of: what its events say as
-- of that date (the last stage event's type and date; when it was last accepted or reopened, and
-- when review and re-review were requested; its latest progress and the extensions since it was
-- last reopened). case_state reads it; it is a table of its own so that the events' aggregate
-- and the joins of case_state each have the memory limit to themselves.
--
-- Supervision (督办), a return visit (回访) and an evaluation (评价) are not stage events: they
-- neither move a case nor count as progress, so a supervised case keeps its no-progress clock
-- and a closed case visited or rated afterwards stays closed. One exception: an evaluation
-- "unsatisfied" of a case that stands closed at that moment (the first such evaluation after
-- the close) reopens it as a reopened event on that day would: the case is being handled again,
-- its handling clock and extension count start that day, and it is progress (of type
-- reopened_unsatisfied). An unsatisfied evaluation of a case not closed changes nothing.
CREATE OR REPLACE TEMP TABLE "case_events" AS
WITH e AS (
  -- The stage events, and the unsatisfied evaluations that may reopen a case.
  SELECT case_id, event_id, event_type, event_date, CASE event_type WHEN 'accepted' THEN 1 WHEN 'assigned' THEN 2 WHEN 'supervised' THEN 3 WHEN 'extended' THEN 4 WHEN 'answered' THEN 5 WHEN 'review_requested' THEN 6 WHEN 'reviewed' THEN 7 WHEN 'rereview_requested' THEN 8 WHEN 'rereviewed' THEN 9 WHEN 'terminated' THEN 10 WHEN 'closed' THEN 11 WHEN 'return_visit' THEN 12 WHEN 'evaluated' THEN 13 WHEN 'reopened' THEN 14 END AS seq,
         event_type = 'evaluated' AS unsatisfied
  FROM events
  WHERE event_date <= CAST($as_of AS DATE)
    AND (event_type NOT IN ('supervised', 'return_visit', 'evaluated') OR (event_type = 'evaluated' AND result = 'unsatisfied'))
),
reopening AS (
  -- Of the unsatisfied evaluations, each that found its case closed: the first after a close
  -- and before the next stage event (stood: the type of the last stage event before it; nth:
  -- how many stage events came before it). Only cases with one are ordered.
  SELECT case_id, event_id, 'reopened' AS event_type, event_date, seq, 'reopened_unsatisfied' AS progress_code
  FROM (
    SELECT *,
           last_value(CASE WHEN NOT unsatisfied THEN event_type END IGNORE NULLS) OVER w AS stood,
           sum(CASE WHEN unsatisfied THEN 0 ELSE 1 END) OVER w AS nth
    FROM e
    WHERE case_id IN (SELECT case_id FROM e WHERE unsatisfied)
    WINDOW w AS (PARTITION BY case_id ORDER BY event_date, seq, event_id ROWS UNBOUNDED PRECEDING)
  )
  WHERE unsatisfied AND stood = 'closed'
  QUALIFY row_number() OVER (PARTITION BY case_id, nth ORDER BY event_date, seq, event_id) = 1
),
ev AS (
  SELECT case_id, event_id, event_type, event_date, seq, event_type AS progress_code FROM e WHERE NOT unsatisfied
  UNION ALL
  SELECT * FROM reopening
),
agg AS (
  -- The last event orders by day, then seq, as one integer (seq < 100). Events of one day and
  -- seq are of one type (seq follows the type; a reopening's seq is its evaluation's, which no
  -- other row has), so a tie picks no other type or progress code, and no event_id is compared.
  SELECT case_id,
    arg_max(event_type, (event_date - DATE '2000-01-01') * 100 + seq) AS last_type,
    max(event_date) AS last_event_date,
    max(event_date) FILTER (WHERE event_type IN ('accepted', 'reopened')) AS handle_from,
    max(event_date) FILTER (WHERE event_type = 'reopened') AS reopened_on,
    max(event_date) FILTER (WHERE event_type = 'review_requested') AS review_from,
    max(event_date) FILTER (WHERE event_type = 'rereview_requested') AS rereview_from,
    arg_max(progress_code, (event_date - DATE '2000-01-01') * 100 + seq) FILTER (WHERE event_type <> 'extended') AS progress_type,
    max(event_date) FILTER (WHERE event_type <> 'extended') AS progress_date
  FROM ev GROUP BY case_id
),
ext AS (
  SELECT ev.case_id, count(*) AS extensions
  FROM ev JOIN agg USING (case_id)
  WHERE ev.event_type = 'extended' AND (agg.reopened_on IS NULL OR ev.event_date >= agg.reopened_on)
  GROUP BY ev.case_id
)
SELECT a.*, coalesce(x.extensions, 0) AS extensions FROM agg a LEFT JOIN ext x USING (case_id);

-- ------------------------------------------------------------------------------------------------
-- prepare 3/4
--   $as_of = '2025-12-31'
--   $accept_days = 15
--   $handle_days = 60
--   $extension_days = 30
--   $review_days = 30
--   $rereview_days = 30
-- case_state: one row per case received on or before $as_of, with its stage, deadline and
-- progress as of that date. It reads case_events and case_contacts, so it runs after both are
-- built.
--
-- A case is resolved when its last stage event is "closed" and nobody contacted the office
-- about it after the close. "Progress" is every stage event but an extension, so extending a
-- deadline does not reset the no-progress clock. Events of one day are ordered by their place
-- in the handling process (event_seq), so a case answered and closed on one day ends closed
-- (see case_events.sql, which also says how an unsatisfied evaluation reopens a case).
CREATE OR REPLACE TEMP TABLE "case_state" AS
WITH lastc AS (
  SELECT ck, max(contact_date) AS last_contact FROM "case_contacts" GROUP BY ck
),
staged AS (
  SELECT c.rowid AS ck, c.case_id, c.received_date, c.complainant_id, c.channel, c.category, c.township, c.village,
         c.target_org, c.responsible_unit,
         CASE
           WHEN a.last_type IS NULL THEN 'accept'
           WHEN a.last_type IN ('accepted', 'assigned', 'extended', 'reopened') THEN 'handle'
           WHEN a.last_type = 'review_requested' THEN 'review'
           WHEN a.last_type = 'rereview_requested' THEN 'rereview'
           ELSE a.last_type
         END AS stage,
         a.handle_from, a.review_from, a.rereview_from,
         coalesce(a.progress_date, c.received_date) AS progress_date,
         coalesce(a.progress_type, 'received') AS progress_type,
         coalesce(a.extensions, 0) AS extensions,
         CASE WHEN a.last_type = 'closed' THEN a.last_event_date END AS closed_on,
         a.reopened_on,
         l.last_contact
  FROM cases c
  LEFT JOIN "case_events" a USING (case_id)
  LEFT JOIN lastc l ON l.ck = c.rowid
  WHERE c.received_date <= CAST($as_of AS DATE)
),
due AS (
  SELECT *,
         CASE stage
           WHEN 'accept' THEN received_date
           WHEN 'handle' THEN coalesce(handle_from, received_date)
           WHEN 'review' THEN review_from
           WHEN 'rereview' THEN rereview_from
         END AS due_from,
         CASE stage
           WHEN 'accept' THEN CAST($accept_days AS INTEGER)
           WHEN 'handle' THEN CAST($handle_days AS INTEGER) + CAST($extension_days AS INTEGER) * CAST(extensions AS INTEGER)
           WHEN 'review' THEN CAST($review_days AS INTEGER)
           WHEN 'rereview' THEN CAST($rereview_days AS INTEGER)
         END AS due_days
  FROM staged
)
SELECT ck, case_id, received_date, complainant_id, channel, category, township, village, target_org,
       responsible_unit, stage,
       stage IN ('accept', 'handle', 'review', 'rereview') AS pending,
       due_from + due_days AS deadline,
       progress_date, progress_type, extensions, reopened_on, closed_on, last_contact,
       closed_on IS NOT NULL AND (last_contact IS NULL OR last_contact <= closed_on) AS resolved
FROM due;

-- ------------------------------------------------------------------------------------------------
-- prepare 4/4
DROP TABLE temp.main."case_events";

-- ------------------------------------------------------------------------------------------------
-- letters 1/3, kept before screening with a copied_letters rule
-- case_letters: the text of each case reduced as the copied_letters rule compares it (letters
-- only: digits, punctuation and spaces dropped), kept from run to run so that a run reduces only
-- the texts that are new or changed (letters_stale.sql, letters_new.sql): the hash of the text
-- it was reduced from (content_hash), the md5 of its letters lower-cased (h, which copied
-- letters share) and how many letters it has (letters_len). Only the texts the rules compare
-- are reduced; cases without text have no row.
CREATE TABLE IF NOT EXISTS case_letters (case_id VARCHAR, content_hash UBIGINT, h VARCHAR, letters_len INTEGER);

-- ------------------------------------------------------------------------------------------------
-- letters 2/3, kept before screening with a copied_letters rule
-- The reduced texts that no longer stand for their case's text: changed, gone, or of a case no
-- longer on record.
DELETE FROM case_letters l
WHERE NOT EXISTS (SELECT 1 FROM cases c
                  WHERE c.case_id = l.case_id AND c.content IS NOT NULL AND hash(c.content) = l.content_hash);

-- ------------------------------------------------------------------------------------------------
-- letters 3/3, kept before screening with a copied_letters rule
--   $channels = ['letter', 'online']
--   $from = '2025-12-31'
--   $to = '2025-12-31'
--   $lookback_days = 365
-- The texts not yet reduced that a copied_letters rule compares when screening as of a day
-- from $from to $to (on one of $channels, received in the $lookback_days days up to that day),
-- reduced.
INSERT INTO case_letters
SELECT case_id, hash(content), md5(lower(letters)), length(letters)
FROM (SELECT c.case_id, c.content, regexp_replace(c.content, '[^\p{L}]+', '', 'g') AS letters
      FROM cases c
      WHERE c.content IS NOT NULL
        AND list_contains(CAST($channels AS VARCHAR[]), c.channel)
        AND c.received_date > CAST($from AS DATE) - CAST($lookback_days AS INTEGER)
        AND c.received_date <= CAST($to AS DATE)
        AND NOT EXISTS (SELECT 1 FROM case_letters l WHERE l.case_id = c.case_id));

-- ------------------------------------------------------------------------------------------------
-- rule repeat-contacts (repeat_visits), by case: horizons [0 365 455] days
--   $as_of = '2025-12-31'
--   $window_days = 90
--   $min_contacts = 4
--   $lookback_days = 365
--   $skip_resolved = true
-- repeat_visits: a case whose contacts number at least $min_contacts within some window of
-- $window_days days ending in the last $lookback_days days.
--
-- Everything up to the final join works on the integer case key ck. The evidence is the
-- contacts of the latest window holding the peak count, and the reason's count, people, dates
-- and levels are theirs; only total_contacts counts every contact in the lookback. Listing
-- every contact of a busy case would cost more than the rest of the rule and store the case's
-- whole history in every run.
WITH k AS NOT MATERIALIZED (
  SELECT ck, contact_date, contact_id, pk, lvl
  FROM "case_contacts"
  WHERE contact_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER) - CAST($window_days AS INTEGER)
),
w AS (
  SELECT ck, contact_date,
         count(*) OVER (PARTITION BY ck ORDER BY contact_date - DATE '2000-01-01'
                        RANGE BETWEEN CAST($window_days AS INTEGER) - 1 PRECEDING AND CURRENT ROW) AS in_window
  FROM k
),
hit AS (
  SELECT ck, min(contact_date) AS first_flagged, max(in_window) AS peak,
         arg_max(contact_date, (in_window, contact_date)) AS peak_to
  FROM w
  WHERE in_window >= $min_contacts
    AND contact_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
  GROUP BY ck
),
ev AS (
  SELECT ck, count(*) AS total_contacts
  FROM k SEMI JOIN hit USING (ck)
  WHERE contact_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
  GROUP BY ck
),
peak_contacts AS (
  SELECT k.*
  FROM k JOIN hit USING (ck)
  WHERE k.contact_date BETWEEN hit.peak_to - CAST($window_days AS INTEGER) + 1 AND hit.peak_to
),
peak AS (
  SELECT ck, count(*) AS contacts, count(DISTINCT pk) AS persons, count(DISTINCT pk) FILTER (WHERE pk < 0) AS unnamed,
         min(contact_date) AS first_contact, max(contact_date) AS last_contact,
         max(lvl) AS top_lvl, max(lvl) - min(lvl) AS levels_climbed
  FROM peak_contacts
  GROUP BY ck
),
-- The peak's contact ids by a window, not list() in a GROUP BY: DuckDB cannot spill a list
-- aggregate's states, and a GROUP BY holds every case's at once.
ids AS (
  SELECT ck, list_sort(list(contact_id) OVER (PARTITION BY ck)) AS contact_ids
  FROM peak_contacts
  QUALIFY row_number() OVER (PARTITION BY ck) = 1
)
SELECT 'case:' || s.case_id AS matter_id, 'case' AS matter_kind,
       [s.case_id] AS case_ids, i.contact_ids,
       h.first_flagged,
       h.peak / $min_contacts AS strength,
       json_object('contacts', p.contacts, 'total_contacts', ev.total_contacts, 'persons', p.persons, 'unnamed', p.unnamed,
                   'window_days', $window_days, 'min_contacts', $min_contacts,
                   'first_contact', p.first_contact, 'last_contact', p.last_contact,
                   'top_level', CASE p.top_lvl WHEN 1 THEN 'county' WHEN 2 THEN 'city' WHEN 3 THEN 'province' WHEN 4 THEN 'national' END, 'levels_climbed', p.levels_climbed,
                   'stage', s.stage)::VARCHAR AS facts
FROM hit h
JOIN ev USING (ck)
JOIN peak p USING (ck)
JOIN ids i USING (ck)
JOIN "case_state" s USING (ck)
WHERE NOT ($skip_resolved AND s.resolved);

-- ------------------------------------------------------------------------------------------------
-- rule group-head-count (group_signal, signal head_count)
--   $as_of = '2025-12-31'
--   $min_people = 5
--   $lookback_days = 365
--   $skip_resolved = true
-- group_signal head_count: one contact of $min_people or more people about a case, in the last
-- $lookback_days days. One flag per case, from its first such contact.
WITH k AS (
  SELECT contact_id, case_id, contact_date, head_count
  FROM contacts
  WHERE case_id IS NOT NULL AND head_count >= $min_people
    AND contact_date <= CAST($as_of AS DATE)
    AND contact_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
)
SELECT 'case:' || k.case_id AS matter_id, 'case' AS matter_kind,
       [k.case_id] AS case_ids,
       list_sort(list(k.contact_id)) AS contact_ids,
       min(k.contact_date) AS first_flagged,
       max(k.head_count) / $min_people AS strength,
       json_object('people', max(k.head_count), 'min_people', $min_people, 'contacts', count(*),
                   'first_date', min(k.contact_date), 'last_date', max(k.contact_date),
                   'stage', any_value(s.stage))::VARCHAR AS facts
FROM k JOIN "case_state" s USING (case_id)
WHERE NOT ($skip_resolved AND s.resolved)
GROUP BY k.case_id;

-- ------------------------------------------------------------------------------------------------
-- rule group-wave (group_signal, signal wave), by group: horizons [0 365] days, windows of 5 days, floor 6, computed in Go with these parameters
--   $as_of = '2025-12-31'
--   $window_days = 5
--   $min_complainants = 6
--   $baseline_days = 56
--   $guard_days = 2
--   $alpha = 0.001
--   $min_mean = 0.1
--   $lookback_days = 365
--   $skip_resolved = true

-- ------------------------------------------------------------------------------------------------
-- rule group-wave, statement 1/4
-- group_signal wave, step 1: the windows that reach the floor. Contacts from at least
-- $min_complainants distinct people on cases that share every group_by field, within some
-- window of $window_days days (no group of a field empty or a placeholder such as Unspecified:
-- .known); each row is a segment of days whose windows hold the same count
-- n, with the group's activity before it: the windows ending on the base_days days of the
-- $baseline_days days that end $guard_days days before the segment's first window (days before
-- the stretch of the records holding the last of them are unknown, not quiet, and left out).
-- all_sum and all_sq sum their counts and squared counts; base_sum and base_sq those of the
-- windows below the floor, and busy_days counts the others (an earlier wave). Go tests n
-- against them (rules/wave.go).
--
-- Distinct people per sliding window, in linear time: each person's contact day d in a group
-- counts towards the windows ending on days d .. d+window-1, cut short where the person's next
-- contact day takes over, so a person counts once per window. Summing +1/-1 at the ends of
-- these intervals gives, per group, segments of days with a constant count.
CREATE OR REPLACE TEMP TABLE "wave_segments" AS
WITH group_values AS (
  -- Numbered, so that DuckDB tests each group's values (.known) rather than every case's.
  -- Screened again for some groups only (rescreen), those of rescreen_groups.
  SELECT *, row_number() OVER () AS n
  FROM (SELECT DISTINCT "township", "category", "target_org" FROM "case_state")
),
groups AS (
  SELECT "township", "category", "target_org", row_number() OVER () AS g FROM group_values s WHERE s."township" <> '' AND NOT (lower(trim(s."township")) IN ('unspecified', 'unknown', 'not specified', 'n/a', 'na', 'none', '无') OR list_has_any(['未注明', '未知', '未分类', '未填', '不详', '不明'], [left(lower(trim(s."township")), 2), left(lower(trim(s."township")), 3)])) AND s."category" <> '' AND NOT (lower(trim(s."category")) IN ('unspecified', 'unknown', 'not specified', 'n/a', 'na', 'none', '无') OR list_has_any(['未注明', '未知', '未分类', '未填', '不详', '不明'], [left(lower(trim(s."category")), 2), left(lower(trim(s."category")), 3)])) AND s."target_org" <> '' AND NOT (lower(trim(s."target_org")) IN ('unspecified', 'unknown', 'not specified', 'n/a', 'na', 'none', '无') OR list_has_any(['未注明', '未知', '未分类', '未填', '不详', '不明'], [left(lower(trim(s."target_org")), 2), left(lower(trim(s."target_org")), 3)]))
),
cg AS (
  SELECT s.ck, groups.g FROM "case_state" s JOIN groups USING ("township", "category", "target_org")
),
kg AS MATERIALIZED (
  SELECT cg.g, k.pk, k.contact_date
  FROM "case_contacts" k JOIN cg USING (ck)
  WHERE k.contact_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER) - CAST($window_days AS INTEGER)
),
blocks AS (
  SELECT g, b, count(*) AS n
  FROM (SELECT DISTINCT g, (contact_date - DATE '2000-01-01') // CAST($window_days AS INTEGER) AS b, pk FROM kg)
  GROUP BY g, b
),
hot AS (
  -- A window of window_days days lies within two consecutive blocks of that length, so a
  -- window holding min_complainants people lies in a pair of blocks that hold them together.
  -- Days outside such pairs cannot be in a triggering window, and dropping them changes no
  -- count that reaches the threshold (a person's interval only grows to cover days no
  -- triggering window holds).
  SELECT DISTINCT b1.g, unnest([b1.b, b1.b + 1]) AS b
  FROM blocks b1 LEFT JOIN blocks b2 ON b2.g = b1.g AND b2.b = b1.b + 1
  WHERE b1.n + coalesce(b2.n, 0) >= $min_complainants
),
iv AS (
  -- A person with several contacts on one day gets empty intervals for all but one of them.
  SELECT g, contact_date AS s,
         least(contact_date + CAST($window_days AS INTEGER) - 1,
               lead(contact_date) OVER (PARTITION BY g, pk ORDER BY contact_date) - 1) AS e
  FROM kg SEMI JOIN hot ON hot.g = kg.g AND hot.b = (kg.contact_date - DATE '2000-01-01') // CAST($window_days AS INTEGER)
),
steps AS (
  SELECT g, t, sum(delta) AS delta
  FROM (SELECT g, s AS t, 1 AS delta FROM iv UNION ALL SELECT g, e + 1, -1 FROM iv)
  GROUP BY g, t
),
counts AS (
  SELECT g, t AS seg_from,
         lead(t) OVER (PARTITION BY g ORDER BY t) - 1 AS seg_to,
         sum(delta) OVER (PARTITION BY g ORDER BY t ROWS UNBOUNDED PRECEDING) AS n
  FROM steps
),
seg AS (
  SELECT g, greatest(seg_from, CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER) + 1) AS seg_from,
         least(seg_to, CAST($as_of AS DATE)) AS seg_to, n
  FROM counts
  WHERE n >= $min_complainants
    AND seg_to > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
    AND seg_from <= CAST($as_of AS DATE)
),
base AS (
  -- Each segment's baseline: the windows ending on the days from base_from to base_to.
  SELECT *, seg_from - CAST($window_days AS INTEGER) - CAST($guard_days AS INTEGER) AS base_to,
         seg_from - CAST($window_days AS INTEGER) - CAST($guard_days AS INTEGER) - CAST($baseline_days AS INTEGER) + 1 AS base_from
  FROM seg
),
kb AS MATERIALIZED (
  -- The contacts of the groups that reach the floor, from a window before the first baseline.
  SELECT cg.g, k.pk, k.contact_date
  FROM "case_contacts" k JOIN cg USING (ck)
  WHERE cg.g IN (SELECT g FROM seg)
    AND k.contact_date > (SELECT min(base_from) FROM base) - CAST($window_days AS INTEGER)
),
biv AS (
  SELECT g, contact_date AS s,
         least(contact_date + CAST($window_days AS INTEGER) - 1,
               lead(contact_date) OVER (PARTITION BY g, pk ORDER BY contact_date) - 1) AS e
  FROM kb
),
bcounts AS (
  -- Their distinct complainants per window, swept as above over every day.
  SELECT g, t AS c_from, lead(t) OVER (PARTITION BY g ORDER BY t) - 1 AS c_to,
         sum(delta) OVER (PARTITION BY g ORDER BY t ROWS UNBOUNDED PRECEDING) AS n
  FROM (SELECT g, t, sum(delta) AS delta
        FROM (SELECT g, s AS t, 1 AS delta FROM biv UNION ALL SELECT g, e + 1, -1 FROM biv)
        GROUP BY g, t)
),
known AS (
  -- The baseline days from the first day of the records' stretch that holds the baseline's last
  -- day (records_from.sql): days before it, and a baseline ending in a gap of the records, are
  -- unknown. A window before a gap is tested against the records before it, as it was when
  -- they were the latest.
  SELECT b.*, CASE WHEN st.s IS NULL THEN b.base_to + 1 ELSE greatest(b.base_from, st.s) END AS known_from
  FROM base b LEFT JOIN (
  SELECT s, coalesce(lead(last_before) OVER (ORDER BY s), CAST($as_of AS DATE)) AS e
  FROM (SELECT d AS s, prev AS last_before
        FROM (SELECT d, lag(d) OVER (ORDER BY d) AS prev
              FROM (SELECT DISTINCT contact_date AS d FROM contacts WHERE contact_date <= CAST($as_of AS DATE)))
        WHERE prev IS NULL OR d - prev > 14)
) st ON b.base_to BETWEEN st.s AND st.e
),
overlap AS (
  -- Days of each baseline whose windows hold n people (n > 0).
  SELECT k.g, k.seg_from, c.n, least(c.c_to, k.base_to) - greatest(c.c_from, k.known_from) + 1 AS d
  FROM known k JOIN bcounts c ON c.g = k.g AND c.n > 0 AND c.c_from <= k.base_to AND c.c_to >= k.known_from
),
usual AS (
  SELECT g, seg_from,
         sum(n * d) AS all_sum, sum(n * n * d) AS all_sq,
         sum(CASE WHEN n < $min_complainants THEN n * d END) AS base_sum,
         sum(CASE WHEN n < $min_complainants THEN n * n * d END) AS base_sq,
         sum(CASE WHEN n >= $min_complainants THEN d END) AS busy_days
  FROM overlap GROUP BY g, seg_from
)
SELECT row_number() OVER (ORDER BY k.g, k.seg_from) AS seg, k.g, groups."township", groups."category", groups."target_org",
       k.seg_from, k.seg_to, k.n,
       greatest(0, k.base_to - k.known_from + 1) AS base_days,
       coalesce(u.all_sum, 0) AS all_sum, coalesce(u.all_sq, 0) AS all_sq,
       coalesce(u.base_sum, 0) AS base_sum, coalesce(u.base_sq, 0) AS base_sq,
       coalesce(u.busy_days, 0) AS busy_days
FROM known k JOIN groups USING (g) LEFT JOIN usual u USING (g, seg_from);

-- ------------------------------------------------------------------------------------------------
-- rule group-wave, statement 2/4
-- group_signal wave, step 1b: the windows of wave_segments for Go to test, with their groups'
-- activity before them.
SELECT seg, n, base_days, all_sum, all_sq, base_sum, base_sq, busy_days FROM "wave_segments";

-- ------------------------------------------------------------------------------------------------
-- rule group-wave, statement 3/4
-- group_signal wave, step 2: the segments of wave_segments whose count is unusual for their
-- group, appended by Go with its test: the expected count of the window under the group's own
-- recent rate, the upper-tail probability of the count and the smallest count that would be
-- unusual, never below $min_complainants (expected and p_value NULL where the baseline was
-- too short to test, needed the floor).
CREATE OR REPLACE TEMP TABLE "wave_tests" (seg BIGINT, expected DOUBLE, p_value DOUBLE, needed INTEGER);

-- ------------------------------------------------------------------------------------------------
-- rule group-wave, statement 4/4
-- group_signal wave, step 3: one flag per episode of a group, a run of unusual windows (the
-- segments of wave_segments that Go kept in wave_tests) less than $window_days days apart. An
-- episode's facts show its most unusual window: its count, the count expected there and the
-- probability of reaching it by chance; and the highest count of any of its windows (peak).
--
-- Its strength is its windows' highest count over the count needed, of the tested windows when
-- any was tested. An episode of windows none of which could be tested (too few days on record
-- before them, at the start of the data) is judged by the floor alone and its strength is at
-- most 1: a count reaching the floor says a group is busy, not that it is busier than usual,
-- and does not rank a matter red by itself.
CREATE OR REPLACE TEMP TABLE "rule_flags" AS
WITH seg AS (
  SELECT s.*, t.expected, t.p_value, t.needed
  FROM "wave_segments" s JOIN "wave_tests" t USING (seg)
),
isl AS (
  SELECT *, sum(CASE WHEN prev_to IS NULL OR seg_from - prev_to >= $window_days THEN 1 ELSE 0 END)
              OVER (PARTITION BY g ORDER BY seg_from) AS episode
  FROM (SELECT *, lag(seg_to) OVER (PARTITION BY g ORDER BY seg_from) AS prev_to FROM seg)
),
e AS (
  SELECT g, episode, min(seg_from) AS first_flagged, max(seg_to) AS last_d,
         coalesce(max(n / needed) FILTER (WHERE p_value IS NOT NULL), least(max(n / needed), 1)) AS strength,
         max(n) AS peak,
         -- The most unusual window: the lowest probability, then the highest count; the
         -- highest count where none was tested.
         arg_min(n, (coalesce(p_value, 2), -n, seg_from)) AS observed,
         arg_min(expected, (coalesce(p_value, 2), -n, seg_from)) AS expected,
         arg_min(p_value, (coalesce(p_value, 2), -n, seg_from)) AS p_value,
         arg_min(base_days, (coalesce(p_value, 2), -n, seg_from)) AS base_days,
         min(seg_from) - CAST($window_days AS INTEGER) + 1 AS span_from
  FROM isl GROUP BY g, episode
),
groups AS (
  SELECT DISTINCT g, "township", "category", "target_org" FROM seg
),
cg AS (
  -- The cases of the flagged groups only.
  SELECT s.ck, groups.g FROM "case_state" s JOIN groups USING ("township", "category", "target_org")
),
k AS (
  -- The contacts of each episode.
  SELECT e.g, e.episode, c.ck, c.contact_id, c.pk, c.contact_date
  FROM e JOIN cg ON cg.g = e.g
  JOIN "case_contacts" c ON c.ck = cg.ck AND c.contact_date BETWEEN e.span_from AND e.last_d
),
ek AS (
  SELECT g, episode, list_sort(list(contact_id)) AS contact_ids, count(*) AS contacts,
         min(contact_date) AS from_d, max(contact_date) AS to_d
  FROM k GROUP BY g, episode
),
ep AS (
  SELECT g, episode, count(*) AS complainants, count(*) FILTER (WHERE pk < 0) AS unnamed
  FROM (SELECT DISTINCT g, episode, pk FROM k WHERE pk IS NOT NULL)
  GROUP BY g, episode
),
ec AS (
  -- group_0, group_1 …: the group's values, which its matter id hashes; group_text shows them.
  SELECT x.g, x.episode, list_sort(list(DISTINCT s.case_id)) AS case_ids, count(DISTINCT s.case_id) AS cases,
         bool_and(s.resolved) AS resolved, any_value(s."township") AS group_0, any_value(s."category") AS group_1, any_value(s."target_org") AS group_2,
         any_value(s."township" || ' / ' || s."category" || ' / ' || s."target_org") AS group_text
  FROM (SELECT DISTINCT g, episode, ck FROM k) x JOIN "case_state" s USING (ck)
  GROUP BY x.g, x.episode
)
SELECT 'group:' || md5(concat_ws(chr(31), 'wave', ec.group_0, ec.group_1, ec.group_2, ek.from_d::VARCHAR))[1:16] AS matter_id,
       'cluster' AS matter_kind,
       ec.case_ids,
       ek.contact_ids,
       e.first_flagged,
       e.strength,
       json_object('complainants', coalesce(ep.complainants, 0), 'unnamed', coalesce(ep.unnamed, 0), 'contacts', ek.contacts,
                   'cases', ec.cases,
                   'window_days', $window_days, 'min_complainants', $min_complainants,
                   'from', ek.from_d, 'to', ek.to_d,
                   'group', ec.group_text,
                   'observed', e.observed, 'peak', e.peak,
                   'expected', e.expected, 'p_value', e.p_value,
                   'baseline_days', CASE WHEN e.p_value IS NOT NULL THEN e.base_days END)::VARCHAR AS facts
FROM e JOIN ek USING (g, episode) JOIN ec USING (g, episode) LEFT JOIN ep USING (g, episode)
WHERE NOT ($skip_resolved AND ec.resolved);

-- ------------------------------------------------------------------------------------------------
-- rule group-wave, by group, statement 1/3
-- The groups a rule by group (signal wave) screens again as of $as_of, when the latest stored
-- run screened as of $prev_as_of and its flags stand for the other groups (see
-- pipeline/rescreen.go), by their group_by values:
--  - the groups of the cases whose records the rule reads changed since (changed_group_cases:
--    new and corrected contacts and cases, and cases whose resolved state changed), and of
--    those received after $prev_as_of;
--  - the groups that may have a window of $min_complainants people or more ending on a day
--    a horizon moved past (h in $horizons, days before the screening date: 0, the screening
--    date itself, whose windows are cut at it; the lookback's start, whose windows leave the
--    period): those with that many people in the contacts of the $window_days days before
--    such a day. A window ending on day d holds the contacts of d - window_days + 1 to d.
-- No other group's windows, baselines or episodes differ between the two dates.
CREATE OR REPLACE TEMP TABLE "rescreen_groups" AS
SELECT "township", "category", "target_org"
FROM cases
WHERE case_id IN (SELECT case_id FROM "changed_group_cases")
   OR received_date > CAST($prev_as_of AS DATE) AND received_date <= CAST($as_of AS DATE)
UNION
SELECT "township", "category", "target_org"
FROM (SELECT b.h, s."township", s."category", s."target_org", count(DISTINCT coalesce(k.pk, 0)) AS people
      FROM "case_contacts" k JOIN "case_state" s USING (ck),
           (SELECT unnest(CAST($horizons AS INTEGER[])) AS h) b
      WHERE k.contact_date > CAST($prev_as_of AS DATE) - b.h - CAST($window_days AS INTEGER)
        AND k.contact_date <= CAST($as_of AS DATE) - b.h
      GROUP BY ALL)
WHERE people >= $min_complainants;

-- ------------------------------------------------------------------------------------------------
-- rule group-wave, by group, statement 2/3
-- Their cases: the flags of the latest stored run that stand are those of no such case.
CREATE OR REPLACE TEMP TABLE "rescreen_group_cases" AS
SELECT case_id FROM cases SEMI JOIN "rescreen_groups" USING ("township", "category", "target_org");

-- ------------------------------------------------------------------------------------------------
-- rule group-wave, by group, statement 3/3
-- group_signal wave, step 1: the windows that reach the floor. Contacts from at least
-- $min_complainants distinct people on cases that share every group_by field, within some
-- window of $window_days days (no group of a field empty or a placeholder such as Unspecified:
-- .known); each row is a segment of days whose windows hold the same count
-- n, with the group's activity before it: the windows ending on the base_days days of the
-- $baseline_days days that end $guard_days days before the segment's first window (days before
-- the stretch of the records holding the last of them are unknown, not quiet, and left out).
-- all_sum and all_sq sum their counts and squared counts; base_sum and base_sq those of the
-- windows below the floor, and busy_days counts the others (an earlier wave). Go tests n
-- against them (rules/wave.go).
--
-- Distinct people per sliding window, in linear time: each person's contact day d in a group
-- counts towards the windows ending on days d .. d+window-1, cut short where the person's next
-- contact day takes over, so a person counts once per window. Summing +1/-1 at the ends of
-- these intervals gives, per group, segments of days with a constant count.
CREATE OR REPLACE TEMP TABLE "wave_segments" AS
WITH group_values AS (
  -- Numbered, so that DuckDB tests each group's values (.known) rather than every case's.
  -- Screened again for some groups only (rescreen), those of rescreen_groups.
  SELECT *, row_number() OVER () AS n
  FROM (SELECT DISTINCT "township", "category", "target_org" FROM "case_state" SEMI JOIN "rescreen_groups" USING ("township", "category", "target_org"))
),
groups AS (
  SELECT "township", "category", "target_org", row_number() OVER () AS g FROM group_values s WHERE s."township" <> '' AND NOT (lower(trim(s."township")) IN ('unspecified', 'unknown', 'not specified', 'n/a', 'na', 'none', '无') OR list_has_any(['未注明', '未知', '未分类', '未填', '不详', '不明'], [left(lower(trim(s."township")), 2), left(lower(trim(s."township")), 3)])) AND s."category" <> '' AND NOT (lower(trim(s."category")) IN ('unspecified', 'unknown', 'not specified', 'n/a', 'na', 'none', '无') OR list_has_any(['未注明', '未知', '未分类', '未填', '不详', '不明'], [left(lower(trim(s."category")), 2), left(lower(trim(s."category")), 3)])) AND s."target_org" <> '' AND NOT (lower(trim(s."target_org")) IN ('unspecified', 'unknown', 'not specified', 'n/a', 'na', 'none', '无') OR list_has_any(['未注明', '未知', '未分类', '未填', '不详', '不明'], [left(lower(trim(s."target_org")), 2), left(lower(trim(s."target_org")), 3)]))
),
cg AS (
  SELECT s.ck, groups.g FROM "case_state" s JOIN groups USING ("township", "category", "target_org")
),
kg AS MATERIALIZED (
  SELECT cg.g, k.pk, k.contact_date
  FROM "case_contacts" k JOIN cg USING (ck)
  WHERE k.contact_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER) - CAST($window_days AS INTEGER)
),
blocks AS (
  SELECT g, b, count(*) AS n
  FROM (SELECT DISTINCT g, (contact_date - DATE '2000-01-01') // CAST($window_days AS INTEGER) AS b, pk FROM kg)
  GROUP BY g, b
),
hot AS (
  -- A window of window_days days lies within two consecutive blocks of that length, so a
  -- window holding min_complainants people lies in a pair of blocks that hold them together.
  -- Days outside such pairs cannot be in a triggering window, and dropping them changes no
  -- count that reaches the threshold (a person's interval only grows to cover days no
  -- triggering window holds).
  SELECT DISTINCT b1.g, unnest([b1.b, b1.b + 1]) AS b
  FROM blocks b1 LEFT JOIN blocks b2 ON b2.g = b1.g AND b2.b = b1.b + 1
  WHERE b1.n + coalesce(b2.n, 0) >= $min_complainants
),
iv AS (
  -- A person with several contacts on one day gets empty intervals for all but one of them.
  SELECT g, contact_date AS s,
         least(contact_date + CAST($window_days AS INTEGER) - 1,
               lead(contact_date) OVER (PARTITION BY g, pk ORDER BY contact_date) - 1) AS e
  FROM kg SEMI JOIN hot ON hot.g = kg.g AND hot.b = (kg.contact_date - DATE '2000-01-01') // CAST($window_days AS INTEGER)
),
steps AS (
  SELECT g, t, sum(delta) AS delta
  FROM (SELECT g, s AS t, 1 AS delta FROM iv UNION ALL SELECT g, e + 1, -1 FROM iv)
  GROUP BY g, t
),
counts AS (
  SELECT g, t AS seg_from,
         lead(t) OVER (PARTITION BY g ORDER BY t) - 1 AS seg_to,
         sum(delta) OVER (PARTITION BY g ORDER BY t ROWS UNBOUNDED PRECEDING) AS n
  FROM steps
),
seg AS (
  SELECT g, greatest(seg_from, CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER) + 1) AS seg_from,
         least(seg_to, CAST($as_of AS DATE)) AS seg_to, n
  FROM counts
  WHERE n >= $min_complainants
    AND seg_to > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
    AND seg_from <= CAST($as_of AS DATE)
),
base AS (
  -- Each segment's baseline: the windows ending on the days from base_from to base_to.
  SELECT *, seg_from - CAST($window_days AS INTEGER) - CAST($guard_days AS INTEGER) AS base_to,
         seg_from - CAST($window_days AS INTEGER) - CAST($guard_days AS INTEGER) - CAST($baseline_days AS INTEGER) + 1 AS base_from
  FROM seg
),
kb AS MATERIALIZED (
  -- The contacts of the groups that reach the floor, from a window before the first baseline.
  SELECT cg.g, k.pk, k.contact_date
  FROM "case_contacts" k JOIN cg USING (ck)
  WHERE cg.g IN (SELECT g FROM seg)
    AND k.contact_date > (SELECT min(base_from) FROM base) - CAST($window_days AS INTEGER)
),
biv AS (
  SELECT g, contact_date AS s,
         least(contact_date + CAST($window_days AS INTEGER) - 1,
               lead(contact_date) OVER (PARTITION BY g, pk ORDER BY contact_date) - 1) AS e
  FROM kb
),
bcounts AS (
  -- Their distinct complainants per window, swept as above over every day.
  SELECT g, t AS c_from, lead(t) OVER (PARTITION BY g ORDER BY t) - 1 AS c_to,
         sum(delta) OVER (PARTITION BY g ORDER BY t ROWS UNBOUNDED PRECEDING) AS n
  FROM (SELECT g, t, sum(delta) AS delta
        FROM (SELECT g, s AS t, 1 AS delta FROM biv UNION ALL SELECT g, e + 1, -1 FROM biv)
        GROUP BY g, t)
),
known AS (
  -- The baseline days from the first day of the records' stretch that holds the baseline's last
  -- day (records_from.sql): days before it, and a baseline ending in a gap of the records, are
  -- unknown. A window before a gap is tested against the records before it, as it was when
  -- they were the latest.
  SELECT b.*, CASE WHEN st.s IS NULL THEN b.base_to + 1 ELSE greatest(b.base_from, st.s) END AS known_from
  FROM base b LEFT JOIN (
  SELECT s, coalesce(lead(last_before) OVER (ORDER BY s), CAST($as_of AS DATE)) AS e
  FROM (SELECT d AS s, prev AS last_before
        FROM (SELECT d, lag(d) OVER (ORDER BY d) AS prev
              FROM (SELECT DISTINCT contact_date AS d FROM contacts WHERE contact_date <= CAST($as_of AS DATE)))
        WHERE prev IS NULL OR d - prev > 14)
) st ON b.base_to BETWEEN st.s AND st.e
),
overlap AS (
  -- Days of each baseline whose windows hold n people (n > 0).
  SELECT k.g, k.seg_from, c.n, least(c.c_to, k.base_to) - greatest(c.c_from, k.known_from) + 1 AS d
  FROM known k JOIN bcounts c ON c.g = k.g AND c.n > 0 AND c.c_from <= k.base_to AND c.c_to >= k.known_from
),
usual AS (
  SELECT g, seg_from,
         sum(n * d) AS all_sum, sum(n * n * d) AS all_sq,
         sum(CASE WHEN n < $min_complainants THEN n * d END) AS base_sum,
         sum(CASE WHEN n < $min_complainants THEN n * n * d END) AS base_sq,
         sum(CASE WHEN n >= $min_complainants THEN d END) AS busy_days
  FROM overlap GROUP BY g, seg_from
)
SELECT row_number() OVER (ORDER BY k.g, k.seg_from) AS seg, k.g, groups."township", groups."category", groups."target_org",
       k.seg_from, k.seg_to, k.n,
       greatest(0, k.base_to - k.known_from + 1) AS base_days,
       coalesce(u.all_sum, 0) AS all_sum, coalesce(u.all_sq, 0) AS all_sq,
       coalesce(u.base_sum, 0) AS base_sum, coalesce(u.base_sq, 0) AS base_sq,
       coalesce(u.busy_days, 0) AS busy_days
FROM known k JOIN groups USING (g) LEFT JOIN usual u USING (g, seg_from);

-- ------------------------------------------------------------------------------------------------
-- rule group-copied-letters (group_signal, signal copied_letters)
--   $as_of = '2025-12-31'
--   $channels = ['letter', 'online']
--   $min_complainants = 3
--   $min_chars = 20
--   $window_days = 30
--   $lookback_days = 365
--   $skip_resolved = true
-- group_signal copied_letters with similarity 1: cases from at least $min_complainants distinct
-- complainants, on one of $channels, whose contents are equal once reduced to their letters
-- (digits, punctuation and spaces dropped, lower-cased), received with gaps of at most
-- $window_days days. One flag per episode of a text, from the day its $min_complainants-th
-- complainant wrote. Its township and category: copied_most.sql.
WITH c AS (
  -- The letters, reduced before screening (table case_letters, see letters_table.sql).
  SELECT s.ck, s.case_id, s.received_date, s.complainant_id, s.township, s.category, s.channel, s.resolved,
         l.h, l.letters_len
  FROM cases c JOIN "case_state" s ON s.ck = c.rowid JOIN case_letters l ON l.case_id = c.case_id
  WHERE c.content IS NOT NULL
    AND list_contains($channels, c.channel)
    AND s.received_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
),
g AS (
  SELECT *, sum(CASE WHEN prev IS NULL OR received_date - prev > $window_days THEN 1 ELSE 0 END)
              OVER (PARTITION BY h ORDER BY received_date, case_id) AS episode
  FROM (SELECT *, lag(received_date) OVER (PARTITION BY h ORDER BY received_date, case_id) AS prev
        FROM c WHERE letters_len >= $min_chars
          AND h IN (SELECT h FROM c GROUP BY h HAVING count(DISTINCT complainant_id) >= $min_complainants))
),
firsts AS (
  SELECT h, episode, complainant_id, min(received_date) AS d FROM g GROUP BY ALL
),
cl AS (
  SELECT h, episode, list_sort(list(d))[$min_complainants] AS first_flagged, count(*) AS complainants,
         count(*) FILTER (WHERE starts_with(complainant_id, 'U:')) AS unnamed
  FROM firsts GROUP BY h, episode
  HAVING count(*) >= $min_complainants
),
members AS (
  SELECT g.* FROM g SEMI JOIN cl USING (h, episode)
),
most AS (
  SELECT h, episode,
         arg_max(township, (nt, township)) FILTER (WHERE township IS NOT NULL) AS township, count(DISTINCT township) AS townships,
         arg_max(category, (nc, category)) FILTER (WHERE category IS NOT NULL) AS category, count(DISTINCT category) AS categories,
         CASE WHEN count(DISTINCT channel) = 1 THEN any_value(channel) ELSE 'mixed' END AS channel
  FROM (SELECT h, episode, township, category, channel,
               count(*) OVER (PARTITION BY h, episode, township) AS nt,
               count(*) OVER (PARTITION BY h, episode, category) AS nc
        FROM members)
  GROUP BY ALL
),
mc AS (
  SELECT m.h, m.episode, list_sort(list(k.contact_id)) AS contact_ids
  FROM members m JOIN "case_contacts" k USING (ck)
  GROUP BY ALL
)
SELECT 'group:' || md5(concat_ws(chr(31), 'copied', m.h, min(m.received_date)::VARCHAR))[1:16] AS matter_id,
       'cluster' AS matter_kind,
       list_sort(list(m.case_id)) AS case_ids,
       coalesce(any_value(mc.contact_ids), []::VARCHAR[]) AS contact_ids,
       cl.first_flagged,
       cl.complainants / $min_complainants AS strength,
       json_object('complainants', cl.complainants, 'unnamed', cl.unnamed, 'letters', count(*), 'min_complainants', $min_complainants,
                   'from', min(m.received_date), 'to', max(m.received_date),
                   'township', any_value(most.township), 'townships', any_value(most.townships),
                   'category', any_value(most.category), 'categories', any_value(most.categories),
                   'channel', any_value(most.channel))::VARCHAR AS facts
FROM members m JOIN cl USING (h, episode) JOIN most USING (h, episode) LEFT JOIN mc USING (h, episode)
GROUP BY m.h, m.episode, cl.first_flagged, cl.complainants, cl.unnamed
HAVING NOT ($skip_resolved AND bool_and(m.resolved));

-- ------------------------------------------------------------------------------------------------
-- rule group-baseline (group_signal, signal baseline), computed in Go with these parameters
--   $as_of = '2025-12-31'
--   $method = 'ears'
--   $group_by = 'township,category'
--   $baseline_days = 28
--   $guard_days = 2
--   $window_days = 3
--   $min_complainants = 3
--   $lookback_days = 365
--   $skip_resolved = true
--   $k = 5.5
--   $min_sd = 0.5

-- ------------------------------------------------------------------------------------------------
-- rule group-baseline, statement 1/6
-- group_signal baseline: the first day of the records' latest stretch (records_from.sql). Days
-- before it are unknown, not quiet: a stratum's daily series starts there at the earliest.
SELECT (SELECT max(s) FROM (
  SELECT s, coalesce(lead(last_before) OVER (ORDER BY s), CAST($as_of AS DATE)) AS e
  FROM (SELECT d AS s, prev AS last_before
        FROM (SELECT d, lag(d) OVER (ORDER BY d) AS prev
              FROM (SELECT DISTINCT contact_date AS d FROM contacts WHERE contact_date <= CAST($as_of AS DATE)))
        WHERE prev IS NULL OR d - prev > 14)
));

-- ------------------------------------------------------------------------------------------------
-- rule group-baseline, statement 2/6
-- group_signal baseline: the strata of the screened cases, numbered g = 0, 1 … in order; none
-- of a field empty or a placeholder such as 未注明区县 (.known): their cases share no place.
CREATE OR REPLACE TEMP TABLE "baseline_strata" AS
WITH group_values AS (
  -- Numbered, so that DuckDB tests each group's values (.known) rather than every case's.
  SELECT *, row_number() OVER () AS n FROM (SELECT DISTINCT "township", "category" FROM "case_state")
)
SELECT stratum, row_number() OVER (ORDER BY stratum) - 1 AS g
FROM (SELECT DISTINCT concat_ws(chr(31), coalesce(s."township", ''), coalesce(s."category", '')) AS stratum FROM group_values s WHERE s."township" <> '' AND NOT (lower(trim(s."township")) IN ('unspecified', 'unknown', 'not specified', 'n/a', 'na', 'none', '无') OR list_has_any(['未注明', '未知', '未分类', '未填', '不详', '不明'], [left(lower(trim(s."township")), 2), left(lower(trim(s."township")), 3)])) AND s."category" <> '' AND NOT (lower(trim(s."category")) IN ('unspecified', 'unknown', 'not specified', 'n/a', 'na', 'none', '无') OR list_has_any(['未注明', '未知', '未分类', '未填', '不详', '不明'], [left(lower(trim(s."category")), 2), left(lower(trim(s."category")), 3)])));

-- ------------------------------------------------------------------------------------------------
-- rule group-baseline, statement 3/6
-- group_signal baseline: the strata in order of g.
SELECT stratum FROM "baseline_strata" ORDER BY g;

-- ------------------------------------------------------------------------------------------------
-- rule group-baseline, statement 4/6
-- group_signal baseline: each stratum's distinct complainants on each day from $start that had
-- any, as integers: the stratum's g, the day's offset from $start and the count. Go zero-fills
-- the other days.
WITH cg AS (
  SELECT s.ck, bs.g FROM "case_state" s JOIN "baseline_strata" bs ON bs.stratum = concat_ws(chr(31), coalesce(s."township", ''), coalesce(s."category", ''))
)
SELECT g, CAST(contact_date - CAST($start AS DATE) AS INTEGER), count(DISTINCT t.pk)
FROM "case_contacts" t JOIN cg USING (ck)
WHERE t.contact_date >= CAST($start AS DATE)
GROUP BY ALL;

-- ------------------------------------------------------------------------------------------------
-- rule group-baseline, statement 5/6
-- group_signal baseline: the alarm episodes Go found, appended to this table: a run of alarm
-- days of one stratum, the later ones within a window of the earlier, and the strongest alarm's
-- day (peak_to, the last day of its window) and numbers.
CREATE OR REPLACE TEMP TABLE "baseline_episodes" (
  stratum VARCHAR, first_alarm DATE, from_day DATE, to_day DATE, peak_to DATE, observed INTEGER, expected DOUBLE, strength DOUBLE);

-- ------------------------------------------------------------------------------------------------
-- rule group-baseline, statement 6/6
-- group_signal baseline: one flag per alarm episode, with the contacts of its days as evidence.
-- complainants and cases count the whole episode; peak_complainants the distinct people of the
-- strongest alarm's window (peak_from to peak_to), whose daily counts summed are observed.
CREATE OR REPLACE TEMP TABLE "rule_flags" AS
WITH ev AS (
  SELECT e.*, e.peak_to - CAST($window_days AS INTEGER) + 1 AS peak_from,
         t.contact_id, t.contact_date, s.case_id, t.pk, s.resolved
  FROM "baseline_episodes" e
  JOIN "case_state" s ON concat_ws(chr(31), coalesce(s."township", ''), coalesce(s."category", '')) = e.stratum
  JOIN "case_contacts" t ON t.ck = s.ck AND t.contact_date BETWEEN e.from_day AND e.to_day
)
SELECT 'group:' || md5(concat_ws(chr(31), 'baseline', stratum, first_alarm::VARCHAR))[1:16] AS matter_id,
       'cluster' AS matter_kind,
       list_sort(list(DISTINCT case_id)) AS case_ids,
       list_sort(list(DISTINCT contact_id)) AS contact_ids,
       first_alarm AS first_flagged,
       any_value(strength) AS strength,
       json_object('complainants', count(DISTINCT pk), 'unnamed', count(DISTINCT pk) FILTER (WHERE pk < 0),
                   'cases', count(DISTINCT case_id),
                   'observed', any_value(observed), 'expected', round(any_value(expected), 1),
                   'window_days', $window_days, 'baseline_days', $baseline_days,
                   'from', any_value(from_day), 'to', any_value(to_day),
                   'peak_from', any_value(peak_from), 'peak_to', any_value(peak_to),
                   'peak_complainants', count(DISTINCT pk) FILTER (WHERE contact_date BETWEEN peak_from AND peak_to),
                   'group', replace(stratum, chr(31), ' / '), 'method', $method)::VARCHAR AS facts
FROM ev
GROUP BY stratum, first_alarm
HAVING NOT ($skip_resolved AND bool_and(resolved));

-- ------------------------------------------------------------------------------------------------
-- rule group-baseline-negbin (group_signal, signal baseline), disabled in the config, computed in Go with these parameters
--   $as_of = '2025-12-31'
--   $method = 'negbin'
--   $group_by = 'township,category'
--   $baseline_days = 28
--   $guard_days = 2
--   $window_days = 3
--   $min_complainants = 3
--   $lookback_days = 365
--   $skip_resolved = true
--   $alpha = 0.0002
--   $min_mean = 0.2

-- ------------------------------------------------------------------------------------------------
-- rule group-baseline-negbin, statement 1/6
-- group_signal baseline: the first day of the records' latest stretch (records_from.sql). Days
-- before it are unknown, not quiet: a stratum's daily series starts there at the earliest.
SELECT (SELECT max(s) FROM (
  SELECT s, coalesce(lead(last_before) OVER (ORDER BY s), CAST($as_of AS DATE)) AS e
  FROM (SELECT d AS s, prev AS last_before
        FROM (SELECT d, lag(d) OVER (ORDER BY d) AS prev
              FROM (SELECT DISTINCT contact_date AS d FROM contacts WHERE contact_date <= CAST($as_of AS DATE)))
        WHERE prev IS NULL OR d - prev > 14)
));

-- ------------------------------------------------------------------------------------------------
-- rule group-baseline-negbin, statement 2/6
-- group_signal baseline: the strata of the screened cases, numbered g = 0, 1 … in order; none
-- of a field empty or a placeholder such as 未注明区县 (.known): their cases share no place.
CREATE OR REPLACE TEMP TABLE "baseline_strata" AS
WITH group_values AS (
  -- Numbered, so that DuckDB tests each group's values (.known) rather than every case's.
  SELECT *, row_number() OVER () AS n FROM (SELECT DISTINCT "township", "category" FROM "case_state")
)
SELECT stratum, row_number() OVER (ORDER BY stratum) - 1 AS g
FROM (SELECT DISTINCT concat_ws(chr(31), coalesce(s."township", ''), coalesce(s."category", '')) AS stratum FROM group_values s WHERE s."township" <> '' AND NOT (lower(trim(s."township")) IN ('unspecified', 'unknown', 'not specified', 'n/a', 'na', 'none', '无') OR list_has_any(['未注明', '未知', '未分类', '未填', '不详', '不明'], [left(lower(trim(s."township")), 2), left(lower(trim(s."township")), 3)])) AND s."category" <> '' AND NOT (lower(trim(s."category")) IN ('unspecified', 'unknown', 'not specified', 'n/a', 'na', 'none', '无') OR list_has_any(['未注明', '未知', '未分类', '未填', '不详', '不明'], [left(lower(trim(s."category")), 2), left(lower(trim(s."category")), 3)])));

-- ------------------------------------------------------------------------------------------------
-- rule group-baseline-negbin, statement 3/6
-- group_signal baseline: the strata in order of g.
SELECT stratum FROM "baseline_strata" ORDER BY g;

-- ------------------------------------------------------------------------------------------------
-- rule group-baseline-negbin, statement 4/6
-- group_signal baseline: each stratum's distinct complainants on each day from $start that had
-- any, as integers: the stratum's g, the day's offset from $start and the count. Go zero-fills
-- the other days.
WITH cg AS (
  SELECT s.ck, bs.g FROM "case_state" s JOIN "baseline_strata" bs ON bs.stratum = concat_ws(chr(31), coalesce(s."township", ''), coalesce(s."category", ''))
)
SELECT g, CAST(contact_date - CAST($start AS DATE) AS INTEGER), count(DISTINCT t.pk)
FROM "case_contacts" t JOIN cg USING (ck)
WHERE t.contact_date >= CAST($start AS DATE)
GROUP BY ALL;

-- ------------------------------------------------------------------------------------------------
-- rule group-baseline-negbin, statement 5/6
-- group_signal baseline: the alarm episodes Go found, appended to this table: a run of alarm
-- days of one stratum, the later ones within a window of the earlier, and the strongest alarm's
-- day (peak_to, the last day of its window) and numbers.
CREATE OR REPLACE TEMP TABLE "baseline_episodes" (
  stratum VARCHAR, first_alarm DATE, from_day DATE, to_day DATE, peak_to DATE, observed INTEGER, expected DOUBLE, strength DOUBLE);

-- ------------------------------------------------------------------------------------------------
-- rule group-baseline-negbin, statement 6/6
-- group_signal baseline: one flag per alarm episode, with the contacts of its days as evidence.
-- complainants and cases count the whole episode; peak_complainants the distinct people of the
-- strongest alarm's window (peak_from to peak_to), whose daily counts summed are observed.
CREATE OR REPLACE TEMP TABLE "rule_flags" AS
WITH ev AS (
  SELECT e.*, e.peak_to - CAST($window_days AS INTEGER) + 1 AS peak_from,
         t.contact_id, t.contact_date, s.case_id, t.pk, s.resolved
  FROM "baseline_episodes" e
  JOIN "case_state" s ON concat_ws(chr(31), coalesce(s."township", ''), coalesce(s."category", '')) = e.stratum
  JOIN "case_contacts" t ON t.ck = s.ck AND t.contact_date BETWEEN e.from_day AND e.to_day
)
SELECT 'group:' || md5(concat_ws(chr(31), 'baseline', stratum, first_alarm::VARCHAR))[1:16] AS matter_id,
       'cluster' AS matter_kind,
       list_sort(list(DISTINCT case_id)) AS case_ids,
       list_sort(list(DISTINCT contact_id)) AS contact_ids,
       first_alarm AS first_flagged,
       any_value(strength) AS strength,
       json_object('complainants', count(DISTINCT pk), 'unnamed', count(DISTINCT pk) FILTER (WHERE pk < 0),
                   'cases', count(DISTINCT case_id),
                   'observed', any_value(observed), 'expected', round(any_value(expected), 1),
                   'window_days', $window_days, 'baseline_days', $baseline_days,
                   'from', any_value(from_day), 'to', any_value(to_day),
                   'peak_from', any_value(peak_from), 'peak_to', any_value(peak_to),
                   'peak_complainants', count(DISTINCT pk) FILTER (WHERE contact_date BETWEEN peak_from AND peak_to),
                   'group', replace(stratum, chr(31), ' / '), 'method', $method)::VARCHAR AS facts
FROM ev
GROUP BY stratum, first_alarm
HAVING NOT ($skip_resolved AND bool_and(resolved));

-- ------------------------------------------------------------------------------------------------
-- rule group-hot-issue (group_signal, signal hot_issue), computed in Go with these parameters
--   $as_of = '2025-12-31'
--   $window_days = 30
--   $min_complainants = 8
--   $similarity = 0.15
--   $baseline_days = 180
--   $alpha = 0.001
--   $min_mean = 0.01
--   $lookback_days = 365
--   $skip_resolved = true
--   $place_fields = ['village', 'target_org']

-- ------------------------------------------------------------------------------------------------
-- rule group-hot-issue, statement 1/21
-- group_signal hot_issue, step 1a: the places named in the text of each case with a contact
-- (or, without one, received) in the period the rule reads, its $lookback_days days and the
-- $baseline_days days before them, in the order they are written, kept in the order of the
-- cases' rows so that each range of them (hot_mentions.sql) reads only its own: case_places is
-- joined once, not once a range. case_places is filled by the pipeline before screening
-- (pipeline/places.go); in_subject: the mention is on the text's first line, a message board's
-- subject; written, the mention as written when that is not its name (a gazetteer alias),
-- masked with the names from the case's topic text. A case whose own fields name its place (any
-- of $place_fields filled) is left out.
CREATE OR REPLACE TEMP TABLE "hot_mentions" AS
SELECT s.ck, p.ord, p.key, p.name, p.kind, coalesce(p.context, '') AS context, p.in_subject,
       coalesce(p.written, '') AS written
FROM "case_state" s JOIN case_places p ON p.case_id = s.case_id
WHERE p.key IS NOT NULL
  AND NOT (list_contains($place_fields, 'village') AND coalesce(s.village, '') <> '')
  AND NOT (list_contains($place_fields, 'target_org') AND coalesce(s.target_org, '') <> '')
  AND coalesce(s.last_contact, s.received_date) > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER) - CAST($baseline_days AS INTEGER)
ORDER BY s.ck, p.ord;

-- ------------------------------------------------------------------------------------------------
-- rule group-hot-issue, statement 2/21
-- group_signal hot_issue, step 1: the places named in the text of each case with a contact
-- (or, without one, received) in the period the rule reads, its $lookback_days days and the
-- $baseline_days days before them, in the order they are written, one range of cases' rows
-- ($from to $to) at a time, as hot_doc_texts.sql: those of hot_mention_rows.sql. Go picks each case's
-- primary place (rules/hot_place.go).
SELECT ck, key, name, kind, context, in_subject, written
FROM "hot_mentions"
WHERE ck BETWEEN $from AND $to
ORDER BY ck, ord;

-- ------------------------------------------------------------------------------------------------
-- rule group-hot-issue, statement 3/21
-- group_signal hot_issue, step 2: the contacts in the period the rule reads of the cases of
-- hot_mentions (those whose text names a place the rule counts them for), and the first day of
-- the records' latest stretch (records_from.sql: days before it are unknown, not quiet); days as
-- days since 1970-01-01, which Go reads far faster than dates. The driver holds the whole
-- result until Go has read it: the cases whose own fields name their place are not read.
SELECT k.ck, k.pk, CAST(k.contact_date - DATE '1970-01-01' AS INTEGER) AS day,
       CAST((SELECT max(s) FROM (
  SELECT s, coalesce(lead(last_before) OVER (ORDER BY s), CAST($as_of AS DATE)) AS e
  FROM (SELECT d AS s, prev AS last_before
        FROM (SELECT d, lag(d) OVER (ORDER BY d) AS prev
              FROM (SELECT DISTINCT contact_date AS d FROM contacts WHERE contact_date <= CAST($as_of AS DATE)))
        WHERE prev IS NULL OR d - prev > 14)
)) - DATE '1970-01-01' AS INTEGER) AS first_day
FROM "case_contacts" k
WHERE k.contact_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER) - CAST($baseline_days AS INTEGER)
  AND k.ck IN (SELECT ck FROM "hot_mentions");

-- ------------------------------------------------------------------------------------------------
-- rule group-hot-issue, statement 4/21
-- group_signal hot_issue's document frequencies, kept between runs when the caller allows it
-- (rules.KeepCounts): hot_doc_texts, the text key of every case whose text they count
-- (hot_doc_keys.sql); hot_doc_freq, one row: how many texts (docs) and the count of each hashed
-- n-gram (df: topicBuckets little-endian 32-bit integers). The two always agree: a run stores
-- both in its own transaction, or neither.
CREATE TABLE IF NOT EXISTS hot_doc_texts (text_key UBIGINT);

-- ------------------------------------------------------------------------------------------------
-- rule group-hot-issue, statement 5/21
CREATE TABLE IF NOT EXISTS hot_doc_freq (docs BIGINT, df BLOB);

-- ------------------------------------------------------------------------------------------------
-- rule group-hot-issue, statement 6/21
-- group_signal hot_issue, step 3a: every screened case with a text, by row (ck), with its text
-- key and whether it is in the period the rule reads (as hot_mention_rows.sql). The key hashes
-- the case's id and all that its n-grams in the document frequencies depend on: its text and
-- its places as the extraction found them (case_places' text hash, of the text and the
-- extraction's version: the pipeline reads every text for places before screening, and a case
-- without a text has no row there), whether its own fields name its place (then its text names
-- none: hot_mention_rows.sql), and $version, that of the n-gram code. Two runs that count a
-- key count the same n-grams for it.
CREATE OR REPLACE TEMP TABLE "hot_doc_keys" AS
SELECT s.ck,
       hash(CAST($version AS INTEGER), s.case_id, p.text_hash,
            list_contains($place_fields, 'village') AND coalesce(s.village, '') <> ''
            OR list_contains($place_fields, 'target_org') AND coalesce(s.target_org, '') <> '') AS text_key,
       coalesce(s.last_contact, s.received_date) > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER) - CAST($baseline_days AS INTEGER) AS in_period
FROM "case_state" s JOIN case_places p ON p.case_id = s.case_id AND p.ord <= 1;

-- ------------------------------------------------------------------------------------------------
-- rule group-hot-issue, statement 7/21
-- group_signal hot_issue, step 3b (every text counted): the texts to read are those of the
-- period, each added to the document frequencies (op 1).
CREATE OR REPLACE TEMP TABLE "hot_doc_read" AS
SELECT ck, text_key, 1 AS op FROM "hot_doc_keys" WHERE in_period;

-- ------------------------------------------------------------------------------------------------
-- rule group-hot-issue, statement 8/21
-- group_signal hot_issue, step 3b (the document frequencies kept from an earlier run): the texts
-- to read are those the kept counts lack, added (op 1): the period's keys they do not hold; and
-- those they hold and should not, taken out (op -1): each key they hold that is not the period's.
-- A key taken out that is no case's now (ck NULL: the case's text or places changed since, or it
-- is gone) cannot be read as it was counted: then every text is counted again (hot_doc_all.sql).
CREATE OR REPLACE TEMP TABLE "hot_doc_read" AS
SELECT k.ck, k.text_key, 1 AS op
FROM "hot_doc_keys" k
WHERE k.in_period AND k.text_key NOT IN (SELECT text_key FROM hot_doc_texts)
UNION ALL
SELECT k.ck, t.text_key, -1 AS op
FROM hot_doc_texts t LEFT JOIN "hot_doc_keys" k USING (text_key)
WHERE k.in_period IS NOT TRUE;

-- ------------------------------------------------------------------------------------------------
-- rule group-hot-issue, statement 9/21
-- group_signal hot_issue, step 3c: the cases of the places that may hold a hot issue (Go fills
-- it), whose texts the rule reads for their places' topics.
CREATE OR REPLACE TEMP TABLE "hot_candidates" (ck BIGINT);

-- ------------------------------------------------------------------------------------------------
-- rule group-hot-issue, statement 10/21
-- group_signal hot_issue, step 3c: the cases of the places that may hold a hot issue
-- (hot_candidates.sql) are read too, for their places' topics: those hot_doc_read does not hold
-- yet with op 0.
INSERT INTO "hot_doc_read"
SELECT k.ck, k.text_key, 0 AS op
FROM "hot_candidates" c JOIN "hot_doc_keys" k USING (ck)
WHERE NOT EXISTS (SELECT 1 FROM "hot_doc_read" d WHERE d.ck = c.ck);

-- ------------------------------------------------------------------------------------------------
-- rule group-hot-issue, statement 11/21
-- group_signal hot_issue, step 3c: the places named in the text of each case taken out of the
-- kept document frequencies (hot_doc_read's op -1), as hot_mention_rows.sql reads them for the
-- cases of the period: the names masked from its text when it was counted.
SELECT d.ck, p.key, p.name, p.kind, coalesce(p.context, '') AS context, p.in_subject, coalesce(p.written, '') AS written
FROM "hot_doc_read" d JOIN "case_state" s ON s.ck = d.ck JOIN case_places p ON p.case_id = s.case_id
WHERE d.op = -1 AND p.key IS NOT NULL
  AND NOT (list_contains($place_fields, 'village') AND coalesce(s.village, '') <> '')
  AND NOT (list_contains($place_fields, 'target_org') AND coalesce(s.target_org, '') <> '')
ORDER BY d.ck, p.ord;

-- ------------------------------------------------------------------------------------------------
-- rule group-hot-issue, statement 12/21
-- group_signal hot_issue, step 3c: the text of each case of hot_doc_read, with what to do with
-- it (op: 1 add it to the document frequencies, -1 take it out, 0 keep it only for its place's
-- topics), one range of rows ($from to $to) at a time: the driver holds a query's whole result
-- until it is read, and a million texts are a gigabyte.
SELECT d.ck, d.op, c.content
FROM "hot_doc_read" d JOIN cases c ON c.rowid = d.ck
WHERE d.ck BETWEEN $from AND $to AND c.rowid BETWEEN $from AND $to;

-- ------------------------------------------------------------------------------------------------
-- rule group-hot-issue, statement 13/21
-- group_signal hot_issue, step 3d: the document frequencies counted ($docs texts, $df: see
-- hot_doc_tables.sql) and whether every text was counted again ($all), until the run stores
-- them (hot_doc_store.sql).
CREATE OR REPLACE TEMP TABLE "hot_doc_next" AS
SELECT CAST($docs AS BIGINT) AS docs, CAST($df AS BLOB) AS df, CAST($all AS BOOLEAN) AS all_texts;

-- ------------------------------------------------------------------------------------------------
-- rule group-hot-issue, statement 14/21
-- group_signal hot_issue's document frequencies, stored for the next run in the run's own
-- transaction (rules.StoreKept; see hot_doc_tables.sql): the keys of the texts counted,
-- replaced when every text was counted again (all) and otherwise with those read added or taken
-- out; and the counts.
DELETE FROM hot_doc_texts;

-- ------------------------------------------------------------------------------------------------
-- rule group-hot-issue, statement 15/21
INSERT INTO hot_doc_texts
SELECT text_key FROM "hot_doc_read" WHERE op = 1;

-- ------------------------------------------------------------------------------------------------
-- rule group-hot-issue, statement 16/21
DELETE FROM hot_doc_freq;

-- ------------------------------------------------------------------------------------------------
-- rule group-hot-issue, statement 17/21
INSERT INTO hot_doc_freq
SELECT docs, df FROM "hot_doc_next";

-- ------------------------------------------------------------------------------------------------
-- rule group-hot-issue, statement 18/21
-- group_signal hot_issue's document frequencies, stored for the next run in the run's own
-- transaction (rules.StoreKept; see hot_doc_tables.sql): the keys of the texts counted,
-- replaced when every text was counted again (all) and otherwise with those read added or taken
-- out; and the counts.
DELETE FROM hot_doc_texts
WHERE text_key IN (SELECT text_key FROM "hot_doc_read" WHERE op = -1);

-- ------------------------------------------------------------------------------------------------
-- rule group-hot-issue, statement 19/21
-- group_signal hot_issue, step 4: the cases of each episode Go found and kept, with the
-- episode's span (from_d .. to_d): the contacts of those cases within it are its evidence.
CREATE OR REPLACE TEMP TABLE "hot_members" (episode INTEGER, ck BIGINT, from_d DATE, to_d DATE);

-- ------------------------------------------------------------------------------------------------
-- rule group-hot-issue, statement 20/21
-- group_signal hot_issue, step 4b: per episode of hot_members, its place's key and first case
-- (its row id; the matter id hashes its case id), the day it became unusual, the count it needed
-- (at least $min_complainants), and the facts only Go knows: the place as written, its context and kind,
-- the topic's words, and the test's expected count, probability and baseline days.
CREATE OR REPLACE TEMP TABLE "hot_episodes" (
  episode INTEGER, place_key VARCHAR, first_ck BIGINT, first_flagged DATE, needed INTEGER, facts VARCHAR);

-- ------------------------------------------------------------------------------------------------
-- rule group-hot-issue, statement 21/21
-- group_signal hot_issue, step 5: one flag per episode. Its evidence is every contact of the
-- episode's cases within its span; the counts, the period and the complainants of the facts
-- are taken from that evidence.
CREATE OR REPLACE TEMP TABLE "rule_flags" AS
WITH m AS (
  SELECT hm.episode, hm.ck, s.case_id, s.resolved
  FROM "hot_members" hm JOIN "case_state" s USING (ck)
),
ec AS (
  SELECT episode, list_sort(list(case_id)) AS case_ids, count(*) AS cases, bool_and(resolved) AS resolved
  FROM m GROUP BY episode
),
ek AS (
  SELECT hm.episode, list_sort(list(k.contact_id)) AS contact_ids, count(*) AS contacts,
         count(DISTINCT k.pk) AS complainants, count(DISTINCT k.pk) FILTER (WHERE k.pk < 0) AS unnamed,
         min(k.contact_date) AS from_d, max(k.contact_date) AS to_d
  FROM "hot_members" hm JOIN "case_contacts" k ON k.ck = hm.ck AND k.contact_date BETWEEN hm.from_d AND hm.to_d
  GROUP BY hm.episode
)
SELECT 'group:' || md5(concat_ws(chr(31), 'hot_issue', e.place_key, f.case_id))[1:16] AS matter_id,
       'cluster' AS matter_kind,
       ec.case_ids,
       ek.contact_ids,
       e.first_flagged,
       ek.complainants / e.needed AS strength,
       json_merge_patch(e.facts, json_object('complainants', ek.complainants, 'unnamed', ek.unnamed, 'contacts', ek.contacts,
                   'cases', ec.cases, 'from', ek.from_d, 'to', ek.to_d,
                   'window_days', $window_days, 'min_complainants', $min_complainants))::VARCHAR AS facts
FROM "hot_episodes" e JOIN ec USING (episode) JOIN ek USING (episode) JOIN "case_state" f ON f.ck = e.first_ck
WHERE NOT ($skip_resolved AND ec.resolved);

-- ------------------------------------------------------------------------------------------------
-- rule escalation-higher-level (escalation, check higher_level), by case: horizons [0 90] days
--   $as_of = '2025-12-31'
--   $min_contacts = 1
--   $lookback_days = 90
--   $min_levels_above = 2
-- escalation higher_level (越级): contacts in the last $lookback_days days about an unresolved
-- case that reached a level at least $min_levels_above above the level handling the case. The
-- flag holds from the day of the $min_contacts-th such contact; strength grows with the levels
-- climbed beyond the threshold.
WITH k AS (
  SELECT t.ck, t.contact_id, t.contact_date, t.lvl, c.level AS handling_level, t.lvl - CASE c.level WHEN 'county' THEN 1 WHEN 'city' THEN 2 WHEN 'province' THEN 3 WHEN 'national' THEN 4 END AS above
  FROM "case_contacts" t JOIN cases c ON c.rowid = t.ck
  WHERE t.contact_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
),
-- Counted first, so that evidence lists are built only for the cases that are flagged.
hit AS (
  SELECT ck FROM k WHERE above >= $min_levels_above GROUP BY ck HAVING count(*) >= $min_contacts
),
ranked AS (
  SELECT k.*, row_number() OVER (PARTITION BY ck ORDER BY contact_date) AS rank
  FROM k SEMI JOIN hit USING (ck)
  WHERE above >= $min_levels_above
),
-- Windows over each case, not list() in a GROUP BY: DuckDB cannot spill a list aggregate's
-- states, and a GROUP BY holds every case's at once.
h AS (
  SELECT ck, list_sort(list(contact_id) OVER w) AS contact_ids, count(*) OVER w AS n,
         min(contact_date) FILTER (WHERE rank = CAST($min_contacts AS INTEGER)) OVER w AS first_flagged,
         max(above) OVER w AS levels_above, CASE max(lvl) OVER w WHEN 1 THEN 'county' WHEN 2 THEN 'city' WHEN 3 THEN 'province' WHEN 4 THEN 'national' END AS top_level,
         handling_level,
         min(contact_date) OVER w AS first_contact, max(contact_date) OVER w AS last_contact
  FROM ranked
  WINDOW w AS (PARTITION BY ck)
  QUALIFY rank = 1
)
SELECT 'case:' || s.case_id AS matter_id, 'case' AS matter_kind,
       [s.case_id] AS case_ids, h.contact_ids, h.first_flagged,
       (1 + h.levels_above - $min_levels_above) * h.n / $min_contacts AS strength,
       json_object('contacts', h.n, 'min_contacts', $min_contacts, 'handling_level', h.handling_level,
                   'top_level', h.top_level, 'levels_above', h.levels_above,
                   'first_contact', h.first_contact, 'last_contact', h.last_contact,
                   'stage', s.stage)::VARCHAR AS facts
FROM h JOIN "case_state" s USING (ck)
WHERE NOT s.resolved;

-- ------------------------------------------------------------------------------------------------
-- rule escalation-continued (escalation, check continued_after_answer), by case: horizons [0 90] days
--   $as_of = '2025-12-31'
--   $min_contacts = 3
--   $lookback_days = 90
-- escalation continued_after_answer (答复后仍持续信访): contacts strictly after the latest event
-- that gave the complainant an answer (answer_types: answered, reviewed, rereviewed, terminated
-- or closed) of a case that is not back in a pending stage. The flag needs $min_contacts of them
-- in the last $lookback_days days (recent) and holds from the day of the $min_contacts-th of
-- those. The evidence and the counts cover every contact since the answer; recent_contacts and
-- recent_first_contact say how many of them, from which day, fall in the lookback.
WITH answered AS (
  SELECT s.ck, a.answer_type, a.answered_on
  FROM (SELECT case_id, arg_max(event_type, (event_date, CASE event_type WHEN 'accepted' THEN 1 WHEN 'assigned' THEN 2 WHEN 'supervised' THEN 3 WHEN 'extended' THEN 4 WHEN 'answered' THEN 5 WHEN 'review_requested' THEN 6 WHEN 'reviewed' THEN 7 WHEN 'rereview_requested' THEN 8 WHEN 'rereviewed' THEN 9 WHEN 'terminated' THEN 10 WHEN 'closed' THEN 11 WHEN 'return_visit' THEN 12 WHEN 'evaluated' THEN 13 WHEN 'reopened' THEN 14 END)) AS answer_type, max(event_date) AS answered_on
        FROM events
        WHERE event_type IN ('answered', 'reviewed', 'rereviewed', 'terminated', 'closed') AND event_date <= CAST($as_of AS DATE)
          AND case_id IN (SELECT case_id FROM "case_state" WHERE NOT pending)
        GROUP BY case_id) a
  JOIN "case_state" s USING (case_id)
  WHERE NOT s.pending
),
k AS (
  SELECT t.ck, t.contact_id, t.contact_date, t.pk,
         t.contact_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER) AS recent
  FROM "case_contacts" t JOIN answered a USING (ck)
  WHERE t.contact_date > a.answered_on
),
hit AS (
  -- Counted first, so that evidence lists are built only for the cases that are flagged.
  SELECT ck FROM k WHERE recent GROUP BY ck HAVING count(*) >= $min_contacts
),
-- The flagged cases' contacts, those in the lookback ranked by date (recent_rank).
flagged AS MATERIALIZED (
  SELECT k.*, CASE WHEN recent THEN row_number() OVER (PARTITION BY ck, recent ORDER BY contact_date) END AS recent_rank
  FROM k SEMI JOIN hit USING (ck)
),
h AS (
  SELECT ck, count(*) AS n, count(*) FILTER (WHERE recent) AS recent_n, count(DISTINCT pk) AS persons,
         count(DISTINCT pk) FILTER (WHERE pk < 0) AS unnamed,
         min(contact_date) FILTER (WHERE recent_rank = CAST($min_contacts AS INTEGER)) AS first_flagged,
         min(contact_date) AS first_contact, max(contact_date) AS last_contact,
         min(contact_date) FILTER (WHERE recent) AS recent_first_contact
  FROM flagged GROUP BY ck
),
-- The contact ids by a window, not list() in a GROUP BY: DuckDB cannot spill a list
-- aggregate's states, and a GROUP BY holds every case's at once. Only each case's first row
-- frames the whole case; the others frame themselves, so that no case's list is copied to
-- each of its rows.
id_rank AS (
  SELECT ck, contact_id, row_number() OVER (PARTITION BY ck ORDER BY contact_id) AS i
  FROM flagged
),
ids AS (
  SELECT ck, list_sort(contact_ids) AS contact_ids
  FROM (SELECT ck, i, list(contact_id) OVER (PARTITION BY ck ORDER BY contact_id
                        ROWS BETWEEN CURRENT ROW AND CASE WHEN i = 1 THEN 2147483647 ELSE 0 END FOLLOWING) AS contact_ids
        FROM id_rank)
  WHERE i = 1
)
SELECT 'case:' || s.case_id AS matter_id, 'case' AS matter_kind,
       [s.case_id] AS case_ids, i.contact_ids, h.first_flagged,
       h.recent_n / $min_contacts AS strength,
       json_object('contacts', h.n, 'min_contacts', $min_contacts, 'answered_on', a.answered_on,
                   'answer_type', a.answer_type, 'first_contact', h.first_contact,
                   'last_contact', h.last_contact, 'persons', h.persons, 'unnamed', h.unnamed,
                   'recent_contacts', h.recent_n, 'recent_first_contact', h.recent_first_contact,
                   'lookback_days', $lookback_days,
                   'stage', s.stage)::VARCHAR AS facts
FROM h JOIN ids i USING (ck) JOIN answered a USING (ck) JOIN "case_state" s USING (ck);

-- ------------------------------------------------------------------------------------------------
-- rule stalled-overdue (stalled_case, check overdue)
--   $as_of = '2025-12-31'
--   $threshold = 1
-- stalled_case: a case in a pending stage whose measure reached $threshold. The measure, the
-- first day the condition held and the strength are the check's (stalled_<check>.sql). The nth
-- extension's date (counted since the case was last reopened, as case_state counts them) is the
-- day an extensions check first held.
WITH s AS (
  SELECT *, CAST($as_of AS DATE) - deadline AS measure FROM "case_state" WHERE pending
),
hit AS (SELECT * FROM s WHERE measure >= $threshold),
nth AS (
  SELECT e.case_id, list_sort(list(e.event_date))[CAST($threshold AS INTEGER)] AS nth_extension
  FROM events e JOIN hit USING (case_id)
  WHERE e.event_type = 'extended' AND e.event_date <= CAST($as_of AS DATE)
    AND (hit.reopened_on IS NULL OR e.event_date >= hit.reopened_on)
  GROUP BY e.case_id
)
SELECT 'case:' || case_id AS matter_id, 'case' AS matter_kind,
       [case_id] AS case_ids, []::VARCHAR[] AS contact_ids,
       deadline + CAST($threshold AS INTEGER) AS first_flagged,
       1 + (CAST($as_of AS DATE) - deadline) / 30 AS strength,
       json_object('stage', stage, 'received', received_date, 'deadline', deadline,
                   'days_overdue', greatest(CAST($as_of AS DATE) - deadline, 0),
                   'last_progress', progress_date, 'last_progress_type', progress_type,
                   'days_since_progress', CAST($as_of AS DATE) - progress_date,
                   'extensions', extensions, 'threshold', $threshold)::VARCHAR AS facts
FROM hit LEFT JOIN nth USING (case_id);

-- ------------------------------------------------------------------------------------------------
-- rule stalled-no-progress (stalled_case, check no_progress)
--   $as_of = '2025-12-31'
--   $threshold = 90
-- stalled_case: a case in a pending stage whose measure reached $threshold. The measure, the
-- first day the condition held and the strength are the check's (stalled_<check>.sql). The nth
-- extension's date (counted since the case was last reopened, as case_state counts them) is the
-- day an extensions check first held.
WITH s AS (
  SELECT *, CAST($as_of AS DATE) - progress_date AS measure FROM "case_state" WHERE pending
),
hit AS (SELECT * FROM s WHERE measure >= $threshold),
nth AS (
  SELECT e.case_id, list_sort(list(e.event_date))[CAST($threshold AS INTEGER)] AS nth_extension
  FROM events e JOIN hit USING (case_id)
  WHERE e.event_type = 'extended' AND e.event_date <= CAST($as_of AS DATE)
    AND (hit.reopened_on IS NULL OR e.event_date >= hit.reopened_on)
  GROUP BY e.case_id
)
SELECT 'case:' || case_id AS matter_id, 'case' AS matter_kind,
       [case_id] AS case_ids, []::VARCHAR[] AS contact_ids,
       progress_date + CAST($threshold AS INTEGER) AS first_flagged,
       (CAST($as_of AS DATE) - progress_date) / $threshold AS strength,
       json_object('stage', stage, 'received', received_date, 'deadline', deadline,
                   'days_overdue', greatest(CAST($as_of AS DATE) - deadline, 0),
                   'last_progress', progress_date, 'last_progress_type', progress_type,
                   'days_since_progress', CAST($as_of AS DATE) - progress_date,
                   'extensions', extensions, 'threshold', $threshold)::VARCHAR AS facts
FROM hit LEFT JOIN nth USING (case_id);

-- ------------------------------------------------------------------------------------------------
-- rule stalled-extensions (stalled_case, check extensions)
--   $as_of = '2025-12-31'
--   $threshold = 2
-- stalled_case: a case in a pending stage whose measure reached $threshold. The measure, the
-- first day the condition held and the strength are the check's (stalled_<check>.sql). The nth
-- extension's date (counted since the case was last reopened, as case_state counts them) is the
-- day an extensions check first held.
WITH s AS (
  SELECT *, extensions AS measure FROM "case_state" WHERE pending
),
hit AS (SELECT * FROM s WHERE measure >= $threshold),
nth AS (
  SELECT e.case_id, list_sort(list(e.event_date))[CAST($threshold AS INTEGER)] AS nth_extension
  FROM events e JOIN hit USING (case_id)
  WHERE e.event_type = 'extended' AND e.event_date <= CAST($as_of AS DATE)
    AND (hit.reopened_on IS NULL OR e.event_date >= hit.reopened_on)
  GROUP BY e.case_id
)
SELECT 'case:' || case_id AS matter_id, 'case' AS matter_kind,
       [case_id] AS case_ids, []::VARCHAR[] AS contact_ids,
       nth_extension AS first_flagged,
       extensions / $threshold AS strength,
       json_object('stage', stage, 'received', received_date, 'deadline', deadline,
                   'days_overdue', greatest(CAST($as_of AS DATE) - deadline, 0),
                   'last_progress', progress_date, 'last_progress_type', progress_type,
                   'days_since_progress', CAST($as_of AS DATE) - progress_date,
                   'extensions', extensions, 'threshold', $threshold)::VARCHAR AS facts
FROM hit LEFT JOIN nth USING (case_id);
