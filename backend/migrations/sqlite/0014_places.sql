-- The municipality's places: each institution or area may have a point the
-- admin sets, so what a citizen ties to it (a proposal, an offer) has a
-- place on the map and in "near me" even when the citizen gave none.
ALTER TABLE institutions ADD COLUMN lat REAL;
ALTER TABLE institutions ADD COLUMN lon REAL;
