//! The client's address: the connecting peer, or — when that peer is one of
//! our own reverse proxies (`SAMMEN_TRUSTED_PROXIES`) — the right-most hop of
//! `X-Forwarded-For` (or of `Forwarded`, with
//! `SAMMEN_CLIENT_ADDRESS_HEADER=forwarded`) that is not a trusted proxy. Rate limits,
//! the sign-in throttle, the audit log and the logs all use this one address
//! ([`ClientAddr`], put in the request's extensions by [`resolve_client`]).
//!
//! Why the right-most untrusted hop: every proxy appends the address it saw,
//! so the entries to the right were written by our proxies and can be
//! believed; everything left of the first untrusted entry was sent by the
//! client and may be forged. A client that prepends made-up addresses stays
//! in its own bucket.
//!
//! One header, the one our proxy writes, never "whichever came": Caddy and
//! nginx set `X-Forwarded-For` but pass a client's own `Forwarded` through
//! untouched, so preferring `Forwarded` would let a client pick its address.
//!
//! The hops are parsed one by one from the right rather than with a parser
//! of the whole header (such as `forwarded-header-value`): a whole-header
//! parser gives up on one forged, malformed entry at the left, and the
//! request would then count as the proxy's — a way to escape one's own
//! limit and use up the whole town's.

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderName};
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;

/// The address a request came from, after trusted proxies are looked through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

impl ClientAddr {
    /// The address in `request`'s extensions; the unspecified address when
    /// the request did not pass [`resolve_client`] (tests of single layers).
    pub fn of(extensions: &axum::http::Extensions) -> IpAddr {
        extensions
            .get::<ClientAddr>()
            .map(|ClientAddr(address)| *address)
            .unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }
}

/// Which header our proxies write the client's address into.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For` (Caddy, nginx, HAProxy, Traefik, most load balancers).
    #[default]
    XForwardedFor,
    /// `Forwarded` (RFC 7239).
    Forwarded,
}

impl ForwardedHeader {
    /// Reads `SAMMEN_CLIENT_ADDRESS_HEADER`.
    pub fn parse(name: &str) -> Result<ForwardedHeader, String> {
        match name.trim().to_ascii_lowercase().as_str() {
            "" | "x-forwarded-for" => Ok(ForwardedHeader::XForwardedFor),
            "forwarded" => Ok(ForwardedHeader::Forwarded),
            other => Err(format!(
                "SAMMEN_CLIENT_ADDRESS_HEADER must be x-forwarded-for or forwarded, not {other}"
            )),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ForwardedHeader::XForwardedFor => "x-forwarded-for",
            ForwardedHeader::Forwarded => "forwarded",
        }
    }
}

/// The networks whose connections are our own reverse proxies.
#[derive(Debug, Default)]
pub struct TrustedProxies {
    networks: Vec<IpNet>,
    header: ForwardedHeader,
    /// Set once forwarded headers arrived from a peer we do not trust: a
    /// proxy in front of us that nobody configured (see `sammen check-config`).
    ignored_forwarded: AtomicBool,
}

