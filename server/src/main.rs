//! `hearth-server`: parses its configuration and serves the API until SIGINT or SIGTERM.

use clap::Parser;
use hearth_server::config::LogFormat;
use hearth_server::{Config, Server};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = Config::parse();
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter);
    match config.log_format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs.json().init(),
    }
    tracing::info!(?config, "starting hearth-server");
    let server = Server::bind(&config).await?;
    server.run(hearth_server::shutdown_signal()).await?;
    Ok(())
}
