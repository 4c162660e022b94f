//! What the one-time codes mailed to a person share, whichever table keeps them (a password
//! reset's, keyed by the address asked about; an e-mail change's, keyed by the account): every
//! try counts against each code that still works, and the right one is claimed once, using up
//! the owner's others with it.

use sqlx::AnyConnection;

use crate::error::{Error, Result};

/// A table of mailed codes and the column naming whose codes they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Book {
    /// `password_resets`, by `email_hash`.
    PasswordResets,
    /// `email_changes`, by `user_id`.
    EmailChanges,
}

impl Book {
    fn table_and_owner(self) -> (&'static str, &'static str) {
        match self {
            Book::PasswordResets => ("password_resets", "email_hash"),
            Book::EmailChanges => ("email_changes", "user_id"),
        }
    }
}

/// Counts a try against every code of `owner` that still works (a write, first in its
/// transaction for SQLite's lock). Commit it whether or not the code was right.
pub async fn count_try(conn: &mut AnyConnection, book: Book, owner: &str, now: i64) -> Result<()> {
    let (table, column) = book.table_and_owner();
    let sql = format!(
        "UPDATE {table} SET attempts = attempts + 1 \
         WHERE {column} = $1 AND used_at_ms IS NULL AND expires_at_ms > $2"
    );
    sqlx::query(&sql).bind(owner).bind(now).execute(conn).await?;
    Ok(())
}

/// Claims the code `id` of `owner`: of two requests racing with the right code, one wins and the
/// other is refused `invalid-code`. The owner's other codes stop working with it.
pub async fn claim(conn: &mut AnyConnection, book: Book, id: &str, owner: &str, now: i64) -> Result<()> {
    let (table, _) = book.table_and_owner();
    let sql = format!("UPDATE {table} SET used_at_ms = $1 WHERE id = $2 AND used_at_ms IS NULL");
    let claimed = sqlx::query(&sql).bind(now).bind(id).execute(&mut *conn).await?.rows_affected();
    if claimed != 1 {
        return Err(Error::InvalidCode);
    }
    use_up(conn, book, owner, now).await
}

/// Ends every code of `owner` that is not used yet.
pub async fn use_up(conn: &mut AnyConnection, book: Book, owner: &str, now: i64) -> Result<()> {
    let (table, column) = book.table_and_owner();
    let sql = format!("UPDATE {table} SET used_at_ms = $1 WHERE {column} = $2 AND used_at_ms IS NULL");
    sqlx::query(&sql).bind(now).bind(owner).execute(conn).await?;
    Ok(())
}
