//! DM-07 / crate contract: the clock is injected. No source file reads the system clock,
//! the system time zone, the environment or the file system.

#[test]
fn dm_07_sources_never_read_the_system_clock_or_do_io() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let forbidden = [
        "Timestamp::now",
        "Zoned::now",
        "ZonedDateTime::now",
        "SystemTime",
        "Instant::now",
        "TimeZone::system",
        "try_system",
        "std::fs",
        "std::env",
        "std::net",
    ];
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for f in forbidden {
            assert!(!text.contains(f), "{} uses `{f}`", path.display());
        }
        checked += 1;
    }
    assert!(checked >= 7);
}
