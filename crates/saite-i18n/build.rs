//! Embeds every `locales/<lang>/*.ftl` file into the crate, so the binary needs no
//! files beside it and the Rust side reads exactly what the UI bundles.
use std::{env, fs, path::PathBuf};

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let locales = manifest.join("../../locales").canonicalize().expect("locales/ at the repository root");
    println!("cargo:rerun-if-changed={}", locales.display());

    let mut entries = Vec::new();
    let mut langs: Vec<_> = fs::read_dir(&locales).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    langs.sort();
    for lang_dir in langs {
        println!("cargo:rerun-if-changed={}", lang_dir.display());
        let lang = lang_dir.file_name().unwrap().to_string_lossy().into_owned();
        let mut files: Vec<_> = fs::read_dir(&lang_dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "ftl"))
            .collect();
        files.sort();
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            entries.push(format!("    ({lang:?}, {name:?}, include_str!({:?})),\n", file.display().to_string()));
        }
    }
    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("embedded_ftl.rs");
    let code = format!(
        "/// (language tag, file name, contents) of every shipped `.ftl` file.\npub static EMBEDDED_FTL: &[(&str, &str, &str)] = &[\n{}];\n",
        entries.concat()
    );
    fs::write(out, code).unwrap();
}
