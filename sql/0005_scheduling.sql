-- Scheduling across a program: availability, series, blackout dates, RSVPs, conflicts, reminders, calendar feeds and
-- program-wide scheduling runs. Times are instants (timestamptz) except where a rule is local by nature (weekly
-- windows in a person's zone, a series' local start in the circle's zone).
-- Forward-only: never edit this file once it has landed.

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Weekly availability in the person's own zone (mentor.person.time_zone). end_time 00:00 means the end of the day.
CREATE TABLE mentor.availability_window (
    person_id  bigint   NOT NULL REFERENCES mentor.person (id),
    day        smallint NOT NULL CHECK (day BETWEEN 0 AND 6),   -- 0 = Sunday, as .NET DayOfWeek
    start_time time     NOT NULL,
    end_time   time     NOT NULL,
    PRIMARY KEY (person_id, day, start_time),
    CHECK (end_time = time '00:00' OR end_time > start_time)
);

-- Dated exceptions: away from..to (both included, in the person's zone).
CREATE TABLE mentor.availability_away (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id bigint NOT NULL REFERENCES mentor.person (id),
    from_date date   NOT NULL,
    to_date   date   NOT NULL,
    note      text   NOT NULL DEFAULT '' CHECK (length(note) <= 200),
    CHECK (to_date >= from_date)
);
CREATE INDEX availability_away_person ON mentor.availability_away (person_id, from_date);

-- Busy blocks, entered by hand or imported from an .ics file (source 'ics'; an import replaces the earlier one).
CREATE TABLE mentor.busy_block (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id bigint    NOT NULL REFERENCES mentor.person (id),
    during    tstzrange NOT NULL CHECK (NOT isempty(during)),
    source    text      NOT NULL CHECK (source IN ('manual', 'ics')),
    label     text      CHECK (length(label) <= 200)
);
CREATE INDEX busy_block_person_during ON mentor.busy_block USING gist (person_id, during);

-- Program holidays: no session is scheduled on these local dates (in the circle's zone).
CREATE TABLE mentor.program_blackout (
    program_id bigint NOT NULL REFERENCES mentor.program (id),
    day        date   NOT NULL,
    label      text   NOT NULL DEFAULT '' CHECK (length(label) <= 200),
    PRIMARY KEY (program_id, day)
);

-- Who must be free: by default all but one of the non-leads; a circle may set its own quorum.
ALTER TABLE mentor.circle ADD COLUMN quorum integer CHECK (quorum >= 0);
-- How many sessions a week a facilitator or mentor may lead across the program (program-wide scheduling).
ALTER TABLE mentor.program_person ADD COLUMN max_sessions_per_week integer NOT NULL DEFAULT 3 CHECK (max_sessions_per_week >= 0);

-- A weekly, fortnightly or monthly series at a local time in the circle's home zone.
CREATE TABLE mentor.session_series (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    circle_id     bigint      NOT NULL REFERENCES mentor.circle (id),
    cadence       text        NOT NULL CHECK (cadence IN ('weekly', 'fortnightly', 'monthly')),
    first_date    date        NOT NULL,
    local_start   time        NOT NULL,
    length_minutes integer    NOT NULL CHECK (length_minutes BETWEEN 15 AND 480),
    time_zone     text        NOT NULL,
    count         integer     CHECK (count BETWEEN 1 AND 104),
    until_date    date,
    created_by    bigint      REFERENCES mentor.person (id),
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX session_series_circle ON mentor.session_series (circle_id);

ALTER TABLE mentor.session
    ADD COLUMN series_id        bigint  REFERENCES mentor.session_series (id),
    ADD COLUMN occurrence       integer,
    -- iCalendar SEQUENCE: bumped on every change a calendar must pick up (move, cancel).
    ADD COLUMN sequence         integer NOT NULL DEFAULT 0,
    -- A session handed to someone else to lead (a conflict resolution); null means the circle's own leads.
    ADD COLUMN lead_person_id   bigint  REFERENCES mentor.person (id),
    ADD COLUMN cancelled_reason text    CHECK (length(cancelled_reason) <= 500);
CREATE INDEX session_series_occurrence ON mentor.session (series_id, occurrence);

-- Members answer each session: yes, no, maybe. A "no" counts against the quorum.
CREATE TABLE mentor.rsvp (
    session_id bigint      NOT NULL REFERENCES mentor.session (id),
    person_id  bigint      NOT NULL REFERENCES mentor.person (id),
    answer     text        NOT NULL CHECK (answer IN ('yes', 'no', 'maybe')),
    note       text        NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, person_id)
);

-- Detected scheduling problems. key identifies "the same problem" (kind + people + sessions): detection never opens
-- a second conflict with the key of an open one, and closes open ones it no longer finds.
CREATE TABLE mentor.conflict (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    program_id  bigint      NOT NULL REFERENCES mentor.program (id),
    kind        text        NOT NULL CHECK (kind IN ('double_booked', 'outside_availability', 'no_lead_available',
                                                     'quorum_at_risk', 'agreement_not_accepted', 'blackout_date')),
    key         text        NOT NULL,
    session_id  bigint      REFERENCES mentor.session (id),
    person_ids  bigint[]    NOT NULL DEFAULT '{}',
    session_ids bigint[]    NOT NULL DEFAULT '{}',
    detail      jsonb       NOT NULL DEFAULT '{}',
    status      text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'closed')),
    detected_at timestamptz NOT NULL DEFAULT now(),
    closed_at   timestamptz,
    resolved_by bigint      REFERENCES mentor.person (id),
    resolution  text,
    note        text        CHECK (length(note) <= 2000)
);
CREATE UNIQUE INDEX conflict_one_open_per_key ON mentor.conflict (program_id, key) WHERE status = 'open';
CREATE INDEX conflict_program_status ON mentor.conflict (program_id, status, detected_at);

-- In-app notifications (reminders, moves, cancellations).
CREATE TABLE mentor.notification (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id  bigint      NOT NULL REFERENCES mentor.person (id),
    session_id bigint      REFERENCES mentor.session (id),
    kind       text        NOT NULL,
    body       text        NOT NULL CHECK (length(body) <= 2000),
    created_at timestamptz NOT NULL DEFAULT now(),
    read_at    timestamptz
);
CREATE INDEX notification_person_unread ON mentor.notification (person_id, created_at) WHERE read_at IS NULL;

-- Exactly once: a reminder (or update) is recorded under its unique key in the same transaction that claims it,
-- before any mail leaves; a retried job finds the row and sends nothing.
CREATE TABLE mentor.reminder_sent (
    session_id bigint      NOT NULL REFERENCES mentor.session (id),
    person_id  bigint      NOT NULL REFERENCES mentor.person (id),
    kind       text        NOT NULL,            -- e.g. 'day-before', 'hour-before', 'moved:3', 'cancelled'
    sequence   integer     NOT NULL DEFAULT 0,  -- the session's sequence the message was about
    status     text        NOT NULL DEFAULT 'sending' CHECK (status IN ('sending', 'sent', 'failed', 'withdrawn')),
    claimed_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz,
    error      text,
    PRIMARY KEY (session_id, person_id, kind, sequence)
);

-- A private calendar feed per person: only the SHA-256 of the secret token is stored; resetting replaces it.
CREATE TABLE mentor.calendar_feed (
    person_id  bigint      PRIMARY KEY REFERENCES mentor.person (id),
    token_hash bytea       NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Program-wide scheduling runs (a Hangfire job): progress while it runs, proposals for the coordinator to publish.
CREATE TABLE mentor.scheduling_run (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    program_id   bigint      NOT NULL REFERENCES mentor.program (id),
    status       text        NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed', 'published', 'discarded')),
    parameters   jsonb       NOT NULL,
    done_circles integer     NOT NULL DEFAULT 0,
    total_circles integer    NOT NULL DEFAULT 0,
    proposals    jsonb,
    error        text,
    created_by   bigint      REFERENCES mentor.person (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz
);
CREATE INDEX scheduling_run_program ON mentor.scheduling_run (program_id, created_at DESC);
