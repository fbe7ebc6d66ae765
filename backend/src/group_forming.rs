//! Forming an initiative's groups from the people who joined, by the
//! coordinator (composed or by hand) or by the organiser (by hand): a draft
//! that may be replaced, then handed over once, when every member gets a
//! private link to the group's space. Any kind of initiative has groups; only
//! playdate groups carry family details.

use sammen_shared::ErrorCode;
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use sammen_engine::console::{JoinedMember, SavedGroup, SavedGroups};
use sammen_engine::{Composition, GroupReason, Member, Rules};
use sammen_shared::geo::GeoPoint;
use sammen_shared::route::{GroupRoute, RouteEnd};
use sammen_shared::signup::Family;
use sammen_shared::ReaderLang;
use uuid::Uuid;

use crate::args;
use crate::db::{self, Executor};
use crate::error::{Error, Result};
use crate::group_link;
use crate::said;
use crate::stored::timestamp;

/// One group of a draft.
pub struct DraftGroup {
    /// `None`: "Gruppe n" in the language of whoever saves it.
    pub name: Option<String>,
    pub members: Vec<Uuid>,
    /// The organiser is in it (she gets her own membership at hand-over).
    pub organiser_in: bool,
}

#[derive(sqlx::FromRow)]
struct JoinedRow {
    id: Uuid,
    contact_name: Option<String>,
    need: Option<String>,
    family: Option<String>,
}

fn family_of(text: &str) -> Result<Family> {
    serde_json::from_str(text)
        .map_err(|e| Error::Internal(format!("stored family unreadable: {e}")))
}

fn joined_of(row: JoinedRow) -> Result<JoinedMember> {
    Ok(JoinedMember {
        signup_id: row.id,
        name: row.contact_name.unwrap_or_default(),
        need: row.need,
        family: row.family.as_deref().map(family_of).transpose()?,
    })
}

/// Everyone who joined the initiative and may be put in a group, in the
/// order they joined: not the organiser's own memberships, not erased ones.
pub async fn joined(ex: &mut impl Executor, initiative: Uuid) -> Result<Vec<JoinedMember>> {
    let rows: Vec<JoinedRow> = db::fetch_all(
        ex,
        "SELECT s.id, s.contact_name, n.title AS need, s.family FROM signups s \
         LEFT JOIN needs n ON n.id = s.need_id WHERE s.initiative_id = $1 \
         AND s.erased_at IS NULL AND NOT s.is_organiser ORDER BY s.created_at, s.id",
        args![initiative],
    )
    .await?;
    rows.into_iter().map(joined_of).collect()
}

/// What the composer weighs of each person: a family's details, or nothing
/// but the group's size.
pub fn members_of<'a>(joined: impl IntoIterator<Item = &'a JoinedMember>) -> Vec<Member> {
    joined
        .into_iter()
        .map(|j| match &j.family {
            Some(family) => Member::from_family(j.signup_id, family),
            None => Member::anyone(j.signup_id),
        })
        .collect()
}

/// The category whose groups walk somewhere together: escort groups to a
/// school, composed as routes.
const WALKING_GROUP: &str = "walking_group";

#[derive(sqlx::FromRow)]
struct PlaceRow {
    category: String,
    place_name: String,
    lat: Option<f64>,
    lon: Option<f64>,
    institution_name: Option<String>,
    institution_kind: Option<String>,
    institution_lat: Option<f64>,
    institution_lon: Option<f64>,
}

/// Where a walking group's members walk to, and what that is.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteGoal {
    pub point: GeoPoint,
    pub end: RouteEnd,
}

impl RouteGoal {
    /// Sets the composer's rules to group by routes toward this goal.
    pub fn apply(self, rules: &mut Rules) {
        rules.route_to = Some(self.point);
        rules.route_end = self.end;
    }
}

/// Within this of its institution's point, an initiative's own point is the
/// institution (a proposer's pin on the school, rounded to ≈ 100 m).
const SAME_PLACE_KM: f64 = 0.15;

