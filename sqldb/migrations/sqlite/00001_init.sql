-- +goose Up
-- Times are Unix milliseconds and IDs 64-bit integers, so that the same
-- queries read and write them on SQLite and PostgreSQL.
CREATE TABLE organizations (
    id           INTEGER PRIMARY KEY,
    name         TEXT    NOT NULL,
    root_dept_id INTEGER NOT NULL,
    capacity_gb  INTEGER NOT NULL CHECK (capacity_gb >= 0),
    allocated_gb INTEGER NOT NULL DEFAULT 0 CHECK (allocated_gb >= 0 AND allocated_gb <= capacity_gb),
    user_count   INTEGER NOT NULL DEFAULT 0 CHECK (user_count >= 0 AND user_count <= max_users),
    max_users    INTEGER NOT NULL CHECK (max_users >= 1),
    created_at   INTEGER NOT NULL
) STRICT;

-- path lists the IDs from the root down ("/1/7/42/"): a subtree is the range
-- path >= '/1/7/' AND path < '/1/70' on the unique index.
CREATE TABLE departments (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES organizations (id),
    parent_id   INTEGER REFERENCES departments (id),
    name        TEXT    NOT NULL,
    name_key    TEXT    NOT NULL,
    path        TEXT    NOT NULL UNIQUE,
    level       INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX departments_sibling_name ON departments (coalesce(parent_id, 0), name_key);
CREATE INDEX departments_name_key ON departments (name_key);

CREATE TABLE users (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES organizations (id),
    user_id     TEXT    NOT NULL,
    user_key    TEXT    NOT NULL,
    name        TEXT    NOT NULL DEFAULT '',
    name_key    TEXT    NOT NULL DEFAULT '',
    mobile      TEXT,
    email       TEXT,
    email_key   TEXT,
    dept_id     INTEGER NOT NULL REFERENCES departments (id),
    role        INTEGER NOT NULL CHECK (role IN (0, 1, 2, 3, 5)),
    status      INTEGER NOT NULL CHECK (status IN (0, 1, 2, 7)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX users_user_key ON users (user_key);
CREATE UNIQUE INDEX users_email_key ON users (email_key);
CREATE UNIQUE INDEX users_mobile ON users (mobile);
CREATE INDEX users_dept ON users (dept_id, id);

-- A department's team space exists with the department; a user's personal
-- space exists once allocated. organizations.allocated_gb is the sum of
-- capacity_gb, kept in the same transaction. Owners are not deleted in
-- cascade: releasing a space's capacity must be explicit.
CREATE TABLE spaces (
    id           INTEGER PRIMARY KEY,
    container_id TEXT    NOT NULL UNIQUE,
    org_id       INTEGER NOT NULL REFERENCES organizations (id),
    type         INTEGER NOT NULL CHECK (type IN (0, 1)),
    dept_id      INTEGER UNIQUE REFERENCES departments (id),
    user_id      INTEGER UNIQUE REFERENCES users (id),
    capacity_gb  INTEGER NOT NULL DEFAULT 0 CHECK (capacity_gb >= 0),
    used_bytes   INTEGER NOT NULL DEFAULT 0 CHECK (used_bytes >= 0),
    status       INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1)),
    allocated    INTEGER NOT NULL DEFAULT 0 CHECK (allocated IN (0, 1)),
    created_by   INTEGER NOT NULL DEFAULT 0,
    updated_by   INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    CHECK ((type = 0 AND dept_id IS NOT NULL AND user_id IS NULL) OR (type = 1 AND user_id IS NOT NULL AND dept_id IS NULL))
) STRICT;

-- Every mutation and refused attempt: who, what, when, result, trace ID.
-- A failure's message is stored as its catalog ID and parameters, so that
-- each reader sees it in their own language.
CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL DEFAULT 0,
    time           INTEGER NOT NULL,
    operator_id    INTEGER NOT NULL DEFAULT 0,
    operator_name  TEXT    NOT NULL DEFAULT '',
    operator_key   TEXT    NOT NULL DEFAULT '',
    app_id         TEXT    NOT NULL DEFAULT '',
    operation      TEXT    NOT NULL,
    resource       TEXT    NOT NULL DEFAULT '',
    result         INTEGER NOT NULL CHECK (result IN (0, 1)),
    client_ip      TEXT    NOT NULL DEFAULT '',
    trace_id       TEXT    NOT NULL DEFAULT '',
    message_id     TEXT    NOT NULL DEFAULT '',
    message_params TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_log_time ON audit_log (time, id);

-- An uploaded import file: its rows are stored as they are read and then
-- verified in batches, so that a file of any size needs constant memory.
CREATE TABLE import_uploads (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES organizations (id),
    cur_dept_id INTEGER NOT NULL,
    mode        TEXT    NOT NULL CHECK (mode IN ('create', 'update', 'skip')),
    file_name   TEXT    NOT NULL DEFAULT '',
    rows        INTEGER NOT NULL DEFAULT 0,
    passed      INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0,
    verified    INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
    created_by  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    task_id     INTEGER UNIQUE
) STRICT;

-- One row of an upload, as read (the mobile number normalized), with its
-- verification and, once imported, its outcome. The keys find duplicates
-- within the upload and identities held by existing users.
CREATE TABLE import_rows (
    upload_id  INTEGER NOT NULL REFERENCES import_uploads (id) ON DELETE CASCADE,
    row_no     INTEGER NOT NULL,
    line       INTEGER NOT NULL,
    user_id    TEXT    NOT NULL DEFAULT '',
    user_key   TEXT,
    name       TEXT    NOT NULL DEFAULT '',
    mobile     TEXT    NOT NULL DEFAULT '',
    mobile_key TEXT,
    email      TEXT    NOT NULL DEFAULT '',
    email_key  TEXT,
    department TEXT    NOT NULL DEFAULT '',
    capacity   TEXT    NOT NULL DEFAULT '',
    allocate   INTEGER CHECK (allocate IN (0, 1)),
    role       TEXT    NOT NULL DEFAULT '',
    problems   TEXT    NOT NULL DEFAULT '',
    verdict    INTEGER NOT NULL DEFAULT 0,
    reasons    TEXT    NOT NULL DEFAULT '',
    outcome    INTEGER NOT NULL DEFAULT 0,
    user_ref   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (upload_id, row_no)
) STRICT, WITHOUT ROWID;
CREATE INDEX import_rows_user_key ON import_rows (upload_id, user_key, row_no);
CREATE INDEX import_rows_email_key ON import_rows (upload_id, email_key, row_no);
CREATE INDEX import_rows_mobile_key ON import_rows (upload_id, mobile_key, row_no);

-- An import running: done is the number of rows looked at, committed with
-- each batch, so that a restarted server resumes after the last batch.
CREATE TABLE tasks (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES organizations (id),
    type        INTEGER NOT NULL,
    created_by  INTEGER NOT NULL,
    upload_id   INTEGER NOT NULL REFERENCES import_uploads (id),
    mode        TEXT    NOT NULL,
    status      INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1, 2, 3, 4)),
    total       INTEGER NOT NULL DEFAULT 0,
    done        INTEGER NOT NULL DEFAULT 0,
    created     INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0,
    cancel      INTEGER NOT NULL DEFAULT 0 CHECK (cancel IN (0, 1)),
    created_at  INTEGER NOT NULL,
    started_at  INTEGER NOT NULL DEFAULT 0,
    ended_at    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX tasks_status ON tasks (status, id);

