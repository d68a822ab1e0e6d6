-- The public-service platform: the working-day calendar, the message board, captchas, cases
-- with their assignments and timeline, notices to citizens, and live consultation.
-- Personal information of citizens is stored only as pii envelopes (*_enc) and keyed look-up
-- hashes (*_hash).

CREATE TABLE workday_calendar (
    day        TEXT PRIMARY KEY, -- YYYY-MM-DD, Beijing time
    kind       TEXT NOT NULL,    -- 'off' or 'work'
    name       TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The official calendar of 2026 (State Council notice of 2025-11-04); staff add later years.
INSERT INTO workday_calendar (day, kind, name, updated_at) VALUES
    ('2026-01-01', 'off', '元旦', CURRENT_TIMESTAMP),
    ('2026-01-02', 'off', '元旦', CURRENT_TIMESTAMP),
    ('2026-01-03', 'off', '元旦', CURRENT_TIMESTAMP),
    ('2026-01-04', 'work', '元旦调休', CURRENT_TIMESTAMP),
    ('2026-02-14', 'work', '春节调休', CURRENT_TIMESTAMP),
    ('2026-02-15', 'off', '春节', CURRENT_TIMESTAMP),
    ('2026-02-16', 'off', '春节', CURRENT_TIMESTAMP),
    ('2026-02-17', 'off', '春节', CURRENT_TIMESTAMP),
    ('2026-02-18', 'off', '春节', CURRENT_TIMESTAMP),
    ('2026-02-19', 'off', '春节', CURRENT_TIMESTAMP),
    ('2026-02-20', 'off', '春节', CURRENT_TIMESTAMP),
    ('2026-02-21', 'off', '春节', CURRENT_TIMESTAMP),
    ('2026-02-22', 'off', '春节', CURRENT_TIMESTAMP),
    ('2026-02-23', 'off', '春节', CURRENT_TIMESTAMP),
    ('2026-02-28', 'work', '春节调休', CURRENT_TIMESTAMP),
    ('2026-04-04', 'off', '清明节', CURRENT_TIMESTAMP),
    ('2026-04-05', 'off', '清明节', CURRENT_TIMESTAMP),
    ('2026-04-06', 'off', '清明节', CURRENT_TIMESTAMP),
    ('2026-05-01', 'off', '劳动节', CURRENT_TIMESTAMP),
    ('2026-05-02', 'off', '劳动节', CURRENT_TIMESTAMP),
    ('2026-05-03', 'off', '劳动节', CURRENT_TIMESTAMP),
    ('2026-05-04', 'off', '劳动节', CURRENT_TIMESTAMP),
    ('2026-05-05', 'off', '劳动节', CURRENT_TIMESTAMP),
    ('2026-05-09', 'work', '劳动节调休', CURRENT_TIMESTAMP),
    ('2026-06-19', 'off', '端午节', CURRENT_TIMESTAMP),
    ('2026-06-20', 'off', '端午节', CURRENT_TIMESTAMP),
    ('2026-06-21', 'off', '端午节', CURRENT_TIMESTAMP),
    ('2026-09-20', 'work', '国庆节调休', CURRENT_TIMESTAMP),
    ('2026-09-25', 'off', '中秋节', CURRENT_TIMESTAMP),
    ('2026-09-26', 'off', '中秋节', CURRENT_TIMESTAMP),
    ('2026-09-27', 'off', '中秋节', CURRENT_TIMESTAMP),
    ('2026-10-01', 'off', '国庆节', CURRENT_TIMESTAMP),
    ('2026-10-02', 'off', '国庆节', CURRENT_TIMESTAMP),
    ('2026-10-03', 'off', '国庆节', CURRENT_TIMESTAMP),
    ('2026-10-04', 'off', '国庆节', CURRENT_TIMESTAMP),
    ('2026-10-05', 'off', '国庆节', CURRENT_TIMESTAMP),
    ('2026-10-06', 'off', '国庆节', CURRENT_TIMESTAMP),
    ('2026-10-07', 'off', '国庆节', CURRENT_TIMESTAMP),
    ('2026-10-10', 'work', '国庆节调休', CURRENT_TIMESTAMP);

CREATE TABLE board_posts (
    id              INTEGER PRIMARY KEY,
    town_id         INTEGER NOT NULL REFERENCES orgs (id),
    kind            TEXT NOT NULL,
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    name_enc        TEXT NOT NULL,
    phone_enc       TEXT NOT NULL,
    phone_hash      TEXT NOT NULL,
    address_enc     TEXT NOT NULL DEFAULT '',
    id_number_enc   TEXT NOT NULL DEFAULT '',
    wants_public    BOOLEAN NOT NULL,
    status          TEXT NOT NULL,
    flagged_words   TEXT NOT NULL DEFAULT '',
    source          TEXT NOT NULL DEFAULT 'board',
    query_code_hash TEXT NOT NULL UNIQUE,
    query_code_enc  TEXT NOT NULL,
    submit_token    TEXT NOT NULL UNIQUE,
    ip_hash         TEXT NOT NULL DEFAULT '',
    moderated_by    INTEGER REFERENCES accounts (id),
    moderated_at    TIMESTAMP,
    moderation_note TEXT NOT NULL DEFAULT '',
    resolved_at     TIMESTAMP,
    rating          TEXT NOT NULL DEFAULT '',
    rating_reason   TEXT NOT NULL DEFAULT '',
    rated_at        TIMESTAMP,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX board_posts_town_status ON board_posts (town_id, status, created_at);
CREATE INDEX board_posts_town_created ON board_posts (town_id, created_at);
CREATE INDEX board_posts_ip ON board_posts (ip_hash, created_at);
CREATE INDEX board_posts_phone ON board_posts (phone_hash, created_at);

CREATE TABLE board_post_files (
    post_id    INTEGER NOT NULL REFERENCES board_posts (id),
    file_id    INTEGER NOT NULL REFERENCES files (id),
    sort_order INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (post_id, file_id)
);

-- Public replies from units and the citizen's follow-up questions, in order.
CREATE TABLE board_messages (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES board_posts (id),
    author_kind TEXT NOT NULL, -- 'unit' or 'citizen'
    org_id      INTEGER REFERENCES orgs (id),
    org_name    TEXT NOT NULL DEFAULT '',
    account_id  INTEGER REFERENCES accounts (id),
    body        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX board_messages_post ON board_messages (post_id, id);
CREATE INDEX board_messages_created ON board_messages (author_kind, created_at);

CREATE TABLE captchas (
    id_hash    TEXT PRIMARY KEY,
    answer     TEXT NOT NULL,
    ip_hash    TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
CREATE INDEX captchas_expires ON captchas (expires_at);
CREATE INDEX captchas_ip ON captchas (ip_hash, created_at);

CREATE TABLE chats (
    id                INTEGER PRIMARY KEY,
    town_id           INTEGER NOT NULL REFERENCES orgs (id),
    token_hash        TEXT NOT NULL UNIQUE,
    visitor_name_enc  TEXT NOT NULL DEFAULT '',
    visitor_phone_enc TEXT NOT NULL DEFAULT '',
    phone_hash        TEXT NOT NULL DEFAULT '',
    topic             TEXT NOT NULL DEFAULT '',
    state             TEXT NOT NULL, -- waiting, active, ended
    agent_id          INTEGER REFERENCES accounts (id),
    agent_name        TEXT NOT NULL DEFAULT '',
    ip_hash           TEXT NOT NULL DEFAULT '',
    last_seq          INTEGER NOT NULL DEFAULT 0,
    resolved          BOOLEAN NOT NULL DEFAULT FALSE,
    rating            TEXT NOT NULL DEFAULT '',
    rating_reason     TEXT NOT NULL DEFAULT '',
    created_at        TIMESTAMP NOT NULL,
    taken_at          TIMESTAMP,
    ended_at          TIMESTAMP,
    updated_at        TIMESTAMP NOT NULL
);
CREATE INDEX chats_town_state ON chats (town_id, state, created_at);

CREATE TABLE chat_messages (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL REFERENCES chats (id),
    seq         INTEGER NOT NULL,
    author      TEXT NOT NULL, -- visitor, agent, system
    author_name TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (chat_id, seq)
);

CREATE TABLE chat_canned_replies (
    id         INTEGER PRIMARY KEY,
    town_id    INTEGER NOT NULL REFERENCES orgs (id),
    body       TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX chat_canned_town ON chat_canned_replies (town_id, sort_order);

-- Who is on duty for live consultation on a day (Beijing date).
CREATE TABLE duty_roster (
    town_id    INTEGER NOT NULL REFERENCES orgs (id),
    day        TEXT NOT NULL,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    PRIMARY KEY (town_id, day, account_id)
);

CREATE TABLE cases (
    id                    INTEGER PRIMARY KEY,
    town_id               INTEGER NOT NULL REFERENCES orgs (id),
    number                TEXT NOT NULL UNIQUE,
    channel               TEXT NOT NULL,
    category              TEXT NOT NULL,
    title                 TEXT NOT NULL,
    body                  TEXT NOT NULL,
    state                 TEXT NOT NULL,
    outcome               TEXT NOT NULL DEFAULT '',
    local                 BOOLEAN NOT NULL DEFAULT FALSE,
    origin_org_id         INTEGER NOT NULL REFERENCES orgs (id),
    subject_org_id        INTEGER REFERENCES orgs (id),
    citizen_name_enc      TEXT NOT NULL DEFAULT '',
    citizen_phone_enc     TEXT NOT NULL DEFAULT '',
    citizen_phone_hash    TEXT NOT NULL DEFAULT '',
    citizen_address_enc   TEXT NOT NULL DEFAULT '',
    citizen_id_number_enc TEXT NOT NULL DEFAULT '',
    post_id               INTEGER REFERENCES board_posts (id),
    chat_id               INTEGER REFERENCES chats (id),
    merged_into           INTEGER REFERENCES cases (id),
    query_code_hash       TEXT NOT NULL DEFAULT '',
    query_code_enc        TEXT NOT NULL DEFAULT '',
    registered_by         INTEGER REFERENCES accounts (id),
    registered_at         TIMESTAMP NOT NULL,
    dispatched_at         TIMESTAMP,
    acknowledged_at       TIMESTAMP,
    replied_at            TIMESTAMP,
    promised_at           TIMESTAMP,
    resolved_at           TIMESTAMP,
    closed_at             TIMESTAMP,
    ack_due_at            TIMESTAMP,
    reply_due_at          TIMESTAMP,
    resolve_due_at        TIMESTAMP,
    supervised_count      INTEGER NOT NULL DEFAULT 0,
    reopened_count        INTEGER NOT NULL DEFAULT 0,
    escalated             BOOLEAN NOT NULL DEFAULT FALSE,
    rating                TEXT NOT NULL DEFAULT '',
    rating_reason         TEXT NOT NULL DEFAULT '',
    rated_at              TIMESTAMP,
    updated_at            TIMESTAMP NOT NULL
);
CREATE INDEX cases_town_state ON cases (town_id, state, registered_at);
CREATE INDEX cases_town_registered ON cases (town_id, registered_at);
CREATE INDEX cases_origin ON cases (origin_org_id);
CREATE INDEX cases_post ON cases (post_id);
CREATE INDEX cases_chat ON cases (chat_id);
CREATE INDEX cases_query ON cases (query_code_hash);

-- One row per unit a case is dispatched to: the lead unit and assisting units, each with its
-- own state and deadlines. A re-dispatch deactivates the earlier rows instead of editing them.
CREATE TABLE case_assignments (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases (id),
    org_id          INTEGER NOT NULL REFERENCES orgs (id),
    lead            BOOLEAN NOT NULL,
    state           TEXT NOT NULL,
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    dispatched_at   TIMESTAMP NOT NULL,
    ack_due_at      TIMESTAMP NOT NULL,
    reply_due_at    TIMESTAMP NOT NULL,
    resolve_due_at  TIMESTAMP NOT NULL,
    acknowledged_at TIMESTAMP,
    replied_at      TIMESTAMP,
    resolved_at     TIMESTAMP,
    reminded_at     TIMESTAMP
);
CREATE INDEX case_assignments_case ON case_assignments (case_id);
CREATE INDEX case_assignments_org ON case_assignments (org_id, active);

-- The timeline: append-only, one row per step.
CREATE TABLE case_steps (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES cases (id),
    at             TIMESTAMP NOT NULL,
    actor_id       INTEGER REFERENCES accounts (id),
    actor_name     TEXT NOT NULL,
    actor_org_name TEXT NOT NULL DEFAULT '',
    action         TEXT NOT NULL,
    from_state     TEXT NOT NULL,
    to_state       TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    public_note    BOOLEAN NOT NULL DEFAULT FALSE,
    detail         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_steps_case ON case_steps (case_id, id);
CREATE INDEX case_steps_action ON case_steps (action, at);

CREATE TABLE case_step_files (
    step_id INTEGER NOT NULL REFERENCES case_steps (id),
    file_id INTEGER NOT NULL REFERENCES files (id),
    PRIMARY KEY (step_id, file_id)
);

CREATE TABLE case_sequences (
    town_id INTEGER NOT NULL REFERENCES orgs (id),
    day     TEXT NOT NULL,
    last    INTEGER NOT NULL,
    PRIMARY KEY (town_id, day)
);

-- What a citizen sees behind the query code, and what the message gateway sent.
CREATE TABLE citizen_notices (
    id         INTEGER PRIMARY KEY,
    town_id    INTEGER NOT NULL REFERENCES orgs (id),
    post_id    INTEGER REFERENCES board_posts (id),
    case_id    INTEGER REFERENCES cases (id),
    body       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX citizen_notices_post ON citizen_notices (post_id);
CREATE INDEX citizen_notices_case ON citizen_notices (case_id);
