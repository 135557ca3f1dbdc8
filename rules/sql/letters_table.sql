-- case_letters: the text of each case reduced as the copied_letters rule compares it (letters
-- only: digits, punctuation and spaces dropped), kept from run to run so that a run reduces only
-- the texts that are new or changed (letters_stale.sql, letters_new.sql): the hash of the text
-- it was reduced from (content_hash), the md5 of its letters lower-cased (h, which copied
-- letters share) and how many letters it has (letters_len). Only the texts the rules compare
-- are reduced; cases without text have no row.
CREATE TABLE IF NOT EXISTS case_letters (case_id VARCHAR, content_hash UBIGINT, h VARCHAR, letters_len INTEGER)
