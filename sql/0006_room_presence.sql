-- Which app node holds a person's open live-room pages, so presence holds across nodes: a person leaves a room only
-- when no node has a page of theirs open, and when a node dies (its heartbeat stops), the other nodes clear its pages
-- and walk out the people who had no page anywhere else.
-- Forward-only: never edit this file once it has landed.

CREATE TABLE mentor.room_node (
    node_id      uuid        PRIMARY KEY,
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now()
);

-- node_id has no foreign key: a node writes its pages before or after its first heartbeat, and a page whose node has
-- no fresh heartbeat row is a page of a dead node either way.
CREATE TABLE mentor.room_presence (
    session_id bigint NOT NULL REFERENCES mentor.session (id),
    person_id  bigint NOT NULL REFERENCES mentor.person (id),
    node_id    uuid   NOT NULL,
    pages      int    NOT NULL CHECK (pages >= 0),
    PRIMARY KEY (session_id, person_id, node_id)
);
CREATE INDEX room_presence_node ON mentor.room_presence (node_id);
