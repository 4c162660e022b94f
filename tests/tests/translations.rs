//! Every message the UI and the shell ask for by a literal id exists in both languages: a typo
//! or a lost line in a `.ftl` file would otherwise show the raw id to the user (and Fluent says
//! nothing). Ids built at run time (`badge-{name}`) are checked where they are built.

use std::path::Path;

use hearth_core::i18n::{Locale, Translator};

/// The literal ids passed to `t("…")` and `t_with("…", …)` in the Rust files under `dir`.
fn ids_used_under(dir: &Path, found: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("read the source directory") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            ids_used_under(&path, found);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).expect("read a source file");
        for call in [".t(", ".t_with("] {
            for (at, _) in source.match_indices(call) {
                // rustfmt may put the id on the next line.
                let Some(rest) = source[at + call.len()..].trim_start().strip_prefix('"') else { continue };
                let id = rest.split('"').next().unwrap_or_default();
                if !id.is_empty()
                    && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                {
                    found.push((id.to_owned(), path.display().to_string()));
                }
            }
        }
    }
}

#[test]
fn every_message_the_code_asks_for_exists_in_english_and_chinese() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut used = Vec::new();
    for dir in ["src-ui/src", "src-tauri/src"] {
        ids_used_under(&root.join(dir), &mut used);
    }
    assert!(used.len() > 100, "the scan found suspiciously few ids: {}", used.len());
    for locale in Locale::ALL {
        let defined = Translator::message_ids(locale).expect("the resource parses");
        let missing: Vec<String> = used
            .iter()
            .filter(|(id, _)| defined.binary_search(id).is_err())
            .map(|(id, file)| format!("{id} ({file})"))
            .collect();
        assert!(missing.is_empty(), "{locale:?} lacks: {missing:#?}");
    }
}
