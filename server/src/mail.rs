//! Outgoing e-mail through lettre: SMTP in production (`--smtp-url`), `.eml` files in a
//! directory for a local run (`--mail-dir`), or none. Depends on nothing of the domain: callers
//! bring the words.

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::Config;
use crate::error::{Error, Result};

/// Where mail goes.
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
    Off,
}

/// Sends mail as the configured sender.
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.transport {
            Transport::Smtp(_) => "smtp",
            Transport::Files(_) => "files",
            Transport::Off => "off",
        };
        f.debug_struct("Mailer").field("transport", &kind).field("from", &self.from.to_string()).finish()
    }
}

impl Mailer {
    /// The mailer `config` describes. A malformed SMTP URL or sender is a configuration error;
    /// an unreachable SMTP server is not (each message reports its own failure).
    pub fn from_config(config: &Config) -> Result<Self> {
        let from: Mailbox = config
            .mail_from
            .parse()
            .map_err(|e| Error::Config(format!("--mail-from `{}`: {e}", config.mail_from)))?;
        let transport = match (&config.smtp_url, &config.mail_dir) {
            (Some(url), _) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| Error::Config(format!("--smtp-url: {e}")))?
                    .build(),
            ),
            (None, Some(dir)) => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| Error::Config(format!("--mail-dir {}: {e}", dir.display())))?;
                Transport::Files(AsyncFileTransport::<Tokio1Executor>::new(dir))
            }
            (None, None) => Transport::Off,
        };
        Ok(Self { transport, from })
    }

    /// Whether mail can go out at all.
    pub fn is_on(&self) -> bool {
        !matches!(self.transport, Transport::Off)
    }

    /// Writes (`compose`: subject and body) and sends a plain-text message to `to` in the
    /// background, after the caller has answered, so how long the mail takes tells a client
    /// nothing; how it went is logged as `what`, never with the address or the words.
    pub fn send_later(
        self: &std::sync::Arc<Self>,
        to: String,
        what: &'static str,
        compose: impl FnOnce() -> (String, String) + Send + 'static,
    ) {
        let mailer = self.clone();
        tokio::spawn(async move {
            let (subject, body) = compose();
            match mailer.send(&to, &subject, body).await {
                Ok(()) => tracing::info!(mail = what, "sent"),
                // The error names no address (see `send`).
                Err(error) => tracing::error!(mail = what, %error, "not sent"),
            }
        });
    }

    /// Sends a plain-text message to `to`.
    pub async fn send(&self, to: &str, subject: &str, body: String) -> Result<()> {
        let to: Mailbox =
            to.parse().map_err(|_| Error::Mail("the recipient is not an address lettre reads".into()))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| Error::Mail(format!("building the message: {e}")))?;
        // Errors are described without their text: an SMTP server's reply often quotes the
        // recipient's address, which must not reach the logs.
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(message).await.map(drop).map_err(|e| {
                let kind = if e.is_permanent() { "refused for good" } else { "not delivered for now" };
                let status = e.status().map_or_else(|| "no reply".to_owned(), |code| code.to_string());
                Error::Mail(format!("SMTP: {kind} ({status})"))
            }),
            Transport::Files(files) => files.send(message).await.map(drop).map_err(|e| {
                Error::Mail(if e.is_io() {
                    "writing the mail file failed".into()
                } else {
                    "a bad mail file".into()
                })
            }),
            Transport::Off => Err(Error::Mail("no mail transport is configured".into())),
        }
    }
}
