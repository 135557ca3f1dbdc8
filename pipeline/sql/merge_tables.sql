-- matter_merges: each member of a merge (rule_matter_id, the id its rule gave it), the merge it
-- belongs to (component), and the merged matter's id, which merge_apply.sql chooses.
CREATE OR REPLACE TEMP TABLE {{.matter_merges}} (rule_matter_id VARCHAR, component BIGINT, matter_id VARCHAR);
