//! What each email says, in its recipient's language: Danish and English
//! here, other languages from the packs (`shared/lang/<code>.json`, under
//! `mail.<kind>`). The outbox (`outbox.rs`) only queues and delivers.
//!
//! A text's `{placeholders}` are filled in once, so a title a citizen wrote
//! with `{link}` in it stays as written.

use sammen_shared::signup::OrganiserSees;
use sammen_shared::status::Action;
use sammen_shared::{texts, Lang, ReaderLang};

/// The language a person reads their emails in: the one they used when they
/// signed up or offered help (stored since this was recorded), else guessed
/// from the languages they speak: Danish if they speak it, else the first
/// they listed that Sammen writes in, else Danish.
pub fn reader_lang(stored: Option<&str>, languages: &[String]) -> ReaderLang {
    if let Some(lang) = stored.and_then(ReaderLang::from_code) {
        return lang;
    }
    if languages.iter().any(|l| l == "da") {
        return ReaderLang::DA;
    }
    languages
        .iter()
        .find_map(|code| ReaderLang::from_code(code))
        .unwrap_or(ReaderLang::DA)
}

/// The language a proposer reads mail in: the one the proposal names,
/// refined by the request to a pack's language that falls back to it (the
/// widget names English for an Arabic reader, whose request asks for Arabic
/// first); the request's language when the proposal names none.
pub fn proposer_lang(named: Option<Lang>, request: ReaderLang) -> ReaderLang {
    match named {
        Some(named) if named != request.base() => named.into(),
        _ => request,
    }
}

/// A citizen's own words inside a mail, on a paragraph of their own; none
/// when they wrote nothing.
fn quoted(message: &str) -> String {
    if message.trim().is_empty() {
        String::new()
    } else {
        format!("\n\n«{message}»")
    }
}

/// What the email to a proposer says.
pub struct ToProposer<'a> {
    pub lang: ReaderLang,
    pub name: &'a str,
    pub title: &'a str,
    pub action: Option<Action>,
    pub message: &'a str,
    pub municipality: &'a str,
    /// Her follow link, new for this email.
    pub link: &'a str,
}

/// The email telling a proposer about a coordinator's decision or message,
/// with her follow link: a proposer on a shared computer, or one who lost
/// the link, finds her way back from any email.
pub fn to_proposer(mail: ToProposer<'_>) -> (String, String) {
    let ToProposer {
        lang,
        name,
        title,
        action,
        message,
        municipality,
        link,
    } = mail;
    let what = match action {
        Some(Action::Publish) => &DECISION_PUBLISH,
        Some(Action::RequestChanges) => &DECISION_REQUEST_CHANGES,
        Some(Action::Decline) => &DECISION_DECLINE,
        Some(Action::Complete) => &DECISION_COMPLETE,
        Some(Action::Archive) => &DECISION_ARCHIVE,
        _ => &DECISION_MESSAGE,
    }
    .say(lang, &[]);
    // Once published she runs it: the link leads to who joined, not to edits.
    let here = match action {
        Some(Action::Publish | Action::Complete) => &DECISION_HERE_RUNNING,
        _ => &DECISION_HERE_EDITING,
    }
    .say(lang, &[]);
    (
        DECISION_SUBJECT.say(lang, &[("title", &title)]),
        DECISION_BODY.say(
            lang,
            &[
                ("name", &name),
                ("municipality", &municipality),
                ("what", &what),
                ("title", &title),
                ("message", &quoted(message)),
                ("here", &here),
                ("link", &link),
            ],
        ),
    )
}

/// What an invitation to help with a need says.
pub struct VolunteerInvitation<'a> {
    pub lang: ReaderLang,
    pub name: &'a str,
    pub need: &'a str,
    pub initiative: &'a str,
    pub municipality: &'a str,
    pub coordinator: &'a str,
    pub coordinator_email: &'a str,
    pub message: Option<&'a str>,
    /// The volunteer's own link to answer (`invitation.rs`).
    pub answer_link: &'a str,
}

