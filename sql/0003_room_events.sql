-- The live room's append-only event log. A room is rebuilt by replaying its events in seq order; the primary key
-- makes the append optimistic: two nodes appending the same next seq give one winner, the other re-decides.
-- session_id gets its foreign key when the session table lands (scheduling / live-room set-up).
-- Forward-only: never edit this file once it has landed.

CREATE TABLE mentor.room_event (
    session_id  bigint      NOT NULL,
    seq         bigint      NOT NULL CHECK (seq >= 1),
    actor_id    bigint      REFERENCES mentor.person (id),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    body        jsonb       NOT NULL,
    PRIMARY KEY (session_id, seq)
);
