-- The run $1 adopts the files, quarantined rows and identifiers set aside of loads whose run
-- was never stored.
UPDATE loaded_files SET run_id = $1 WHERE run_id NOT IN (SELECT run_id FROM runs);

UPDATE quarantine SET run_id = $1 WHERE run_id NOT IN (SELECT run_id FROM runs);

UPDATE set_aside SET run_id = $1 WHERE run_id NOT IN (SELECT run_id FROM runs);
