//! The mail that the test command's SMTP server received. `scripts/test.sh` starts aiosmtpd on
//! loopback (`start_test_smtp` in `scripts/lib.sh`); it keeps every message in the Maildir at
//! `HEARTH_TEST_MAILDIR`, and servers under test send to `HEARTH_TEST_SMTP_URL`.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run the README's test command, which starts an SMTP server for the tests")
    })
}

/// Where servers under test send mail.
pub fn smtp_url() -> String {
    env("HEARTH_TEST_SMTP_URL")
}

/// One received message, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// Its subject.
    pub subject: String,
    /// Its text.
    pub body: String,
}

impl Mail {
    /// The first run of exactly six digits in the text: a one-time code.
    pub fn code(&self) -> Option<String> {
        let chars: Vec<char> = self.body.chars().collect();
        (0..chars.len().saturating_sub(5)).find_map(|i| {
            let run = &chars[i..i + 6];
            let bounded = (i == 0 || !chars[i - 1].is_ascii_digit())
                && chars.get(i + 6).is_none_or(|c| !c.is_ascii_digit());
            (bounded && run.iter().all(char::is_ascii_digit)).then(|| run.iter().collect())
        })
    }
}

/// Every message to `address` received so far, oldest first.
pub fn mails_to(address: &str) -> Vec<Mail> {
    let root = PathBuf::from(env("HEARTH_TEST_MAILDIR"));
    let mut found: Vec<(SystemTime, Mail)> = ["new", "cur"]
        .iter()
        .filter_map(|sub| std::fs::read_dir(root.join(sub)).ok())
        .flatten()
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let when = entry.metadata().and_then(|m| m.modified()).ok()?;
            let raw = std::fs::read(entry.path()).ok()?;
            let parsed = mailparse::parse_mail(&raw).ok()?;
            use mailparse::MailHeaderMap as _;
            let headers = parsed.get_headers();
            let to = headers.get_all_values("To").join(",");
            if !to.to_lowercase().contains(&address.to_lowercase()) {
                return None;
            }
            let subject = headers.get_first_value("Subject").unwrap_or_default();
            Some((when, Mail { subject, body: parsed.get_body().ok()? }))
        })
        .collect();
    found.sort_by_key(|(when, _)| *when);
    found.into_iter().map(|(_, mail)| mail).collect()
}

/// Waits (up to 20 s) until `address` has received more than `before` messages, and returns the
/// newest.
pub async fn next_mail_to(address: &str, before: usize) -> Mail {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let mails = mails_to(address);
        if mails.len() > before {
            return mails.into_iter().last().expect("one at least");
        }
        assert!(std::time::Instant::now() < deadline, "no mail reached {address} in 20 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
