-- Foundation: programs, people and their accounts, invitations, circles and memberships,
-- the audit log and the shared ASP.NET Data Protection keys.
-- Forward-only: never edit this file once it has landed; add 0002_*.sql instead.

CREATE TABLE mentor.program (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          text        NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    time_zone     text        NOT NULL,
    term_start    date        NOT NULL,
    term_end      date        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (term_end >= term_start)
);

CREATE TABLE mentor.person (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email           text        NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    display_name    text        NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 100),
    time_zone       text        NOT NULL,
    password_hash   text,
    -- Changes whenever the password or access changes, so open circuits and cookies are revalidated.
    security_stamp  uuid        NOT NULL DEFAULT gen_random_uuid(),
    failed_sign_ins integer     NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    disabled_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX person_email_key ON mentor.person (lower(email));

-- A person's program-level role: coordinator, or participant.
CREATE TABLE mentor.program_person (
    program_id  bigint NOT NULL REFERENCES mentor.program (id),
    person_id   bigint NOT NULL REFERENCES mentor.person (id),
    role        text   NOT NULL CHECK (role IN ('coordinator', 'participant')),
    added_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (program_id, person_id)
);
CREATE INDEX program_person_person_idx ON mentor.program_person (person_id);

-- One-time invitation links: only the SHA-256 of the token is stored.
CREATE TABLE mentor.invitation (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id   bigint      NOT NULL REFERENCES mentor.person (id),
    token_hash  bytea       NOT NULL UNIQUE,
    created_by  bigint      REFERENCES mentor.person (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX invitation_person_idx ON mentor.invitation (person_id);
CREATE INDEX invitation_expires_idx ON mentor.invitation (expires_at) WHERE used_at IS NULL;

CREATE TABLE mentor.circle (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    program_id        bigint  NOT NULL REFERENCES mentor.program (id),
    name              text    NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    purpose           text    NOT NULL DEFAULT '' CHECK (length(purpose) <= 4000),
    format            text    NOT NULL CHECK (format IN ('group', 'peer', 'near_peer', 'facilitated_peer', 'one_to_one')),
    modality          text    NOT NULL CHECK (modality IN ('in_person', 'distance', 'hybrid')),
    meeting_place     text    NOT NULL DEFAULT '' CHECK (length(meeting_place) <= 1000),
    meeting_fallback  text    NOT NULL DEFAULT '' CHECK (length(meeting_fallback) <= 1000),
    time_zone         text    NOT NULL,
    cadence           text    NOT NULL CHECK (cadence IN ('weekly', 'fortnightly', 'monthly')),
    session_minutes   integer NOT NULL CHECK (session_minutes BETWEEN 15 AND 480),
    min_size          integer NOT NULL CHECK (min_size >= 2),
    max_size          integer NOT NULL CHECK (max_size >= min_size AND max_size <= 50),
    created_at        timestamptz NOT NULL DEFAULT now(),
    archived_at       timestamptz
);
CREATE INDEX circle_program_idx ON mentor.circle (program_id);

-- A membership ends (left_at) rather than being deleted, so a member's history stays theirs.
CREATE TABLE mentor.membership (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    circle_id   bigint      NOT NULL REFERENCES mentor.circle (id),
    person_id   bigint      NOT NULL REFERENCES mentor.person (id),
    role        text        NOT NULL CHECK (role IN ('facilitator', 'mentor', 'mentee', 'peer')),
    stage       text        CHECK (length(stage) <= 100),
    joined_at   timestamptz NOT NULL DEFAULT now(),
    left_at     timestamptz,
    CHECK (left_at IS NULL OR left_at >= joined_at)
);
CREATE UNIQUE INDEX membership_current_key ON mentor.membership (circle_id, person_id) WHERE left_at IS NULL;
CREATE INDEX membership_person_idx ON mentor.membership (person_id) WHERE left_at IS NULL;

CREATE TABLE mentor.audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor_id    bigint      REFERENCES mentor.person (id),
    action      text        NOT NULL,
    subject     text        NOT NULL,
    details     jsonb       NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_subject_idx ON mentor.audit_log (subject, at);

-- ASP.NET Data Protection keys, shared by every app node so a cookie from one node works on another.
CREATE TABLE mentor.data_protection_key (
    friendly_name text PRIMARY KEY,
    xml           text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- Marks that demo data was seeded, so it is seeded once only.
CREATE TABLE mentor.demo_seed (
    id         integer PRIMARY KEY CHECK (id = 1),
    seeded_at  timestamptz NOT NULL DEFAULT now()
);
