//! Durable state in an embedded SQLite database (bundled: nothing to
//! install).
//!
//! The database runs in WAL mode with `synchronous=NORMAL`: every committed
//! transaction is in the WAL before the response is sent, so it survives the
//! server being killed (`kill -9`); an operating-system crash or power loss
//! may lose the last transactions. Each request's changes are one
//! transaction, and one connection behind a mutex serializes writers, so
//! concurrent `TagResource` calls on one resource lose no update.

use rusqlite::{Connection, OptionalExtension, params};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

/// What the SCEP endpoint keeps in memory between requests; each has a
/// generation that a committed change to it advances, so a cache built at
/// one generation is known stale at the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cached {
    /// The `connectors` table.
    Connectors = 0,
    /// The `challenges` table.
    Challenges = 1,
    /// The `cas` table's keys and certificates.
    Cas = 2,
}

/// A connector as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectorRow {
    /// Insertion order, for stable listing.
    pub seq: i64,
    /// The ARN.
    pub arn: String,
    /// The certificate authority's ARN.
    pub ca_arn: String,
    /// `(AzureApplicationId, Domain)` for Intune connectors.
    pub intune: Option<(String, String)>,
    /// When it was created, in Unix milliseconds.
    pub created_ms: i64,
    /// When creation finishes, in Unix milliseconds.
    pub ready_ms: i64,
    /// Whether creation fails (the CA is configured to fail).
    pub fails: bool,
}

/// A challenge as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChallengeRow {
    /// Insertion order, for stable listing.
    pub seq: i64,
    /// The ARN.
    pub arn: String,
    /// The connector's ARN.
    pub connector_arn: String,
    /// The password.
    pub password: String,
    /// When it was created, in Unix milliseconds.
    pub created_ms: i64,
}

/// A certificate issued over SCEP, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateRow {
    /// The CA that issued it.
    pub ca_arn: String,
    /// Its serial number, lowercase hex.
    pub serial: String,
    /// The connector it was requested at.
    pub connector_arn: String,
    /// The SCEP transaction ID of the request.
    pub transaction_id: String,
    /// Its subject (RFC 4514 string).
    pub subject: String,
    /// The certificate, DER.
    pub certificate_der: Vec<u8>,
    /// When it was issued, in Unix milliseconds.
    pub issued_ms: i64,
}

/// The database.
pub struct Store {
    conn: Mutex<Connection>,
    generations: [AtomicU64; 3],
}

/// Errors from the database: always an internal failure for the client.
pub type Result<T> = std::result::Result<T, rusqlite::Error>;

