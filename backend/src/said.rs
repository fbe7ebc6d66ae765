//! What the server says to a citizen, organiser or group member when it
//! refuses something they did, in their language: Danish and English here,
//! other languages from the packs (`said.<what>`). The refusals only a
//! coordinator reads stay in the console's Danish and English.

use sammen_shared::texts;

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
        "Invitationen virker ikke (længere). Bed gruppen om en ny.",
        "This invite does not work (any more): ask the group for a new one.";
    TOO_MANY_AHEAD "said.too_many_dates_ahead" =>
        "Gruppen har allerede {ahead} aftaler forude; højst {max} ad gangen.",
        "The group already has {ahead} dates ahead; at most {max} at once.";
}
