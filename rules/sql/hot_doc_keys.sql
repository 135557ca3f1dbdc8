-- group_signal hot_issue, step 3a: every screened case with a text, by row (ck), with its text
-- key and whether it is in the period the rule reads (as hot_mention_rows.sql). The key hashes
-- the case's id and all that its n-grams in the document frequencies depend on: its text and
-- its places as the extraction found them (case_places' text hash, of the text and the
-- extraction's version: the pipeline reads every text for places before screening, and a case
-- without a text has no row there), whether its own fields name its place (then its text names
-- none: hot_mention_rows.sql), and $version, that of the n-gram code. Two runs that count a
-- key count the same n-grams for it.
CREATE OR REPLACE TEMP TABLE {{.hot_doc_keys}} AS
SELECT s.ck,
       hash(CAST($version AS INTEGER), s.case_id, p.text_hash,
            list_contains($place_fields, 'village') AND coalesce(s.village, '') <> ''
            OR list_contains($place_fields, 'target_org') AND coalesce(s.target_org, '') <> '') AS text_key,
       coalesce(s.last_contact, s.received_date) > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER) - CAST($baseline_days AS INTEGER) AS in_period
FROM {{.case_state}} s JOIN case_places p ON p.case_id = s.case_id AND p.ord <= 1