impl PlaceRow {
    /// The route's goal: the initiative's point (it takes its institution's
    /// on the way in when it has none), else the institution's as the admin
    /// set it since.
    fn goal(self) -> Option<RouteGoal> {
        let point = |lat: Option<f64>, lon: Option<f64>| {
            Some(GeoPoint {
                lat: lat?,
                lon: lon?,
            })
        };
        let own = point(self.lat, self.lon);
        let institution = point(self.institution_lat, self.institution_lon);
        let goal = own.or(institution)?;
        // The route leads to the institution when its point is the
        // institution's, or when the proposer named the institution as the
        // place ("Stilling Skole, skolegården") and pinned it roughly;
        // otherwise to a place of the initiative's own, where they meet.
        let at_institution = self.institution_name.as_deref().is_some_and(|name| {
            own.is_none()
                || institution.is_some_and(|i| i.distance_km(goal) < SAME_PLACE_KM)
                || self
                    .place_name
                    .to_lowercase()
                    .contains(&name.trim().to_lowercase())
        });
        let end = match (at_institution, self.institution_name) {
            (true, Some(name)) => match self.institution_kind.as_deref() {
                Some("school") => RouteEnd::School,
                _ => RouteEnd::Institution { name },
            },
            _ => RouteEnd::MeetingPoint,
        };
        Some(RouteGoal { point: goal, end })
    }
}

/// Where a walking group's members walk to, for composing routes: see
/// [`PlaceRow::goal`]. `None` for other kinds of initiative or without a
/// point.
pub async fn route_to(ex: &mut impl Executor, initiative: Uuid) -> Result<Option<RouteGoal>> {
    let row: Option<PlaceRow> = db::fetch_optional(
        ex,
        "SELECT i.category, i.place_name, i.lat, i.lon, inst.name AS institution_name, \
         inst.kind AS institution_kind, inst.lat AS institution_lat, \
         inst.lon AS institution_lon FROM initiatives i LEFT JOIN institutions inst \
         ON inst.municipality = i.municipality AND inst.slug = i.institution WHERE i.id = $1",
        args![initiative],
    )
    .await?;
    Ok(row
        .filter(|r| r.category == WALKING_GROUP)
        .and_then(PlaceRow::goal))
}

/// Each saved group as a route toward `goal`, in order; all `None` without
/// a goal. Only the groups' own members are weighed, so someone a group
/// invited in counts and nobody outside the groups is missed.
pub fn routes(saved: &SavedGroups, goal: Option<RouteGoal>) -> Result<Vec<Option<GroupRoute>>> {
    let mut routes = vec![None; saved.groups.len()];
    let Some(goal) = goal else {
        return Ok(routes);
    };
    let mut rules = Rules::sizes(1, 1);
    goal.apply(&mut rules);
    // A group whose members all left has no route; the rest are described.
    let described: Vec<(usize, Vec<Uuid>)> = saved
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| !g.members.is_empty())
        .map(|(i, g)| (i, g.members.iter().map(|m| m.signup_id).collect()))
        .collect();
    let lists: Vec<Vec<Uuid>> = described.iter().map(|(_, l)| l.clone()).collect();
    let members = members_of(saved.groups.iter().flat_map(|g| &g.members));
    let composition = sammen_engine::describe(&members, &rules, &lists)
        .map_err(|e| Error::Internal(format!("saved groups undescribable: {e}")))?;
    for ((i, _), group) in described.iter().zip(composition.groups) {
        routes[*i] = group.reasons.into_iter().find_map(|r| match r {
            GroupReason::Route(route) => Some(route),
            _ => None,
        });
    }
    Ok(routes)
}

/// Checks a draft against who joined and scores it: every family exactly
/// once (a playdate composition forgets nobody), anyone else at most once
/// (a work day's group is whoever the organiser picks). With `route_to`
/// each group is also described as a route to it.
pub fn check_draft(
    joined: &[JoinedMember],
    groups: &[Vec<Uuid>],
    route_to: Option<RouteGoal>,
) -> Result<Composition> {
    if groups.iter().any(Vec::is_empty) {
        return Err(Error::field_refused("groups", &said::GROUP_EMPTY, &[]));
    }
    let placed: HashSet<Uuid> = groups.iter().flatten().copied().collect();
    let weighed = joined
        .iter()
        .filter(|j| j.family.is_some() || placed.contains(&j.signup_id));
    let mut rules = Rules::sizes(1, 1);
    if let Some(goal) = route_to {
        goal.apply(&mut rules);
    }
    sammen_engine::describe(&members_of(weighed), &rules, groups)
        .map_err(|e| Error::field("groups", e.to_string()))
}