/// The email inviting a volunteer to a need they match.
pub fn to_volunteer(invitation: VolunteerInvitation<'_>) -> (String, String) {
    let VolunteerInvitation {
        lang,
        name,
        need,
        initiative,
        municipality,
        coordinator,
        coordinator_email,
        message,
        answer_link,
    } = invitation;
    (
        INVITATION_SUBJECT.say(lang, &[("initiative", &initiative)]),
        INVITATION_BODY.say(
            lang,
            &[
                ("name", &name),
                ("municipality", &municipality),
                ("need", &need),
                ("initiative", &initiative),
                ("message", &quoted(message.unwrap_or(""))),
                ("answer_link", &answer_link),
                ("coordinator", &coordinator),
                ("coordinator_email", &coordinator_email),
            ],
        ),
    )
}

/// The email telling someone who proposed an idea at an open meeting that
/// it was chosen, with the follow link to it.
pub fn to_meeting_proposer(
    lang: ReaderLang,
    name: &str,
    title: &str,
    meeting: &str,
    link: &str,
) -> (String, String) {
    (
        MEETING_IDEA_SUBJECT.say(lang, &[("title", &title)]),
        MEETING_IDEA_BODY.say(
            lang,
            &[
                ("name", &name),
                ("title", &title),
                ("meeting", &meeting),
                ("link", &link),
            ],
        ),
    )
}

/// The email confirming a proposal, with its follow link.
pub fn to_new_proposer(
    lang: ReaderLang,
    name: &str,
    title: &str,
    municipality: &str,
    link: &str,
) -> (String, String) {
    (
        PROPOSAL_RECEIVED_SUBJECT.say(lang, &[("title", &title)]),
        PROPOSAL_RECEIVED_BODY.say(
            lang,
            &[
                ("name", &name),
                ("title", &title),
                ("municipality", &municipality),
                ("link", &link),
            ],
        ),
    )
}

/// The email confirming a signup, with the private link the consent text
/// promises.
pub fn to_joiner(
    lang: ReaderLang,
    name: &str,
    initiative: &str,
    need: Option<&str>,
    sees: OrganiserSees,
    link: &str,
) -> (String, String) {
    let need = need
        .map(|n| SIGNUP_LINK_NEED.say(lang, &[("need", &n)]))
        .unwrap_or_default();
    let sees = match sees {
        OrganiserSees::Name => &SIGNUP_LINK_SEES_NAME,
        OrganiserSees::Email => &SIGNUP_LINK_SEES_EMAIL,
        OrganiserSees::Phone => &SIGNUP_LINK_SEES_PHONE,
    }
    .say(lang, &[]);
    (
        SIGNUP_LINK_SUBJECT.say(lang, &[("initiative", &initiative)]),
        SIGNUP_LINK_BODY.say(
            lang,
            &[
                ("name", &name),
                ("initiative", &initiative),
                ("need", &need),
                ("sees", &sees),
                ("link", &link),
            ],
        ),
    )
}

/// The email confirming an offer of help, with its private link.
pub fn to_offerer(
    lang: ReaderLang,
    name: &str,
    municipality: &str,
    link: &str,
) -> (String, String) {
    (
        OFFER_LINK_SUBJECT.say(lang, &[("municipality", &municipality)]),
        OFFER_LINK_BODY.say(
            lang,
            &[
                ("name", &name),
                ("municipality", &municipality),
                ("link", &link),
            ],
        ),
    )
}

/// The email handing a co-organiser their own link to the organiser's page.
pub fn to_co_organiser(
    lang: ReaderLang,
    name: &str,
    proposer: &str,
    initiative: &str,
    link: &str,
) -> (String, String) {
    (
        CO_ORGANISER_SUBJECT.say(lang, &[("initiative", &initiative)]),
        CO_ORGANISER_BODY.say(
            lang,
            &[
                ("name", &name),
                ("proposer", &proposer),
                ("initiative", &initiative),
                ("link", &link),
            ],
        ),
    )
}

/// The email handing a family its group's private link.
pub fn to_group_member(
    lang: ReaderLang,
    name: &str,
    group: &str,
    initiative: &str,
    link: &str,
) -> (String, String) {
    (
        GROUP_LINK_SUBJECT.say(lang, &[("group", &group), ("initiative", &initiative)]),
        GROUP_LINK_BODY.say(
            lang,
            &[
                ("name", &name),
                ("group", &group),
                ("initiative", &initiative),
                ("link", &link),
            ],
        ),
    )
}

