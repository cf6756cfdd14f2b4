-- Sessions of a circle, their planned agendas, topic proposals, and what a live room leaves behind
-- (private notes, action items, per-person attendance and airtime). Scheduling (issue 5) builds on mentor.session.
-- Forward-only: never edit this file once it has landed.

CREATE TABLE mentor.session (
    id          bigserial   PRIMARY KEY,
    circle_id   bigint      NOT NULL REFERENCES mentor.circle (id),
    title       text        NOT NULL DEFAULT '' CHECK (length(title) <= 200),
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    status      text        NOT NULL CHECK (status IN ('proposed', 'scheduled', 'live', 'completed', 'cancelled')),
    -- The roster and agenda the live room starts from, frozen when the room opens; the room_event log does the rest.
    room_setup  jsonb,
    opened_at   timestamptz,
    ended_at    timestamptz,
    created_by  bigint      REFERENCES mentor.person (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);
CREATE INDEX session_circle_starts ON mentor.session (circle_id, starts_at);
-- Overlap queries (double bookings, conflicts) ask for sessions whose time range meets another.
CREATE INDEX session_during ON mentor.session USING gist (tstzrange(starts_at, ends_at)) WHERE status <> 'cancelled';
-- At most one live session per circle: "start a session now" twice gives one room.
CREATE UNIQUE INDEX session_one_live_per_circle ON mentor.session (circle_id) WHERE status = 'live';

ALTER TABLE mentor.room_event ADD CONSTRAINT room_event_session_fk FOREIGN KEY (session_id) REFERENCES mentor.session (id);
ALTER TABLE mentor.objective_checkin ADD CONSTRAINT objective_checkin_session_fk FOREIGN KEY (session_id) REFERENCES mentor.session (id);

-- The planned agenda, edited before the session. Once the room opens, room_setup holds the copy the room uses.
CREATE TABLE mentor.agenda_item (
    id              bigserial PRIMARY KEY,
    session_id      bigint    NOT NULL REFERENCES mentor.session (id) ON DELETE CASCADE,
    position        int       NOT NULL CHECK (position >= 0),
    kind            text      NOT NULL CHECK (kind IN ('check_in_round', 'objective_round', 'open_discussion',
                                                       'peer_consultation', 'reflection', 'break', 'custom')),
    title           text      NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    planned_minutes int       NOT NULL CHECK (planned_minutes BETWEEN 1 AND 240),
    owner_id        bigint    REFERENCES mentor.person (id)
);
CREATE INDEX agenda_item_session ON mentor.agenda_item (session_id, position);

-- A circle's own agenda template (the built-in ones per format live in code).
CREATE TABLE mentor.circle_agenda_template (
    circle_id  bigint      PRIMARY KEY REFERENCES mentor.circle (id),
    items      jsonb       NOT NULL,
    updated_by bigint      REFERENCES mentor.person (id),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Topics members propose before a session; the facilitator accepts one into the agenda or declines it.
CREATE TABLE mentor.topic_proposal (
    id             bigserial   PRIMARY KEY,
    session_id     bigint      NOT NULL REFERENCES mentor.session (id) ON DELETE CASCADE,
    person_id      bigint      NOT NULL REFERENCES mentor.person (id),
    title          text        NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    note           text        NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    status         text        NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accepted', 'declined')),
    agenda_item_id bigint      REFERENCES mentor.agenda_item (id) ON DELETE SET NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    decided_by     bigint      REFERENCES mentor.person (id),
    decided_at     timestamptz
);
CREATE INDEX topic_proposal_session ON mentor.topic_proposal (session_id);

-- A member's private notes for a session: only ever read back for that same person.
CREATE TABLE mentor.private_note (
    session_id bigint      NOT NULL REFERENCES mentor.session (id),
    person_id  bigint      NOT NULL REFERENCES mentor.person (id),
    body       text        NOT NULL CHECK (length(body) <= 20000),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, person_id)
);

-- Action items a member takes from a session, optionally towards one of their objectives.
CREATE TABLE mentor.action_item (
    id           bigserial   PRIMARY KEY,
    circle_id    bigint      NOT NULL REFERENCES mentor.circle (id),
    session_id   bigint      REFERENCES mentor.session (id),
    owner_id     bigint      NOT NULL REFERENCES mentor.person (id),
    title        text        NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    due_on       date,
    objective_id bigint      REFERENCES mentor.objective (id) ON DELETE SET NULL,
    done_at      timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX action_item_owner_open ON mentor.action_item (owner_id) WHERE done_at IS NULL;
CREATE INDEX action_item_session ON mentor.action_item (session_id);

-- Written when a session ends (and rebuilt from the log if missing): who attended and for how long they spoke.
-- Airtime across a circle's sessions is read from here. Never what was said.
CREATE TABLE mentor.session_participation (
    session_id      bigint      NOT NULL REFERENCES mentor.session (id),
    person_id       bigint      NOT NULL REFERENCES mentor.person (id),
    attended        boolean     NOT NULL,
    first_joined_at timestamptz,
    spoken_seconds  int         NOT NULL DEFAULT 0,
    PRIMARY KEY (session_id, person_id)
);
