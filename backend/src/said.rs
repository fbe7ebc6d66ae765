//! What the server says to a citizen, organiser or group member when it
//! refuses something they did, in their language: Danish and English here,
//! other languages from the packs (`said.<what>`). The refusals only a
//! coordinator reads stay in the console's Danish and English.
//!
//! A handler refuses with [`Error::refused`](crate::error::Error::refused)
//! and one of these texts; [`speak`] words the answer for the language the
//! request asked for in `Accept-Language`, wherever the refusal came from
//! (a handler, an extractor, a limit, the CORS check).

use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use sammen_shared::{texts, ErrorBody, ReaderLang};

use crate::error::Unworded;

/// Words every refusal answered to `request` in the language its reader
/// asked for (Danish when they asked for none); status, code, fields and
/// headers stay as they were.
pub async fn speak(request: Request, next: Next) -> Response {
    // Kept, not read: every public read passes here, and only a refusal
    // needs the language worked out.
    let asked = request.headers().get(header::ACCEPT_LANGUAGE).cloned();
    let mut response = next.run(request).await;
    let Some(Unworded { unsaid, mut error }) = response.extensions_mut().remove::<Unworded>()
    else {
        return response;
    };
    let lang = ReaderLang::negotiate(asked.as_ref().and_then(|v| v.to_str().ok()).unwrap_or(""));
    if lang.code() == ReaderLang::DA.code() {
        return response;
    }
    unsaid.word(lang, &mut error);
    let (mut parts, _) = response.into_parts();
    let worded = Json(ErrorBody { error }).into_response();
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, worded.into_body())
}

