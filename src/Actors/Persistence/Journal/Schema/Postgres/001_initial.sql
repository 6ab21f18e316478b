-- AlgoPerf journal schema, PostgreSQL, version 1. Applied once, inside a transaction holding an advisory lock, by
-- SchemaMigrator; tables are created in the connection's search_path schema.
-- One row per stream: the highest sequence number ever written (never lowered by deletes) and the highest writer
-- epoch accepted (fencing: an append with a lower epoch is rejected). Appends lock this row (FOR UPDATE).
CREATE TABLE journal_streams (
  persistence_id TEXT NOT NULL PRIMARY KEY,
  highest_sequence_nr BIGINT NOT NULL,
  writer_epoch BIGINT NOT NULL,
  deleted_to BIGINT NOT NULL DEFAULT 0
);

-- The events. ordering comes from an identity sequence: concurrent transactions may commit orderings out of order and
-- a rolled-back transaction leaves a hole, which the queries' gap detection handles. Deletes are logical.
CREATE TABLE journal_events (
  ordering BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  persistence_id TEXT NOT NULL,
  sequence_nr BIGINT NOT NULL,
  writer_epoch BIGINT NOT NULL,
  timestamp_ms BIGINT NOT NULL,
  type_tag TEXT NOT NULL,
  type_version INTEGER NOT NULL,
  tags TEXT NULL,
  payload BYTEA NOT NULL,
  deleted BOOLEAN NOT NULL DEFAULT FALSE,
  CONSTRAINT journal_events_stream_seq UNIQUE (persistence_id, sequence_nr)
);

CREATE TABLE journal_tags (
  tag TEXT NOT NULL,
  ordering BIGINT NOT NULL,
  PRIMARY KEY (tag, ordering)
);

CREATE TABLE snapshots (
  persistence_id TEXT NOT NULL,
  sequence_nr BIGINT NOT NULL,
  timestamp_ms BIGINT NOT NULL,
  type_tag TEXT NOT NULL,
  type_version INTEGER NOT NULL,
  payload BYTEA NOT NULL,
  PRIMARY KEY (persistence_id, sequence_nr)
);

CREATE TABLE leases (
  name TEXT NOT NULL PRIMARY KEY,
  owner TEXT NULL,
  epoch BIGINT NOT NULL,
  expires_at_ms BIGINT NOT NULL
);
