//! Publication dates as found in the wild: ISO 8601, RFC 2822, and the forms news sites print.

use parallax_model::PubDate;

/// Parses a publication date in any common form, at the precision given. Returns `None` when `s` holds no date.
pub fn parse_date(s: &str) -> Option<PubDate> {
    let s = s.trim();
    if let Ok(date) = s.parse::<PubDate>() {
        return Some(date);
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc2822(s) {
        return Some(PubDate::Zoned(t));
    }
    None
}
