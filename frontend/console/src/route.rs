//! Where the coordinator is, kept in the address's `#fragment` so reload,
//! the back button and bookmarks work without the server knowing the routes.

use sammen_shared::status::Status;
use uuid::Uuid;

/// One screen of the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// The moderation queue, one state at a time.
    Queue(Status),
    /// One initiative: fields, contact, dialogue, decisions, signups.
    Initiative(Uuid),
    /// The ranked volunteers for each need of an initiative.
    Matches(Uuid),
    /// Composing an initiative's families into groups.
    Groups(Uuid),
    /// Published initiatives with their signups and needs.
    Published,
    Offers,
    /// What came of it: figures and charts.
    Stats,
    /// Starting an open meeting.
    Meetings,
    /// One open meeting: code, QR code, board, closing.
    Meeting(Uuid),
    Audit,
    Settings,
    /// One's own account: the password, signing out everywhere.
    Account,
}

impl Default for Route {
    fn default() -> Route {
        Route::Queue(Status::Submitted)
    }
}

impl Route {
    /// Reads `#/queue/submitted`, `#/initiative/<id>`, …; anything else is
    /// the default queue.
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let mut parts = path.splitn(2, '/');
        match (parts.next().unwrap_or(""), parts.next()) {
            ("queue", Some(state)) => Status::parse(state).map(Route::Queue),
            ("initiative", Some(rest)) => match rest.split_once('/') {
                None => Uuid::parse_str(rest).ok().map(Route::Initiative),
                Some((id, "matches")) => Uuid::parse_str(id).ok().map(Route::Matches),
                Some((id, "groups")) => Uuid::parse_str(id).ok().map(Route::Groups),
                Some(_) => None,
            },
            ("published", None) => Some(Route::Published),
            ("offers", None) => Some(Route::Offers),
            ("stats", None) => Some(Route::Stats),
            ("meetings", None) => Some(Route::Meetings),
            ("meeting", Some(id)) => Uuid::parse_str(id).ok().map(Route::Meeting),
            ("audit", None) => Some(Route::Audit),
            ("settings", None) => Some(Route::Settings),
            ("account", None) => Some(Route::Account),
            _ => None,
        }
        .unwrap_or_default()
    }

    /// The `href` of a link to this screen.
    pub fn href(self) -> String {
        match self {
            Route::Queue(status) => format!("#/queue/{}", status.as_str()),
            Route::Initiative(id) => format!("#/initiative/{id}"),
            Route::Matches(id) => format!("#/initiative/{id}/matches"),
            Route::Groups(id) => format!("#/initiative/{id}/groups"),
            Route::Published => "#/published".into(),
            Route::Offers => "#/offers".into(),
            Route::Stats => "#/stats".into(),
            Route::Meetings => "#/meetings".into(),
            Route::Meeting(id) => format!("#/meeting/{id}"),
            Route::Audit => "#/audit".into(),
            Route::Settings => "#/settings".into(),
            Route::Account => "#/account".into(),
        }
    }

    /// The current route of the page.
    pub fn current() -> Route {
        let hash = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default();
        Route::parse(&hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_round_trips_through_its_href() {
        let id = Uuid::from_u128(7);
        for route in [
            Route::Queue(Status::ChangesRequested),
            Route::Initiative(id),
            Route::Matches(id),
            Route::Groups(id),
            Route::Published,
            Route::Offers,
            Route::Stats,
            Route::Meetings,
            Route::Meeting(id),
            Route::Audit,
            Route::Settings,
            Route::Account,
        ] {
            assert_eq!(Route::parse(&route.href()), route);
        }
    }

    #[test]
    fn anything_unknown_is_the_waiting_queue() {
        for hash in [
            "",
            "#",
            "#/nope",
            "#/queue/eaten",
            "#/initiative/42",
            "#/initiative/42/groups",
        ] {
            assert_eq!(Route::parse(hash), Route::Queue(Status::Submitted));
        }
    }
}
