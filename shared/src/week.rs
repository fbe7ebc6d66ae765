//! Weekly time: the days and hours a citizen is free, every week.

use serde::{Deserialize, Serialize};

use crate::{FieldError, FieldErrors};

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
}

/// Morning, afternoon and evening as forms offer them (the engine splits
/// the day at noon and 17:00): a tick on a day's part is this slot.
pub const DAY_PARTS: [(&str, &str); 3] =
    [("08:00", "12:00"), ("12:00", "17:00"), ("17:00", "21:00")];

/// The weekly slot of one day's part (an index into [`DAY_PARTS`]).
pub fn part_slot(day: Weekday, part: usize) -> WeeklySlot {
    let (from, to) = DAY_PARTS[part % DAY_PARTS.len()];
    WeeklySlot {
        day,
        from: from.into(),
        to: to.into(),
    }
}

/// The new weekly times of a need, set by a coordinator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NeedSlots {
    /// When the help is needed, every week; empty for "any time".
    pub slots: Vec<WeeklySlot>,
}

/// A slot that repeats every week, e.g. Tuesday 08:00–10:00, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeeklySlot {
    pub day: Weekday,
    /// Start, `HH:MM` in Danish local time.
    pub from: String,
    /// End, `HH:MM`, after `from`.
    pub to: String,
}

impl WeeklySlot {
    /// Checks both times and that the slot is not empty; returns the slot in
    /// canonical `HH:MM` form. Errors go under `{field}.from` / `{field}.to`.
    pub fn parse(&self, field: &str, errors: &mut FieldErrors) -> Option<WeeklySlot> {
        let from = errors.check(&format!("{field}.from"), minutes_of_day(&self.from));
        let to = errors.check(&format!("{field}.to"), minutes_of_day(&self.to));
        let (from, to) = (from?, to?);
        if to <= from {
            errors.add(format!("{field}.to"), FieldError::EmptySlot);
            return None;
        }
        Some(WeeklySlot {
            day: self.day,
            from: format_minutes(from),
            to: format_minutes(to),
        })
    }

    /// Start and end as minutes after midnight; `None` for a malformed slot.
    pub fn minutes(&self) -> Option<(u16, u16)> {
        Some((
            minutes_of_day(&self.from).ok()?,
            minutes_of_day(&self.to).ok()?,
        ))
    }
}

/// Parses `H:MM` or `HH:MM` (00:00–24:00) into minutes after midnight.
pub fn minutes_of_day(raw: &str) -> Result<u16, FieldError> {
    let (hours, minutes) = raw.trim().split_once(':').ok_or(FieldError::InvalidTime)?;
    let digits = |s: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit())
    };
    if !digits(hours, 1..=2) || !digits(minutes, 2..=2) {
        return Err(FieldError::InvalidTime);
    }
    let (h, m): (u16, u16) = (hours.parse().unwrap_or(99), minutes.parse().unwrap_or(99));
    match (h, m) {
        (0..=23, 0..=59) | (24, 0) => Ok(h * 60 + m),
        _ => Err(FieldError::InvalidTime),
    }
}

fn format_minutes(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Parses a list of weekly slots (at most 21: three a day).
pub fn parse_slots(raw: &[WeeklySlot], field: &str, errors: &mut FieldErrors) -> Vec<WeeklySlot> {
    const MAX: usize = 21;
    if raw.len() > MAX {
        errors.add(field, FieldError::TooMany { max: MAX });
        return Vec::new();
    }
    raw.iter()
        .enumerate()
        .filter_map(|(index, slot)| slot.parse(&format!("{field}[{index}]"), errors))
        .collect()
}

/// Parses a set of weekdays (free afternoons): sorted, duplicates dropped.
pub fn parse_days(raw: &[Weekday]) -> Vec<Weekday> {
    let mut days = raw.to_vec();
    days.sort();
    days.dedup();
    days
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_times_of_day() {
        assert_eq!(minutes_of_day("08:30"), Ok(510));
        assert_eq!(minutes_of_day("8:05"), Ok(485));
        assert_eq!(minutes_of_day("24:00"), Ok(1440));
        for bad in ["24:01", "8", "08:5", "aa:bb", "-1:00", "12:60", ""] {
            assert_eq!(minutes_of_day(bad), Err(FieldError::InvalidTime), "{bad}");
        }
    }

    #[test]
    fn a_slot_must_end_after_it_starts() {
        let mut errors = FieldErrors::new();
        let slot = WeeklySlot {
            day: Weekday::Tue,
            from: "10:00".into(),
            to: "9:00".into(),
        };
        assert_eq!(slot.parse("slots[0]", &mut errors), None);
        assert_eq!(errors.get("slots[0].to"), Some(&FieldError::EmptySlot));
        let slot = WeeklySlot {
            day: Weekday::Tue,
            from: "8:00".into(),
            to: "9:30".into(),
        };
        let parsed = slot.parse("slots[0]", &mut FieldErrors::new()).unwrap();
        assert_eq!(
            (parsed.from.as_str(), parsed.to.as_str()),
            ("08:00", "09:30")
        );
    }

    #[test]
    fn days_are_sorted_and_unique() {
        use Weekday::*;
        assert_eq!(parse_days(&[Thu, Mon, Thu]), vec![Mon, Thu]);
    }
}
