//! A rota: a group adds a series of dates at once — weekdays over a period
//! at one time of day, say Monday to Friday at 06:30 from 1 December to 28
//! February for snow clearing — and the rotation hands them out in turn.
//! A series must not flood anyone: it is announced in one mail per member
//! (with that member's own turns), and its dates are reminded and asked
//! about only to whoever takes each (`reminders.rs`, the check-in after a
//! date is held), not to the whole group every morning.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Copenhagen;
use sammen_engine::rotation;
use sammen_engine::vocabulary;
use sammen_shared::group::GroupSpace;
use sammen_shared::text::{self, parse_optional_text};
use sammen_shared::week::Weekday;
use sammen_shared::{ErrorCode, FieldError, FieldErrors, ReaderLang};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::args;
use crate::db::{self, Executor};
use crate::error::{Error, Result};
use crate::group_space::{candidates, dates, host_reason_text, members, MeRow, MemberRow};
use crate::{mails, outbox, said};

/// Most dates one series adds: a winter of weekday mornings is about 65.
pub const MAX_DATES: usize = 120;
/// Longest period one series covers, in days.
pub const MAX_DAYS: u32 = 366;
/// Most dates a group may have coming up: series added again and again
/// would otherwise grow the group without end.
pub const MAX_AHEAD: i64 = 400;

/// A series of dates, as typed on the group's page.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NewDateSeries {
    /// The weekdays the dates fall on, e.g. `["mon", "tue", "wed", "thu", "fri"]`.
    #[serde(default)]
    pub weekdays: Vec<Weekday>,
    /// The first day, `YYYY-MM-DD` (Danish calendar), today or later.
    #[serde(default)]
    pub from: String,
    /// The last day, `YYYY-MM-DD`, on or after `from`.
    #[serde(default)]
    pub until: String,
    /// The time of day, `HH:MM` in Danish local time, e.g. `06:30`.
    #[serde(default)]
    pub time: String,
    /// What and where, for every date of the series.
    #[serde(default)]
    pub note: Option<String>,
}

/// The answer to a series: how many dates it added and the group now.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SeriesAdded {
    pub added: usize,
    pub space: GroupSpace,
}

/// A series that passed the rules, with every date it makes.
#[derive(Debug, Clone, PartialEq)]
pub struct DateSeries {
    pub weekdays: Vec<Weekday>,
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub time: NaiveTime,
    pub note: Option<String>,
    /// Each date's start, earliest first; none before `now`.
    pub starts: Vec<DateTime<Utc>>,
}

fn weekday_of(date: NaiveDate) -> Weekday {
    Weekday::ALL[date.weekday().num_days_from_monday() as usize]
}

/// A local time on a Danish day as UTC. The hour the clocks skip in spring
/// has no such time: the date moves on by that hour.
fn danish(date: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    let local = date.and_time(time);
    Copenhagen
        .from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            Copenhagen
                .from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
}

