-- Announces every change that can take a circle's content away from someone, on the channel circle_access with the
-- circle's id as payload: a membership ended, changed or deleted; a new agreement version (its members have not
-- accepted it yet); the circle archived. Live rooms LISTEN on it and check again the people whose pages follow a
-- room of that circle, so nobody keeps seeing a room they may no longer see. NOTIFY is delivered at commit, once per
-- circle and transaction.
-- Forward-only: never edit this file once it has landed.

CREATE FUNCTION mentor.announce_circle_access() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'circle' THEN
        PERFORM pg_notify('circle_access', NEW.id::text);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('circle_access', OLD.circle_id::text);
    ELSE
        PERFORM pg_notify('circle_access', NEW.circle_id::text);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER membership_access_changed AFTER UPDATE OF left_at, role, circle_id, person_id OR DELETE ON mentor.membership
    FOR EACH ROW EXECUTE FUNCTION mentor.announce_circle_access();

CREATE TRIGGER agreement_version_access_changed AFTER INSERT ON mentor.agreement_version
    FOR EACH ROW EXECUTE FUNCTION mentor.announce_circle_access();

CREATE TRIGGER circle_access_changed AFTER UPDATE OF archived_at ON mentor.circle
    FOR EACH ROW WHEN (NEW.archived_at IS DISTINCT FROM OLD.archived_at) EXECUTE FUNCTION mentor.announce_circle_access();
