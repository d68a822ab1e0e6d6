-- The number of days within which a column is expected to publish a new article; 0 means the
-- column is not checked. List columns start at 14 days, the limit government-website
-- inspections set for news columns; single pages and external links are not checked.
ALTER TABLE columns ADD COLUMN update_interval_days INTEGER NOT NULL DEFAULT 0;
UPDATE columns SET update_interval_days = 14 WHERE kind = 'list';