impl TrustedProxies {
    /// Parses `SAMMEN_TRUSTED_PROXIES`: addresses or CIDR networks separated
    /// by commas (`127.0.0.1, 10.0.0.0/8, ::1`); empty trusts nobody.
    pub fn parse(list: &str, header: ForwardedHeader) -> Result<TrustedProxies, String> {
        let mut networks = Vec::new();
        for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let network = match item.parse::<IpNet>() {
                Ok(network) => network,
                Err(_) => item.parse::<IpAddr>().map(IpNet::from).map_err(|_| {
                    format!(
                        "SAMMEN_TRUSTED_PROXIES: '{item}' is neither an address (10.0.0.5, ::1) \
                         nor a network (10.0.0.0/8)"
                    )
                })?,
            };
            networks.push(network.trunc());
        }
        Ok(TrustedProxies {
            networks,
            header,
            ignored_forwarded: AtomicBool::new(false),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.networks.is_empty()
    }

    /// The networks, as configured (for `sammen check-config`).
    pub fn networks(&self) -> &[IpNet] {
        &self.networks
    }

    /// The header the client's address is read from.
    pub fn header(&self) -> ForwardedHeader {
        self.header
    }

    fn trusts(&self, address: IpAddr) -> bool {
        let address = canonical(address);
        self.networks.iter().any(|net| net.contains(&address))
    }

    /// Whether a peer we do not trust has sent forwarded headers since start.
    pub fn saw_untrusted_forwarding(&self) -> bool {
        self.ignored_forwarded.load(Ordering::Relaxed)
    }

    /// The client's address for a request from `peer` with `headers`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            if has_forwarding(headers) && !self.ignored_forwarded.swap(true, Ordering::Relaxed) {
                tracing::warn!(
                    %peer,
                    "forwarded headers from a peer that is not a trusted proxy are ignored; \
                     if Sammen runs behind a proxy, set SAMMEN_TRUSTED_PROXIES"
                );
            }
            return peer;
        }
        let hops = forwarded_hops(headers, self.header);
        let mut client = peer;
        for hop in hops.iter().rev() {
            match hop {
                Some(address) if self.trusts(*address) => client = *address,
                Some(address) => return *address,
                // A hop we cannot read (`unknown`, an obfuscated name, junk):
                // the last address we could believe is as far as we can see.
                None => return client,
            }
        }
        client
    }
}

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

fn has_forwarding(headers: &HeaderMap) -> bool {
    headers.contains_key(axum::http::header::FORWARDED) || headers.contains_key(X_FORWARDED_FOR)
}

/// The hops of `header`, left to right, over every line of it.
fn forwarded_hops(headers: &HeaderMap, header: ForwardedHeader) -> Vec<Option<IpAddr>> {
    let entries = headers
        .get_all(header.name())
        .iter()
        .map(|value| value.to_str().unwrap_or("\u{0}"))
        .flat_map(|line| line.split(','))
        .map(str::trim);
    match header {
        ForwardedHeader::XForwardedFor => entries.map(address).collect(),
        ForwardedHeader::Forwarded => entries.map(forwarded_for).collect(),
    }
}

