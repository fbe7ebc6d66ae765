-- A version per municipality of everything the public sees of it (the list
-- of initiatives, an initiative's page, the municipality with its
-- institutions and categories) and of the sites allowed to embed it. Every
-- backend keeps public answers in memory under the version they were made
-- at (`public_answers.rs`) and reads this row per request, so a write seen
-- by one backend is seen by all on the next read. Triggers bump it in the
-- writing transaction itself: no code path (the console, a citizen, the
-- retention job, an operator's command, a test writing straight into a
-- table) can change what the public sees and forget to.
CREATE TABLE public_versions (
    municipality TEXT PRIMARY KEY REFERENCES municipalities (slug),
    version      BIGINT NOT NULL
);
INSERT INTO public_versions (municipality, version) SELECT slug, 1 FROM municipalities;

CREATE FUNCTION public_version_new_municipality() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public_versions (municipality, version) VALUES (NEW.slug, 1);
    RETURN NULL;
END
$$;
CREATE TRIGGER public_version_new_municipality AFTER INSERT ON municipalities
    FOR EACH ROW EXECUTE FUNCTION public_version_new_municipality();

CREATE FUNCTION bump_public_version(changed TEXT[]) RETURNS void LANGUAGE sql AS $$
    UPDATE public_versions SET version = version + 1 WHERE municipality = ANY (changed);
$$;

-- A row of a table with a `municipality` column (the municipality itself by
-- its slug): institutions (their names in the list, the municipality's
-- view), categories, allowed sites.
CREATE FUNCTION public_version_of_tenant_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed TEXT[] := '{}';
BEGIN
    IF TG_OP <> 'INSERT' THEN
        changed := changed || (to_jsonb(OLD) ->> TG_ARGV[0]);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        changed := changed || (to_jsonb(NEW) ->> TG_ARGV[0]);
    END IF;
    PERFORM bump_public_version(changed);
    RETURN NULL;
END
$$;

-- An accepted invitation counts towards its need.
CREATE FUNCTION public_version_of_invitation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed TEXT[] := '{}';
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.status = 'accepted' THEN
        changed := changed || OLD.municipality;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.status = 'accepted' THEN
        changed := changed || NEW.municipality;
    END IF;
    PERFORM bump_public_version(changed);
    RETURN NULL;
END
$$;

-- An initiative the public sees before or after the write (a proposal, or
-- the moderation of one, leaves the answers in memory alone), or a row of
-- one (needs; signups: who joined is counted).
CREATE FUNCTION public_version_of_initiative() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed TEXT[] := '{}';
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.status IN ('published', 'completed') THEN
        changed := changed || OLD.municipality;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.status IN ('published', 'completed') THEN
        changed := changed || NEW.municipality;
    END IF;
    PERFORM bump_public_version(changed);
    RETURN NULL;
END
$$;

CREATE FUNCTION public_version_of_initiative_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids UUID[] := '{}';
BEGIN
    IF TG_OP <> 'INSERT' THEN
        ids := ids || OLD.initiative_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        ids := ids || NEW.initiative_id;
    END IF;
    PERFORM bump_public_version(ARRAY(
        SELECT municipality FROM initiatives
        WHERE id = ANY (ids) AND status IN ('published', 'completed')));
    RETURN NULL;
END
$$;

-- Deferred to the commit: the row lock on the version is then held for the
-- commit alone, not for the rest of the writing transaction, so writes to
-- one municipality do not queue behind each other's work.
CREATE CONSTRAINT TRIGGER public_version_municipality AFTER UPDATE OF name ON municipalities
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION public_version_of_tenant_row('slug');
CREATE CONSTRAINT TRIGGER public_version_institution AFTER INSERT OR UPDATE OR DELETE ON institutions
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION public_version_of_tenant_row('municipality');
CREATE CONSTRAINT TRIGGER public_version_category AFTER INSERT OR UPDATE OR DELETE ON categories
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION public_version_of_tenant_row('municipality');
CREATE CONSTRAINT TRIGGER public_version_origin AFTER INSERT OR UPDATE OR DELETE ON allowed_origins
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION public_version_of_tenant_row('municipality');
CREATE CONSTRAINT TRIGGER public_version_invitation AFTER INSERT OR UPDATE OR DELETE ON invitations
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION public_version_of_invitation();
CREATE CONSTRAINT TRIGGER public_version_initiative AFTER INSERT OR UPDATE OR DELETE ON initiatives
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION public_version_of_initiative();
CREATE CONSTRAINT TRIGGER public_version_need AFTER INSERT OR UPDATE OR DELETE ON needs
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION public_version_of_initiative_row();
CREATE CONSTRAINT TRIGGER public_version_signup AFTER INSERT OR UPDATE OR DELETE ON signups
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION public_version_of_initiative_row();
