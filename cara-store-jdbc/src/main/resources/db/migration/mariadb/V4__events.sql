-- Events (EventStore) on their own revision counter: an event write never waits for a node or
-- project write, nor the reverse. Its row lock orders event writes (and their folds) across replicas.
CREATE TABLE cara_event_revision (
    id            INT NOT NULL PRIMARY KEY,
    revision      BIGINT NOT NULL, -- the revision of the latest event write
    history_floor BIGINT NOT NULL, -- changesSince(r) below this is gone: the feed was compacted
    newest_ns     BIGINT NOT NULL, -- the newest lastTimestamp written (epoch nanoseconds)
    cutoff_ns     BIGINT NOT NULL, -- events last seen before this are gone (retention by age); only rises
    row_count     BIGINT NOT NULL, -- rows in cara_event: retention by count drops the oldest beyond maxCount
    CHECK (id = 1)
) ENGINE = InnoDB;
INSERT INTO cara_event_revision (id, revision, history_floor, newest_ns, cutoff_ns, row_count)
    VALUES (1, 0, 0, -9223372036854775808, -9223372036854775808, 0);

-- One row per stored event, keyed by the revision of its last write (a fold moves it): the list order.
CREATE TABLE cara_event (
    revision    BIGINT NOT NULL PRIMARY KEY,
    name        VARCHAR(300) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    object_kind VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    object_name VARCHAR(253) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    type        VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    reason      VARCHAR(128) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    message     TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    count       INT NOT NULL,
    first_ns    BIGINT NOT NULL,
    last_ns     BIGINT NOT NULL,
    UNIQUE INDEX cara_event_name (name),
    -- The fold lookup and ?object= read one object's events, newest first; retention by age reads by last_ns.
    INDEX cara_event_object (object_kind, object_name, revision),
    INDEX cara_event_last (last_ns)
) ENGINE = InnoDB;

-- The event feed: one row per write, the event as that write stored it, copied server-side. Its
-- columns are cara_event's (LIKE copies them, and its indexes, of which it keeps the primary key),
-- plus the change type.
CREATE TABLE cara_event_change LIKE cara_event;
ALTER TABLE cara_event_change DROP INDEX cara_event_name, DROP INDEX cara_event_object, DROP INDEX cara_event_last,
    ADD COLUMN change_type SMALLINT NOT NULL;