/// The organiser's message to everyone who joined (or who help with one
/// need), in the organiser's language, which is the message's.
pub fn from_organiser(
    lang: ReaderLang,
    organiser: &str,
    title: &str,
    need: Option<&str>,
    message: &str,
) -> (String, String) {
    let about = need
        .map(|n| ORGANISER_MESSAGE_ABOUT.say(lang, &[("need", &n)]))
        .unwrap_or_default();
    (
        ORGANISER_MESSAGE_SUBJECT.say(lang, &[("title", &title)]),
        ORGANISER_MESSAGE_BODY.say(
            lang,
            &[
                ("organiser", &organiser),
                ("title", &title),
                ("about", &about),
                ("message", &message),
            ],
        ),
    )
}

/// One group member's message to another, naming the sender as the group
/// sees them.
pub fn between_members(
    lang: ReaderLang,
    from: &str,
    group: &str,
    initiative: &str,
    message: &str,
) -> (String, String) {
    (
        GROUP_MESSAGE_SUBJECT.say(lang, &[("from", &from), ("group", &group)]),
        GROUP_MESSAGE_BODY.say(
            lang,
            &[
                ("from", &from),
                ("group", &group),
                ("initiative", &initiative),
                ("message", &message),
            ],
        ),
    )
}

/// After a date was held: two short questions on the group's page.
pub fn how_did_it_go(lang: ReaderLang, group: &str) -> (String, String) {
    (
        CHECK_IN_SUBJECT.say(lang, &[("group", &group)]),
        CHECK_IN_BODY.say(lang, &[("group", &group)]),
    )
}

/// The reminder the day before a date; `your_turn` for the one who takes a
/// rota's date. `when` is already in Danish local time.
pub fn reminder(
    lang: ReaderLang,
    name: &str,
    group: &str,
    when: &str,
    your_turn: bool,
) -> (String, String) {
    let (subject, body) = if your_turn {
        (&TURN_REMINDER_SUBJECT, &TURN_REMINDER_BODY)
    } else {
        (&REMINDER_SUBJECT, &REMINDER_BODY)
    };
    (
        subject.say(lang, &[("group", &group)]),
        body.say(lang, &[("name", &name), ("group", &group), ("when", &when)]),
    )
}

/// A rota's one announcement to a member, from its parts already written
/// out (`days`, `time`, `from`, `until`, the member's `dates`).
pub struct RotaAnnouncement<'a> {
    pub lang: ReaderLang,
    pub group: &'a str,
    pub n: usize,
    pub days: &'a str,
    pub time: &'a str,
    pub from: &'a str,
    pub until: &'a str,
    /// How many dates are the member's, the first few of them listed, and
    /// how many more there are.
    pub mine: usize,
    pub dates: &'a str,
    pub more: usize,
}

pub fn rota(a: RotaAnnouncement<'_>) -> (String, String) {
    let lang = a.lang;
    let turns = match (a.mine, a.more) {
        (0, _) => ROTA_NONE_YOURS.say(lang, &[]),
        (k, 0) => ROTA_YOURS.say(lang, &[("k", &k), ("dates", &a.dates)]),
        (k, more) => {
            ROTA_YOURS_AND_MORE.say(lang, &[("k", &k), ("dates", &a.dates), ("more", &more)])
        }
    };
    (
        ROTA_SUBJECT.say(lang, &[("group", &a.group), ("n", &a.n)]),
        ROTA_BODY.say(
            lang,
            &[
                ("group", &a.group),
                ("n", &a.n),
                ("days", &a.days),
                ("time", &a.time),
                ("from", &a.from),
                ("until", &a.until),
                ("turns", &turns),
            ],
        ),
    )
}

