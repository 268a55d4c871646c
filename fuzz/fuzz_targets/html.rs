//! HTML to main text must never panic, and the text it returns is normalised
//! (no carriage returns survive).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    let page = claimgraph_extract::html::main_content(&html);
    assert!(!page.text.contains('\r'), "main_content returned a '\\r': {:?}", page.text);
});