impl Store {
    /// Opens (creating if needed) `data_dir/pca-connector-scep.sqlite3`.
    pub fn open(data_dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
                Some(format!("cannot create {}: {e}", data_dir.display())),
            )
        })?;
        let conn = Connection::open(data_dir.join("pca-connector-scep.sqlite3"))?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA busy_timeout = 5000;
             CREATE TABLE IF NOT EXISTS connectors (
                 seq INTEGER PRIMARY KEY AUTOINCREMENT,
                 arn TEXT NOT NULL UNIQUE,
                 ca_arn TEXT NOT NULL,
                 intune_app_id TEXT,
                 intune_domain TEXT,
                 created_ms INTEGER NOT NULL,
                 ready_ms INTEGER NOT NULL,
                 fails INTEGER NOT NULL,
                 -- Kept up to date on insert and delete: counting rows on
                 -- every CreateChallenge would cost O(challenges).
                 challenge_count INTEGER NOT NULL DEFAULT 0
             );
             CREATE TABLE IF NOT EXISTS challenges (
                 seq INTEGER PRIMARY KEY AUTOINCREMENT,
                 arn TEXT NOT NULL UNIQUE,
                 connector_arn TEXT NOT NULL REFERENCES connectors(arn) ON DELETE CASCADE,
                 password TEXT NOT NULL,
                 created_ms INTEGER NOT NULL
             );
             CREATE INDEX IF NOT EXISTS challenges_by_connector ON challenges (connector_arn, seq);
             CREATE TABLE IF NOT EXISTS tags (
                 resource_arn TEXT NOT NULL,
                 key TEXT NOT NULL,
                 value TEXT NOT NULL,
                 PRIMARY KEY (resource_arn, key)
             );
             CREATE TABLE IF NOT EXISTS idempotency (
                 operation TEXT NOT NULL,
                 token TEXT NOT NULL,
                 fingerprint TEXT NOT NULL,
                 response TEXT NOT NULL,
                 created_ms INTEGER NOT NULL,
                 PRIMARY KEY (operation, token)
             );
             CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
             -- The local test CAs, one per CertificateAuthorityArn (SCEP).
             CREATE TABLE IF NOT EXISTS cas (
                 ca_arn TEXT PRIMARY KEY,
                 key_der BLOB NOT NULL,
                 certificate_der BLOB NOT NULL,
                 next_serial INTEGER NOT NULL,
                 created_ms INTEGER NOT NULL
             );
             -- Certificates issued over SCEP. Deleting a connector keeps them.
             CREATE TABLE IF NOT EXISTS certificates (
                 ca_arn TEXT NOT NULL REFERENCES cas(ca_arn),
                 serial TEXT NOT NULL,
                 connector_arn TEXT NOT NULL,
                 transaction_id TEXT NOT NULL,
                 subject TEXT NOT NULL,
                 certificate_der BLOB NOT NULL,
                 issued_ms INTEGER NOT NULL,
                 PRIMARY KEY (ca_arn, serial)
             );
             CREATE INDEX IF NOT EXISTS certificates_by_transaction ON certificates (connector_arn, transaction_id);",
        )?;
        Ok(Self {
            conn: Mutex::new(conn),
            generations: Default::default(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves no half-done transaction
        // (it rolls back on drop), so the connection is still usable.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `f` in one transaction: it commits when `f` succeeds and rolls
    /// back when `f` fails, whatever the error.
    pub fn transaction<T, E: From<rusqlite::Error>>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let mut conn = self.lock();
        let tx = conn.transaction()?;
        let changed = Cell::new(0u8);
        let out = f(&Tx(&tx, &changed))?;
        tx.commit()?;
        // Advanced after the commit and before the lock is released: a
        // reader that sees the new generation reads the new rows.
        for what in [Cached::Connectors, Cached::Challenges, Cached::Cas] {
            if changed.get() & (1 << what as u8) != 0 {
                self.generations[what as usize].fetch_add(1, Ordering::Release);
            }
        }
        Ok(out)
    }

    /// The generation of `what`: it changes when a transaction that changed
    /// `what` commits. Read it before reading the rows a cache keeps.
    pub fn generation(&self, what: Cached) -> u64 {
        self.generations[what as usize].load(Ordering::Acquire)
    }

    /// The secret that signs pagination tokens, made on first start.
    pub fn secret(&self) -> Result<Vec<u8>> {
        self.transaction(|tx| -> Result<Vec<u8>> {
            let existing: Option<Vec<u8>> =
                tx.0.query_row(
                    "SELECT value FROM meta WHERE key = 'token-secret'",
                    [],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(s) = existing {
                return Ok(s);
            }
            let mut secret = Vec::with_capacity(32);
            secret.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
            secret.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
            tx.0.execute(
                "INSERT INTO meta (key, value) VALUES ('token-secret', ?1)",
                params![secret],
            )?;
            Ok(secret)
        })
    }
}

/// The operations available inside a transaction.
pub struct Tx<'a>(&'a rusqlite::Transaction<'a>, &'a Cell<u8>);

fn connector_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ConnectorRow> {
    let app: Option<String> = r.get(3)?;
    let domain: Option<String> = r.get(4)?;
    Ok(ConnectorRow {
        seq: r.get(0)?,
        arn: r.get(1)?,
        ca_arn: r.get(2)?,
        intune: app.zip(domain),
        created_ms: r.get(5)?,
        ready_ms: r.get(6)?,
        fails: r.get(7)?,
    })
}

fn challenge_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ChallengeRow> {
    Ok(ChallengeRow {
        seq: r.get(0)?,
        arn: r.get(1)?,
        connector_arn: r.get(2)?,
        password: r.get(3)?,
        created_ms: r.get(4)?,
    })
}

fn certificate_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CertificateRow> {
    Ok(CertificateRow {
        ca_arn: r.get(0)?,
        serial: r.get(1)?,
        connector_arn: r.get(2)?,
        transaction_id: r.get(3)?,
        subject: r.get(4)?,
        certificate_der: r.get(5)?,
        issued_ms: r.get(6)?,
    })
}

const CERTIFICATE_COLUMNS: &str =
    "ca_arn, serial, connector_arn, transaction_id, subject, certificate_der, issued_ms";

const CONNECTOR_COLUMNS: &str =
    "seq, arn, ca_arn, intune_app_id, intune_domain, created_ms, ready_ms, fails";
const CHALLENGE_COLUMNS: &str = "seq, arn, connector_arn, password, created_ms";

impl Tx<'_> {
    /// Records that this transaction changes `what` (see [`Cached`]).
    fn changes(&self, what: Cached) {
        self.1.set(self.1.get() | 1 << what as u8);
    }

    /// Inserts a connector.
    pub fn insert_connector(&self, c: &ConnectorRow) -> Result<()> {
        self.changes(Cached::Connectors);
        let (app, domain) = match &c.intune {
            Some((a, d)) => (Some(a.as_str()), Some(d.as_str())),
            None => (None, None),
        };
        self.0.execute(
            "INSERT INTO connectors (arn, ca_arn, intune_app_id, intune_domain, created_ms, ready_ms, fails)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![c.arn, c.ca_arn, app, domain, c.created_ms, c.ready_ms, c.fails],
        )?;
        Ok(())
    }

    /// The connector with this ARN.
    pub fn connector(&self, arn: &str) -> Result<Option<ConnectorRow>> {
        self.0
            .query_row(
                &format!("SELECT {CONNECTOR_COLUMNS} FROM connectors WHERE arn = ?1"),
                [arn],
                connector_row,
            )
            .optional()
    }

    /// Up to `limit` connectors after `after` (insertion order).
    pub fn connectors(&self, after: i64, limit: usize) -> Result<Vec<ConnectorRow>> {
        let mut stmt = self.0.prepare_cached(&format!(
            "SELECT {CONNECTOR_COLUMNS} FROM connectors WHERE seq > ?1 ORDER BY seq LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![after, limit as i64], connector_row)?;
        rows.collect()
    }

    /// How many connectors there are.
    pub fn connector_count(&self) -> Result<i64> {
        self.0
            .query_row("SELECT COUNT(*) FROM connectors", [], |r| r.get(0))
    }

    /// Deletes a connector, its challenges and their tags. Whether it existed.
    pub fn delete_connector(&self, arn: &str) -> Result<bool> {
        self.changes(Cached::Connectors);
        self.changes(Cached::Challenges);
        self.0.execute(
            "DELETE FROM tags WHERE resource_arn = ?1 OR resource_arn IN (SELECT arn FROM challenges WHERE connector_arn = ?1)",
            [arn],
        )?;
        Ok(self
            .0
            .execute("DELETE FROM connectors WHERE arn = ?1", [arn])?
            > 0)
    }

    /// Inserts a challenge.
    pub fn insert_challenge(&self, c: &ChallengeRow) -> Result<()> {
        self.changes(Cached::Challenges);
        self.0
            .prepare_cached("INSERT INTO challenges (arn, connector_arn, password, created_ms) VALUES (?1, ?2, ?3, ?4)")?
            .execute(params![c.arn, c.connector_arn, c.password, c.created_ms])?;
        self.0
            .prepare_cached(
                "UPDATE connectors SET challenge_count = challenge_count + 1 WHERE arn = ?1",
            )?
            .execute([&c.connector_arn])?;
        Ok(())
    }

    /// The challenge with this ARN.
    pub fn challenge(&self, arn: &str) -> Result<Option<ChallengeRow>> {
        self.0
            .query_row(
                &format!("SELECT {CHALLENGE_COLUMNS} FROM challenges WHERE arn = ?1"),
                [arn],
                challenge_row,
            )
            .optional()
    }

    /// Up to `limit` challenges of a connector after `after`.
    pub fn challenges(
        &self,
        connector_arn: &str,
        after: i64,
        limit: usize,
    ) -> Result<Vec<ChallengeRow>> {
        let mut stmt = self.0.prepare_cached(&format!(
            "SELECT {CHALLENGE_COLUMNS} FROM challenges WHERE connector_arn = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3"
        ))?;
        let rows = stmt.query_map(params![connector_arn, after, limit as i64], challenge_row)?;
        rows.collect()
    }

    /// How many challenges a connector has.
    pub fn challenge_count(&self, connector_arn: &str) -> Result<i64> {
        self.0
            .prepare_cached("SELECT challenge_count FROM connectors WHERE arn = ?1")?
            .query_row([connector_arn], |r| r.get(0))
            .optional()
            .map(Option::unwrap_or_default)
    }

    /// Deletes a challenge and its tags. Whether it existed.
    pub fn delete_challenge(&self, arn: &str) -> Result<bool> {
        self.changes(Cached::Challenges);
        self.0
            .execute("DELETE FROM tags WHERE resource_arn = ?1", [arn])?;
        self.0.execute(
            "UPDATE connectors SET challenge_count = challenge_count - 1
             WHERE arn = (SELECT connector_arn FROM challenges WHERE arn = ?1)",
            [arn],
        )?;
        Ok(self
            .0
            .execute("DELETE FROM challenges WHERE arn = ?1", [arn])?
            > 0)
    }

    /// A resource's tags.
    pub fn tags(&self, arn: &str) -> Result<BTreeMap<String, String>> {
        let mut stmt = self
            .0
            .prepare_cached("SELECT key, value FROM tags WHERE resource_arn = ?1")?;
        let rows = stmt.query_map([arn], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect()
    }

    /// Sets tags (adding or replacing values).
    pub fn put_tags(&self, arn: &str, tags: &BTreeMap<String, String>) -> Result<()> {
        let mut stmt = self
            .0
            .prepare_cached("INSERT INTO tags (resource_arn, key, value) VALUES (?1, ?2, ?3) ON CONFLICT (resource_arn, key) DO UPDATE SET value = excluded.value")?;
        for (k, v) in tags {
            stmt.execute(params![arn, k, v])?;
        }
        Ok(())
    }

    /// Removes tags by key.
    pub fn remove_tags(&self, arn: &str, keys: &[String]) -> Result<()> {
        let mut stmt = self
            .0
            .prepare_cached("DELETE FROM tags WHERE resource_arn = ?1 AND key = ?2")?;
        for k in keys {
            stmt.execute(params![arn, k])?;
        }
        Ok(())
    }

    /// A remembered response for `(operation, token)` newer than `since_ms`:
    /// `(fingerprint, response)`.
    pub fn idempotent(
        &self,
        operation: &str,
        token: &str,
        since_ms: i64,
    ) -> Result<Option<(String, String)>> {
        self.0
            .query_row(
                "SELECT fingerprint, response FROM idempotency WHERE operation = ?1 AND token = ?2 AND created_ms >= ?3",
                params![operation, token, since_ms],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
    }

    /// Remembers a response for `(operation, token)`.
    pub fn remember(
        &self,
        operation: &str,
        token: &str,
        fingerprint: &str,
        response: &str,
        now_ms: i64,
    ) -> Result<()> {
        self.0.execute(
            "INSERT INTO idempotency (operation, token, fingerprint, response, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (operation, token) DO UPDATE SET fingerprint = excluded.fingerprint, response = excluded.response, created_ms = excluded.created_ms",
            params![operation, token, fingerprint, response, now_ms],
        )?;
        Ok(())
    }

    /// A CA's `(PKCS #8 key, certificate)`, both DER.
    pub fn ca(&self, ca_arn: &str) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
        self.0
            .prepare_cached("SELECT key_der, certificate_der FROM cas WHERE ca_arn = ?1")?
            .query_row([ca_arn], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
    }

    /// Stores a CA unless one exists for `ca_arn` already. Whether it was
    /// stored.
    pub fn insert_ca(
        &self,
        ca_arn: &str,
        key_der: &[u8],
        certificate_der: &[u8],
        now_ms: i64,
    ) -> Result<bool> {
        self.changes(Cached::Cas);
        // Serial 1 is the CA certificate's own.
        Ok(self.0.execute(
            "INSERT INTO cas (ca_arn, key_der, certificate_der, next_serial, created_ms) VALUES (?1, ?2, ?3, 2, ?4)
             ON CONFLICT (ca_arn) DO NOTHING",
            params![ca_arn, key_der, certificate_der, now_ms],
        )? > 0)
    }

    /// Takes the CA's next serial number.
    pub fn take_serial(&self, ca_arn: &str) -> Result<i64> {
        self.0
            .prepare_cached(
                "UPDATE cas SET next_serial = next_serial + 1 WHERE ca_arn = ?1 RETURNING next_serial - 1",
            )?
            .query_row([ca_arn], |r| r.get(0))
    }

    /// The next serial number the CA's counter holds (`None`: no such CA).
    pub fn next_serial(&self, ca_arn: &str) -> Result<Option<i64>> {
        self.0
            .prepare_cached("SELECT next_serial FROM cas WHERE ca_arn = ?1")?
            .query_row([ca_arn], |r| r.get(0))
            .optional()
    }

    /// Moves the CA's counter past `serial`, which the caller used (serials
    /// handed out in memory are recorded with the certificate that uses
    /// them, in its transaction, so a restart never hands one out again).
    pub fn record_serial(&self, ca_arn: &str, serial: i64) -> Result<()> {
        self.0
            .prepare_cached(
                "UPDATE cas SET next_serial = MAX(next_serial, ?2 + 1) WHERE ca_arn = ?1",
            )?
            .execute(params![ca_arn, serial])?;
        Ok(())
    }

    /// The passwords of the connector's challenges.
    pub fn challenge_passwords(&self, connector_arn: &str) -> Result<Vec<String>> {
        let mut stmt = self
            .0
            .prepare_cached("SELECT password FROM challenges WHERE connector_arn = ?1")?;
        let rows = stmt.query_map([connector_arn], |r| r.get(0))?;
        rows.collect()
    }

    /// Whether `password` is a challenge of the connector.
    pub fn has_challenge(&self, connector_arn: &str, password: &str) -> Result<bool> {
        self.0
            .prepare_cached(
                "SELECT 1 FROM challenges WHERE connector_arn = ?1 AND password = ?2 LIMIT 1",
            )?
            .query_row([connector_arn, password], |_| Ok(()))
            .optional()
            .map(|r| r.is_some())
    }

    /// Records an issued certificate.
    pub fn insert_certificate(&self, c: &CertificateRow) -> Result<()> {
        self.0
            .prepare_cached(&format!(
                "INSERT INTO certificates ({CERTIFICATE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
            ))?
            .execute(params![
                c.ca_arn,
                c.serial,
                c.connector_arn,
                c.transaction_id,
                c.subject,
                c.certificate_der,
                c.issued_ms
            ])?;
        Ok(())
    }

    /// The certificates issued for a transaction at a connector, newest
    /// first.
    pub fn certificates_for_transaction(
        &self,
        connector_arn: &str,
        transaction_id: &str,
    ) -> Result<Vec<CertificateRow>> {
        let mut stmt = self.0.prepare_cached(&format!(
            "SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE connector_arn = ?1 AND transaction_id = ?2 ORDER BY issued_ms DESC, rowid DESC"
        ))?;
        let rows = stmt.query_map([connector_arn, transaction_id], certificate_row)?;
        rows.collect()
    }

    /// Every certificate a CA issued, in issuance order.
    pub fn certificates(&self, ca_arn: &str) -> Result<Vec<CertificateRow>> {
        let mut stmt = self.0.prepare_cached(&format!(
            "SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE ca_arn = ?1 ORDER BY rowid"
        ))?;
        let rows = stmt.query_map([ca_arn], certificate_row)?;
        rows.collect()
    }

    /// How many certificates were issued, by any CA.
    pub fn certificate_count(&self) -> Result<i64> {
        self.0
            .query_row("SELECT COUNT(*) FROM certificates", [], |r| r.get(0))
    }
}