/// The address of one `Forwarded` element: `for=192.0.2.60;proto=https`,
/// `for="[2001:db8::1]:4711"`.
fn forwarded_for(element: &str) -> Option<IpAddr> {
    element
        .split(';')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| key.trim().eq_ignore_ascii_case("for"))
        .and_then(|(_, value)| address(value.trim().trim_matches('"')))
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:5000`, `2001:db8::1`,
/// `[2001:db8::1]`, `[2001:db8::1]:5000`.
fn address(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    let address = text
        .parse::<IpAddr>()
        .ok()
        .or_else(|| text.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| {
            text.strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .and_then(|inner| inner.parse().ok())
        })?;
    Some(canonical(address))
}

/// IPv4 addresses that arrive mapped into IPv6 (`::ffff:10.0.0.1`, from a
/// dual-stack listener) are the IPv4 address.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map(IpAddr::V4)
            .unwrap_or(IpAddr::V6(v6)),
        v4 => v4,
    }
}

/// Middleware: puts the [`ClientAddr`] of each request in its extensions.
pub async fn resolve_client(
    State(proxies): State<Arc<TrustedProxies>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| peer.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let client = proxies.client(peer, request.headers());
    request.extensions_mut().insert(ClientAddr(client));
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.append(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        headers
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_says() {
        let proxies = TrustedProxies::parse("10.0.0.0/8", ForwardedHeader::XForwardedFor).unwrap();
        let forged = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(
            proxies.client(ip("198.51.100.7"), &forged),
            ip("198.51.100.7")
        );
        assert!(proxies.saw_untrusted_forwarding());
        let nobody = TrustedProxies::parse("", ForwardedHeader::XForwardedFor).unwrap();
        assert_eq!(nobody.client(ip("127.0.0.1"), &forged), ip("127.0.0.1"));
    }

    #[test]
    fn through_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client() {
        let proxies =
            TrustedProxies::parse("127.0.0.1, 10.0.0.0/8", ForwardedHeader::XForwardedFor).unwrap();
        let peer = ip("127.0.0.1");
        let one = headers(&[("x-forwarded-for", "203.0.113.9")]);
        assert_eq!(proxies.client(peer, &one), ip("203.0.113.9"));
        // The client prepended a made-up address; a load balancer (trusted)
        // appended what it saw.
        let forged = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9, 10.1.2.3")]);
        assert_eq!(proxies.client(peer, &forged), ip("203.0.113.9"));
        // Several header lines are one list.
        let lines = headers(&[
            ("x-forwarded-for", "junk!, 1.2.3.4"),
            ("x-forwarded-for", "203.0.113.9"),
        ]);
        assert_eq!(proxies.client(peer, &lines), ip("203.0.113.9"));
        // No header: the proxy itself.
        assert_eq!(proxies.client(peer, &HeaderMap::new()), peer);
        // Every hop ours: the left-most.
        let internal = headers(&[("x-forwarded-for", "10.9.9.9, 10.1.1.1")]);
        assert_eq!(proxies.client(peer, &internal), ip("10.9.9.9"));
    }

    #[test]
    fn forwarded_is_read_with_ports_quotes_and_ipv6() {
        let proxies = TrustedProxies::parse("::1, 127.0.0.1", ForwardedHeader::Forwarded).unwrap();
        let peer = ip("::1");
        let standard = headers(&[(
            "forwarded",
            "for=1.2.3.4, for=\"[2001:db8::7]:4711\";proto=https;by=::1",
        )]);
        assert_eq!(proxies.client(peer, &standard), ip("2001:db8::7"));
        let with_port = headers(&[("forwarded", "for=192.0.2.60:5000;proto=http")]);
        assert_eq!(proxies.client(peer, &with_port), ip("192.0.2.60"));
        // Only the configured header counts, whatever else came.
        let both = headers(&[
            ("x-forwarded-for", "198.51.100.1"),
            ("forwarded", "for=192.0.2.60"),
        ]);
        assert_eq!(proxies.client(peer, &both), ip("192.0.2.60"));
    }

    #[test]
    fn a_clients_own_forwarded_header_is_ignored_when_the_proxy_writes_x_forwarded_for() {
        // Caddy replaces X-Forwarded-For but passes Forwarded through.
        let proxies = TrustedProxies::parse("127.0.0.1", ForwardedHeader::XForwardedFor).unwrap();
        let sent = headers(&[
            ("forwarded", "for=6.6.6.6"),
            ("x-forwarded-for", "203.0.113.9"),
        ]);
        assert_eq!(proxies.client(ip("127.0.0.1"), &sent), ip("203.0.113.9"));
        assert_eq!(
            ForwardedHeader::parse("Forwarded"),
            Ok(ForwardedHeader::Forwarded)
        );
        assert!(ForwardedHeader::parse("x-real-ip").is_err());
    }

    #[test]
    fn an_unreadable_hop_stops_the_walk_at_the_last_believable_address() {
        let proxies =
            TrustedProxies::parse("127.0.0.1, 10.0.0.0/8", ForwardedHeader::Forwarded).unwrap();
        let peer = ip("127.0.0.1");
        let unknown = headers(&[("forwarded", "for=unknown, for=10.0.0.2")]);
        assert_eq!(proxies.client(peer, &unknown), ip("10.0.0.2"));
        let junk = headers(&[("forwarded", "for=not-an-address")]);
        assert_eq!(proxies.client(peer, &junk), peer);
    }

    #[test]
    fn mapped_ipv4_is_ipv4() {
        let proxies = TrustedProxies::parse("127.0.0.1", ForwardedHeader::XForwardedFor).unwrap();
        let one = headers(&[("x-forwarded-for", "::ffff:203.0.113.9")]);
        assert_eq!(
            proxies.client(ip("::ffff:127.0.0.1"), &one),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn a_bad_setting_names_the_entry() {
        let xff = ForwardedHeader::XForwardedFor;
        let error = TrustedProxies::parse("10.0.0.0/8, proxy.local", xff).unwrap_err();
        assert!(error.contains("proxy.local"), "{error}");
        assert!(TrustedProxies::parse("10.0.0.0/33", xff).is_err());
    }
}