impl DateSeries {
    /// Checks a series typed at `now`; errors go under the request's field
    /// names (`weekdays`, `from`, `until`, `time`, `note`).
    pub fn parse(input: &NewDateSeries, now: DateTime<Utc>) -> Result<DateSeries, FieldErrors> {
        let mut errors = FieldErrors::new();
        let today = now.with_timezone(&Copenhagen).date_naive();
        let mut weekdays = input.weekdays.clone();
        weekdays.sort();
        weekdays.dedup();
        if weekdays.is_empty() {
            errors.add("weekdays", FieldError::Required);
        }
        let day = |raw: &str, field: &str, errors: &mut FieldErrors| {
            if raw.trim().is_empty() {
                errors.add(field, FieldError::Required);
                return None;
            }
            let parsed = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok();
            if parsed.is_none() {
                errors.add(field, FieldError::InvalidDate);
            }
            parsed
        };
        let from = day(&input.from, "from", &mut errors);
        let until = day(&input.until, "until", &mut errors);
        if from.is_some_and(|from| from < today) {
            errors.add("from", FieldError::DateInPast);
        }
        if let (Some(from), Some(until)) = (from, until) {
            if until < from {
                errors.add("until", FieldError::EndsBeforeStart);
            } else if (until - from).num_days() >= i64::from(MAX_DAYS) {
                errors.add("until", FieldError::PeriodTooLong { max_days: MAX_DAYS });
            }
        }
        let time = match input.time.trim() {
            "" => {
                errors.add("time", FieldError::Required);
                None
            }
            raw => NaiveTime::parse_from_str(raw, "%H:%M").ok().or_else(|| {
                errors.add("time", FieldError::InvalidTime);
                None
            }),
        };
        let note = errors
            .check(
                "note",
                parse_optional_text(input.note.as_deref(), text::OPTIONAL_BODY),
            )
            .flatten();
        let (Some(from), Some(until), Some(time), true) = (from, until, time, errors.is_empty())
        else {
            return Err(errors);
        };
        let mut starts = Vec::new();
        for date in from.iter_days().take_while(|d| *d <= until) {
            if !weekdays.contains(&weekday_of(date)) {
                continue;
            }
            match danish(date, time) {
                // A morning of today already gone is not added.
                Some(start) if start > now => starts.push(start),
                _ => {}
            }
            if starts.len() > MAX_DATES {
                errors.add("until", FieldError::TooManyDates { max: MAX_DATES });
                return Err(errors);
            }
        }
        if starts.is_empty() {
            errors.add("weekdays", FieldError::NoDateInPeriod);
            return Err(errors);
        }
        Ok(DateSeries {
            weekdays,
            from,
            until,
            time,
            note,
            starts,
        })
    }
}

/// Adds the series to `me`'s group: the rotation gives each date in turn
/// to who has taken fewest (free that day where they said), then one mail
/// per member with an email says what was added and which are theirs.
/// Refuses (409) when the group would have more than [`MAX_AHEAD`] dates
/// coming up. `tx` is the caller's: it has written first (see `Db::begin`).
pub async fn add(
    tx: &mut impl Executor,
    me: &MeRow,
    series: &DateSeries,
    lang: ReaderLang,
) -> Result<usize> {
    let now = Utc::now();
    let ahead: i64 = db::fetch_scalar(
        tx,
        "SELECT COUNT(*) FROM group_dates WHERE group_id = $1 \
         AND status IN ('proposed', 'accepted') AND starts_at > $2",
        args![me.group_id, now],
    )
    .await?;
    if ahead + series.starts.len() as i64 > MAX_AHEAD {
        return Err(Error::coded(
            ErrorCode::Conflict,
            said::TOO_MANY_AHEAD.say(lang, &[("ahead", &ahead), ("max", &MAX_AHEAD)]),
        ));
    }
    let members = members(tx, me.group_id).await?;
    let mut rota = candidates(&members, &dates(tx, me.group_id).await?);
    let days: Vec<(Weekday, i64)> = series
        .starts
        .iter()
        .map(|start| {
            let local = start.with_timezone(&Copenhagen).date_naive();
            (weekday_of(local), start.timestamp())
        })
        .collect();
    let turns = rotation::take_turns(&mut rota, &days);
    let series_id = Uuid::new_v4();
    for (start, turn) in series.starts.iter().zip(&turns) {
        db::execute(
            tx,
            "INSERT INTO group_dates (id, group_id, starts_at, note, host, host_reason, status, \
             created_at, updated_at, series_id) \
             VALUES ($1, $2, $3, $4, $5, $6, 'proposed', $7, $7, $8)",
            args![
                Uuid::new_v4(),
                me.group_id,
                *start,
                series.note.clone(),
                turn.map(|t| t.0),
                turn.map(|t| host_reason_text(t.1)),
                now,
                series_id
            ],
        )
        .await?;
    }
    for member in &members {
        let mine: Vec<DateTime<Utc>> = series
            .starts
            .iter()
            .zip(&turns)
            .filter(|(_, turn)| turn.is_some_and(|t| t.0 == member.signup_id))
            .map(|(start, _)| *start)
            .collect();
        announce(tx, me, member, series, &mine, series_id).await?;
    }
    Ok(series.starts.len())
}