texts! {
    TEXTS;
    PROPOSAL_RECEIVED_SUBJECT "mail.proposal_received.subject" =>
        "Vi har fået dit forslag: {title}", "We have your proposal: {title}";
    PROPOSAL_RECEIVED_BODY "mail.proposal_received.body" =>
        "Kære {name}\n\nTak for dit forslag «{title}». En koordinator i {municipality} læser det og svarer dig.\n\nFølg forslaget, læs svaret, og ret forslaget her (link kun til dig, del det ikke): {link}\n\nVenlig hilsen\nSammen",
        "Dear {name}\n\nThank you for your proposal “{title}”. A coordinator in {municipality} reads it and answers you.\n\nFollow the proposal, read the answer and edit the proposal here (a link only for you, do not share it): {link}\n\nKind regards\nSammen";
    DECISION_SUBJECT "mail.decision.subject" =>
        "Nyt om dit forslag: {title}", "News about your proposal: {title}";
    DECISION_BODY "mail.decision.body" =>
        "Kære {name}\n\n{municipality} {what}: «{title}».{message}\n\n{here} (link kun til dig, del det ikke): {link}\n\nVenlig hilsen\nSammen",
        "Dear {name}\n\n{municipality} {what}: “{title}”.{message}\n\n{here} (a link only for you, do not share it): {link}\n\nKind regards\nSammen";
    DECISION_PUBLISH "mail.decision.publish" =>
        "har offentliggjort dit forslag", "has published your proposal";
    DECISION_REQUEST_CHANGES "mail.decision.request_changes" =>
        "beder dig rette dit forslag", "asks you to change your proposal";
    DECISION_DECLINE "mail.decision.decline" =>
        "har desværre afvist dit forslag", "has declined your proposal";
    DECISION_COMPLETE "mail.decision.complete" =>
        "har markeret initiativet som gennemført", "has marked the initiative as completed";
    DECISION_ARCHIVE "mail.decision.archive" =>
        "har arkiveret initiativet", "has archived the initiative";
    DECISION_MESSAGE "mail.decision.message" =>
        "har skrevet til dig om dit forslag", "has written to you about your proposal";
    DECISION_HERE_RUNNING "mail.decision.here_running" =>
        "Se, hvem der er med, og skriv til dem her", "See who has joined and write to them here";
    DECISION_HERE_EDITING "mail.decision.here_editing" =>
        "Læs hele dialogen, svar, og ret forslaget her",
        "Read the whole dialogue, reply and edit the proposal here";
    INVITATION_SUBJECT "mail.invitation.subject" =>
        "Vil du hjælpe? {initiative}", "Would you help? {initiative}";
    INVITATION_BODY "mail.invitation.body" =>
        "Kære {name}\n\nDu har tilbudt din hjælp i {municipality}, og den passer til «{need}» i initiativet «{initiative}».{message}\n\nHar du lyst og tid? Svar ja eller nej her (linket er kun til dig): {answer_link}\n\nSpørgsmål? Skriv til {coordinator} på {coordinator_email}.\n\nVenlig hilsen\nSammen",
        "Dear {name}\n\nYou offered your help in {municipality}, and it fits “{need}” in the initiative “{initiative}”.{message}\n\nWould you like to, and do you have the time? Answer yes or no here (the link is yours alone): {answer_link}\n\nQuestions? Write to {coordinator} at {coordinator_email}.\n\nKind regards\nSammen";
    MEETING_IDEA_SUBJECT "mail.meeting_idea.subject" =>
        "Dit forslag fra mødet er valgt: {title}", "Your idea from the meeting was chosen: {title}";
    MEETING_IDEA_BODY "mail.meeting_idea.body" =>
        "Kære {name}\n\nDit forslag «{title}» fra «{meeting}» er valgt og sendt til kommunens koordinator. Her kan du følge det, svare koordinatoren og rette det (linket er kun til dig, del det ikke): {link}\n\nVenlig hilsen\nSammen",
        "Dear {name}\n\nYour idea “{title}” from “{meeting}” was chosen and sent to the municipality's coordinator. Follow it, answer the coordinator and edit it here (the link is yours alone, do not share it): {link}\n\nKind regards\nSammen";
    SIGNUP_LINK_SUBJECT "mail.signup_link.subject" =>
        "Du er med: {initiative}", "You have joined: {initiative}";
    SIGNUP_LINK_BODY "mail.signup_link.body" =>
        "Kære {name}\n\nTak, fordi du er med i «{initiative}»{need}. Arrangøren ser {sees} og kan skrive til dig gennem Sammen.\n\nSe, hent eller slet dine oplysninger her (link kun til dig, del det ikke): {link}\n\nVenlig hilsen\nSammen",
        "Dear {name}\n\nThank you for joining “{initiative}”{need}. The organiser sees {sees} and can write to you through Sammen.\n\nSee, download or delete your details here (a link only for you, do not share it): {link}\n\nKind regards\nSammen";
    SIGNUP_LINK_NEED "mail.signup_link.need" => " (til «{need}»)", " (for “{need}”)";
    SIGNUP_LINK_SEES_NAME "mail.signup_link.sees_name" => "dit navn", "your name";
    SIGNUP_LINK_SEES_EMAIL "mail.signup_link.sees_email" =>
        "dit navn og din e-mail", "your name and email";
    SIGNUP_LINK_SEES_PHONE "mail.signup_link.sees_phone" =>
        "dit navn og dit telefonnummer", "your name and phone number";
    OFFER_LINK_SUBJECT "mail.offer_link.subject" =>
        "Tak for dit tilbud om hjælp – {municipality}", "Thank you for offering help – {municipality}";
    OFFER_LINK_BODY "mail.offer_link.body" =>
        "Kære {name}\n\nTak for dit tilbud om hjælp. Koordinatoren i {municipality} kontakter dig, når der er brug for dig, og du kan selv sige ja eller nej.\n\nSe, hent eller slet dine oplysninger her (link kun til dig, del det ikke): {link}\n\nVenlig hilsen\nSammen",
        "Dear {name}\n\nThank you for offering help. The coordinator in {municipality} will contact you when you are needed, and you decide yes or no yourself.\n\nSee, download or delete your details here (a link only for you, do not share it): {link}\n\nKind regards\nSammen";
    CO_ORGANISER_SUBJECT "mail.co_organiser.subject" =>
        "Du er medarrangør: {initiative}", "You are a co-organiser: {initiative}";
    CO_ORGANISER_BODY "mail.co_organiser.body" =>
        "Kære {name}\n\n{proposer} har gjort dig til medarrangør af «{initiative}». På arrangørens side ser du, hvem der er med, kan skrive til dem, sætte grupper sammen og melde initiativet gennemført.\n\nDin side (link kun til dig, del det ikke): {link}\n\nVenlig hilsen\nSammen",
        "Dear {name}\n\n{proposer} has made you a co-organiser of “{initiative}”. On the organiser's page you see who joined, can write to them, form groups and mark the initiative done.\n\nYour page (a link only for you, do not share it): {link}\n\nKind regards\nSammen";
    GROUP_LINK_SUBJECT "mail.group_link.subject" =>
        "Jeres gruppe: {group} – {initiative}", "Your group: {group} – {initiative}";
    GROUP_LINK_BODY "mail.group_link.body" =>
        "Kære {name}\n\nI er nu med i {group} i «{initiative}». Herfra er det jer i gruppen, der aftaler, hvornår og hvor I ses.\n\nJeres gruppes side (link kun til dig, del det ikke): {link}\n\nVenlig hilsen\nSammen",
        "Dear {name}\n\nYou are now in {group} of “{initiative}”. From here on, the group agrees when and where to meet.\n\nYour group's page (a link only for you, do not share it): {link}\n\nKind regards\nSammen";
    ORGANISER_MESSAGE_SUBJECT "mail.organiser_message.subject" =>
        "Besked fra arrangøren: {title}", "A message from the organiser: {title}";
    ORGANISER_MESSAGE_ABOUT "mail.organiser_message.about" =>
        " (til jer, der hjælper med «{need}»)", " (to those helping with “{need}”)";
    ORGANISER_MESSAGE_BODY "mail.organiser_message.body" =>
        "{organiser}, der står for «{title}», skriver til jer, der er med{about}:\n\n«{message}»\n\nBeskeden er sendt gennem Sammen; arrangøren ser ikke din adresse, medmindre du valgte at vise den, da du meldte dig.\n\nVenlig hilsen\nSammen",
        "{organiser}, who runs “{title}”, writes to everyone who joined{about}:\n\n«{message}»\n\nThe message was sent through Sammen; the organiser does not see your address unless you chose to show it when you joined.\n\nKind regards\nSammen";
    GROUP_MESSAGE_SUBJECT "mail.group_message.subject" =>
        "Besked fra {from} i {group}", "A message from {from} in {group}";
    GROUP_MESSAGE_BODY "mail.group_message.body" =>
        "{from} i {group} («{initiative}») skriver:\n\n«{message}»\n\nSvar via jeres gruppes side.\n\nVenlig hilsen\nSammen",
        "{from} in {group} (“{initiative}”) writes:\n\n«{message}»\n\nReply through your group's page.\n\nKind regards\nSammen";
    CHECK_IN_SUBJECT "mail.check_in.subject" => "Hvordan gik det? {group}", "How did it go? {group}";
    CHECK_IN_BODY "mail.check_in.body" =>
        "I har holdt en aftale i {group}. Hvordan gik det, og hvad vil I gøre anderledes næste gang? To korte spørgsmål på jeres gruppes side; koordinatoren ser svarene uden navn, medmindre du selv vælger det.\n\nVenlig hilsen\nSammen",
        "{group} held a date. How did it go, and what would you change next time? Two short questions on your group's page; the coordinator sees the answers without your name unless you choose otherwise.\n\nKind regards\nSammen";
    REMINDER_SUBJECT "mail.reminder.subject" => "I morgen: {group}", "Tomorrow: {group}";
    REMINDER_BODY "mail.reminder.body" =>
        "Kære {name}\n\nPåmindelse: {group} ses {when}.\n\nVenlig hilsen\nSammen",
        "Dear {name}\n\nA reminder: {group} meets on {when}.\n\nKind regards\nSammen";
    TURN_REMINDER_SUBJECT "mail.reminder.your_turn_subject" =>
        "I morgen er det din tur: {group}", "Tomorrow it is your turn: {group}";
    TURN_REMINDER_BODY "mail.reminder.your_turn_body" =>
        "Kære {name}\n\nPåmindelse: det er din tur i {group} {when}. Kan du ikke, så giv den videre på gruppens side.\n\nVenlig hilsen\nSammen",
        "Dear {name}\n\nA reminder: it is your turn in {group} on {when}. If you cannot, pass it on on the group's page.\n\nKind regards\nSammen";
    ROTA_SUBJECT "mail.rota.subject" => "Ny plan i {group}: {n} aftaler", "New plan in {group}: {n} dates";
    ROTA_BODY "mail.rota.body" =>
        "Hej\n\n{group} har fået {n} nye aftaler: {days} kl. {time} fra {from} til {until}. Sammen har fordelt dem på skift.\n\n{turns}\n\nPå gruppens side kan du sige ja til dine eller give en videre. Dagen før får den, der tager dagen, en påmindelse; ellers skriver vi ikke om hver enkelt aftale.\n\nVenlig hilsen\nSammen",
        "Hello\n\n{group} has {n} new dates: {days} at {time} from {from} to {until}. Sammen has shared them out in turn.\n\n{turns}\n\nOn the group's page you can say yes to yours or pass one on. The day before, whoever takes the date gets a reminder; otherwise we do not write about each date.\n\nKind regards\nSammen";
    ROTA_NONE_YOURS "mail.rota.none_yours" =>
        "Du er ikke foreslået til nogen af dem lige nu.", "You are not proposed for any of them for now.";
    ROTA_YOURS "mail.rota.yours" =>
        "Du er foreslået til {k}: {dates}.", "You are proposed for {k}: {dates}.";
    ROTA_YOURS_AND_MORE "mail.rota.yours_and_more" =>
        "Du er foreslået til {k}: {dates} og {more} flere.",
        "You are proposed for {k}: {dates} and {more} more.";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proposer_reads_the_decision_in_their_language() {
        let (subject, body) = to_proposer(ToProposer {
            lang: ReaderLang::DA,
            name: "Mette",
            title: "Legegrupper",
            action: Some(Action::RequestChanges),
            message: "Hvilken alder?",
            municipality: "Billund Kommune",
            link: "https://www.billund.dk/side#sammen-follow=abc",
        });
        assert_eq!(subject, "Nyt om dit forslag: Legegrupper");
        assert!(body.contains("beder dig rette") && body.contains("Hvilken alder?"));
        assert!(body.contains("https://www.billund.dk/side#sammen-follow=abc"));
        let (subject, _) = to_proposer(ToProposer {
            lang: ReaderLang::EN,
            name: "Mette",
            title: "Playdates",
            action: Some(Action::Publish),
            message: "",
            municipality: "Billund",
            link: "x",
        });
        assert_eq!(subject, "News about your proposal: Playdates");
    }

    #[test]
    fn a_person_reads_mail_in_their_stored_language_else_one_they_speak() {
        let langs = |codes: &[&str]| codes.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert_eq!(reader_lang(Some("ar"), &langs(&["da"])).code(), "ar");
        assert_eq!(reader_lang(None, &langs(&["ar", "da"])), ReaderLang::DA);
        assert_eq!(reader_lang(None, &langs(&["en"])), ReaderLang::EN);
        assert_eq!(reader_lang(None, &langs(&["prs", "uk"])).code(), "uk");
        assert_eq!(reader_lang(Some("xx"), &langs(&["fr"])), ReaderLang::DA);
    }
}
