-- Confidentiality agreements (versioned, accepted as a permanent record) and members' learning objectives.
-- Forward-only: never edit this file once it has landed.

-- Group and peer circles ask everyone to accept again when a new member joins, so all know who is bound.
ALTER TABLE mentor.circle ADD COLUMN reaccept_on_join boolean NOT NULL DEFAULT false;
UPDATE mentor.circle SET reaccept_on_join = true WHERE format IN ('group', 'peer', 'near_peer', 'facilitated_peer');

-- Each saved change of an agreement's text (or a re-acceptance asked for when a member joins) is a new version.
CREATE TABLE mentor.agreement_version (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    circle_id   bigint      NOT NULL REFERENCES mentor.circle (id),
    version     integer     NOT NULL CHECK (version >= 1),
    body        text        NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 20000),
    reason      text        NOT NULL CHECK (reason IN ('created', 'edited', 'member_joined')),
    created_by  bigint      REFERENCES mentor.person (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (circle_id, version)
);

-- A signed acceptance of one version: a record, never edited or deleted (the trigger below refuses both).
CREATE TABLE mentor.agreement_acceptance (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agreement_version_id  bigint      NOT NULL REFERENCES mentor.agreement_version (id),
    person_id             bigint      NOT NULL REFERENCES mentor.person (id),
    signed_name           text        NOT NULL CHECK (length(btrim(signed_name)) BETWEEN 1 AND 100),
    accepted_at           timestamptz NOT NULL DEFAULT now(),
    UNIQUE (agreement_version_id, person_id)
);
CREATE INDEX agreement_acceptance_person_idx ON mentor.agreement_acceptance (person_id);

-- A guard against accidents, not a security boundary: a deliberate purge (test resets, a future erasure request)
-- sets mentor.allow_record_purge = 'on' for its transaction.
CREATE FUNCTION mentor.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('mentor.allow_record_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% rows are a permanent record and cannot be changed or deleted', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER agreement_acceptance_is_a_record BEFORE UPDATE OR DELETE ON mentor.agreement_acceptance
    FOR EACH ROW EXECUTE FUNCTION mentor.refuse_change();
CREATE TRIGGER agreement_version_is_a_record BEFORE UPDATE OR DELETE ON mentor.agreement_version
    FOR EACH ROW EXECUTE FUNCTION mentor.refuse_change();

-- A member's own learning objective in a circle. It stays theirs when they leave the circle.
CREATE TABLE mentor.objective (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    circle_id         bigint      NOT NULL REFERENCES mentor.circle (id),
    person_id         bigint      NOT NULL REFERENCES mentor.person (id),
    title             text        NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    why               text        NOT NULL DEFAULT '' CHECK (length(why) <= 4000),
    success_criteria  text        NOT NULL DEFAULT '' CHECK (length(success_criteria) <= 4000),
    target_date       date,
    status            text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'achieved', 'dropped')),
    visibility        text        NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'facilitators', 'circle')),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX objective_circle_idx ON mentor.objective (circle_id, person_id);

CREATE TABLE mentor.objective_milestone (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    objective_id  bigint  NOT NULL REFERENCES mentor.objective (id) ON DELETE CASCADE,
    position      integer NOT NULL CHECK (position >= 0),
    title         text    NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
    done_at       timestamptz,
    UNIQUE (objective_id, position) DEFERRABLE INITIALLY DEFERRED
);

-- Progress over time: in a session (session_id once sessions exist) or between sessions (asynchronous).
CREATE TABLE mentor.objective_checkin (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    objective_id  bigint      NOT NULL REFERENCES mentor.objective (id) ON DELETE CASCADE,
    person_id     bigint      NOT NULL REFERENCES mentor.person (id),
    progress      integer     NOT NULL CHECK (progress BETWEEN 0 AND 100),
    note          text        NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    in_session    boolean     NOT NULL DEFAULT false,
    session_id    bigint,
    at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX objective_checkin_objective_idx ON mentor.objective_checkin (objective_id, at);
