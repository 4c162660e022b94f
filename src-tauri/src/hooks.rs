//! Work that follows a sync. The sync worker announces that an account synced and knows no
//! features; celebrations, reminders and help deliveries subscribe at start-up. Each hook runs
//! whatever the others did: one that fails is logged and the rest still run.

use std::future::Future;
use std::pin::Pin;

use hearth_client::engine::Account;
use tauri::{AppHandle, Runtime};

use crate::error::Result;

/// What a hook answers: how many things it showed the user.
pub type HookFuture = Pin<Box<dyn Future<Output = Result<usize>> + Send>>;

type Hook<R> = Box<dyn Fn(AppHandle<R>, Account) -> HookFuture + Send + Sync>;

/// The hooks that run after each sync of the signed-in account, in the order they subscribed.
pub struct AfterSync<R: Runtime> {
    hooks: Vec<(&'static str, Hook<R>)>,
}

impl<R: Runtime> std::fmt::Debug for AfterSync<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.hooks.iter().map(|(name, _)| name)).finish()
    }
}

impl<R: Runtime> Default for AfterSync<R> {
    fn default() -> Self {
        Self { hooks: Vec::new() }
    }
}

impl<R: Runtime> AfterSync<R> {
    /// Adds `hook`, named `name` in the log.
    pub fn subscribe<F, Fut>(mut self, name: &'static str, hook: F) -> Self
    where
        F: Fn(AppHandle<R>, Account) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<usize>> + Send + 'static,
    {
        self.hooks.push((name, Box::new(move |app, account| Box::pin(hook(app, account)))));
        self
    }

    /// Runs every hook for `account`, one after another; a failure is logged and the next runs.
    /// Answers how many hooks failed.
    pub async fn run(&self, app: &AppHandle<R>, account: &Account) -> usize {
        let mut failed = 0;
        for (name, hook) in &self.hooks {
            match hook(app.clone(), account.clone()).await {
                Ok(0) => {}
                Ok(shown) => tracing::info!(hook = name, shown, "after sync"),
                Err(error) => {
                    failed += 1;
                    tracing::warn!(hook = name, %error, "an after-sync hook failed");
                }
            }
        }
        failed
    }
}
