//! Backing up the SQLite file while the server writes, and restoring it.

use futures::future::join_all;
use sammen_backend::backup;
use sammen_tests::{args, good_proposal, Backend, TestApp};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_writing_restores_to_a_consistent_database() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let folder = tempfile::tempdir().unwrap();
    let copy = folder.path().join("backup.db");

    let writes = join_all((0..30).map(|n| {
        let mut proposal = good_proposal();
        proposal["title"] = json!(format!("Forslag nummer {n}"));
        let app = &app;
        async move {
            app.post_json("/api/v1/municipalities/billund/initiatives", &proposal)
                .await
                .status()
        }
    }));
    let (statuses, backed_up) = tokio::join!(writes, backup::backup(&app.db, &copy));
    backed_up.unwrap();
    assert!(statuses.iter().all(|s| s.as_u16() == 201), "{statuses:?}");
    assert!(backup::backup(&app.db, &copy)
        .await
        .unwrap_err()
        .contains("exists already"));

    let refused = backup::restore(&app.sqlite_file(), &copy)
        .await
        .unwrap_err();
    assert!(refused.contains("stop the server"), "{refused}");

    let restored = folder.path().join("restored.db");
    backup::restore(&restored, &copy).await.unwrap();
    let options = sammen_backend::db::Options {
        url: format!("sqlite://{}", restored.display()),
        max_connections: 1,
    };
    let db = sammen_backend::db::Db::connect(&options).await.unwrap();
    let mut conn = db.acquire().await.unwrap();
    // Every demo municipality the server had made it into the copy.
    let slugs = "SELECT slug FROM municipalities ORDER BY slug";
    let restored_slugs: Vec<String> = sammen_backend::db::fetch_scalars(&mut conn, slugs, vec![])
        .await
        .unwrap();
    let served_slugs: Vec<String> =
        sammen_backend::db::fetch_scalars(&mut app.db.acquire().await.unwrap(), slugs, vec![])
            .await
            .unwrap();
    assert!(
        served_slugs.iter().any(|s| s == "billund"),
        "{served_slugs:?}"
    );
    assert_eq!(restored_slugs, served_slugs);
    let proposals: i64 = sammen_backend::db::fetch_scalar(
        &mut conn,
        "SELECT COUNT(*) FROM initiatives WHERE title LIKE $1",
        args!["Forslag nummer %"],
    )
    .await
    .unwrap();
    assert!(
        (0..=30).contains(&proposals),
        "a consistent snapshot: {proposals}"
    );
    let orphans: i64 = sammen_backend::db::fetch_scalar(
        &mut conn,
        "SELECT COUNT(*) FROM needs WHERE initiative_id NOT IN (SELECT id FROM initiatives)",
        vec![],
    )
    .await
    .unwrap();
    assert_eq!(orphans, 0);
}
