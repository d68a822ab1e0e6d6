-- The coordination platform: live event sequences, the bell, notices with read receipts and
-- feedback, report forms, information reports, inquiries and the work group.

-- live_topics numbers the stored events of each live topic ("bell:42", "wg:7"). Taking the next
-- number updates the topic's row, which holds a row lock until commit, so numbers become visible
-- in the order they were taken.
CREATE TABLE live_topics (
    topic    TEXT PRIMARY KEY,
    last_seq INTEGER NOT NULL
);

-- coord_attachments links uploaded files to the record that owns them; downloads check that the
-- actor may see the owner.
CREATE TABLE coord_attachments (
    owner_type TEXT NOT NULL,
    owner_id   INTEGER NOT NULL,
    file_id    INTEGER NOT NULL REFERENCES files (id),
    position   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (owner_type, owner_id, file_id)
);
CREATE INDEX coord_attachments_file ON coord_attachments (file_id);

-- notifications are the bell: what waits on one account. seq numbers the account's topic.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    town_id    INTEGER NOT NULL REFERENCES orgs (id),
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    link       TEXT NOT NULL,
    ref_type   TEXT NOT NULL DEFAULT '',
    ref_id     INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    read_at    TIMESTAMP
);
CREATE UNIQUE INDEX notifications_account_seq ON notifications (account_id, seq);
CREATE INDEX notifications_account_unread ON notifications (account_id, read_at);
CREATE INDEX notifications_ref ON notifications (ref_type, ref_id, account_id);

CREATE TABLE notices (
    id                INTEGER PRIMARY KEY,
    town_id           INTEGER NOT NULL REFERENCES orgs (id),
    sender_org_id     INTEGER NOT NULL REFERENCES orgs (id),
    created_by        INTEGER NOT NULL REFERENCES accounts (id),
    kind              TEXT NOT NULL,
    title             TEXT NOT NULL,
    body              TEXT NOT NULL,
    deadline          TIMESTAMP,
    feedback_required BOOLEAN NOT NULL DEFAULT FALSE,
    issued_at         TIMESTAMP NOT NULL,
    auto_reminded_at  TIMESTAMP
);
CREATE INDEX notices_town_issued ON notices (town_id, issued_at);
CREATE INDEX notices_sender ON notices (sender_org_id, issued_at);
CREATE INDEX notices_deadline ON notices (deadline);

-- notice_recipients holds one row per receiving organization with its first read and first
-- feedback; the first-read time is set once and never changes.
CREATE TABLE notice_recipients (
    notice_id     INTEGER NOT NULL REFERENCES notices (id),
    org_id        INTEGER NOT NULL REFERENCES orgs (id),
    first_read_at TIMESTAMP,
    first_read_by INTEGER REFERENCES accounts (id),
    feedback_at   TIMESTAMP,
    reminded_at   TIMESTAMP,
    reminders     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (notice_id, org_id)
);
CREATE INDEX notice_recipients_org ON notice_recipients (org_id, notice_id);

-- notice_reads is the read receipt of each person for each organization.
CREATE TABLE notice_reads (
    notice_id  INTEGER NOT NULL REFERENCES notices (id),
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    org_id     INTEGER NOT NULL REFERENCES orgs (id),
    read_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (notice_id, account_id, org_id)
);

