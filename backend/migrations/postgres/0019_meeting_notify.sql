-- Every change of a meeting's board (its version) is announced on the
-- channel `sammen_meeting`, with the meeting's id. Each backend's board
-- watcher listens (board_watch.rs) instead of polling, so a dot reaches
-- every projector and phone at once, through any backend. PostgreSQL sends
-- a notification only when its transaction commits, and folds repeats of
-- one id within a transaction into one.
CREATE FUNCTION meeting_board_changed() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('sammen_meeting', NEW.id::text);
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER meeting_board_changed AFTER UPDATE OF version ON meetings
    FOR EACH ROW WHEN (OLD.version IS DISTINCT FROM NEW.version)
    EXECUTE FUNCTION meeting_board_changed();
