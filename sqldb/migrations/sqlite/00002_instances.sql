-- +goose Up
-- What lets several processes share one database (PostgreSQL; on SQLite
-- there is only ever one, but the schema is the same).

-- The instance that runs a task holds it until lease_until and renews the
-- lease while it works; when the lease runs out another instance takes the
-- task over.
ALTER TABLE tasks ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN lease_until INTEGER NOT NULL DEFAULT 0;

-- Each process that makes IDs holds a node number (the middle bits of its
-- IDs) while its lease lasts, so that processes sharing the database never
-- make the same ID.
CREATE TABLE id_nodes (
    node        INTEGER PRIMARY KEY CHECK (node BETWEEN 0 AND 1023),
    holder      TEXT    NOT NULL,
    lease_until INTEGER NOT NULL
) STRICT;

-- A fingerprint of the server key that seals app secrets: a process started
-- with another key is refused before it fails to open them one by one.
CREATE TABLE server_key (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT    NOT NULL
) STRICT;

-- +goose Down
DROP TABLE server_key;
DROP TABLE id_nodes;
ALTER TABLE tasks DROP COLUMN lease_until;
ALTER TABLE tasks DROP COLUMN claimed_by;
