-- Indexes on the time columns that the statistics count by, for towns with years of records:
-- the reports first submitted in a period, and the live chats started in one.
CREATE INDEX report_submissions_town_first ON report_submissions (town_id, first_submitted_at);
CREATE INDEX chats_town_created ON chats (town_id, created_at);
