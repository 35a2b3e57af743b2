-- +goose Up
-- The same schema as SQLite's, in PostgreSQL's types. Times are Unix
-- milliseconds and IDs 64-bit integers, so that the same queries read and
-- write them on both.
CREATE TABLE organizations (
    id           BIGINT  PRIMARY KEY,
    name         TEXT    NOT NULL,
    root_dept_id BIGINT  NOT NULL,
    capacity_gb  BIGINT  NOT NULL CHECK (capacity_gb >= 0),
    allocated_gb BIGINT  NOT NULL DEFAULT 0 CHECK (allocated_gb >= 0),
    user_count   BIGINT  NOT NULL DEFAULT 0 CHECK (user_count >= 0),
    max_users    BIGINT  NOT NULL CHECK (max_users >= 1),
    created_at   BIGINT  NOT NULL,
    CHECK (allocated_gb <= capacity_gb),
    CHECK (user_count <= max_users)
);

-- path lists the IDs from the root down ("/1/7/42/"): a subtree is the range
-- path >= '/1/7/' AND path < '/1/70', which needs byte order: COLLATE "C".
CREATE TABLE departments (
    id         BIGINT  PRIMARY KEY,
    org_id     BIGINT  NOT NULL REFERENCES organizations (id),
    parent_id  BIGINT  REFERENCES departments (id),
    name       TEXT    NOT NULL,
    name_key   TEXT    NOT NULL COLLATE "C",
    path       TEXT    NOT NULL COLLATE "C" UNIQUE,
    level      INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    created_at BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL
);
CREATE UNIQUE INDEX departments_sibling_name ON departments ((coalesce(parent_id, 0)), name_key);
CREATE INDEX departments_name_key ON departments (name_key);

CREATE TABLE users (
    id         BIGINT  PRIMARY KEY,
    org_id     BIGINT  NOT NULL REFERENCES organizations (id),
    user_id    TEXT    NOT NULL,
    user_key   TEXT    NOT NULL COLLATE "C",
    name       TEXT    NOT NULL DEFAULT '',
    name_key   TEXT    NOT NULL DEFAULT '' COLLATE "C",
    mobile     TEXT    COLLATE "C",
    email      TEXT,
    email_key  TEXT    COLLATE "C",
    dept_id    BIGINT  NOT NULL REFERENCES departments (id),
    role       INTEGER NOT NULL CHECK (role IN (0, 1, 2, 3, 5)),
    status     INTEGER NOT NULL CHECK (status IN (0, 1, 2, 7)),
    created_at BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL
);
CREATE UNIQUE INDEX users_user_key ON users (user_key);
CREATE UNIQUE INDEX users_email_key ON users (email_key);
CREATE UNIQUE INDEX users_mobile ON users (mobile);
CREATE INDEX users_dept ON users (dept_id, id);

CREATE TABLE spaces (
    id           BIGINT  PRIMARY KEY,
    container_id TEXT    NOT NULL UNIQUE,
    org_id       BIGINT  NOT NULL REFERENCES organizations (id),
    type         INTEGER NOT NULL CHECK (type IN (0, 1)),
    dept_id      BIGINT  UNIQUE REFERENCES departments (id),
    user_id      BIGINT  UNIQUE REFERENCES users (id),
    capacity_gb  BIGINT  NOT NULL DEFAULT 0 CHECK (capacity_gb >= 0),
    used_bytes   BIGINT  NOT NULL DEFAULT 0 CHECK (used_bytes >= 0),
    status       INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1)),
    allocated    INTEGER NOT NULL DEFAULT 0 CHECK (allocated IN (0, 1)),
    created_by   BIGINT  NOT NULL DEFAULT 0,
    updated_by   BIGINT  NOT NULL DEFAULT 0,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL,
    CHECK ((type = 0 AND dept_id IS NOT NULL AND user_id IS NULL) OR (type = 1 AND user_id IS NOT NULL AND dept_id IS NULL))
);

CREATE TABLE audit_log (
    id             BIGINT  PRIMARY KEY,
    org_id         BIGINT  NOT NULL DEFAULT 0,
    time           BIGINT  NOT NULL,
    operator_id    BIGINT  NOT NULL DEFAULT 0,
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
);
CREATE INDEX audit_log_time ON audit_log (time, id);

