//! A group as its members see it, as stored: who I am by my link, the
//! members (names and contacts only of those who agreed to share them), the
//! dates with their hosts, and the whole space the group page shows. The
//! group's HTTP modules (`api/groups/`) and the console's hand-over share it.

use chrono::{DateTime, Utc};
use sammen_engine::rotation::Candidate;
use sammen_shared::group::{
    DateStatus, GroupDate, GroupMember, GroupSpace, HostReason, HowItWentCounts,
};
use sammen_shared::person::ContactView;
use sammen_shared::signup::Family;
use sammen_shared::week::Weekday;
use sammen_shared::ErrorCode;
use sammen_shared::{texts, ReaderLang};
use uuid::Uuid;

use crate::args;
use crate::db::{self, Executor};
use crate::error::{Error, Result};
use crate::stored::timestamp;
use crate::token::{self, calendar_secret};

/// The member behind a link, with their group.
#[derive(sqlx::FromRow)]
pub struct MeRow {
    pub signup_id: Uuid,
    pub group_id: Uuid,
    pub group_name: String,
    pub initiative_title: String,
    pub municipality: String,
    pub shares_contact: bool,
}

const ME_QUERY: &str = "SELECT m.signup_id, m.group_id, g.name AS group_name, \
     i.title AS initiative_title, i.municipality, m.shares_contact \
     FROM group_members m JOIN initiative_groups g ON g.id = m.group_id \
     JOIN initiatives i ON i.id = g.initiative_id";

pub async fn me(ex: &mut impl Executor, secret: &str) -> Result<MeRow> {
    db::fetch_optional(
        ex,
        &format!("{ME_QUERY} WHERE m.token_hash = $1"),
        args![token::hash(secret)],
    )
    .await?
    .ok_or_else(|| Error::refused(ErrorCode::NotFound, &crate::said::GROUP_LINK_GONE))
}

#[derive(sqlx::FromRow)]
pub struct MemberRow {
    pub signup_id: Uuid,
    pub position: i64,
    pub shares_contact: bool,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub family: Option<String>,
    pub is_organiser: bool,
    /// The language they joined in (`mails::reader_lang`).
    pub lang: Option<String>,
}

/// Whether a group is of families (a playdate group), which names members
/// "Familie n", or of people who joined to help ("Medlem n").
pub fn of_families(members: &[MemberRow]) -> bool {
    members.iter().any(|m| m.family.is_some())
}

pub async fn members(ex: &mut impl Executor, group: Uuid) -> Result<Vec<MemberRow>> {
    Ok(db::fetch_all(
        ex,
        "SELECT m.signup_id, m.position, m.shares_contact, s.contact_name, s.contact_email, \
         s.contact_phone, s.family, s.is_organiser, s.lang FROM group_members m \
         JOIN signups s ON s.id = m.signup_id WHERE m.group_id = $1 ORDER BY m.position, m.signup_id",
        args![group],
    )
    .await?)
}

pub fn free_days(member: &MemberRow) -> Vec<Weekday> {
    member
        .family
        .as_deref()
        .and_then(|text| serde_json::from_str::<Family>(text).ok())
        .map(|f| f.free_afternoons)
        .unwrap_or_default()
}

impl MemberRow {
    /// How others see this member: their name if they share it (or to
    /// themselves), else "Arrangøren", "Familie 3" or "Medlem 3".
    pub fn label(&self, lang: ReaderLang, to_themselves: bool, families: bool) -> String {
        let n = self.position + 1;
        match &self.contact_name {
            Some(name) if !name.is_empty() && (self.shares_contact || to_themselves) => {
                name.clone()
            }
            _ if self.is_organiser => ORGANISER.say(lang, &[]),
            _ if families => FAMILY.say(lang, &[("n", &n)]),
            _ => MEMBER.say(lang, &[("n", &n)]),
        }
    }

    /// The language the member reads their emails in.
    pub fn reader(&self) -> ReaderLang {
        crate::mails::reader_lang(
            self.lang.as_deref(),
            &crate::stored::family_languages(self.family.as_deref()),
        )
    }
}

// How a member who does not share their name is named to the others, and
// a date in a member's calendar after who hosts it.
texts! {
    TEXTS;
    AT_HOST "group.calendar_at_host" => "{group}: hos {host}", "{group}: at {host}'s";
    ORGANISER "group.organiser" => "Arrangøren", "The organiser";
    FAMILY "group.family" => "Familie {n}", "Family {n}";
    MEMBER "group.member" => "Medlem {n}", "Member {n}";
}

#[derive(sqlx::FromRow)]
pub struct DateRow {
    pub id: Uuid,
    pub starts_at: DateTime<Utc>,
    pub note: Option<String>,
    pub host: Option<Uuid>,
    pub host_reason: Option<String>,
    pub status: String,
    /// The rota it was added with, if any (`rota.rs`).
    pub series_id: Option<Uuid>,
}

