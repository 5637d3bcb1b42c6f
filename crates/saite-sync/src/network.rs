//! Whether this computer has a network at all, to tell "offline" from "the server does
//! not answer", and to sync as soon as the network comes back.
//!
//! Linux: a default route in `/proc/net/route` (IPv4) or `/proc/net/ipv6_route`. Other
//! systems: assumed online (the round's own error then says the server is unreachable).

/// Whether a request to `server` can leave this computer: always for a loopback
/// address; otherwise only with a default route.
pub fn can_reach(server: &str) -> bool {
    is_loopback(server) || has_default_route()
}

fn is_loopback(server: &str) -> bool {
    let Ok(url) = reqwest::Url::parse(server) else { return false };
    let Some(host) = url.host_str() else { return false };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost") || bare.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

pub fn has_default_route() -> bool {
    if !cfg!(target_os = "linux") {
        return true;
    }
    let v4 = std::fs::read_to_string("/proc/net/route").ok();
    let v6 = std::fs::read_to_string("/proc/net/ipv6_route").ok();
    if v4.is_none() && v6.is_none() {
        // No /proc (a sandbox): do not claim to be offline.
        return true;
    }
    v4.as_deref().is_some_and(ipv4_default_route) || v6.as_deref().is_some_and(ipv6_default_route)
}

/// `/proc/net/route`: a line whose destination and mask are 0 and whose flags say up
/// (0x1) and gateway (0x2), on an interface other than loopback.
fn ipv4_default_route(table: &str) -> bool {
    table.lines().skip(1).any(|line| {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let flags = cols.get(3).and_then(|f| u32::from_str_radix(f, 16).ok()).unwrap_or(0);
        cols.len() >= 8 && cols[0] != "lo" && cols[1] == "00000000" && cols[7] == "00000000" && flags & 0x3 == 0x3
    })
}

/// `/proc/net/ipv6_route`: destination ::/0, not on loopback, flags up with gateway.
fn ipv6_default_route(table: &str) -> bool {
    table.lines().any(|line| {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let flags = cols.get(8).and_then(|f| u32::from_str_radix(f, 16).ok()).unwrap_or(0);
        cols.len() >= 10
            && cols[0] == "00000000000000000000000000000000"
            && cols[1] == "00"
            && cols[9] != "lo"
            && flags & 0x3 == 0x3
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_default_route_is_found_and_loopback_or_host_routes_are_not() {
        let with = "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n\
                    eth0\t00000000\t0102A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n\
                    eth0\t0002A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n";
        let without = "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n\
                       eth0\t0002A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n";
        let down = "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n\
                    eth0\t00000000\t0102A8C0\t0002\t0\t0\t100\t00000000\t0\t0\t0\n";
        assert!(ipv4_default_route(with));
        assert!(!ipv4_default_route(without));
        assert!(!ipv4_default_route(down));
        let v6 = "00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000001 00000000 00000003 wlan0\n";
        let v6_lo = "00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200 lo\n";
        assert!(ipv6_default_route(v6));
        assert!(!ipv6_default_route(v6_lo));
    }

    #[test]
    fn loopback_servers_need_no_route() {
        assert!(is_loopback("http://127.0.0.1:8443"));
        assert!(is_loopback("http://localhost:1"));
        assert!(is_loopback("http://[::1]:8443"));
        assert!(!is_loopback("https://sync.patverums.lv"));
        assert!(can_reach("http://127.0.0.1:1"));
    }
}