CREATE TABLE notice_feedback (
    id         INTEGER PRIMARY KEY,
    notice_id  INTEGER NOT NULL REFERENCES notices (id),
    org_id     INTEGER NOT NULL REFERENCES orgs (id),
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    author     TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX notice_feedback_notice ON notice_feedback (notice_id, org_id, id);

CREATE TABLE report_templates (
    id          INTEGER PRIMARY KEY,
    town_id     INTEGER NOT NULL REFERENCES orgs (id),
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_by  INTEGER REFERENCES accounts (id),
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX report_templates_name ON report_templates (town_id, name);

-- report_fields are the fields of a template in order. choices lists the options of a single
-- choice field, one per line.
CREATE TABLE report_fields (
    id          INTEGER PRIMARY KEY,
    template_id INTEGER NOT NULL REFERENCES report_templates (id),
    position    INTEGER NOT NULL,
    section     TEXT NOT NULL DEFAULT '',
    label       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    required    BOOLEAN NOT NULL DEFAULT FALSE,
    help        TEXT NOT NULL DEFAULT '',
    choices     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX report_fields_template ON report_fields (template_id, position);

-- report_assignments give a template to organizations for monthly, quarterly or one-off periods.
CREATE TABLE report_assignments (
    id          INTEGER PRIMARY KEY,
    town_id     INTEGER NOT NULL REFERENCES orgs (id),
    template_id INTEGER NOT NULL REFERENCES report_templates (id),
    title       TEXT NOT NULL,
    period_kind TEXT NOT NULL,
    due_day     INTEGER NOT NULL DEFAULT 0,
    starts_at   TIMESTAMP NOT NULL,
    due_at      TIMESTAMP,
    stopped_at  TIMESTAMP,
    created_by  INTEGER REFERENCES accounts (id),
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX report_assignments_town ON report_assignments (town_id, created_at);

CREATE TABLE report_assignment_orgs (
    assignment_id INTEGER NOT NULL REFERENCES report_assignments (id),
    org_id        INTEGER NOT NULL REFERENCES orgs (id),
    PRIMARY KEY (assignment_id, org_id)
);

-- report_submissions hold one organization's report for one period of an assignment.
CREATE TABLE report_submissions (
    id                 INTEGER PRIMARY KEY,
    town_id            INTEGER NOT NULL REFERENCES orgs (id),
    assignment_id      INTEGER NOT NULL REFERENCES report_assignments (id),
    org_id             INTEGER NOT NULL REFERENCES orgs (id),
    period_key         TEXT NOT NULL,
    period_start       TIMESTAMP NOT NULL,
    period_end         TIMESTAMP NOT NULL,
    due_at             TIMESTAMP NOT NULL,
    status             TEXT NOT NULL,
    first_submitted_at TIMESTAMP,
    submitted_at       TIMESTAMP,
    submitted_by       INTEGER REFERENCES accounts (id),
    reviewed_at        TIMESTAMP,
    reviewed_by        INTEGER REFERENCES accounts (id),
    return_reason      TEXT NOT NULL DEFAULT '',
    due_reminded_at    TIMESTAMP,
    updated_at         TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX report_submissions_period ON report_submissions (assignment_id, org_id, period_key);
CREATE INDEX report_submissions_org ON report_submissions (org_id, due_at);
CREATE INDEX report_submissions_town_due ON report_submissions (town_id, due_at);

CREATE TABLE report_values (
    submission_id INTEGER NOT NULL REFERENCES report_submissions (id),
    field_id      INTEGER NOT NULL REFERENCES report_fields (id),
    value         TEXT NOT NULL,
    PRIMARY KEY (submission_id, field_id)
);

-- report_events are the history of a submission: saved, submitted, returned, accepted.
CREATE TABLE report_events (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES report_submissions (id),
    at            TIMESTAMP NOT NULL,
    account_id    INTEGER REFERENCES accounts (id),
    actor_name    TEXT NOT NULL,
    action        TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX report_events_submission ON report_events (submission_id, id);

CREATE TABLE info_reports (
    id          INTEGER PRIMARY KEY,
    town_id     INTEGER NOT NULL REFERENCES orgs (id),
    org_id      INTEGER NOT NULL REFERENCES orgs (id),
    created_by  INTEGER NOT NULL REFERENCES accounts (id),
    author      TEXT NOT NULL,
    category    TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    status      TEXT NOT NULL,
    review_note TEXT NOT NULL DEFAULT '',
    reviewed_by INTEGER REFERENCES accounts (id),
    reviewed_at TIMESTAMP,
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX info_reports_town ON info_reports (town_id, created_at);
CREATE INDEX info_reports_org ON info_reports (org_id, created_at);

-- pending_articles are adopted information reports waiting for the portal to turn them into
-- article drafts, crediting the contributing organization.
CREATE TABLE pending_articles (
    id                 INTEGER PRIMARY KEY,
    town_id            INTEGER NOT NULL REFERENCES orgs (id),
    info_report_id     INTEGER NOT NULL UNIQUE REFERENCES info_reports (id),
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,
    contributor_org_id INTEGER NOT NULL REFERENCES orgs (id),
    created_by         INTEGER REFERENCES accounts (id),
    created_at         TIMESTAMP NOT NULL,
    claimed_at         TIMESTAMP,
    article_id         INTEGER
);
CREATE INDEX pending_articles_town ON pending_articles (town_id, claimed_at);

CREATE TABLE inquiries (
    id               INTEGER PRIMARY KEY,
    town_id          INTEGER NOT NULL REFERENCES orgs (id),
    org_id           INTEGER NOT NULL REFERENCES orgs (id),
    asked_by         INTEGER NOT NULL REFERENCES accounts (id),
    asker            TEXT NOT NULL,
    assignee_org_id  INTEGER NOT NULL REFERENCES orgs (id),
    title            TEXT NOT NULL,
    question         TEXT NOT NULL,
    status           TEXT NOT NULL,
    answer           TEXT NOT NULL DEFAULT '',
    answered_by      INTEGER REFERENCES accounts (id),
    answerer         TEXT NOT NULL DEFAULT '',
    answered_org_id  INTEGER REFERENCES orgs (id),
    answered_at      TIMESTAMP,
    faq_question     TEXT NOT NULL DEFAULT '',
    faq_answer       TEXT NOT NULL DEFAULT '',
    faq_published_at TIMESTAMP,
    created_at       TIMESTAMP NOT NULL
);
CREATE INDEX inquiries_town ON inquiries (town_id, created_at);
CREATE INDEX inquiries_org ON inquiries (org_id, created_at);
CREATE INDEX inquiries_assignee ON inquiries (assignee_org_id, status);
CREATE INDEX inquiries_faq ON inquiries (town_id, faq_published_at);

-- wg_channels are the work group's channels; the one with everyone set includes every account
-- of the town that may use the work group.
CREATE TABLE wg_channels (
    id          INTEGER PRIMARY KEY,
    town_id     INTEGER NOT NULL REFERENCES orgs (id),
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    everyone    BOOLEAN NOT NULL DEFAULT FALSE,
    created_by  INTEGER REFERENCES accounts (id),
    created_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX wg_channels_name ON wg_channels (town_id, name);

CREATE TABLE wg_members (
    channel_id INTEGER NOT NULL REFERENCES wg_channels (id),
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    added_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (channel_id, account_id)
);
CREATE INDEX wg_members_account ON wg_members (account_id);

-- wg_reads is how far each account has read each channel, by sequence number.
CREATE TABLE wg_reads (
    channel_id    INTEGER NOT NULL REFERENCES wg_channels (id),
    account_id    INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    last_read_seq INTEGER NOT NULL,
    PRIMARY KEY (channel_id, account_id)
);

CREATE TABLE wg_messages (
    id          INTEGER PRIMARY KEY,
    town_id     INTEGER NOT NULL REFERENCES orgs (id),
    channel_id  INTEGER NOT NULL REFERENCES wg_channels (id),
    seq         INTEGER NOT NULL,
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    author      TEXT NOT NULL,
    org_name    TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX wg_messages_seq ON wg_messages (channel_id, seq);

CREATE TABLE wg_mentions (
    message_id INTEGER NOT NULL REFERENCES wg_messages (id),
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (message_id, account_id)
);
