-- One row holds the global revision. Every write takes its row lock first (UPDATE ... RETURNING), so
-- writes commit in revision order and a change-feed reader never skips a revision that commits late.
CREATE TABLE cara_revision (
    id              INT PRIMARY KEY CHECK (id = 1),
    revision        BIGINT NOT NULL,
    -- changesSince(r) for r below this cannot see every delete any more (tombstones were compacted).
    tombstone_floor BIGINT NOT NULL
);
INSERT INTO cara_revision (id, revision, tombstone_floor) VALUES (1, 0, 0);

-- Metadata/spec and status live in separate columns: a heartbeat rewrites only status_json.
CREATE TABLE cara_node (
    name             VARCHAR(253) COLLATE "C" PRIMARY KEY,
    resource_version BIGINT NOT NULL, -- the revision of the last metadata/spec change
    created_revision BIGINT NOT NULL, -- tells ADDED from MODIFIED in the change feed
    revision         BIGINT NOT NULL, -- the revision of the last write of any kind; the CAS column
    meta_json        TEXT   NOT NULL, -- apiVersion, kind, metadata and spec
    status_json      TEXT   NOT NULL  -- status only
);
CREATE INDEX cara_node_by_revision ON cara_node (revision);

-- Deleted nodes, so that the change feed can report deletes.
CREATE TABLE cara_tombstone (
    revision  BIGINT PRIMARY KEY,
    name      VARCHAR(253) COLLATE "C" NOT NULL,
    node_json TEXT NOT NULL
);

-- The leader's lease. Times come from the database clock only.
CREATE TABLE cara_lease (
    id         INT PRIMARY KEY CHECK (id = 1),
    holder     VARCHAR(200) NOT NULL,
    term       BIGINT       NOT NULL,
    expires_at TIMESTAMPTZ  NOT NULL
);
INSERT INTO cara_lease (id, holder, term, expires_at) VALUES (1, '', 0, TIMESTAMPTZ '1970-01-01 00:00:00+00');
