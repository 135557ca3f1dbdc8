-- Input check of a copied-letters rule (see inputcheck.go), over the cases received in the
-- $lookback_days days up to the screening date: how many in all, how many came through the
-- rule's channels, how many of those have $min_chars letters or more once reduced to their
-- letters as the rule reduces them (the letters it compares), and how many of those share the
-- commonest text.
WITH period AS (
  SELECT c.channel, lower(regexp_replace(coalesce(c.content, ''), '[^\p{L}]+', '', 'g')) AS text
  FROM cases c JOIN {{.case_state}} s ON s.ck = c.rowid
  WHERE s.received_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
),
letters AS (
  SELECT text FROM period
  WHERE list_contains(CAST($channels AS VARCHAR[]), channel) AND length(text) >= CAST($min_chars AS INTEGER)
)
SELECT (SELECT count(*) FROM period) AS cases,
       (SELECT count(*) FROM period WHERE list_contains(CAST($channels AS VARCHAR[]), channel)) AS of_channels,
       (SELECT count(*) FROM letters) AS letters,
       coalesce((SELECT max(n) FROM (SELECT count(*) AS n FROM letters GROUP BY text)), 0) AS commonest