texts! {
    TEXTS;
    SPAM_SUSPECTED "said.spam_suspected" =>
        "Formularen kunne ikke modtages. Lad det skjulte felt være tomt, og send den igen.",
        "The form could not be accepted. Leave the hidden field empty and send it again.";
    TOO_FAST "said.too_fast" =>
        "Formularen blev sendt meget hurtigt. Vent et øjeblik, og send den igen.",
        "The form was sent very quickly. Wait a moment and send it again.";
    MEETING_LOCKED "said.meeting_locked" =>
        "Mødet er lukket for nye deltagere. Spørg mødelederen.",
        "The meeting is locked to new participants. Ask the host.";
    OWN_EMAIL "said.own_email_as_co_organiser" =>
        "Det er din egen e-mail. Skriv medarrangørens.",
        "That is your own email. Write the co-organiser's.";
    GROUP_WITHOUT_MEMBERS "said.group_without_members" =>
        "Gruppe «{name}» har ingen med. Sæt nogen i den, eller fjern den.",
        "Group “{name}” has nobody in it. Put someone in it, or remove it.";
    NOT_JOINED "said.not_joined" =>
        "Nogen i grupperne har ikke meldt sig til initiativet. Hent siden igen.",
        "Someone in the groups has not joined the initiative. Reload the page.";
    IN_TWO_GROUPS "said.in_two_groups" =>
        "{name} er i to grupper. Vælg én.", "{name} is in two groups. Choose one.";
    NO_NAME "said.no_name" => "Uden navn", "No name";
    GROUP_NAME "said.group_name" => "Gruppe {n}", "Group {n}";
    MEMBER_WITHOUT_EMAIL "said.member_without_email" =>
        "Dette medlem gav ingen e-mail. Spørg koordinatoren, hvordan I når dem.",
        "This member gave no email; ask the coordinator how to reach them.";
    NOBODY_ELSE_CAN_TAKE "said.nobody_else_can_take" =>
        "Ingen andre i gruppen kan tage den dag.", "Nobody else in the group can take the date.";
    CHECK_IN_AFTER_THE_DATE "said.check_in_after_the_date" =>
        "Svar, når aftalen er holdt.", "Check in after the date was held.";
    INVITE_DEAD "said.invite_dead" =>
        "Invitationen virker ikke længere. Bed gruppen om en ny.",
        "This invite does not work (any more): ask the group for a new one.";
    TOO_MANY_AHEAD "said.too_many_dates_ahead" =>
        "Gruppen har allerede {ahead} aftaler forude; højst {max} ad gangen.",
        "The group already has {ahead} dates ahead; at most {max} at once.";
    // Links and what they lead to.
    NOTHING_HERE "said.nothing_here" =>
        "Der er intet på denne adresse.", "There is nothing at this address.";
    WRONG_METHOD "said.wrong_method" =>
        "Denne adresse tager ikke imod den slags forespørgsel.",
        "This address does not take that method.";
    NO_SUCH_MUNICIPALITY "said.no_such_municipality" =>
        "Der er ingen kommune ved navn '{slug}'.", "There is no municipality called '{slug}'.";
    NO_SUCH_INITIATIVE "said.no_such_initiative" =>
        "Initiativet findes ikke, eller det er ikke offentligt.",
        "There is no such public initiative.";
    FOLLOW_LINK_GONE "said.follow_link_gone" =>
        "Dette link til at følge forslaget findes ikke eller er lukket.",
        "This follow link does not exist or was revoked.";
    PRIVATE_LINK_GONE "said.private_link_gone" =>
        "Dette private link findes ikke eller er lukket.",
        "This private link does not exist or was closed.";
    RECORD_GONE "said.record_gone" =>
        "Oplysningerne findes ikke, eller de er slettet.",
        "This record does not exist or its data was deleted.";
    INVITATION_LINK_GONE "said.invitation_link_gone" =>
        "Linket til invitationen virker ikke længere. Spørg koordinatoren.",
        "This invitation link does not work (any more). Ask the coordinator.";
    GROUP_LINK_GONE "said.group_link_gone" =>
        "Linket til gruppen findes ikke.", "There is no such group link.";
    SEND_TOKEN "said.send_token" =>
        "Send det private links nøgle som `Authorization: Bearer …`.",
        "Send the private link's token as `Authorization: Bearer …`.";
    SEND_SECRET "said.send_secret" =>
        "Send det private links hemmelighed som `Authorization: Bearer …`.",
        "Send the private link's secret as `Authorization: Bearer …`.";
    // Joining, and the proposer's follow link.
    INITIATIVE_ENDED "said.initiative_ended" =>
        "Initiativet er slut; man kan ikke melde sig til mere.",
        "This initiative has ended; it takes no new signups.";
    INVITATION_ENDED "said.invitation_ended" =>
        "Initiativet er slut, så invitationen kan ikke længere besvares.",
        "The initiative has ended, so the invitation can no longer be answered.";
    ANSWER_ACCEPTED_OR_DECLINED "said.answer_accepted_or_declined" =>
        "Svar `accepted` eller `declined`.", "Answer `accepted` or `declined`.";
    PROPOSAL_CHANGED "said.proposal_changed" =>
        "Forslaget er ændret imens: det er nu {status} i version {version}. Hent det igen, og prøv igen.",
        "The proposal changed meanwhile: it is now {status} at version {version}. Reload it and try again.";
    PROPOSAL_ARCHIVED "said.proposal_archived" =>
        "Forslaget er arkiveret; dialogen er lukket.",
        "This proposal is archived; the dialogue is closed.";
    NOT_EDITABLE "said.not_editable" =>
        "Et forslag, der er {status}, kan ikke længere ændres.",
        "A proposal that is {status} can no longer be edited.";
    CANNOT_RESUBMIT "said.cannot_resubmit" =>
        "Du kan ikke sende forslaget igen, mens det er {status}.",
        "You cannot send the proposal again while it is {status}.";
    // The organiser's link.
    WRITE_ONCE_PUBLISHED "said.write_once_published" =>
        "Folk kan skrive til dig, når initiativet er offentliggjort; indtil da har ingen meldt sig.",
        "People can write to you once the initiative is published; until then nobody has joined.";
    NO_SUCH_NEED "said.no_such_need" =>
        "Initiativet har ikke det behov.", "The initiative has no such need.";
    NOBODY_TO_WRITE_TO "said.nobody_to_write_to" =>
        "Ingen af dem, der har meldt sig, gav en e-mail, så der er ingen at skrive til gennem Sammen.",
        "Nobody who joined gave an email, so there is nobody to write to through Sammen.";
    CANNOT_MARK_DONE "said.cannot_mark_done" =>
        "Et forslag, der er {status}, kan ikke markeres som færdigt.",
        "A proposal that is {status} cannot be marked done.";
    INITIATIVE_CHANGED "said.initiative_changed" =>
        "Initiativet er ændret imens. Hent det igen.",
        "The initiative changed meanwhile. Reload it.";
    ONLY_THE_PROPOSER "said.only_the_proposer" =>
        "Kun forslagsstilleren tilføjer eller fjerner medarrangører.",
        "Only the proposer adds or removes co-organisers.";
    CO_ORGANISERS_ONCE_PUBLISHED "said.co_organisers_once_published" =>
        "Medarrangører kommer med, når initiativet er offentliggjort.",
        "Co-organisers join once the initiative is published.";
    NO_SUCH_CO_ORGANISER "said.no_such_co_organiser" =>
        "Den medarrangør findes ikke.", "There is no such co-organiser.";
    AT_MOST_CO_ORGANISERS "said.at_most_co_organisers" =>
        "Højst {max} medarrangører, hver e-mail én gang.",
        "At most {max} co-organisers, each email once.";
    GROUPS_WHILE_PUBLISHED "said.groups_while_published" =>
        "Grupper dannes, mens initiativet er offentliggjort, og folk kan melde sig.",
        "Groups are formed while the initiative is published and people can join it.";
    AT_MOST_GROUPS "said.at_most_groups" => "Højst {max} grupper.", "At most {max} groups.";
    GROUP_EMPTY "said.group_empty" => "En gruppe har ingen med.", "A group has no members.";
    GROUPS_HANDED_OVER "said.groups_handed_over" =>
        "Grupperne er givet videre; nu er de medlemmernes egne.",
        "These groups were handed over; they now belong to their members.";
    NO_GROUPS_TO_HAND_OVER "said.no_groups_to_hand_over" =>
        "Der er ingen gemte grupper at give videre, eller de er allerede givet videre.",
        "There are no saved groups to hand over, or they were handed over already.";
    // A group's own page.
    NO_SUCH_MEMBER "said.no_such_member" =>
        "Gruppen har ikke det medlem.", "The group has no such member.";
    NO_SUCH_DATE "said.no_such_date" =>
        "Gruppen har ikke den aftale.", "The group has no such date.";
    NO_SUCH_INVITE "said.no_such_invite" =>
        "Gruppen har ingen sådan åben invitation.", "The group has no such open invite.";
    NO_SUCH_CALENDAR "said.no_such_calendar" =>
        "Den kalender findes ikke.", "There is no such calendar.";
    NO_SUCH_ROTA "said.no_such_rota" =>
        "Gruppen har ikke den vagtplan.", "The group has no such rota.";
    HOST_IN_GROUP "said.host_in_group" =>
        "Værten skal være med i gruppen.", "The host must be a member of the group.";
    ONLY_THE_HOST "said.only_the_host" =>
        "Kun den foreslåede vært kan sige ja til aftalen eller give den videre.",
        "Only the proposed host can accept or pass the date on.";
    DATE_NOT_CHANGEABLE "said.date_not_changeable" =>
        "En aftale, der er {status}, kan ikke ændres på den måde.",
        "A {status} date cannot be changed that way.";
    // The open meeting, from a phone.
    NO_SUCH_MEETING "said.no_such_meeting" =>
        "Der er intet møde med denne kode.", "There is no meeting with this code.";
    MEETING_GONE "said.meeting_gone" => "Mødet findes ikke længere.", "The meeting is gone.";
    MEETING_CLOSED "said.meeting_closed" => "Mødet er lukket.", "The meeting is closed.";
    MEETING_FULL "said.meeting_full" => "Mødet er fuldt.", "The meeting is full.";
    JOIN_FIRST "said.join_first" => "Gå med i mødet først.", "Join the meeting first.";
    PROPOSALS_USED "said.proposals_used" =>
        "Du har stillet {max} forslag, det højeste én person må.",
        "You have made {max} proposals, the most one person may.";
    NO_SUCH_MEETING_PROPOSAL "said.no_such_meeting_proposal" =>
        "Mødet har ikke det forslag.", "The meeting has no such proposal.";
    DOTS_ON_OTHERS "said.dots_on_others" =>
        "Prikker sættes på andres forslag.", "Dots go on others' proposals.";
    NO_DOTS_LEFT "said.no_dots_left" =>
        "Du har sat alle dine prikker.", "You have put all your dots.";
    TOO_MANY_CODES "said.too_many_codes" =>
        "For mange mødekoder, der ikke findes; prøv igen om {seconds} s.",
        "Too many meeting codes that do not exist; try again in {seconds} s.";
    TOO_MANY_PHONES "said.too_many_phones" =>
        "For mange telefoner er gået med fra denne adresse; prøv igen om {seconds} s.",
        "Too many phones joined from this address; try again in {seconds} s.";
    // Limits, the embed and the connection.
    TOO_MANY_SUBMISSIONS "said.too_many_submissions" =>
        "For mange indsendelser; prøv igen om {seconds} s.",
        "Too many submissions; try again in {seconds} s.";
    SLOW_DOWN "said.slow_down" =>
        "Det er meget på én gang; prøv igen om {seconds} s.",
        "That is a lot at once; try again in {seconds} s.";
    ORIGIN_NOT_ALLOWED "said.origin_not_allowed" =>
        "Hjemmesiden {origin} må ikke bruge denne kommunes Sammen; en administrator kan tillade den i konsollen (Indstillinger → Indlejr på jeres hjemmeside).",
        "The web site {origin} is not allowed to use this municipality's Sammen; an admin can allow it in the console (Settings → Embed on your website).";
    UNKNOWN_EMBEDDED_MUNICIPALITY "said.unknown_embedded_municipality" =>
        "Der er ingen kommune '{municipality}' på denne Sammen; tjek data-municipality i indlejringskoden.",
        "There is no municipality '{municipality}' on this Sammen; check data-municipality in the embed tag.";
    BODY_TOO_LARGE "said.body_too_large" =>
        "Indholdet er større end de tilladte {kib} KiB.",
        "The body is larger than the {kib} KiB allowed.";
    BODY_LATE "said.body_late" =>
        "Indholdet nåede ikke frem i tide; send det igen.",
        "The body did not arrive in time; send it again.";
    FIRST_TRY_FAILED "said.first_try_failed" =>
        "Den første forespørgsel med denne nøgle mislykkedes; prøv den igen.",
        "The first request with this key failed; retry it.";
    KEY_REUSED "said.key_reused" =>
        "Denne Idempotency-Key blev brugt til en anden forespørgsel; lav en ny nøgle.",
        "This Idempotency-Key was used for a different request; make a new key.";
    STILL_WORKING "said.still_working" =>
        "En forespørgsel med denne nøgle er stadig i gang; prøv igen.",
        "A request with this key is still being processed; retry.";
    NOT_JSON "said.not_json" =>
        "Send indholdet som JSON med `Content-Type: application/json`.",
        "Send the body as JSON with `Content-Type: application/json`.";
    KEY_NOT_UUID "said.key_not_uuid" =>
        "Idempotency-Key-headeren skal være en UUID.",
        "The Idempotency-Key header must be a UUID.";
    PAGE_FROM_ONE "said.page_from_one" => "page starter ved 1.", "page starts at 1.";
    PER_PAGE_RANGE "said.per_page_range" =>
        "per_page skal være fra 1 til {max}.", "per_page must be from 1 to {max}.";
    BAD_CURSOR "said.bad_cursor" =>
        "after skal være den markør, et tidligere svar gav i sit Link-felt (rel=\"next\").",
        "after must be the cursor an earlier answer gave in its Link header (rel=\"next\").";
    PAGE_TOO_DEEP "said.page_too_deep" =>
        "page kan højst gå {max} initiativer ind i listen. Gå videre med after: linket i svarets Link-felt (rel=\"next\").",
        "page can reach at most {max} initiatives into the list. Go on with after: the link in the answer's Link header (rel=\"next\").";
    AFTER_NOT_NEAR "said.after_not_near" =>
        "after kan ikke bruges sammen med lat og lon. Brug page.",
        "after cannot be used with lat and lon. Use page.";
    RADIUS_RANGE "said.radius_range" =>
        "radius_km skal være fra 0,1 til 500.", "radius_km must be from 0.1 to 500.";
    QUERY_TOO_LONG "said.query_too_long" =>
        "Søgningen må højst være 100 tegn almindelig tekst.",
        "q must be at most 100 characters of plain text.";
    DATABASE_BUSY "said.database_busy" =>
        "Databasen kunne ikke gøre forespørgslen færdig; prøv igen.",
        "The database could not complete the request; try again.";
    OUR_FAULT "said.our_fault" =>
        "Noget gik galt hos os.", "Something went wrong on our side.";
}
