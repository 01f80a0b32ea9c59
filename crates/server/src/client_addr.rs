//! Whose request is this: the client address that enrolment is throttled by.
//!
//! Without `trusted_proxies` it is the TCP peer, whatever the request says (a client cannot
//! choose its own bucket). When the peer is one of the trusted proxies, the address comes from
//! `X-Forwarded-For`, read from the right: each trusted proxy appends the address it got the
//! request from, so the right-most address that is *not* a trusted proxy is the one the first
//! trusted proxy saw, and everything left of it is the client's own say. An address in the
//! header that does not parse ends the walk there: the request is then keyed by the last
//! trusted hop, never by what an untrusted party wrote.
//!
//! [`bucket`] is what the throttle keys by: an IPv4 address as it is, an IPv6 address by its
//! /64 (one household or one cloud machine is handed a whole /64, so keying single addresses
//! would give one guesser 2^64 buckets).

use std::net::{IpAddr, Ipv6Addr};
use std::str::FromStr;

use axum::http::HeaderMap;
use ipnet::IpNet;
use serde::{Deserialize, Serialize};

/// One trusted proxy: an address (`10.0.0.7`, `::1`) or a network (`10.0.0.0/8`, `fd00::/8`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Cidr(IpNet);

impl Cidr {
    pub fn contains(&self, addr: IpAddr) -> bool {
        self.0.contains(&addr.to_canonical())
    }
}

impl FromStr for Cidr {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Ok(net) = s.parse::<IpNet>() {
            return Ok(Cidr(net.trunc()));
        }
        s.parse::<IpAddr>().map(|addr| Cidr(IpNet::from(addr.to_canonical()))).map_err(|_| {
            format!(
                "trusted_proxies: '{s}' is not an IP address or network; write it as 10.0.0.7, \
                 10.0.0.0/8, ::1 or fd00::/8"
            )
        })
    }
}

impl TryFrom<String> for Cidr {
    type Error = String;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Cidr> for String {
    fn from(c: Cidr) -> String {
        c.0.to_string()
    }
}

/// The proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Cidr>);

impl TrustedProxies {
    pub fn new(proxies: &[Cidr]) -> Self {
        TrustedProxies(proxies.to_vec())
    }

    fn trusts(&self, addr: IpAddr) -> bool {
        self.0.iter().any(|c| c.contains(addr))
    }

    /// The client behind `peer` (the TCP peer) for a request with `headers`.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return peer;
        }
        // Several X-Forwarded-For lines are one list, in order.
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .collect();
        let mut last_trusted = peer;
        for hop in hops.iter().rev() {
            match parse_hop(hop) {
                Some(addr) if self.trusts(addr) => last_trusted = addr,
                Some(addr) => return addr,
                None => return last_trusted,
            }
        }
        // Every hop is a trusted proxy: the left-most is where the request came from.
        last_trusted
    }
}

/// One `X-Forwarded-For` entry: `1.2.3.4`, `2001:db8::1`, or with a port (`1.2.3.4:5678`,
/// `[2001:db8::1]:5678`), as some proxies write it.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(addr) = hop.parse::<IpAddr>() {
        return Some(addr.to_canonical());
    }
    hop.parse::<std::net::SocketAddr>().ok().map(|s| s.ip().to_canonical())
}

/// The throttle's key for `addr`: IPv4 as it is, IPv6 by its /64.
pub fn bucket(addr: IpAddr) -> IpAddr {
    match addr.to_canonical() {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => {
            let network = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(Ipv6Addr::from(network))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies(list.iter().map(|s| s.parse().unwrap()).collect())
    }

    fn forwarded(lines: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for line in lines {
            headers.append("x-forwarded-for", line.parse().unwrap());
        }
        headers
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let none = TrustedProxies::default();
        assert_eq!(none.client(ip("203.0.113.9"), &forwarded(&["198.51.100.1"])), ip("203.0.113.9"));
    }

    #[test]
    fn a_peer_that_is_not_trusted_cannot_choose_its_address() {
        let trusted = proxies(&["10.0.0.0/8"]);
        assert_eq!(trusted.client(ip("203.0.113.9"), &forwarded(&["198.51.100.1"])), ip("203.0.113.9"));
    }

    #[test]
    fn behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client() {
        let trusted = proxies(&["10.0.0.0/8", "192.0.2.7"]);
        // The client wrote a fake first entry; the edge proxy appended the real address, an inner
        // proxy appended the edge proxy's.
        let headers = forwarded(&["1.1.1.1, 198.51.100.23", "192.0.2.7"]);
        assert_eq!(trusted.client(ip("10.1.2.3"), &headers), ip("198.51.100.23"));
        // Ports and brackets as some proxies write them.
        let headers = forwarded(&["[2001:db8::5]:4711, 10.0.0.9:80"]);
        assert_eq!(trusted.client(ip("10.1.2.3"), &headers), ip("2001:db8::5"));
    }

    #[test]
    fn a_garbled_entry_keys_the_request_by_the_last_trusted_hop() {
        let trusted = proxies(&["10.0.0.0/8"]);
        let headers = forwarded(&["198.51.100.1, not-an-address, 10.0.0.9"]);
        assert_eq!(trusted.client(ip("10.1.2.3"), &headers), ip("10.0.0.9"));
        assert_eq!(trusted.client(ip("10.1.2.3"), &HeaderMap::new()), ip("10.1.2.3"));
    }

    #[test]
    fn ipv4_mapped_ipv6_peers_are_ipv4() {
        let trusted = proxies(&["127.0.0.1"]);
        let headers = forwarded(&["198.51.100.1"]);
        assert_eq!(trusted.client(ip("::ffff:127.0.0.1"), &headers), ip("198.51.100.1"));
    }

    #[test]
    fn ipv6_addresses_of_one_64_share_a_bucket_and_ipv4_is_kept_whole() {
        assert_eq!(bucket(ip("2001:db8:1:2:aaaa::1")), bucket(ip("2001:db8:1:2:ffff:1:2:3")));
        assert_ne!(bucket(ip("2001:db8:1:2::1")), bucket(ip("2001:db8:1:3::1")));
        assert_eq!(bucket(ip("2001:db8:1:2:aaaa::1")), ip("2001:db8:1:2::"));
        assert_eq!(bucket(ip("198.51.100.1")), ip("198.51.100.1"));
        assert_eq!(bucket(ip("::ffff:198.51.100.1")), ip("198.51.100.1"));
    }

    #[test]
    fn proxies_are_written_as_addresses_or_networks() {
        let c: Cidr = "10.1.2.3/8".parse().unwrap();
        assert_eq!(String::from(c), "10.0.0.0/8");
        assert_eq!(String::from("::1".parse::<Cidr>().unwrap()), "::1/128");
        let err = "10.0.0.300".parse::<Cidr>().unwrap_err();
        assert!(err.contains("trusted_proxies") && err.contains("10.0.0.300"), "{err}");
    }
}
