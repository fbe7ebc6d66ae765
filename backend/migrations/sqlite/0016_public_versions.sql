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
    version      INTEGER NOT NULL
);
INSERT INTO public_versions (municipality, version) SELECT slug, 1 FROM municipalities;

CREATE TRIGGER public_version_new_municipality AFTER INSERT ON municipalities BEGIN
    INSERT INTO public_versions (municipality, version) VALUES (new.slug, 1);
END;
CREATE TRIGGER public_version_municipality AFTER UPDATE OF name ON municipalities BEGIN
    UPDATE public_versions SET version = version + 1 WHERE municipality = new.slug;
END;

-- Institutions (their names in the list, the municipality's view),
-- categories and allowed sites: any change.
CREATE TRIGGER public_version_institution_insert AFTER INSERT ON institutions BEGIN
    UPDATE public_versions SET version = version + 1 WHERE municipality = new.municipality;
END;
CREATE TRIGGER public_version_institution_update AFTER UPDATE ON institutions BEGIN
    UPDATE public_versions SET version = version + 1
    WHERE municipality IN (old.municipality, new.municipality);
END;
CREATE TRIGGER public_version_institution_delete AFTER DELETE ON institutions BEGIN
    UPDATE public_versions SET version = version + 1 WHERE municipality = old.municipality;
END;
CREATE TRIGGER public_version_category_insert AFTER INSERT ON categories BEGIN
    UPDATE public_versions SET version = version + 1 WHERE municipality = new.municipality;
END;
CREATE TRIGGER public_version_category_update AFTER UPDATE ON categories BEGIN
    UPDATE public_versions SET version = version + 1
    WHERE municipality IN (old.municipality, new.municipality);
END;
CREATE TRIGGER public_version_category_delete AFTER DELETE ON categories BEGIN
    UPDATE public_versions SET version = version + 1 WHERE municipality = old.municipality;
END;
CREATE TRIGGER public_version_origin_insert AFTER INSERT ON allowed_origins BEGIN
    UPDATE public_versions SET version = version + 1 WHERE municipality = new.municipality;
END;
CREATE TRIGGER public_version_origin_update AFTER UPDATE ON allowed_origins BEGIN
    UPDATE public_versions SET version = version + 1
    WHERE municipality IN (old.municipality, new.municipality);
END;
CREATE TRIGGER public_version_origin_delete AFTER DELETE ON allowed_origins BEGIN
    UPDATE public_versions SET version = version + 1 WHERE municipality = old.municipality;
END;

-- Initiatives: only those the public sees before or after the write, so a
-- citizen's proposal (submitted) or the moderation of one leaves the
-- answers in memory alone.
CREATE TRIGGER public_version_initiative_insert AFTER INSERT ON initiatives
WHEN new.status IN ('published', 'completed') BEGIN
    UPDATE public_versions SET version = version + 1 WHERE municipality = new.municipality;
END;
CREATE TRIGGER public_version_initiative_update AFTER UPDATE ON initiatives
WHEN old.status IN ('published', 'completed') OR new.status IN ('published', 'completed') BEGIN
    UPDATE public_versions SET version = version + 1
    WHERE municipality IN (old.municipality, new.municipality);
END;
CREATE TRIGGER public_version_initiative_delete AFTER DELETE ON initiatives
WHEN old.status IN ('published', 'completed') BEGIN
    UPDATE public_versions SET version = version + 1 WHERE municipality = old.municipality;
END;

-- Needs, signups (who joined is counted) and invitations (an accepted one
-- counts towards its need) of a public initiative.
CREATE TRIGGER public_version_need_insert AFTER INSERT ON needs BEGIN
    UPDATE public_versions SET version = version + 1 WHERE municipality = (
        SELECT municipality FROM initiatives
        WHERE id = new.initiative_id AND status IN ('published', 'completed'));
END;
CREATE TRIGGER public_version_need_update AFTER UPDATE ON needs BEGIN
    UPDATE public_versions SET version = version + 1 WHERE municipality IN (
        SELECT municipality FROM initiatives
        WHERE id IN (old.initiative_id, new.initiative_id) AND status IN ('published', 'completed'));
END;
CREATE TRIGGER public_version_need_delete AFTER DELETE ON needs BEGIN
    UPDATE public_versions SET version = version + 1 WHERE municipality = (
        SELECT municipality FROM initiatives
        WHERE id = old.initiative_id AND status IN ('published', 'completed'));
END;
CREATE TRIGGER public_version_signup_insert AFTER INSERT ON signups BEGIN
    UPDATE public_versions SET version = version + 1 WHERE municipality = (
        SELECT municipality FROM initiatives
        WHERE id = new.initiative_id AND status IN ('published', 'completed'));
END;
CREATE TRIGGER public_version_signup_update AFTER UPDATE OF initiative_id, need_id, is_organiser ON signups BEGIN
    UPDATE public_versions SET version = version + 1 WHERE municipality IN (
        SELECT municipality FROM initiatives
        WHERE id IN (old.initiative_id, new.initiative_id) AND status IN ('published', 'completed'));
END;
CREATE TRIGGER public_version_signup_delete AFTER DELETE ON signups BEGIN
    UPDATE public_versions SET version = version + 1 WHERE municipality = (
        SELECT municipality FROM initiatives
        WHERE id = old.initiative_id AND status IN ('published', 'completed'));
END;
CREATE TRIGGER public_version_invitation_insert AFTER INSERT ON invitations
WHEN new.status = 'accepted' BEGIN
    UPDATE public_versions SET version = version + 1 WHERE municipality = new.municipality;
END;
CREATE TRIGGER public_version_invitation_update AFTER UPDATE OF status, need_id ON invitations
WHEN old.status = 'accepted' OR new.status = 'accepted' BEGIN
    UPDATE public_versions SET version = version + 1
    WHERE municipality IN (old.municipality, new.municipality);
END;
CREATE TRIGGER public_version_invitation_delete AFTER DELETE ON invitations
WHEN old.status = 'accepted' BEGIN
    UPDATE public_versions SET version = version + 1 WHERE municipality = old.municipality;
END;
