//! Web origins: what the `origin=` parameter may name (scheme, host and port, nothing more),
//! and the origin a framed lab's messages go to. Both the URL reader ([`crate::url`]) and the
//! host-page link ([`crate::host`]) use it; it uses neither.

/// Whether `text` is a web origin as a browser writes one: `http` or `https`, `://`, a host
/// of lower-case letters, digits, dots and hyphens (or a bracketed IPv6 address), an optional
/// port, and nothing after.
pub fn is_origin(text: &str) -> bool {
    let Some(rest) = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://")) else { return false };
    let (host_ok, port) = match rest.strip_prefix('[').and_then(|r| r.split_once(']')) {
        Some((v6, after)) => (
            !v6.is_empty() && v6.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f' | b':' | b'.')),
            if after.is_empty() { Some(None) } else { after.strip_prefix(':').map(Some) },
        ),
        None => {
            let (host, port) = rest.split_once(':').map_or((rest, None), |(h, p)| (h, Some(p)));
            (!host.is_empty() && host.bytes().all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-')), Some(port))
        }
    };
    let port_ok =
        port.is_some_and(|p| p.is_none_or(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())));
    host_ok && port_ok && text.len() <= 300
}

/// The origin the frame posts to: the `origin=` setting when given, else the origin of the
/// page's referrer (the embedding page, unless its referrer policy hides it), else none.
pub fn target_origin(setting: Option<&str>, referrer: &str) -> Option<String> {
    if let Some(origin) = setting {
        return Some(origin.to_string());
    }
    let rest = referrer.strip_prefix("https://").or_else(|| referrer.strip_prefix("http://"))?;
    let end = referrer.len() - rest.len() + rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let origin = &referrer[..end];
    is_origin(origin).then(|| origin.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        for good in ["https://lms.example.edu", "http://127.0.0.1:8080", "http://localhost:3000", "https://[::1]:8443"]
        {
            assert!(is_origin(good), "{good}");
        }
        for bad in [
            "",
            "*",
            "null",
            "lms.example.edu",
            "https://",
            "https://lms.example.edu/",
            "https://LMS.example.edu",
            "https://lms.example.edu:",
            "https://lms.example.edu:99999x",
            "javascript:alert(1)",
            "https://a b",
            "https://user@host",
        ] {
            assert!(!is_origin(bad), "{bad}");
        }
        assert_eq!(target_origin(Some("https://a.example"), "https://b.example/x"), Some("https://a.example".into()));
        assert_eq!(target_origin(None, "https://b.example:8443/course/1?x#y"), Some("https://b.example:8443".into()));
        assert_eq!(target_origin(None, "https://b.example"), Some("https://b.example".into()));
        assert_eq!(target_origin(None, ""), None);
        assert_eq!(target_origin(None, "about:blank"), None);
    }
}