-- Only a hash of each token or code is stored: a copy of the database opens
-- no session. session_id names a session for refresh; it grants nothing.
CREATE TABLE sessions (
    token_hash   TEXT    PRIMARY KEY,
    session_id   TEXT    NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_codes (
    code_hash  TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
) STRICT;

-- Secrets are sealed with the server key (AES-256-GCM, the app_id as
-- additional data): the server must read them back to check signatures,
-- and a copy of the database without the key must not reveal them.
CREATE TABLE apps (
    app_id              TEXT    PRIMARY KEY,
    name                TEXT    NOT NULL,
    secret              TEXT    NOT NULL,
    previous_secret     TEXT,
    previous_expires_at INTEGER,
    status              INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1)),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
) STRICT;

-- Signatures of verified app requests, kept until the request could no
-- longer be valid, so that each signed request is accepted once.
CREATE TABLE replay_guard (
    signature  TEXT    PRIMARY KEY,
    expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX replay_guard_expiry ON replay_guard (expires_at);

-- +goose Down
DROP TABLE tasks;
DROP TABLE import_rows;
DROP TABLE import_uploads;
DROP TABLE audit_log;
DROP TABLE spaces;
DROP TABLE replay_guard;
DROP TABLE apps;
DROP TABLE login_codes;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE departments;
DROP TABLE organizations;
