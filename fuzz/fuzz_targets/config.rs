//! `claimgraph.toml` (`Config::from_toml`): must never panic; any text is a config or an
//! error naming the file.
#![no_main]

use claimgraph_ingest::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(e) = Config::from_toml(text, "fuzz.toml") {
        assert!(e.to_string().contains("fuzz.toml"), "an error that does not name the file: {e}");
    }
});
