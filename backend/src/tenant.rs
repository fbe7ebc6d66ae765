//! Which municipality a request is for, read from its path the way the
//! router reads it: percent-decoded. Middleware that keys anything on the
//! tenant (write limits, CORS) uses this, so `/municipalities/bill%75nd/…`
//! is Billund's request to them too, as it is to the handler.

use percent_encoding::percent_decode_str;

/// `billund` of `/api/v1/municipalities/billund/…` (also when written
/// `bill%75nd`); `None` for other paths or a segment that is not UTF-8.
pub fn municipality_in_path(path: &str) -> Option<String> {
    let segment = path
        .strip_prefix("/api/v1/municipalities/")?
        .split('/')
        .next()
        .filter(|m| !m.is_empty())?;
    let decoded = percent_decode_str(segment).decode_utf8().ok()?;
    Some(decoded.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tenant_is_read_as_the_router_reads_it() {
        for path in [
            "/api/v1/municipalities/billund/initiatives",
            "/api/v1/municipalities/bill%75nd/initiatives",
            "/api/v1/municipalities/%62%69%6c%6c%75%6e%64",
        ] {
            assert_eq!(
                municipality_in_path(path).as_deref(),
                Some("billund"),
                "{path}"
            );
        }
        assert_eq!(municipality_in_path("/api/v1/follow"), None);
        assert_eq!(municipality_in_path("/api/v1/municipalities/"), None);
        assert_eq!(municipality_in_path("/api/v1/municipalities/%ff"), None);
    }
}
