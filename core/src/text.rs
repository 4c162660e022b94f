//! Text set in a fixed width by the caller's measure (pixels on a canvas, say): lines break where
//! Unicode's rules allow (UAX #14, through textwrap), so Chinese breaks between characters but
//! never before a closing mark, and English between words.

use textwrap::WordSeparator;
use textwrap::core::Fragment;

/// A word with its trailing whitespace, measured.
#[derive(Debug)]
struct Measured<'a> {
    word: &'a str,
    whitespace: &'a str,
    width: f64,
    whitespace_width: f64,
}

impl Fragment for Measured<'_> {
    fn width(&self) -> f64 {
        self.width
    }

    fn whitespace_width(&self) -> f64 {
        self.whitespace_width
    }

    fn penalty_width(&self) -> f64 {
        0.0
    }
}

/// Breaks `text` (runs of whitespace count as one space) into at most `max_lines` lines no
/// wider than `width` by `measure`. A word wider than a line gets a line of its own (the caller
/// squeezes it); what does not fit in `max_lines` ends in an ellipsis.
pub fn wrap_to_width(text: &str, width: f64, max_lines: usize, measure: impl Fn(&str) -> f64) -> Vec<String> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let words: Vec<Measured<'_>> = WordSeparator::UnicodeBreakProperties
        .find_words(&text)
        .map(|w| Measured {
            word: w.word,
            whitespace: w.whitespace,
            width: measure(w.word),
            whitespace_width: measure(w.whitespace),
        })
        .collect();
    let mut lines: Vec<String> = textwrap::wrap_algorithms::wrap_first_fit(&words, &[width])
        .into_iter()
        .map(|line| {
            let mut joined = String::new();
            for (i, word) in line.iter().enumerate() {
                joined.push_str(word.word);
                if i + 1 < line.len() {
                    joined.push_str(word.whitespace);
                }
            }
            joined
        })
        .filter(|line| !line.is_empty())
        .collect();
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && measure(&format!("{last}…")) > width {
                last.pop();
            }
            let kept = last.trim_end().len();
            last.truncate(kept);
            last.push('…');
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character 10 units wide.
    fn tens(s: &str) -> f64 {
        10.0 * s.chars().count() as f64
    }

    #[test]
    fn english_breaks_between_words_and_chinese_between_characters() {
        assert_eq!(wrap_to_width("A light to welcome you", 100.0, 3, tens), ["A light to", "welcome", "you"]);
        assert_eq!(wrap_to_width("清洗空调滤网挑战", 40.0, 3, tens), ["清洗空调", "滤网挑战"]);
        assert_eq!(wrap_to_width("完成  Eco\n模式", 60.0, 3, tens), ["完成 Eco", "模式"]);
    }

    #[test]
    fn a_closing_mark_never_starts_a_line() {
        let lines = wrap_to_width("让清晨的空气进来。", 80.0, 3, tens);
        assert!(lines.iter().all(|l| !l.starts_with('。')), "{lines:?}");
        assert_eq!(lines.concat(), "让清晨的空气进来。");
    }

    #[test]
    fn what_does_not_fit_ends_in_an_ellipsis_within_the_width() {
        let lines = wrap_to_width("one two three four five six", 90.0, 2, tens);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…') && tens(&lines[1]) <= 90.0, "{lines:?}");
        assert!(wrap_to_width(" \n ", 100.0, 2, tens).is_empty());
    }

    #[test]
    fn a_word_wider_than_the_line_gets_a_line_of_its_own() {
        assert_eq!(
            wrap_to_width("a supercalifragilistic b", 50.0, 3, tens),
            ["a", "supercalifragilistic", "b"]
        );
    }
}
