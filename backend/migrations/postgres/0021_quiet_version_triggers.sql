-- A proposal (any write to an initiative the public sees neither before nor
-- after it) queued a deferred trigger that ran at the commit only to bump no
-- version: a plpgsql call and a freshly planned SQL function, an eighth of
-- the database's time per proposal. Now only writes the public sees queue
-- one, as the SQLite triggers always did (`WHEN`). The trigger's condition
-- is checked when the row is written, so the function itself is unchanged.
DROP TRIGGER public_version_initiative ON initiatives;
CREATE CONSTRAINT TRIGGER public_version_initiative_insert AFTER INSERT ON initiatives
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.status IN ('published', 'completed'))
    EXECUTE FUNCTION public_version_of_initiative();
CREATE CONSTRAINT TRIGGER public_version_initiative_update AFTER UPDATE ON initiatives
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (OLD.status IN ('published', 'completed')
                       OR NEW.status IN ('published', 'completed'))
    EXECUTE FUNCTION public_version_of_initiative();
CREATE CONSTRAINT TRIGGER public_version_initiative_delete AFTER DELETE ON initiatives
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (OLD.status IN ('published', 'completed'))
    EXECUTE FUNCTION public_version_of_initiative();

-- Likewise an invitation counts only once accepted.
DROP TRIGGER public_version_invitation ON invitations;
CREATE CONSTRAINT TRIGGER public_version_invitation_insert AFTER INSERT ON invitations
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.status = 'accepted')
    EXECUTE FUNCTION public_version_of_invitation();
CREATE CONSTRAINT TRIGGER public_version_invitation_update AFTER UPDATE ON invitations
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (OLD.status = 'accepted' OR NEW.status = 'accepted')
    EXECUTE FUNCTION public_version_of_invitation();
CREATE CONSTRAINT TRIGGER public_version_invitation_delete AFTER DELETE ON invitations
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (OLD.status = 'accepted')
    EXECUTE FUNCTION public_version_of_invitation();

-- A need or signup of an initiative nobody sees bumps nothing either: no
-- call of the SQL function then.
CREATE OR REPLACE FUNCTION public_version_of_initiative_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids UUID[] := '{}';
    changed TEXT[];
BEGIN
    IF TG_OP <> 'INSERT' THEN
        ids := ids || OLD.initiative_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        ids := ids || NEW.initiative_id;
    END IF;
    changed := ARRAY(
        SELECT municipality FROM initiatives
        WHERE id = ANY (ids) AND status IN ('published', 'completed'));
    IF cardinality(changed) > 0 THEN
        PERFORM bump_public_version(changed);
    END IF;
    RETURN NULL;
END
$$;
