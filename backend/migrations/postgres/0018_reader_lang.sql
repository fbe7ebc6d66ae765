-- The language a person reads Sammen's mail in — `da`, `en` or a pack's code
-- (`ar`, `uk`) — as they used Sammen when they joined or offered help. NULL on
-- rows from before: their mail language is guessed from the languages they
-- speak (`mails::reader_lang`).
ALTER TABLE signups ADD COLUMN lang TEXT;
ALTER TABLE offers ADD COLUMN lang TEXT;
