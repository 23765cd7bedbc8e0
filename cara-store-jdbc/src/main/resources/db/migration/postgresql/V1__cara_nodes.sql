-- One row holds the global revision. Every write takes its row lock first (UPDATE ... RETURNING), so
-- writes commit in revision order and a change-feed reader never skips a revision that commits late.
CREATE TABLE cara_revision (
    id              INT PRIMARY KEY CHECK (id = 1),
    revision        BIGINT NOT NULL,
    -- changesSince(r) for r below this is no longer answerable: older changes were compacted away.
    history_floor   BIGINT NOT NULL
);
INSERT INTO cara_revision (id, revision, history_floor) VALUES (1, 0, 0);

-- Metadata/spec and status live in separate columns: a heartbeat rewrites only status_json.
CREATE TABLE cara_node (
    name             VARCHAR(253) COLLATE "C" PRIMARY KEY,
    resource_version BIGINT NOT NULL, -- the revision of the last metadata/spec change
    revision         BIGINT NOT NULL, -- the revision of the last write of any kind; the CAS column
    meta_json        TEXT   NOT NULL, -- apiVersion, kind, metadata and spec
    status_json      TEXT   NOT NULL  -- status only
) WITH (fillfactor = 70); -- room on each page, so that a heartbeat's update stays a HOT update (no index is touched)

-- The change feed: one row per write, the node as it was after it (before it, for a delete).
-- Status writes copy the row server-side (INSERT ... SELECT), so the client encodes nothing twice.
CREATE TABLE cara_change (
    revision         BIGINT PRIMARY KEY,
    name             VARCHAR(253) COLLATE "C" NOT NULL,
    change_type      SMALLINT NOT NULL, -- 1 ADDED, 2 MODIFIED, 3 DELETED
    resource_version BIGINT NOT NULL,
    meta_json        TEXT   NOT NULL,
    status_json      TEXT   NOT NULL
);

-- The leader's lease. Times come from the database clock only.
CREATE TABLE cara_lease (
    id         INT PRIMARY KEY CHECK (id = 1),
    holder     VARCHAR(200) NOT NULL,
    term       BIGINT       NOT NULL,
    expires_at TIMESTAMPTZ  NOT NULL
);
INSERT INTO cara_lease (id, holder, term, expires_at) VALUES (1, '', 0, TIMESTAMPTZ '1970-01-01 00:00:00+00');