/// Replaces the initiative's draft with `groups`; refuses (409) once they
/// were handed over. Check the draft first; `tx` is the caller's, to audit.
pub async fn save_draft(
    tx: &mut impl Executor,
    initiative: Uuid,
    groups: &[DraftGroup],
    lang: ReaderLang,
) -> Result<()> {
    // The write comes first in the transaction (see `Db::begin`): the draft
    // goes, handed-over groups stay and refuse the save.
    db::execute(
        tx,
        "DELETE FROM initiative_groups WHERE initiative_id = $1 AND handed_over_at IS NULL",
        args![initiative],
    )
    .await?;
    let handed_over: i64 = db::fetch_scalar(
        tx,
        "SELECT COUNT(*) FROM initiative_groups WHERE initiative_id = $1",
        args![initiative],
    )
    .await?;
    if handed_over > 0 {
        return Err(Error::refused(
            ErrorCode::Conflict,
            &said::GROUPS_HANDED_OVER,
        ));
    }
    let now = Utc::now();
    for (position, group) in groups.iter().enumerate() {
        let group_id = Uuid::new_v4();
        let name = group
            .name
            .clone()
            .unwrap_or_else(|| said::GROUP_NAME.say(lang, &[("n", &(position + 1))]));
        db::execute(
            tx,
            "INSERT INTO initiative_groups (id, initiative_id, position, name, created_at, \
             organiser_in) VALUES ($1, $2, $3, $4, $5, $6)",
            args![
                group_id,
                initiative,
                position as i64,
                name,
                now,
                group.organiser_in
            ],
        )
        .await?;
        for (member_position, signup_id) in group.members.iter().enumerate() {
            db::execute(
                tx,
                "INSERT INTO group_members (group_id, signup_id, position) VALUES ($1, $2, $3)",
                args![group_id, *signup_id, member_position as i64],
            )
            .await?;
        }
    }
    Ok(())
}

/// A member's new link, from the hand-over.
pub struct Handed {
    pub member: group_link::Member,
    pub is_organiser: bool,
    pub link: String,
}

#[derive(sqlx::FromRow)]
struct OrganiserRow {
    group_id: Uuid,
    members: i64,
    contact_name: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
    consent_version: Option<String>,
    lang: String,
}

