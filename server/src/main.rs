//! `hearth-server`: parses its configuration and serves the API until SIGINT or SIGTERM.

use clap::Parser;
use hearth_server::{Config, Server};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info")),
        )
        .init();
    let config = Config::parse();
    tracing::info!(?config, "starting hearth-server");
    let server = Server::bind(&config).await?;
    server.run(hearth_server::shutdown_signal()).await?;
    Ok(())
}
