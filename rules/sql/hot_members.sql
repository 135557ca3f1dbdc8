-- group_signal hot_issue, step 4: the cases of each episode Go found and kept, with the
-- episode's span (from_d .. to_d): the contacts of those cases within it are its evidence.
CREATE OR REPLACE TEMP TABLE {{.hot_members}} (episode INTEGER, ck BIGINT, from_d DATE, to_d DATE)
