//! Helpers every end-to-end test uses.
