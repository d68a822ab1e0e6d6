-- The news portal: columns, topics, articles with their topics, attachments and timeline, daily
-- view counts, and the Chinese search index.
CREATE TABLE columns (
    id          INTEGER PRIMARY KEY,
    town_id     INTEGER NOT NULL REFERENCES orgs (id),
    parent_id   INTEGER REFERENCES columns (id),
    name        TEXT NOT NULL,
    slug        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    link_url    TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    sort_order  INTEGER NOT NULL DEFAULT 0,
    visible     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX columns_town_slug ON columns (town_id, slug);
CREATE UNIQUE INDEX columns_town_name ON columns (town_id, name);

CREATE TABLE topics (
    id          INTEGER PRIMARY KEY,
    town_id     INTEGER NOT NULL REFERENCES orgs (id),
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    sort_order  INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX topics_town_name ON topics (town_id, name);

CREATE TABLE articles (
    id                  INTEGER PRIMARY KEY,
    town_id             INTEGER NOT NULL REFERENCES orgs (id),
    column_id           INTEGER NOT NULL REFERENCES columns (id),
    title               TEXT NOT NULL,
    subtitle            TEXT NOT NULL DEFAULT '',
    body                TEXT NOT NULL DEFAULT '',
    body_text           TEXT NOT NULL DEFAULT '',
    summary             TEXT NOT NULL DEFAULT '',
    cover_file_id       INTEGER REFERENCES files (id),
    source_kind         TEXT NOT NULL,
    source_name         TEXT NOT NULL DEFAULT '',
    author              TEXT NOT NULL DEFAULT '',
    editor              TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL,
    publish_at          TIMESTAMP,
    pinned              BOOLEAN NOT NULL DEFAULT FALSE,
    views               INTEGER NOT NULL DEFAULT 0,
    contributor_org_id  INTEGER REFERENCES orgs (id),
    submitted_at        TIMESTAMP,
    return_reason       TEXT NOT NULL DEFAULT '',
    confirmed_by        INTEGER REFERENCES accounts (id),
    confirmed_by_name   TEXT NOT NULL DEFAULT '',
    confirmed_at        TIMESTAMP,
    created_by          INTEGER REFERENCES accounts (id),
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
-- The newest public articles of a town, with what the statistics group by, so that neither
-- reads the wide article rows.
CREATE INDEX articles_public ON articles (town_id, status, publish_at, id, column_id, source_kind);
CREATE INDEX articles_pinned ON articles (town_id, status, pinned, publish_at, id);
CREATE INDEX articles_submitted ON articles (town_id, submitted_at, contributor_org_id);
-- Column lists put pinned articles first, then the newest: this index gives that order as is.
CREATE INDEX articles_column ON articles (column_id, status, pinned, publish_at, id);
CREATE INDEX articles_contributor ON articles (contributor_org_id, status);

CREATE TABLE article_topics (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    topic_id   INTEGER NOT NULL REFERENCES topics (id),
    PRIMARY KEY (article_id, topic_id)
);
CREATE INDEX article_topics_topic ON article_topics (topic_id);

CREATE TABLE article_attachments (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    file_id    INTEGER NOT NULL REFERENCES files (id),
    sort_order INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (article_id, file_id)
);

-- The article's timeline: every workflow step and edit, never changed afterwards.
CREATE TABLE article_events (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    at         TIMESTAMP NOT NULL,
    actor_id   INTEGER REFERENCES accounts (id),
    actor_name TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX article_events_article ON article_events (article_id, id);

-- Views per article and day (YYYY-MM-DD in Beijing time), added by the flush job.
CREATE TABLE article_views_daily (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    day        TEXT NOT NULL,
    views      INTEGER NOT NULL,
    PRIMARY KEY (article_id, day)
);
CREATE INDEX article_views_daily_day ON article_views_daily (day);

-- The search index: one row per published article. Tokens are computed in Go (overlapping Han
-- bigrams, the last character of each Han run, lower-cased ASCII words, and _t<town> and
-- _c<column> for the filters) and joined by spaces, so the tokenizer only splits on the spaces.
-- The rowid is the publish time in Unix seconds times 2^31 plus the article id: the index then
-- lists matches newest first by itself, and a search stops after the newest it ranks. The table
-- keeps no content, only the index (contentless, with deletes).
CREATE VIRTUAL TABLE article_search USING fts5 (
    tokens,
    content = '',
    contentless_delete = 1,
    tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
);