/// Cancels what is left of a rota in `me`'s group: its dates still to come
/// and not yet held. How many; 404 when the group has no such rota.
pub async fn cancel_rest(tx: &mut impl Executor, me: &MeRow, series_id: Uuid) -> Result<u64> {
    let now = Utc::now();
    let cancelled = db::execute(
        tx,
        "UPDATE group_dates SET status = 'cancelled', updated_at = $1 WHERE group_id = $2 \
         AND series_id = $3 AND status IN ('proposed', 'accepted') AND starts_at > $1",
        args![now, me.group_id, series_id],
    )
    .await?;
    if cancelled == 0 {
        let known: i64 = db::fetch_scalar(
            tx,
            "SELECT COUNT(*) FROM group_dates WHERE group_id = $1 AND series_id = $2",
            args![me.group_id, series_id],
        )
        .await?;
        if known == 0 {
            return Err(Error::refused(ErrorCode::NotFound, &said::NO_SUCH_ROTA));
        }
    }
    Ok(cancelled)
}

/// Most of a member's own dates one announcement lists by date.
const LISTED: usize = 8;

/// The one mail a member gets about a series: what was added and their
/// own turns. Nothing for a member without an email.
async fn announce(
    tx: &mut impl Executor,
    me: &MeRow,
    member: &MemberRow,
    series: &DateSeries,
    mine: &[DateTime<Utc>],
    series_id: Uuid,
) -> Result<()> {
    let Some(email) = member.contact_email.as_deref() else {
        return Ok(());
    };
    let lang = member.reader();
    let (subject, body) = announcement(lang, &me.group_name, series, mine);
    outbox::enqueue(
        tx,
        outbox::Email {
            municipality: &me.municipality,
            recipient: email,
            subject,
            body,
            kind: "group_rota",
            subject_id: Some(series_id),
        },
    )
    .await
}

