//! What a signed-in coordinator may see: an initiative of their
//! municipality and institutions, the offers made through them. Anything
//! outside is a 404, so its existence does not leak. Shared by the console's
//! moderation, matching, groups and figures.

use sammen_shared::admin::{OfferView, Role};
use uuid::Uuid;

use crate::admin::signed::Signed;
use crate::db::{self, Executor, SqlBuilder};
use crate::error::{Error, Result};
use crate::offer::{OfferRow, OFFER_COLUMNS};
use crate::proposal::{proposal_by_id, ProposalRow};

/// An initiative the coordinator may see, or 404.
pub async fn visible(ex: &mut impl Executor, signed: &Signed, id: Uuid) -> Result<ProposalRow> {
    proposal_by_id(ex, &signed.municipality, id)
        .await?
        .filter(|row| signed.can_see(row.institution.as_deref()))
        .ok_or_else(|| Error::not_found("There is no such initiative."))
}

/// The offers this coordinator may see, newest first, at most `limit`.
pub async fn visible_offers(
    ex: &mut impl Executor,
    signed: &Signed,
    limit: Option<i64>,
) -> Result<Vec<OfferView>> {
    let mut query = SqlBuilder::new(&format!(
        "SELECT {OFFER_COLUMNS} FROM offers WHERE erased_at IS NULL AND municipality = "
    ));
    query.bind(&signed.municipality);
    if signed.role == Role::Coordinator {
        query.push(" AND (institution IS NULL");
        if !signed.institutions.is_empty() {
            query
                .push(" OR institution IN ")
                .bind_list(signed.institutions.iter());
        }
        query.push(")");
    }
    query.push(" ORDER BY created_at DESC, id");
    if let Some(limit) = limit {
        query.push(" LIMIT ").bind(limit);
    }
    let rows: Vec<OfferRow> = db::fetch_all(ex, &query.sql, query.values).await?;
    rows.into_iter().map(OfferRow::into_view).collect()
}
