-- Projects beside nodes, on the same revision counter (cara_revision): one store revision, as etcd
-- has, so a write of either kind takes the same row lock first and both feeds commit in order.
CREATE TABLE cara_project (
    name             VARCHAR(253) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    resource_version BIGINT NOT NULL,
    revision         BIGINT NOT NULL,
    -- status.phase and status.nodeRef as columns: the ?phase= and ?nodeRef= filters and the node delete guard.
    phase            VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    node_ref         VARCHAR(253) CHARACTER SET ascii COLLATE ascii_bin NULL,
    meta_json        MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    status_json      MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    INDEX cara_project_node_ref (node_ref),
    INDEX cara_project_phase (phase)
) ENGINE = InnoDB;

-- The project feed has its own table, laid out as cara_change: each feed stays a primary key range
-- scan that reads only its own kind, and the node feed's readers and queries are left as they were.
CREATE TABLE cara_project_change (
    revision         BIGINT NOT NULL PRIMARY KEY,
    name             VARCHAR(253) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    change_type      SMALLINT NOT NULL,
    resource_version BIGINT NOT NULL,
    meta_json        MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    status_json      MEDIUMTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL
) ENGINE = InnoDB;

-- Compaction keeps the newest changes of each feed, so each has its own floor.
ALTER TABLE cara_revision ADD COLUMN project_history_floor BIGINT NOT NULL DEFAULT 0;
