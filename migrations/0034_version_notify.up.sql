-- Servers learn of public changes by LISTEN whereas_data_version instead of asking for the
-- version on every request: whenever data_version.version moves (a public change through
-- whereas_data_changed, or a restore setting it past the backup's), the new version is
-- sent on that channel. NOTIFY is delivered at commit, so no listener learns of a version
-- whose data it cannot yet read, and never of a rolled-back one. A trigger on the counter
-- row itself, rather than a call in each writer, so no path that moves it can forget.
CREATE FUNCTION whereas_notify_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('whereas_data_version', NEW.version::text);
    RETURN NULL;
END $$;

CREATE TRIGGER data_version_notify AFTER UPDATE OF version ON data_version
    FOR EACH ROW WHEN (NEW.version IS DISTINCT FROM OLD.version)
    EXECUTE FUNCTION whereas_notify_data_version();
