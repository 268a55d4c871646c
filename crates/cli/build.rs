//! Embeds the demo corpus (`demo/` at the workspace root) in the binary, so that
//! `claimgraph demo` runs anywhere without the source tree.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo");
    println!("cargo:rerun-if-changed={}", demo.display());
    let mut out = String::from(
        "/// (path under demo/, contents) of every demo file.\npub static DEMO_FILES: &[(&str, &str)] = &[\n",
    );
    let mut files = Vec::new();
    for dir in ["", "articles", "annotations"] {
        let path = demo.join(dir);
        println!("cargo:rerun-if-changed={}", path.display());
        let Ok(entries) = std::fs::read_dir(&path) else { continue };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_file() {
                let rel = p.strip_prefix(&demo).unwrap().to_string_lossy().replace('\\', "/");
                files.push((rel, p.canonicalize().unwrap()));
            }
        }
    }
    files.sort();
    for (rel, abs) in files {
        let _ = writeln!(out, "    ({rel:?}, include_str!({:?})),", abs.display().to_string());
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("demo_files.rs");
    std::fs::write(dest, out).unwrap();
}
