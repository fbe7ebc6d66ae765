-- A rota: dates added at once as a series (weekday mornings for snow
-- clearing) share a series id, so the series is announced in one mail
-- rather than one per date, and its reminders and check-ins go only to
-- whoever takes each date rather than to the whole group every morning.
ALTER TABLE group_dates ADD COLUMN series_id UUID;