/// Hands the saved draft over: the organiser joins the groups she is in,
/// and every member gets a private link (emailed when they gave an email).
/// Refuses (409) when nothing is left to hand over, so it happens once.
pub async fn hand_over(
    tx: &mut impl Executor,
    public_url: &str,
    initiative: Uuid,
) -> Result<Vec<Handed>> {
    let now = Utc::now();
    // The conditional update is the lock: of two hand-overs at once, one
    // finds nothing left to hand over.
    let handed = db::execute(
        tx,
        "UPDATE initiative_groups SET handed_over_at = $1 WHERE initiative_id = $2 \
         AND handed_over_at IS NULL",
        args![now, initiative],
    )
    .await?;
    if handed == 0 {
        return Err(Error::refused(
            ErrorCode::Conflict,
            &said::NO_GROUPS_TO_HAND_OVER,
        ));
    }
    let organiser_in: Vec<OrganiserRow> = db::fetch_all(
        tx,
        "SELECT g.id AS group_id, \
         (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id) AS members, \
         i.contact_name, i.contact_email, i.contact_phone, i.consent_version, i.lang \
         FROM initiative_groups g JOIN initiatives i ON i.id = g.initiative_id \
         WHERE g.initiative_id = $1 AND g.organiser_in AND i.erased_at IS NULL",
        args![initiative],
    )
    .await?;
    let mut organiser_signups = HashSet::new();
    for row in organiser_in {
        // Her own signup per group (a signup is in one group at most); it
        // holds her contact as the proposal does and ends with it.
        let signup_id = Uuid::new_v4();
        db::execute(
            tx,
            "INSERT INTO signups (id, initiative_id, need_id, contact_name, contact_email, \
             contact_phone, created_at, consent_version, is_organiser, lang) \
             VALUES ($1, $2, NULL, $3, $4, $5, $6, $7, TRUE, $8)",
            args![
                signup_id,
                initiative,
                row.contact_name,
                row.contact_email,
                row.contact_phone,
                now,
                row.consent_version,
                // She reads the group's mail in her proposal's language.
                row.lang
            ],
        )
        .await?;
        db::execute(
            tx,
            "INSERT INTO group_members (group_id, signup_id, position) VALUES ($1, $2, $3)",
            args![row.group_id, signup_id, row.members],
        )
        .await?;
        organiser_signups.insert(signup_id);
    }
    let members: Vec<group_link::Member> = db::fetch_all(
        tx,
        &format!(
            "SELECT {} WHERE g.initiative_id = $1 ORDER BY g.position, m.position",
            group_link::MEMBER_COLUMNS
        ),
        args![initiative],
    )
    .await?;
    let mut links = Vec::with_capacity(members.len());
    for member in members {
        let link = group_link::issue(tx, public_url, &member).await?;
        links.push(Handed {
            is_organiser: organiser_signups.contains(&member.signup_id),
            member,
            link,
        });
    }
    Ok(links)
}

#[derive(sqlx::FromRow)]
struct SavedRow {
    group_id: Uuid,
    name: String,
    handed_over_at: Option<DateTime<Utc>>,
    last_activity_at: Option<DateTime<Utc>>,
    organiser_in: bool,
    dates_held: i64,
    id: Option<Uuid>,
    contact_name: Option<String>,
    need: Option<String>,
    family: Option<String>,
    erased_at: Option<DateTime<Utc>>,
}

/// The initiative's saved groups with their members (the organiser only as
/// `organiser_in`; erased members stay counted, with nothing personal).
pub async fn saved(ex: &mut impl Executor, initiative: Uuid) -> Result<SavedGroups> {
    let rows: Vec<SavedRow> = db::fetch_all(
        ex,
        "SELECT g.id AS group_id, g.name, g.handed_over_at, g.last_activity_at, g.organiser_in, \
         (SELECT COUNT(*) FROM group_dates d WHERE d.group_id = g.id AND d.status = 'done') \
         AS dates_held, s.id, s.contact_name, n.title AS need, s.family, \
         s.erased_at \
         FROM initiative_groups g LEFT JOIN group_members m ON m.group_id = g.id \
         LEFT JOIN signups s ON s.id = m.signup_id AND NOT s.is_organiser \
         LEFT JOIN needs n ON n.id = s.need_id WHERE g.initiative_id = $1 \
         ORDER BY g.position, m.position",
        args![initiative],
    )
    .await?;
    let mut groups: Vec<SavedGroup> = Vec::new();
    for row in rows {
        if groups.last().is_none_or(|g| g.id != row.group_id) {
            groups.push(SavedGroup {
                id: row.group_id,
                name: row.name.clone(),
                members: Vec::new(),
                organiser_in: row.organiser_in,
                handed_over_at: row.handed_over_at.map(timestamp),
                last_activity_at: row.last_activity_at.map(timestamp),
                dates_held: row.dates_held.clamp(0, u32::MAX as i64) as u32,
            });
        }
        let Some(id) = row.id else { continue };
        if row.erased_at.is_some() {
            continue;
        }
        let member = joined_of(JoinedRow {
            id,
            contact_name: row.contact_name,
            need: row.need,
            family: row.family,
        })?;
        groups
            .last_mut()
            .expect("pushed above")
            .members
            .push(member);
    }
    Ok(SavedGroups {
        handed_over: groups.iter().any(|g| g.handed_over_at.is_some()),
        groups,
        links_to_pass_on: Vec::new(),
    })
}
