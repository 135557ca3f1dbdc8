-- group_signal copied_letters with similarity below 1, step 2: the letters of each episode Go
-- found, appended to this table. An episode is named by its first letter's case id; its
-- similarity is the mean Jaccard over the pairs of its letters.
CREATE OR REPLACE TEMP TABLE {{.copied_members}} (
  episode VARCHAR, ck BIGINT, first_flagged DATE, complainants INTEGER, similarity DOUBLE)