fn announcement(
    lang: ReaderLang,
    group: &str,
    series: &DateSeries,
    mine: &[DateTime<Utc>],
) -> (String, String) {
    // Weekday names come from the engine's vocabulary, which has Danish and
    // English: a pack's reader gets the English ones.
    let days_in = |days: &[Weekday]| vocabulary::days_text(days, lang.base());
    let day = |d: &NaiveDate| d.format("%d.%m.%Y").to_string();
    let listed: Vec<String> = mine
        .iter()
        .take(LISTED)
        .map(|t| {
            let local = t.with_timezone(&Copenhagen);
            let weekday = days_in(&[weekday_of(local.date_naive())]);
            format!("{weekday} {}", local.format("%d.%m."))
        })
        .collect();
    mails::rota(mails::RotaAnnouncement {
        lang,
        group,
        n: series.starts.len(),
        days: &days_in(&series.weekdays),
        time: &series.time.format("%H:%M").to_string(),
        from: &day(&series.from),
        until: &day(&series.until),
        mine: mine.len(),
        dates: &listed.join(", "),
        more: mine.len().saturating_sub(LISTED),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 27 November 2026, 07:00 in Copenhagen.
    fn now() -> DateTime<Utc> {
        "2026-11-27T06:00:00Z".parse().unwrap()
    }

    fn input(weekdays: &[Weekday], from: &str, until: &str, time: &str) -> NewDateSeries {
        NewDateSeries {
            weekdays: weekdays.to_vec(),
            from: from.into(),
            until: until.into(),
            time: time.into(),
            note: Some("Snerydning".into()),
        }
    }

    const WEEKDAYS: [Weekday; 5] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ];

    #[test]
    fn a_winter_of_weekday_mornings() {
        let series = DateSeries::parse(
            &input(&WEEKDAYS, "2026-12-01", "2027-02-28", "06:30"),
            now(),
        )
        .unwrap();
        // 1 Dec 2026 is a Tuesday; 90 days, 64 of them weekdays.
        assert_eq!(series.starts.len(), 64);
        assert_eq!(series.starts[0].to_rfc3339(), "2026-12-01T05:30:00+00:00");
        assert_eq!(
            series.starts.last().unwrap().to_rfc3339(),
            "2027-02-26T05:30:00+00:00"
        );
        // Summer time: 06:30 in Copenhagen is 04:30 UTC after 28 March 2027.
        let spring = DateSeries::parse(
            &input(&[Weekday::Mon], "2027-03-22", "2027-03-29", "06:30"),
            now(),
        )
        .unwrap();
        let utc: Vec<String> = spring.starts.iter().map(|t| t.to_rfc3339()).collect();
        assert_eq!(
            utc,
            ["2027-03-22T05:30:00+00:00", "2027-03-29T04:30:00+00:00"]
        );
    }

    #[test]
    fn a_series_says_what_is_wrong_with_it() {
        let fields = |series: NewDateSeries| -> Vec<(String, String)> {
            let api = DateSeries::parse(&series, now())
                .unwrap_err()
                .to_api_error(ReaderLang::EN);
            api.field_codes.into_iter().collect()
        };
        let pair = |f: &str, c: &str| (f.to_string(), c.to_string());
        assert_eq!(
            fields(input(&[], "2026-12-01", "2026-11-30", "6.30")),
            [
                pair("time", "invalid_time"),
                pair("until", "ends_before_start"),
                pair("weekdays", "required")
            ]
        );
        assert_eq!(
            fields(input(&WEEKDAYS, "1/12", "2026-11-20", "06:30")),
            [pair("from", "invalid_date")]
        );
        assert_eq!(
            fields(input(&WEEKDAYS, "2026-11-20", "2026-12-20", "06:30")),
            [pair("from", "date_in_past")]
        );
        assert_eq!(
            fields(input(&WEEKDAYS, "2026-12-01", "2027-12-31", "06:30")),
            [pair("until", "period_too_long")]
        );
        // Every day of the week for half a year: 182 dates.
        assert_eq!(
            fields(input(&Weekday::ALL, "2026-12-01", "2027-05-31", "06:30")),
            [pair("until", "too_many_dates")]
        );
        assert_eq!(
            fields(input(&[Weekday::Sat], "2026-12-01", "2026-12-04", "06:30")),
            [pair("weekdays", "no_date_in_period")]
        );
        // Today's morning has gone by: the series starts tomorrow.
        let today = DateSeries::parse(
            &input(&WEEKDAYS, "2026-11-27", "2026-11-30", "06:30"),
            now(),
        )
        .unwrap();
        assert_eq!(today.starts.len(), 1);
    }

    #[test]
    fn the_announcement_lists_a_members_own_turns() {
        let series = DateSeries::parse(
            &input(&WEEKDAYS, "2026-12-01", "2027-02-28", "06:30"),
            now(),
        )
        .unwrap();
        let mine: Vec<DateTime<Utc>> = series.starts.iter().step_by(3).copied().collect();
        let (subject, body) = announcement(ReaderLang::DA, "Sneholdet", &series, &mine);
        assert_eq!(subject, "Ny plan i Sneholdet: 64 aftaler");
        assert!(
            body.contains("man–fre kl. 06:30 fra 01.12.2026 til 28.02.2027"),
            "{body}"
        );
        assert!(
            body.contains("Du er foreslået til 22: tir 01.12., fre 04.12.,"),
            "{body}"
        );
        assert!(body.contains("og 14 flere."), "{body}");
        let (_, english) = announcement(ReaderLang::EN, "Snow team", &series, &[]);
        assert!(english.contains("You are not proposed for any of them"));
    }
}
