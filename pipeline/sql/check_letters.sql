-- Input check of a copied-letters rule (see inputcheck.go), over the cases received in the
-- $lookback_days days up to the screening date: how many in all, how many came through the
-- rule's channels, how many of those have $min_chars letters or more once reduced to their
-- letters as the rule reduces them (the letters it compares), and how many of those share the
-- commonest text. One pass, grouping the letters by their text's 64-bit hash, so that neither
-- the texts nor a table of them is held (two different texts sharing a hash would only make
-- the commonest count larger, at odds of about 1 in 10^7 for a million letters).
WITH period AS (
  -- Only the rule's channels' texts are reduced: the others are counted, never compared.
  SELECT of_channels, CASE WHEN of_channels THEN lower(regexp_replace(coalesce(content, ''), '[^\p{L}]+', '', 'g')) END AS text
  FROM (
    SELECT list_contains(CAST($channels AS VARCHAR[]), c.channel) AS of_channels, c.content
    FROM cases c JOIN {{.case_state}} s ON s.ck = c.rowid
    WHERE s.received_date > CAST($as_of AS DATE) - CAST($lookback_days AS INTEGER)
  )
),
texts AS (
  SELECT of_channels, letter, count(*) AS n
  FROM (SELECT of_channels, of_channels AND length(text) >= CAST($min_chars AS INTEGER) AS letter, text FROM period)
  GROUP BY of_channels, letter, CASE WHEN letter THEN hash(text) END
)
SELECT coalesce(sum(n), 0) AS cases,
       coalesce(sum(n) FILTER (WHERE of_channels), 0) AS of_channels,
       coalesce(sum(n) FILTER (WHERE letter), 0) AS letters,
       coalesce(max(n) FILTER (WHERE letter), 0) AS commonest
FROM texts
