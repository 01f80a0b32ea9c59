//! The agency server's address, checked once: HTTPS, or plain HTTP only to this computer.
//!
//! Why the loopback exception: a diary's token and a caregiver's entries must never cross a
//! network in the clear, but a server on the same machine (development, `make run`, tests) has no
//! network to cross. Loopback means 127.0.0.0/8, ::1 and the name `localhost`, nothing else:
//! not a LAN address, not a name that merely resolves to 127.0.0.1 today.

use std::fmt;

use url::{Host, Url};

use crate::sync::SyncFailure;

/// A server address that passed the transport rule. Always without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerUrl(Url);

/// The rule, in the words every refusal uses.
pub const PLAIN_HTTP_RULE: &str =
    "plain http:// is allowed only to this computer (127.0.0.0/8, ::1 or localhost); use an https:// address";

impl ServerUrl {
    /// Checks `raw` (as typed: spaces around it do not matter).
    pub fn parse(raw: &str) -> Result<ServerUrl, SyncFailure> {
        let raw = raw.trim();
        let bad = |why: &str| SyncFailure::BadServerUrl(format!("'{raw}' {why}"));
        let url = Url::parse(raw).map_err(|_| bad("is not a web address such as https://agency.example"))?;
        if url.host_str().is_none_or(str::is_empty) {
            return Err(bad("has no server name"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("must not contain a user name or password"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(bad("must not contain ? or #"));
        }
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(&url) => {}
            "http" => {
                return Err(SyncFailure::BadServerUrl(format!("'{raw}' is refused: {PLAIN_HTTP_RULE}")));
            }
            _ => return Err(bad("must start with https://")),
        }
        Ok(ServerUrl(url))
    }

    /// The address of an API endpoint, e.g. `endpoint("api/v1/sync")`.
    pub fn endpoint(&self, path: &str) -> Url {
        let mut url = self.0.clone();
        let base = url.path().trim_end_matches('/').to_owned();
        url.set_path(&format!("{base}/{path}"));
        url
    }

    /// Whether the server is on this computer (127.0.0.0/8, ::1 or `localhost`).
    pub fn is_loopback(&self) -> bool {
        is_loopback(&self.0)
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str().trim_end_matches('/')
    }
}

impl fmt::Display for ServerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_is_accepted_anywhere() {
        let url = ServerUrl::parse(" https://agency.example/convivio/ ").unwrap();
        assert_eq!(url.as_str(), "https://agency.example/convivio");
        assert_eq!(url.endpoint("api/v1/sync").as_str(), "https://agency.example/convivio/api/v1/sync");
        assert_eq!(
            ServerUrl::parse("https://10.0.0.5:8443").unwrap().endpoint("api/v1/enrol").as_str(),
            "https://10.0.0.5:8443/api/v1/enrol"
        );
    }

    #[test]
    fn plain_http_is_accepted_only_to_loopback() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.3.4.5",
            "http://[::1]:9000",
            "http://localhost:3000",
            "http://LOCALHOST",
        ] {
            assert!(ServerUrl::parse(ok).is_ok(), "{ok}");
        }
        for refused in [
            "http://agency.example",
            "http://192.168.1.10:8080",
            "http://10.0.0.1",
            "http://[::2]",
            "http://localhost.agency.example",
            "http://0.0.0.0:8080",
        ] {
            let err = ServerUrl::parse(refused).unwrap_err().to_string();
            assert!(err.contains("plain http:// is allowed only to this computer"), "{refused}: {err}");
            assert!(err.contains("127.0.0.0/8, ::1 or localhost"), "{err}");
        }
    }

    #[test]
    fn other_schemes_and_odd_addresses_are_refused() {
        for bad in [
            "ftp://agency.example",
            "agency.example",
            "https://",
            "https://u:p@agency.example",
            "https://a.example/?x=1",
        ] {
            assert!(matches!(ServerUrl::parse(bad), Err(SyncFailure::BadServerUrl(_))), "{bad}");
        }
    }
}
