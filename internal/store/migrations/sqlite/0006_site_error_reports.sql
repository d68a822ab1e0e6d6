-- Reports of errors on the public site (网站纠错). The visitor's contact is encrypted; ip_hash
-- is the keyed hash the message board's rate limits also count by.
CREATE TABLE site_error_reports (
    id           INTEGER PRIMARY KEY,
    town_id      INTEGER NOT NULL REFERENCES orgs (id),
    page_url     TEXT NOT NULL,
    description  TEXT NOT NULL,
    contact_enc  TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'handled')),
    submit_token TEXT NOT NULL UNIQUE,
    ip_hash      TEXT NOT NULL,
    handled_by   INTEGER REFERENCES accounts (id),
    handled_at   TIMESTAMP,
    handle_note  TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX site_error_reports_town_status ON site_error_reports (town_id, status, created_at);
CREATE INDEX site_error_reports_ip ON site_error_reports (ip_hash, created_at);