CREATE TABLE import_uploads (
    id          BIGINT  PRIMARY KEY,
    org_id      BIGINT  NOT NULL REFERENCES organizations (id),
    cur_dept_id BIGINT  NOT NULL,
    mode        TEXT    NOT NULL CHECK (mode IN ('create', 'update', 'skip')),
    file_name   TEXT    NOT NULL DEFAULT '',
    rows        INTEGER NOT NULL DEFAULT 0,
    passed      INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0,
    verified    INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
    created_by  BIGINT  NOT NULL,
    created_at  BIGINT  NOT NULL,
    task_id     BIGINT  UNIQUE
);

CREATE TABLE import_rows (
    upload_id  BIGINT  NOT NULL REFERENCES import_uploads (id) ON DELETE CASCADE,
    row_no     INTEGER NOT NULL,
    line       INTEGER NOT NULL,
    user_id    TEXT    NOT NULL DEFAULT '',
    user_key   TEXT    COLLATE "C",
    name       TEXT    NOT NULL DEFAULT '',
    mobile     TEXT    NOT NULL DEFAULT '',
    mobile_key TEXT    COLLATE "C",
    email      TEXT    NOT NULL DEFAULT '',
    email_key  TEXT    COLLATE "C",
    department TEXT    NOT NULL DEFAULT '',
    capacity   TEXT    NOT NULL DEFAULT '',
    allocate   INTEGER CHECK (allocate IN (0, 1)),
    role       TEXT    NOT NULL DEFAULT '',
    problems   TEXT    NOT NULL DEFAULT '',
    verdict    INTEGER NOT NULL DEFAULT 0,
    reasons    TEXT    NOT NULL DEFAULT '',
    outcome    INTEGER NOT NULL DEFAULT 0,
    user_ref   BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (upload_id, row_no)
);
CREATE INDEX import_rows_user_key ON import_rows (upload_id, user_key, row_no);
CREATE INDEX import_rows_email_key ON import_rows (upload_id, email_key, row_no);
CREATE INDEX import_rows_mobile_key ON import_rows (upload_id, mobile_key, row_no);

CREATE TABLE tasks (
    id          BIGINT  PRIMARY KEY,
    org_id      BIGINT  NOT NULL REFERENCES organizations (id),
    type        INTEGER NOT NULL,
    created_by  BIGINT  NOT NULL,
    upload_id   BIGINT  NOT NULL REFERENCES import_uploads (id),
    mode        TEXT    NOT NULL,
    status      INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1, 2, 3, 4)),
    total       INTEGER NOT NULL DEFAULT 0,
    done        INTEGER NOT NULL DEFAULT 0,
    created     INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0,
    cancel      INTEGER NOT NULL DEFAULT 0 CHECK (cancel IN (0, 1)),
    created_at  BIGINT  NOT NULL,
    started_at  BIGINT  NOT NULL DEFAULT 0,
    ended_at    BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX tasks_status ON tasks (status, id);

CREATE TABLE sessions (
    token_hash   TEXT    PRIMARY KEY,
    session_id   TEXT    NOT NULL UNIQUE,
    user_id      BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT  NOT NULL,
    last_used_at BIGINT  NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE login_codes (
    code_hash  TEXT    PRIMARY KEY,
    user_id    BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at BIGINT  NOT NULL
);

CREATE TABLE apps (
    app_id              TEXT    PRIMARY KEY,
    name                TEXT    NOT NULL,
    secret              TEXT    NOT NULL,
    previous_secret     TEXT,
    previous_expires_at BIGINT,
    status              INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1)),
    created_at          BIGINT  NOT NULL,
    updated_at          BIGINT  NOT NULL
);

CREATE TABLE replay_guard (
    signature  TEXT    PRIMARY KEY,
    expires_at BIGINT  NOT NULL
);
CREATE INDEX replay_guard_expiry ON replay_guard (expires_at);

-- +goose Down
DROP TABLE replay_guard;
DROP TABLE apps;
DROP TABLE login_codes;
DROP TABLE sessions;
DROP TABLE tasks;
DROP TABLE import_rows;
DROP TABLE import_uploads;
DROP TABLE audit_log;
DROP TABLE spaces;
DROP TABLE users;
DROP TABLE departments;
DROP TABLE organizations;
