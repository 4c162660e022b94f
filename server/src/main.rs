//! `hearth-server`: parses its configuration and serves the API until SIGINT or SIGTERM, or runs
//! one administrative command against the same database (set a role, add the demo household).

use std::io::Write as _;

use clap::{Parser, Subcommand};
use hearth_core::account::{Role, SetRole};
use hearth_server::config::LogFormat;
use hearth_server::{Config, Db, Server};
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(name = "hearth-server", version, about = "Hearth's backend API")]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (what running without a command does).
    Serve,
    /// Give an existing account a role; how the first operator is made.
    SetRole {
        /// The account's e-mail address.
        #[arg(long)]
        email: String,
        /// consumer, staff or operator.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// The store, for staff.
        #[arg(long)]
        store_id: Option<String>,
    },
    /// Add the demo household (a consumer, a senior, store staff) unless the database has it,
    /// and print their sign-ins. For trying Hearth on a local server; never run it against a
    /// production database.
    Demo,
}

fn parse_role(value: &str) -> Result<Role, String> {
    Role::from_storage(value).ok_or_else(|| format!("`{value}`: expected consumer, staff or operator"))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let Cli { config, command } = Cli::parse();
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter);
    match config.log_format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().init(),
    }
    match command.unwrap_or(Command::Serve) {
        Command::Serve => {
            tracing::info!(?config, "starting hearth-server");
            let server = Server::bind(&config).await?;
            server.run(hearth_server::shutdown_signal()).await?;
        }
        Command::SetRole { email, role, store_id } => {
            let db = Db::connect(&config.database_url, 1).await?;
            let mut conn = db.pool().acquire().await?;
            let account =
                hearth_server::admin::set_role(&mut conn, &email, &SetRole { role, store_id }).await?;
            tracing::info!(account = %account.id, role = account.role.as_str(), store = ?account.store_id, "role set");
            drop(conn);
            db.close().await;
        }
        Command::Demo => {
            let db = Db::connect(&config.database_url, 1).await?;
            let now = hearth_server::now_ms();
            hearth_server::seed::apply(&db, now).await?;
            let added = hearth_server::demo::apply(&db, now).await?;
            db.close().await;
            // The sign-ins are this command's answer (stdout), not a log line.
            let mut out = std::io::stdout().lock();
            writeln!(
                out,
                "{} demo household; every account's password is {}",
                if added { "Added the" } else { "This database has the" },
                hearth_server::demo::PASSWORD
            )?;
            for account in hearth_server::demo::ACCOUNTS {
                writeln!(out, "  {:<32} {}", account.email, account.about)?;
            }
        }
    }
    Ok(())
}