impl DateRow {
    pub fn status(&self) -> Result<DateStatus> {
        DateStatus::parse(&self.status)
            .ok_or_else(|| Error::Internal(format!("unknown date status '{}'", self.status)))
    }
}

pub const DATE_COLUMNS: &str =
    "id, starts_at, note, host, host_reason, status, series_id FROM group_dates";

pub async fn dates(ex: &mut impl Executor, group: Uuid) -> Result<Vec<DateRow>> {
    Ok(db::fetch_all(
        ex,
        &format!("SELECT {DATE_COLUMNS} WHERE group_id = $1 ORDER BY starts_at, id"),
        args![group],
    )
    .await?)
}

/// The members as the rotation sees them: how often each hosted (or took)
/// a date not cancelled, when last, and their free days.
pub fn candidates(members: &[MemberRow], dates: &[DateRow]) -> Vec<Candidate> {
    members
        .iter()
        .map(|m| {
            let theirs = dates
                .iter()
                .filter(|d| d.host == Some(m.signup_id) && d.status != "cancelled");
            Candidate {
                member_id: m.signup_id,
                hosted: theirs.clone().count() as u32,
                free_days: free_days(m),
                last_hosted: theirs.map(|d| d.starts_at.timestamp()).max(),
            }
        })
        .collect()
}

pub fn host_reason(text: Option<&str>) -> Option<HostReason> {
    match text? {
        "fewest_and_free" => Some(HostReason::FewestAndFree),
        "fewest" => Some(HostReason::Fewest),
        "chosen" => Some(HostReason::Chosen),
        _ => None,
    }
}

pub fn host_reason_text(reason: HostReason) -> &'static str {
    match reason {
        HostReason::FewestAndFree => "fewest_and_free",
        HostReason::Fewest => "fewest",
        HostReason::Chosen => "chosen",
    }
}

pub async fn space(
    ex: &mut impl Executor,
    me: &MeRow,
    secret: &str,
    lang: ReaderLang,
) -> Result<GroupSpace> {
    let members = members(ex, me.group_id).await?;
    let dates = dates(ex, me.group_id).await?;
    let hosted = |id: Uuid| {
        dates
            .iter()
            .filter(|d| d.host == Some(id) && d.status != "cancelled")
            .count() as u32
    };
    let families = of_families(&members);
    let days: Vec<Vec<Weekday>> = members.iter().map(free_days).collect();
    let given: Vec<&Vec<Weekday>> = days.iter().filter(|d| !d.is_empty()).collect();
    let shared_days = Weekday::ALL
        .into_iter()
        .filter(|day| !given.is_empty() && given.iter().all(|d| d.contains(day)))
        .collect();
    Ok(GroupSpace {
        initiative_title: me.initiative_title.clone(),
        group_name: me.group_name.clone(),
        families,
        members: members
            .iter()
            .map(|m| {
                let is_me = m.signup_id == me.signup_id;
                let visible = m.shares_contact || is_me;
                GroupMember {
                    member_id: m.signup_id,
                    label: m.label(lang, is_me, families),
                    contact: visible.then(|| ContactView {
                        name: m.contact_name.clone().unwrap_or_default(),
                        email: m.contact_email.clone(),
                        phone: m.contact_phone.clone(),
                    }),
                    is_me,
                    hosted: hosted(m.signup_id),
                }
            })
            .collect(),
        shared_days,
        dates: dates
            .iter()
            .map(|d| {
                Ok(GroupDate {
                    id: d.id,
                    starts_at: timestamp(d.starts_at),
                    note: d.note.clone(),
                    host: d.host,
                    host_reason: host_reason(d.host_reason.as_deref()),
                    status: d.status()?,
                    series_id: d.series_id,
                })
            })
            .collect::<Result<_>>()?,
        i_share_contact: me.shares_contact,
        calendar_path: format!("/api/v1/group-calendar/{}.ics", calendar_secret(secret)),
        how_it_went: how_it_went(ex, me.group_id).await?,
    })
}

/// The group's check-in answers, counted.
async fn how_it_went(ex: &mut impl Executor, group: Uuid) -> Result<HowItWentCounts> {
    let answers: Vec<String> = db::fetch_scalars(
        ex,
        "SELECT c.how FROM group_check_ins c JOIN group_dates d ON d.id = c.date_id \
         WHERE d.group_id = $1",
        args![group],
    )
    .await?;
    let mut counts = HowItWentCounts::default();
    for how in answers {
        match how.as_str() {
            "good" => counts.good += 1,
            "mixed" => counts.mixed += 1,
            _ => counts.bad += 1,
        }
    }
    Ok(counts)
}

pub async fn touch(ex: &mut impl Executor, group: Uuid) -> Result<()> {
    db::execute(
        ex,
        "UPDATE initiative_groups SET last_activity_at = $1 WHERE id = $2",
        args![Utc::now(), group],
    )
    .await?;
    Ok(())
}
