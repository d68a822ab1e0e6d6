-- Foundation: organizations, accounts, sessions, the audit trail, settings, scheduled jobs, files.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE orgs (
    id         INTEGER PRIMARY KEY,
    town_id    INTEGER REFERENCES orgs (id),
    parent_id  INTEGER REFERENCES orgs (id),
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    code       TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0,
    contact    TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX orgs_town ON orgs (town_id);
CREATE INDEX orgs_parent ON orgs (parent_id);
CREATE UNIQUE INDEX orgs_sibling_name ON orgs (COALESCE(parent_id, 0), name);

CREATE TABLE accounts (
    id                   INTEGER PRIMARY KEY,
    town_id              INTEGER NOT NULL REFERENCES orgs (id),
    org_id               INTEGER NOT NULL REFERENCES orgs (id),
    username             TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL,
    phone_enc            TEXT NOT NULL DEFAULT '',
    phone_hash           TEXT NOT NULL DEFAULT '',
    password_hash        TEXT NOT NULL,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    password_changed_at  TIMESTAMP NOT NULL,
    failed_attempts      INTEGER NOT NULL DEFAULT 0,
    locked_until         TIMESTAMP,
    last_sign_in_at      TIMESTAMP,
    disabled             BOOLEAN NOT NULL DEFAULT FALSE,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);
CREATE INDEX accounts_town ON accounts (town_id);
CREATE INDEX accounts_org ON accounts (org_id);
CREATE INDEX accounts_phone_hash ON accounts (phone_hash);

CREATE TABLE account_roles (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    PRIMARY KEY (account_id, role)
);

CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    town_id     INTEGER,
    at          TIMESTAMP NOT NULL,
    actor_id    INTEGER,
    actor_name  TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL DEFAULT '',
    object_id   TEXT NOT NULL DEFAULT '',
    outcome     TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_town_at ON audit_log (town_id, at);
CREATE INDEX audit_log_action ON audit_log (action);

-- The audit trail is append-only: no update ever, and no delete of a record younger than the
-- minimum retention of 190 days. The purge job deletes only older records.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_early_delete BEFORE DELETE ON audit_log
WHEN old.at > datetime('now', '-190 days')
BEGIN
    SELECT RAISE(ABORT, 'audit_log records are kept at least 190 days');
END;

CREATE TABLE settings (
    town_id    INTEGER NOT NULL REFERENCES orgs (id),
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (town_id, key)
);

CREATE TABLE jobs (
    name         TEXT PRIMARY KEY,
    next_run_at  TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    locked_by    TEXT NOT NULL DEFAULT '',
    last_run_at  TIMESTAMP,
    last_error   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE files (
    id            INTEGER PRIMARY KEY,
    town_id       INTEGER NOT NULL REFERENCES orgs (id),
    storage_key   TEXT NOT NULL UNIQUE,
    original_name TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha256        TEXT NOT NULL,
    created_by    INTEGER REFERENCES accounts (id),
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX files_town ON files (town_id);

CREATE TABLE file_blobs (
    storage_key TEXT PRIMARY KEY,
    data        BLOB NOT NULL
);
