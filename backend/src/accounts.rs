//! Creating coordinator accounts: from the `sammen add-coordinator` command,
//! the demo data and tests. There is no default password anywhere.

use chrono::Utc;
use sammen_shared::admin::Role;
use uuid::Uuid;

use crate::args;
use crate::db::{self, Db};
use crate::password;

/// A coordinator to create.
pub struct NewCoordinator<'a> {
    pub municipality: &'a str,
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub institutions: &'a [String],
    pub password: &'a str,
}

/// Creates the account; the message of an error says what to fix.
pub async fn create(db: &Db, new: NewCoordinator<'_>) -> Result<Uuid, String> {
    password::check_strength(new.password)?;
    let email = new.email.trim().to_lowercase();
    if sammen_shared::person::parse_email(Some(&email)) != Ok(Some(email.clone())) {
        return Err(format!("'{}' is not an email address", new.email));
    }
    let hash = password::hash(new.password)?;
    let fail = |e: sqlx::Error| {
        if db::is_unique_violation(&e) {
            format!(
                "{} has a coordinator with the email {email} already",
                new.municipality
            )
        } else {
            format!("cannot create the coordinator: {e}")
        }
    };
    let mut tx = db.begin().await.map_err(fail)?;
    let id = Uuid::new_v4();
    db::execute(
        &mut tx,
        "INSERT INTO coordinators (id, municipality, email, name, password_hash, role, active, created_at) \
         SELECT $1, slug, $2, $3, $4, $5, $6, $7 FROM municipalities WHERE slug = $8",
        args![id, &email, new.name, hash, new.role.as_str(), true, Utc::now(), new.municipality],
    )
    .await
    .map_err(fail)
    .and_then(|n| if n == 1 { Ok(()) } else { Err(format!("there is no municipality '{}'", new.municipality)) })?;
    for institution in new.institutions {
        let known = db::execute(
            &mut tx,
            "INSERT INTO coordinator_institutions (coordinator_id, institution) \
             SELECT $1, slug FROM institutions WHERE municipality = $2 AND slug = $3",
            args![id, new.municipality, institution],
        )
        .await
        .map_err(fail)?;
        if known == 0 {
            return Err(format!(
                "{} has no institution '{institution}'",
                new.municipality
            ));
        }
    }
    tx.commit().await.map_err(fail)?;
    Ok(id)
}
