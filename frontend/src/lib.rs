//! The citizen widget (built in the widget issue).
