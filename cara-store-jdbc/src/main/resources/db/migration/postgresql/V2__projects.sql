-- Projects beside nodes, on the same revision counter (cara_revision): one store revision, as etcd
-- has, so a write of either kind takes the same row lock first and both feeds commit in order.
CREATE TABLE cara_project (
    name             VARCHAR(253) COLLATE "C" PRIMARY KEY,
    resource_version BIGINT NOT NULL, -- the revision of the last labels/annotations/spec change
    revision         BIGINT NOT NULL, -- the revision of the last write of any kind; the CAS column
    phase            VARCHAR(32) NOT NULL,      -- status.phase, for ?phase= and the lifecycle
    node_ref         VARCHAR(253) COLLATE "C",  -- status.nodeRef, for ?nodeRef= and the node delete guard
    meta_json        TEXT NOT NULL, -- metadata and spec
    status_json      TEXT NOT NULL  -- status only
);
CREATE INDEX cara_project_node_ref ON cara_project (node_ref);
CREATE INDEX cara_project_phase ON cara_project (phase);

-- The project feed has its own table, laid out as cara_change: each feed stays a primary key range
-- scan that reads only its own kind, and the node feed's readers and queries are left as they were.
CREATE TABLE cara_project_change (
    revision         BIGINT PRIMARY KEY,
    name             VARCHAR(253) COLLATE "C" NOT NULL,
    change_type      SMALLINT NOT NULL, -- 1 ADDED, 2 MODIFIED, 3 DELETED
    resource_version BIGINT NOT NULL,
    meta_json        TEXT   NOT NULL,
    status_json      TEXT   NOT NULL
);

-- Compaction keeps the newest changes of each feed, so each has its own floor.
ALTER TABLE cara_revision ADD COLUMN project_history_floor BIGINT NOT NULL DEFAULT 0;
