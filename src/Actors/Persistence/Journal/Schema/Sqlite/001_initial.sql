-- AlgoPerf journal schema, SQLite, version 1. Applied once, inside a transaction, by SchemaMigrator.
-- One row per stream: the highest sequence number ever written (never lowered by deletes) and the highest writer
-- epoch accepted (fencing: an append with a lower epoch is rejected).
CREATE TABLE journal_streams (
  persistence_id TEXT NOT NULL PRIMARY KEY,
  highest_sequence_nr INTEGER NOT NULL,
  writer_epoch INTEGER NOT NULL,
  deleted_to INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- The events. ordering is the global order (AUTOINCREMENT: never reused, even after a rollback of the last rows).
-- Deletes are logical (deleted = 1) so that orderings never disappear under a running query.
CREATE TABLE journal_events (
  ordering INTEGER PRIMARY KEY AUTOINCREMENT,
  persistence_id TEXT NOT NULL,
  sequence_nr INTEGER NOT NULL,
  writer_epoch INTEGER NOT NULL,
  timestamp_ms INTEGER NOT NULL,
  type_tag TEXT NOT NULL,
  type_version INTEGER NOT NULL,
  tags TEXT NULL,
  payload BLOB NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  UNIQUE (persistence_id, sequence_nr)
);

-- Tag index for EventsByTag (the tags column of journal_events is what replay returns).
CREATE TABLE journal_tags (
  tag TEXT NOT NULL,
  ordering INTEGER NOT NULL,
  PRIMARY KEY (tag, ordering)
) WITHOUT ROWID;

CREATE TABLE snapshots (
  persistence_id TEXT NOT NULL,
  sequence_nr INTEGER NOT NULL,
  timestamp_ms INTEGER NOT NULL,
  type_tag TEXT NOT NULL,
  type_version INTEGER NOT NULL,
  payload BLOB NOT NULL,
  PRIMARY KEY (persistence_id, sequence_nr)
) WITHOUT ROWID;

-- Leases: owner NULL when released; epoch only grows.
CREATE TABLE leases (
  name TEXT NOT NULL PRIMARY KEY,
  owner TEXT NULL,
  epoch INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL
) WITHOUT ROWID;
