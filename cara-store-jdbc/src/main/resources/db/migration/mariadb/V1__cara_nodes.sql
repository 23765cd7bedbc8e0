-- One row holds the global revision. Every write takes its row lock first, so writes commit in
-- revision order and a change-feed reader never skips a revision that commits late.
CREATE TABLE cara_revision (
    id              INT PRIMARY KEY,
    revision        BIGINT NOT NULL,
    -- changesSince(r) for r below this is no longer answerable: older changes were compacted away.
    history_floor   BIGINT NOT NULL
) ENGINE = InnoDB;
INSERT INTO cara_revision (id, revision, history_floor) VALUES (1, 0, 0);

-- Metadata/spec and status live in separate columns: a heartbeat rewrites only status_json.
CREATE TABLE cara_node (
    name             VARCHAR(253) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    resource_version BIGINT NOT NULL,
    revision         BIGINT NOT NULL,
    meta_json        MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    status_json      MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
) ENGINE = InnoDB;

-- The change feed: one row per write, the node as it was after it (before it, for a delete).
-- Status writes copy the row server-side (INSERT ... SELECT), so the client encodes nothing twice.
CREATE TABLE cara_change (
    revision         BIGINT NOT NULL PRIMARY KEY,
    name             VARCHAR(253) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    change_type      SMALLINT NOT NULL,
    resource_version BIGINT NOT NULL,
    meta_json        MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    status_json      MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
) ENGINE = InnoDB;

-- The leader's lease. Times come from the database clock (UTC_TIMESTAMP) only.
CREATE TABLE cara_lease (
    id         INT PRIMARY KEY,
    holder     VARCHAR(200) NOT NULL,
    term       BIGINT       NOT NULL,
    expires_at DATETIME(6)  NOT NULL
) ENGINE = InnoDB;
INSERT INTO cara_lease (id, holder, term, expires_at) VALUES (1, '', 0, '1970-01-01 00:00:00');
