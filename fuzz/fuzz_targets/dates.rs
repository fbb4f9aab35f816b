//! Lenient date parsing of arbitrary strings.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parallax_engine::ingest::parse_date;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data)
        && let Some(date) = parse_date(s)
    {
        // Whatever was parsed prints as ISO 8601 that reads back and prints the same.
        let printed = date.to_string();
        let again = printed.parse::<parallax_model::PubDate>();
        assert_eq!(again.map(|d| d.to_string()).ok(), Some(printed), "{s:?}");
    }
});
