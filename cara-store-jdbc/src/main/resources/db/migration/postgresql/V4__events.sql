-- Events (EventStore) on their own revision counter: an event write never waits for a node or
-- project write, nor the reverse. Its row lock orders event writes (and their folds) across replicas.
CREATE TABLE cara_event_revision (
    id            INT PRIMARY KEY CHECK (id = 1),
    revision      BIGINT NOT NULL, -- the revision of the latest event write
    history_floor BIGINT NOT NULL, -- changesSince(r) below this is gone: the feed was compacted
    newest_ns     BIGINT NOT NULL, -- the newest lastTimestamp written (epoch nanoseconds)
    cutoff_ns     BIGINT NOT NULL, -- events last seen before this are gone (retention by age); only rises
    row_count     BIGINT NOT NULL  -- rows in cara_event: retention by count drops the oldest beyond maxCount
);
INSERT INTO cara_event_revision (id, revision, history_floor, newest_ns, cutoff_ns, row_count)
    VALUES (1, 0, 0, -9223372036854775808, -9223372036854775808, 0);

-- One row per stored event, keyed by the revision of its last write (a fold moves it): the list order.
CREATE TABLE cara_event (
    revision    BIGINT PRIMARY KEY,
    name        VARCHAR(300) COLLATE "C" NOT NULL UNIQUE,
    object_kind VARCHAR(16) NOT NULL,              -- InvolvedObject.Kind's Java name
    object_name VARCHAR(253) COLLATE "C" NOT NULL,
    type        VARCHAR(16) NOT NULL,              -- EventType's Java name
    reason      VARCHAR(128) NOT NULL,
    message     TEXT NOT NULL,
    count       INT NOT NULL,
    first_ns    BIGINT NOT NULL,                   -- firstTimestamp, epoch nanoseconds
    last_ns     BIGINT NOT NULL                    -- lastTimestamp, epoch nanoseconds
);
-- The fold lookup and ?object= read one object's events, newest first; retention by age reads by last_ns.
CREATE INDEX cara_event_object ON cara_event (object_kind, object_name, revision);
CREATE INDEX cara_event_last ON cara_event (last_ns);

-- The event feed: one row per write, the event as that write stored it, copied server-side. Its
-- columns are cara_event's (LIKE copies them, without the keys and indexes), plus the change type.
CREATE TABLE cara_event_change (LIKE cara_event);
ALTER TABLE cara_event_change ADD PRIMARY KEY (revision), ADD COLUMN change_type SMALLINT NOT NULL; -- 1 ADDED, 2 MODIFIED
