//! A throwaway PostgreSQL database for one test or benchmark run, made on
//! the server `SAMMEN_TEST_POSTGRES` names (the local one by default) and
//! dropped with [`ScratchDatabase::drop_database`]. Shared by the process
//! tests and the benchmarks (`#[path]`: they are separate binaries).

use sqlx::{Connection, Executor, PgConnection};

pub struct ScratchDatabase {
    /// Where a server connects to the new database.
    pub url: String,
    name: String,
    admin: PgConnection,
}

impl ScratchDatabase {
    pub async fn create() -> ScratchDatabase {
        let admin_url = std::env::var("SAMMEN_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let name = format!("sammen_t_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::connect(&admin_url)
            .await
            .expect("PostgreSQL answers");
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("a scratch database");
        let url = format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0);
        ScratchDatabase { url, name, admin }
    }

    /// Drops the database, closing what is still connected to it.
    pub async fn drop_database(mut self) {
        self.admin
            .execute(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name).as_str())
            .await
            .expect("the scratch database dropped");
    }
}
