//! What the text a person types into a field must be: the error a broken rule gives, and one
//! normalizer for names and texts with the patterns the API document states for them, so that
//! a request the document allows is never refused for its text and the two cannot drift.
//!
//! A text is trimmed before it is kept; its length limit counts the characters as sent, and a
//! field that needs something in it needs a character that is not white space.

/// A rule a field broke: the field's wire name and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid `{field}`: {reason}")]
pub struct FieldError {
    /// The field, in its wire spelling.
    pub field: &'static str,
    /// What was expected, in plain words.
    pub reason: String,
}

impl FieldError {
    /// A broken rule of `field`.
    pub fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self { field, reason: reason.into() }
    }
}

/// Which characters a text may hold besides printable ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// A name or title: no control character at all.
    One,
    /// A post, comment or note: line breaks and tabs, no other control character.
    Many,
}

/// A one-line text ([`Lines::One`]) that may be empty.
pub const LINE_PATTERN: &str = r"^[^\u0000-\u001f\u007f-\u009f]*$";
/// A one-line text with something in it.
pub const LINE_NOT_BLANK_PATTERN: &str = r"^[^\u0000-\u001f\u007f-\u009f]*[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u001f\u007f-\u009f]*$";
/// A text of many lines ([`Lines::Many`]) that may be empty.
pub const TEXT_PATTERN: &str = r"^[^\u0000-\u0008\u000b-\u001f\u007f-\u009f]*$";
/// A text of many lines with something in it.
pub const TEXT_NOT_BLANK_PATTERN: &str = r"^[^\u0000-\u0008\u000b-\u001f\u007f-\u009f]*[^\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000-\u0008\u000b-\u001f\u007f-\u009f]*$";

/// `text` trimmed, once it holds at most `max` characters as sent, at least `min` once trimmed,
/// and no control characters but those `lines` allows.
pub fn normalize_text(
    text: &str,
    field: &'static str,
    min: usize,
    max: usize,
    lines: Lines,
) -> Result<String, FieldError> {
    let trimmed = text.trim();
    if text.chars().count() > max || trimmed.chars().count() < min {
        let reason = match min {
            0 => format!("expected at most {max} characters"),
            _ => format!("expected {min} to {max} characters"),
        };
        return Err(FieldError::new(field, reason));
    }
    let allowed = |c: char| lines == Lines::Many && (c == '\n' || c == '\t');
    if text.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(FieldError::new(field, "expected no control characters"));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_trimmed_and_bounded_as_sent() {
        assert_eq!(normalize_text("  早上好 \n", "text", 1, 7, Lines::Many).as_deref(), Ok("早上好"));
        assert!(normalize_text("  早上好 \n", "text", 1, 6, Lines::Many).is_err(), "counted as sent");
        assert!(normalize_text("   ", "text", 1, 3, Lines::Many).is_err());
        assert_eq!(normalize_text("", "text", 0, 3, Lines::Many).as_deref(), Ok(""));
        assert_eq!(normalize_text("a\nb", "text", 1, 10, Lines::Many).as_deref(), Ok("a\nb"));
        assert!(normalize_text("a\nb", "name", 1, 10, Lines::One).is_err());
        let error = normalize_text("a\u{7}b", "text", 1, 10, Lines::Many).expect_err("bell refused");
        assert_eq!(error.field, "text");
    }

    /// Each pattern accepts exactly what the normalizer accepts (length aside, which the
    /// document states as `maxLength`).
    #[test]
    fn the_patterns_say_what_normalizing_accepts() {
        let samples = [
            "",
            " ",
            "王阿姨",
            " Li ",
            "a b",
            "a\nb",
            "\n",
            "\t x",
            "a\rb",
            "a\u{7}",
            "\u{3000}",
            "\u{a0}x",
            "\u{200b}",
            "\u{85}",
            "\u{feff}",
            "\u{2028}",
            "x\u{9f}",
            "😀",
        ];
        for (pattern, min, lines) in [
            (LINE_PATTERN, 0, Lines::One),
            (LINE_NOT_BLANK_PATTERN, 1, Lines::One),
            (TEXT_PATTERN, 0, Lines::Many),
            (TEXT_NOT_BLANK_PATTERN, 1, Lines::Many),
        ] {
            let regex = regex::Regex::new(pattern).expect("compiles");
            for sample in samples {
                let normalized = normalize_text(sample, "f", min, 100, lines);
                assert_eq!(regex.is_match(sample), normalized.is_ok(), "{pattern} on {sample:?}");
            }
        }
    }
}
