-- Links are rebuilt from all contacts on every load, so that a link follows the data as it is.
DELETE FROM contact_links
