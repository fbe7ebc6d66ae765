//! Every word the console shows, in Danish (the default) and English. One
//! table, so a new language is one new column and the compiler finds every
//! gap; plus the few words that depend on a value (states, actions, times).

use sammen_shared::admin::Role;
use sammen_shared::municipality::InstitutionKind;
use sammen_shared::signup::AgeBand;
use sammen_shared::status::{Action, Status};
use sammen_shared::week::Weekday;
use sammen_shared::Lang;

macro_rules! table {
    ($($key:ident => $da:expr, $en:expr;)*) => {
        /// One string of the console.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Key { $($key),* }

        /// The string for `key` in `lang`.
        pub fn text(lang: Lang, key: Key) -> &'static str {
            match key {
                $(Key::$key => match lang { Lang::Da => $da, Lang::En => $en },)*
            }
        }
    };
}

table! {
    // The frame
    Brand => "Sammen · Koordinator", "Sammen · Coordinator";
    SkipToContent => "Gå til indhold", "Skip to content";
    MainNav => "Hovedmenu", "Main menu";
    OtherLanguage => "English", "Dansk";
    SignOut => "Log ud", "Sign out";
    Loading => "Henter …", "Loading …";
    Retry => "Prøv igen", "Try again";
    Unreachable => "Vi kan ikke få forbindelse til Sammen. Tjek forbindelsen, og prøv igen.",
        "We cannot reach Sammen. Check the connection and try again.";
    ServerTrouble => "Noget gik galt hos os. Prøv igen om lidt.", "Something went wrong on our side. Please try again shortly.";
    NotFound => "Vi kunne ikke finde det. Måske hører det ikke under dig.", "We could not find it. Perhaps it is not yours to see.";
    Forbidden => "Det har du ikke adgang til.", "You do not have access to this.";
    SessionEnded => "Din session er udløbet. Log ind igen.", "Your session has ended. Please sign in again.";
    NavQueue => "Forslag", "Proposals";
    NavPublished => "Offentliggjorte", "Published";
    NavOffers => "Frivillige", "Volunteers";
    NavAudit => "Revisionslog", "Audit log";
    NavSettings => "Indstillinger", "Settings";

    // Sign in
    SignInHeading => "Log ind som koordinator", "Sign in as a coordinator";
    SignInIntro => "For medarbejdere i kommunen og institutionerne, der hjælper borgernes initiativer i gang.",
        "For municipal and institution staff who help citizens' initiatives get going.";
    Email => "E-mail", "Email";
    Password => "Adgangskode", "Password";
    SignInButton => "Log ind", "Sign in";
    ChooseMunicipality => "Du har en konto i flere kommuner. Vælg den, du vil logge ind i:", "You have an account in several municipalities. Choose the one to sign in to:";
    SigningIn => "Logger ind …", "Signing in …";
    WrongPassword => "Forkert e-mail eller adgangskode.", "Wrong email or password.";
    FillBoth => "Skriv både e-mail og adgangskode.", "Enter both email and password.";
    ThrottledPrefix => "For mange forsøg. Prøv igen om", "Too many attempts. Try again in";

    // Queue
    QueueHeading => "Forslag fra borgerne", "Proposals from citizens";
    QueueIntro => "De ældste først. Åbn et forslag for at læse det og beslutte.", "Oldest first. Open a proposal to read it and decide.";
    States => "Tilstande", "States";
    FilterInstitution => "Institution", "Institution";
    FilterCategory => "Kategori", "Category";
    All => "Alle", "All";
    ColTitle => "Titel", "Title";
    ColCategory => "Kategori", "Category";
    ColInstitution => "Institution", "Institution";
    ColSubmitted => "Indsendt", "Submitted";
    ColChanged => "Sidst ændret", "Last change";
    NoItems => "Der er ingen forslag her.", "There are no proposals here.";
    NoInstitution => "Hele kommunen", "The whole municipality";

    // Proposal
    BackToQueue => "Tilbage til forslagene", "Back to the proposals";
    Details => "Forslaget", "The proposal";
    Summary => "Beskrivelse", "Description";
    Audience => "For hvem", "For whom";
    Place => "Sted", "Place";
    When => "Hvornår", "When";
    WrittenIn => "Skriver på", "Writes in";
    Version => "Version", "Version";
    Needs => "Der er brug for", "Help needed";
    NoNeeds => "Ingen særlige behov.", "No particular needs.";
    PeopleOf => "tilmeldt af", "joined of";
    Contact => "Forslagsstiller", "Proposer";
    ContactNote => "Kun synligt for koordinatorer. Brug det kun til at hjælpe initiativet.",
        "Visible to coordinators only. Use it only to help the initiative.";
    Name => "Navn", "Name";
    Phone => "Telefon", "Phone";
    Dialogue => "Dialog med forslagsstilleren", "Dialogue with the proposer";
    NoMessages => "Ingen beskeder endnu.", "No messages yet.";
    FromProposer => "Forslagsstiller", "Proposer";
    FromCoordinator => "Koordinator", "Coordinator";
    Decide => "Beslut", "Decide";
    NothingToDecide => "Der er ikke noget at beslutte i denne tilstand.", "There is nothing to decide in this state.";
    MessageLabel => "Besked til forslagsstilleren", "Message to the proposer";
    MessageHint => "Påkrævet, når du beder om ændringer eller afviser. Forslagsstilleren får den på sit link og på e-mail.",
        "Required when you ask for changes or decline. The proposer reads it on their link and by email.";
    MessageRequired => "Skriv en besked, så forslagsstilleren ved hvorfor.", "Write a message so the proposer knows why.";
    EditBeforePublish => "Ret titel og beskrivelse før offentliggørelse", "Edit title and description before publishing";
    EditNote => "Rettelsen bliver skrevet i revisionsloggen.", "The edit is recorded in the audit log.";
    TitleLabel => "Titel", "Title";
    SendMessage => "Send besked uden at beslutte", "Send message without deciding";
    Sending => "Sender …", "Sending …";
    Decided => "Beslutningen er gemt, og forslagsstilleren får besked.", "The decision is saved and the proposer is notified.";
    MessageSent => "Beskeden er sendt.", "The message is sent.";
    SomeoneElse => "En anden koordinator har besluttet først. Her er forslaget, som det er nu:",
        "Another coordinator decided first. Here is the proposal as it is now:";
    NotAllowedNow => "Det kan ikke lade sig gøre i forslagets nuværende tilstand.", "That is not possible in the proposal's current state.";
    CheckFields => "Tjek felterne:", "Check the fields:";
    Signups => "Tilmeldte", "Signed up";
    NoSignups => "Ingen har tilmeldt sig endnu.", "Nobody has signed up yet.";
    ColNeed => "Til", "For";
    ColFamily => "Familie", "Family";
    ColMessage => "Besked", "Message";
    ColContact => "Kontakt", "Contact";
    WholeInitiative => "Hele initiativet", "The whole initiative";
    NewInArea => "ny i området", "new in the area";
    Child => "Barn", "Child";
    FreeAfternoons => "Fri eftermiddage", "Free afternoons";
    Languages => "Sprog", "Languages";

    // Published
    PublishedHeading => "Offentliggjorte initiativer", "Published initiatives";
    PublishedIntro => "Hvem har meldt sig, og hvad mangler der stadig.", "Who has joined and what is still missing.";
    NoPublished => "Der er ingen offentliggjorte initiativer endnu.", "There are no published initiatives yet.";

    // Audit
    AuditHeading => "Revisionslog", "Audit log";
    AuditIntro => "Hvem gjorde hvad og hvornår. Loggen kan ikke ændres.", "Who did what and when. The log cannot be changed.";
    ColTime => "Tidspunkt", "Time";
    ColActor => "Hvem", "Who";
    ColAction => "Handling", "Action";
    ColSubject => "Hvad", "What";
    ColChange => "Før → efter", "Before → after";
    NoAudit => "Loggen er tom.", "The log is empty.";
    Newer => "Nyere", "Newer";
    Older => "Ældre", "Older";
    PageWord => "Side", "Page";

    // Volunteers
    OffersHeading => "Frivillige", "Volunteers";
    OffersIntro => "Borgere, der har tilbudt deres hjælp: hvad de kan, hvornår og hvor. De nyeste først.",
        "Citizens who offered their help: what they can do, when and where. Newest first.";
    NoOffers => "Ingen har tilbudt deres hjælp endnu.", "Nobody has offered help yet.";
    Skills => "Kan", "Skills";
    Tools => "Har", "Tools";
    WeeklyTimes => "Fri hver uge", "Free every week";
    Area => "Område", "Area";
    Within => "inden for", "within";
    Note => "Bemærkning", "Note";
    Through => "Via", "Through";
    Offered => "Tilbudt", "Offered";
    NoContactName => "Uden navn", "No name";

    // Settings
    SettingsHeading => "Indstillinger", "Settings";
    SettingsIntro => "Kommunens koordinatorer, institutioner, kategorier og de hjemmesider, widgetten må vises på.",
        "The municipality's coordinators, institutions, categories and the web sites that may show the widget.";
    AdminsOnly => "Kun kommunens administratorer kan ændre indstillingerne.", "Only the municipality's admins can change the settings.";
    Coordinators => "Koordinatorer", "Coordinators";
    NoCoordinators => "Der er ingen koordinatorer endnu.", "There are no coordinators yet.";
    ColRole => "Rolle", "Role";
    ColInstitutions => "Institutioner", "Institutions";
    AllInstitutions => "Alle", "All";
    AddCoordinator => "Tilføj koordinator", "Add coordinator";
    RoleLabel => "Rolle", "Role";
    InstitutionsLegend => "Institutioner, koordinatoren hjælper", "Institutions the coordinator helps";
    InstitutionsHint => "Kun for koordinatorer; en administrator ser hele kommunen.",
        "For coordinators only; an admin sees the whole municipality.";
    FirstPassword => "Første adgangskode", "First password";
    FirstPasswordHint => "Mindst 12 tegn. Giv den videre personligt, ikke på e-mail.",
        "At least 12 characters. Hand it over in person, not by email.";
    CoordinatorAdded => "Koordinatoren er tilføjet.", "The coordinator is added.";
    Institutions => "Institutioner", "Institutions";
    NoInstitutions => "Der er ingen institutioner endnu.", "There are no institutions yet.";
    ColName => "Navn", "Name";
    ColSlug => "Kort navn", "Short name";
    ColKind => "Type", "Kind";
    AddInstitution => "Tilføj institution", "Add institution";
    InstitutionSlugHint => "Små bogstaver, tal og bindestreg, fx vestre-skole. Kan ikke ændres senere.",
        "Lowercase letters, digits and dashes, e.g. vestre-skole. Cannot be changed later.";
    KindLabel => "Type", "Kind";
    InstitutionAdded => "Institutionen er tilføjet.", "The institution is added.";
    Categories => "Kategorier", "Categories";
    NoCategories => "Der er ingen kategorier endnu.", "There are no categories yet.";
    ColNameDa => "Navn på dansk", "Name in Danish";
    ColNameEn => "Navn på engelsk", "Name in English";
    AddCategory => "Tilføj kategori", "Add category";
    CategorySlugHint => "Små bogstaver, tal og understreg, fx child_minding. Kan ikke ændres senere.",
        "Lowercase letters, digits and underscores, e.g. child_minding. Cannot be changed later.";
    CategoryAdded => "Kategorien er tilføjet.", "The category is added.";
    Origins => "Hjemmesider med widgetten", "Web sites with the widget";
    OriginsEmptyWarning => "Ingen hjemmesider må vise widgetten endnu. Tilføj jeres hjemmesides adresse herunder; indtil da ser borgerne kun en besked om, at Sammen ikke er slået til.",
        "No web site may show the widget yet. Add your web site's address below; until then citizens only see a message that Sammen is not switched on.";
    RefusedHeading => "Afvist for nylig", "Refused recently";
    RefusedIntro => "Sider, der har prøvet at vise widgetten uden at være tilladt (de seneste 30 dage). Er det jeres, så tillad dem.",
        "Pages that tried to show the widget without being allowed (the last 30 days). If they are yours, allow them.";
    RefusedTimes => "afviste kald, senest", "refused requests, last";
    AllowThis => "Tillad", "Allow";
    MeetingLocked => "Lukket for nye deltagere", "Locked to new participants";
    LockMeeting => "Luk for nye deltagere", "Lock to new participants";
    UnlockMeeting => "Åbn for nye deltagere igen", "Open to new participants again";
    LockHint => "Når alle i lokalet er med, kan du lukke mødet for nye telefoner. De, der er med, kan stadig foreslå og give prikker.",
        "Once everyone in the room has joined, you can lock the meeting to new phones. Those in can still propose and give dots.";
    NavAccount => "Min konto", "My account";
    AccountHeading => "Min konto", "My account";
    ChangePasswordHeading => "Skift adgangskode", "Change password";
    CurrentPassword => "Nuværende adgangskode", "Current password";
    NewPassword => "Ny adgangskode", "New password";
    NewPasswordHint => "Mindst 12 tegn, ikke let at gætte. Dine andre sessioner bliver logget ud.",
        "At least 12 characters, not easy to guess. Your other sessions are signed out.";
    ChangePassword => "Skift adgangskoden", "Change the password";
    PasswordChanged => "Adgangskoden er skiftet.", "The password is changed.";
    SignOutEverywhere => "Log ud på alle enheder", "Sign out on every device";
    ColStatus => "Status", "Status";
    ColActions => "Handlinger", "Actions";
    Active => "Aktiv", "Active";
    Deactivated => "Deaktiveret", "Deactivated";
    Deactivate => "Deaktivér", "Deactivate";
    Reactivate => "Aktivér igen", "Reactivate";
    MakeAdmin => "Gør til administrator", "Make admin";
    MakeCoordinator => "Gør til koordinator", "Make coordinator";
    EndSessions => "Log ud overalt", "Sign out everywhere";
    RemoveCoordinator => "Fjern", "Remove";
    ConfirmRemove => "Fjerne koordinatoren? Kontoen slettes; revisionsloggen beholder, hvad de har gjort.",
        "Remove the coordinator? The account is deleted; the audit log keeps what they did.";
    CoordinatorChanged => "Koordinatoren er ændret.", "The coordinator is changed.";
    LastAdmin => "Det er kommunens sidste aktive administrator. Gør en anden til administrator først.",
        "This is the municipality's last active admin. Make someone else admin first.";
    MailHeading => "E-mails om forslaget", "Emails about the proposal";
    MailSent => "Sendt", "Sent";
    MailWaiting => "Prøver igen", "Retrying";
    MailFailed => "Kunne ikke leveres", "Not delivered";
    MailFailedHelp => "Mailserveren afviste mailen, og vi prøver ikke igen. Kontakt forslagsstilleren på anden vis, eller ret adressen.",
        "The mail server refused the email, and it is not tried again. Reach the proposer another way, or correct the address.";
    EmbedHeading => "Indlejr på jeres hjemmeside", "Embed on your website";
    EmbedIntro => "Sæt Sammen ind på kommunens eller en institutions egen side: vælg, kopiér koden, og sæt den ind i sidens HTML, hvor widgetten skal stå. Hjemmesiden skal også stå på listen over tilladte hjemmesider.",
        "Put Sammen on the municipality's or an institution's own page: choose, copy the code and paste it into the page's HTML where the widget should appear. The web site must also be on the list of allowed web sites.";
    EmbedFor => "Widgetten viser", "The widget shows";
    EmbedWholeMunicipality => "Hele kommunen", "The whole municipality";
    EmbedLang => "Sprog", "Language";
    EmbedLangBrowser => "Borgerens browser bestemmer", "The reader's browser decides";
    EmbedLangDa => "Dansk", "Danish";
    EmbedLangEn => "Engelsk", "English";
    EmbedCode => "Koden til jeres side", "The code for your page";
    Copy => "Kopiér koden", "Copy the code";
    Copied => "Koden er kopieret.", "The code is copied.";
    CopyFailed => "Kunne ikke kopiere. Markér koden, og kopiér den selv.", "Could not copy. Select the code and copy it yourself.";
    EmbedHeight => "Så siden ikke hopper, når widgetten vises, kan I give den plads i jeres eget stylesheet:", "So that the page does not jump when the widget appears, give it room in your own stylesheet:";
    EmbedCsp => "Sender siden en Content-Security-Policy, skal den også tillade Sammen:", "If the page sends a Content-Security-Policy, it must also allow Sammen:";
    EmbedPreview => "Sådan ser widgetten ud", "How the widget looks";
    EmbedPreviewTitle => "Forhåndsvisning af widgetten", "Preview of the widget";
    EmbedPreviewHint => "Forhåndsvisningen kører på Sammens egen adresse. Jeres side viser først widgetten, når den står på listen over tilladte hjemmesider.",
        "The preview runs on Sammen's own address. Your page shows the widget once it is on the list of allowed web sites.";
    OriginsIntro => "Widgetten virker kun på de hjemmesider, der står her.", "The widget only works on the web sites listed here.";
    OriginLabel => "Hjemmesidens adresse", "The web site's address";
    OriginHint => "Kun protokol og domæne, fx https://www.kommune.dk", "Scheme and host only, e.g. https://www.kommune.dk";
    AddOrigin => "Tillad hjemmesiden", "Allow the web site";
    OriginAdded => "Hjemmesiden er tilladt.", "The web site is allowed.";
    Remove => "Fjern", "Remove";
    OriginRemoved => "Hjemmesiden er fjernet.", "The web site is removed.";
    Saving => "Gemmer …", "Saving …";

    // Matching
    FindVolunteers => "Find frivillige", "Find volunteers";
    Next => "Næste skridt", "Next steps";
    ComposeGroups => "Sæt grupper sammen", "Compose groups";
    BackToInitiative => "Tilbage til initiativet", "Back to the initiative";
    MatchesHeading => "Frivillige til", "Volunteers for";
    MatchesIntro => "De bedste tilbud om hjælp til hvert behov, med begrundelser. Vælg dem, du vil invitere; de får en e-mail med dit navn og din adresse.",
        "The best offers of help for each need, with reasons. Choose whom to invite; they get an email with your name and address.";
    NoNeedsToMatch => "Initiativet har ingen behov at finde frivillige til.", "The initiative has no needs to find volunteers for.";
    NoCandidates => "Ingen frivillige passer til dette behov endnu.", "No volunteers fit this need yet.";
    Considered => "tilbud gennemgået", "offers considered";
    Match => "Match", "Match";
    Choose => "Vælg", "Choose";
    InviteChosen => "Inviter de valgte", "Invite the chosen";
    Inviting => "Inviterer …", "Inviting …";
    Invited => "Inviteret", "Invited";
    Accepted => "Har sagt ja", "Accepted";
    Declined => "Har sagt nej", "Declined";
    MarkAccepted => "Sagde ja", "Said yes";
    MarkDeclined => "Sagde nej", "Said no";
    CallThem => "ingen e-mail: ring", "no email: call";
    NothingChosen => "Vælg mindst én frivillig.", "Choose at least one volunteer.";
    InvitationsSent => "Invitationerne er sendt.", "The invitations are sent.";
    PersonalLine => "En personlig hilsen i invitationen (valgfri)", "A personal line in the invitation (optional)";
    NeedTimes => "Hvornår skal der hjælpes?", "When is help needed?";
    NeedTimesHint => "Sæt kryds ved de tider, hjælpen skal bruges hver uge; så viser listen kun frivillige, der har tid på mindst én af dem. Uden kryds passer alle tider.",
        "Tick the times the help is needed every week; the list then shows only volunteers free at one of them at least. No ticks means any time.";
    Day => "Dag", "Day";
    Morning => "Formiddag", "Morning";
    Afternoon => "Eftermiddag", "Afternoon";
    Evening => "Aften", "Evening";
    SaveTimes => "Gem tiderne", "Save the times";
    TimesSaved => "Tiderne er gemt, og listen er opdateret.", "The times are saved and the list is updated.";

    // Groups
    GroupsHeading => "Grupper for", "Groups for";
    GroupsIntro => "Sammensætteren foreslår grupper. Familier kommer i grupper, hvor alle har en fælles fri eftermiddag, bor tæt på hinanden og har børn på nogenlunde samme alder, og nye familier kommer i gruppe med etablerede. Andre deles i grupper af samme størrelse. Flyt folk, lås dem, og kør forslaget igen for resten.",
        "The composer proposes groups. Families are grouped so that everybody shares a free afternoon, lives close by and has children of about the same age, and new families are grouped with established ones. Everyone else is split into groups of the same size. Move people, lock them, and run it again for the rest.";
    Points => "Steder på kortet", "Places on the map";
    PointsHint => "Et forslag eller et tilbud, der hører til et sted uden sin egen placering, får stedets punkt. Så finder «nær mig» og matchningen det. Find punktet på et kort (højreklik giver tallene), og skriv det her. Tomme felter fjerner punktet.",
        "A proposal or an offer tied to a place without a location of its own gets the place's point, so that \"near me\" and matching find it. Find the point on a map (right-click gives the numbers) and write it here. Empty fields remove the point.";
    NoPoint => "intet punkt endnu", "no point yet";
    PointPlace => "Sted", "Place";
    Latitude => "Breddegrad (fx 56,0611)", "Latitude (e.g. 56.0611)";
    Longitude => "Længdegrad (fx 10,0004)", "Longitude (e.g. 10.0004)";
    SavePoint => "Gem punktet", "Save the point";
    PointSaved => "Punktet er gemt.", "The point is saved.";
    NoFamilies => "Ingen har meldt sig endnu.", "Nobody has joined yet.";
    MinSize => "Mindst i en gruppe", "Smallest group";
    MaxSize => "Højst i en gruppe", "Largest group";
    TooFew => "For få deltagere; mindst", "Too few people; at least";
    TooMany => "For mange deltagere; højst", "Too many people; at most";
    Compose => "Foreslå grupper", "Propose groups";
    Recompose => "Foreslå igen for de ulåste", "Propose again for the unlocked";
    Composing => "Sætter sammen …", "Composing …";
    Group => "Gruppe", "Group";
    Families => "deltagere", "people";
    Person => "deltager", "person";
    OrganiserIn => "Arrangøren er med i gruppen.", "The organiser is in this group.";
    HandedOverFrozen => "Nu hører grupperne til deltagerne; de kan ikke ændres her.", "The groups belong to their members now; they cannot be changed here.";
    MoveTo => "Flyt til", "Move to";
    Lock => "Lås i gruppen", "Lock in the group";
    SharedAfternoons => "Fælles fri", "All free";
    NoSharedAfternoon => "Ingen fælles fri eftermiddag", "No afternoon suits everybody";
    SaveGroups => "Gem grupperne", "Save the groups";
    GroupsSaved => "Grupperne er gemt. Når de er klar, overdrager du dem til deltagerne.", "The groups are saved. When they are ready, hand them over to their members.";
    HandOver => "Overdrag til grupperne", "Hand over to the groups";
    HandOverHint => "Hver deltager får et privat link til sin gruppe. Bagefter kan grupperne ikke ændres her.",
        "Each member gets a private link to their group. Afterwards the groups cannot be changed here.";
    HandedOver => "Grupperne er overdraget. Deltagerne har fået deres links.", "The groups are handed over. The members have their links.";
    PassOn => "Disse deltagere har ingen e-mail. Giv dem deres link selv:", "These members gave no email. Pass their link on yourself:";
    NewLink => "Nyt link", "New link";
    PutRight => "Ret kategori, institution og behov", "Correct the category, institution and needs";
    NeedTitle => "Behov", "Need";
    PeopleWanted => "Antal personer", "Number of people";
    RemoveNeed => "Fjern behovet", "Remove the need";
    AddNeed => "Tilføj et behov", "Add a need";
    SaveDetails => "Gem rettelserne", "Save the corrections";
    DetailsSaved => "Rettelserne er gemt.", "The corrections are saved.";
    CopyLink => "Kopiér linket", "Copy the link";
    LinkCopied => "Linket er kopieret.", "The link is copied.";
    SendBySms => "Send som sms", "Send as a text message";
    NewLinkEmailed => "Et nyt link er sendt på e-mail. Det gamle virker ikke længere.", "A new link went by email. The old one no longer works.";
    NewLinkToPassOn => "Deltageren har ingen e-mail. Giv dem dette nye link (det gamle virker ikke længere):", "This member gave no email. Pass this new link on (the old one no longer works):";
    Unsaved => "Ikke gemt", "Not saved";

    // What came of it
    NavStats => "Resultater", "Results";
    StatsHeading => "Hvad kom der ud af det", "What came of it";
    StatsIntro => "Tal pr. institution og kategori: forslag, initiativer i gang, deltagere, nye i området, holdte aftaler og frivillige timer. Kun tal, ingen personoplysninger.",
        "Figures per institution and category: proposals, initiatives running, people, newcomers, dates held and volunteer hours. Counts only, no personal data.";
    DownloadCsv => "Hent tallene som CSV", "Download the figures as CSV";
    Period => "Periode (tom: alt)", "Period (empty: everything)";
    PeriodFrom => "Fra og med", "From";
    PeriodTo => "Til og med", "To";
    FigWentWell => "Hvordan gik det? godt / både og / skidt", "How did it go? good / mixed / badly";
    NoFigures => "Ingen initiativer endnu.", "No initiatives yet.";
    FigProposed => "Foreslået", "Proposed";
    FigPublished => "Offentliggjort", "Published";
    FigRunning => "I gang", "Running";
    FigCompleted => "Gennemført", "Completed";
    FigPeople => "Deltagere", "People";
    FigFamilies => "Familier", "Families";
    FigNewcomers => "Nye i området", "New in the area";
    FigDatesHeld => "Holdte aftaler", "Dates held";
    FigHoursOffered => "Frivillige timer tilbudt pr. uge", "Volunteer hours offered a week";
    FigHoursUsed => "Frivillige timer brugt pr. uge", "Volunteer hours used a week";
    ChartByInstitution => "Pr. institution", "By institution";
    ChartByCategory => "Pr. kategori", "By category";
    FiguresTable => "Alle tal", "All figures";

    // Open meetings
    NavMeetings => "Møder", "Meetings";
    MeetingsHeading => "Åbent møde", "Open meeting";
    MeetingsIntro => "Start et møde, vis koden og QR-koden på projektoren, og lad deltagerne foreslå initiativer og give prikker fra deres telefoner.",
        "Start a meeting, show the code and QR code on the projector, and let people propose initiatives and put dots from their phones.";
    MeetingTitle => "Mødets navn", "The meeting's name";
    OpenMeeting => "Start mødet", "Start the meeting";
    NewMeetingLink => "Start et nyt møde", "Start a new meeting";
    MeetingCode => "Kode:", "Code:";
    JoinAt => "Deltag på", "Join at";
    OpenProjector => "Åbn projektorsiden", "Open the projector page";
    Participants => "deltagere", "participants";
    ProposalsWord => "forslag", "proposals";
    Dots => "prikker", "dots";
    MeetingClosed => "Mødet er slut", "The meeting is closed";
    QrAlt => "QR-kode til mødet", "QR code for the meeting";
    BoardHeading => "Tavlen, flest prikker først", "The board, most dots first";
    NoMeetingProposals => "Ingen forslag endnu.", "No proposals yet.";
    InQueue => "sendt til forslagene", "sent to the proposals";
    CloseHint => "Markér de forslag, der skal videre. De lander blandt forslagene til godkendelse.",
        "Tick the proposals to take further. They land among the proposals to moderate.";
    CloseMeeting => "Afslut mødet og send de valgte videre", "Close the meeting and send the chosen on";

    // Check-ins
    GroupsAlive => "Lever grupperne?", "Are the groups alive?";
    LastActivity => "sidst aktiv", "last active";
    NoActivityYet => "ingen aktivitet endnu", "no activity yet";
    CheckInsHeading => "Sådan gik det", "How it went";
    CheckInsIntro => "Deltagernes svar efter holdte aftaler. Uden navn, medmindre de selv har valgt at vise det.",
        "The members' answers after dates held. Without names unless they chose to show theirs.";
    NoCheckIns => "Ingen svar endnu.", "No answers yet.";
    WentGood => "Godt", "Good";
    WentMixed => "Både og", "Mixed";
    WentBad => "Skidt", "Bad";
    Anonymous => "Anonym", "Anonymous";
    ToChange => "Gør anderledes:", "Change:";
}

/// The name of a state, as a tab or a badge shows it.
pub fn status(lang: Lang, status: Status) -> &'static str {
    match (status, lang) {
        (Status::Submitted, Lang::Da) => "Indsendt",
        (Status::Submitted, Lang::En) => "Submitted",
        (Status::ChangesRequested, Lang::Da) => "Ændringer ønsket",
        (Status::ChangesRequested, Lang::En) => "Changes requested",
        (Status::Declined, Lang::Da) => "Afvist",
        (Status::Declined, Lang::En) => "Declined",
        (Status::Published, Lang::Da) => "Offentliggjort",
        (Status::Published, Lang::En) => "Published",
        (Status::Completed, Lang::Da) => "Gennemført",
        (Status::Completed, Lang::En) => "Completed",
        (Status::Archived, Lang::Da) => "Arkiveret",
        (Status::Archived, Lang::En) => "Archived",
    }
}

/// The label of a decision button.
pub fn action(lang: Lang, action: Action) -> &'static str {
    match (action, lang) {
        (Action::Publish, Lang::Da) => "Offentliggør",
        (Action::Publish, Lang::En) => "Publish",
        (Action::RequestChanges, Lang::Da) => "Bed om ændringer",
        (Action::RequestChanges, Lang::En) => "Ask for changes",
        (Action::Decline, Lang::Da) => "Afvis",
        (Action::Decline, Lang::En) => "Decline",
        (Action::Resubmit, Lang::Da) => "Send igen",
        (Action::Resubmit, Lang::En) => "Resubmit",
        (Action::Complete, Lang::Da) => "Markér som gennemført",
        (Action::Complete, Lang::En) => "Mark as completed",
        (Action::Archive, Lang::Da) => "Arkivér",
        (Action::Archive, Lang::En) => "Archive",
    }
}

/// What a decision did, as the dialogue history tells it.
pub fn action_done(lang: Lang, action: Action) -> &'static str {
    match (action, lang) {
        (Action::Publish, Lang::Da) => "offentliggjorde",
        (Action::Publish, Lang::En) => "published",
        (Action::RequestChanges, Lang::Da) => "bad om ændringer",
        (Action::RequestChanges, Lang::En) => "asked for changes",
        (Action::Decline, Lang::Da) => "afviste",
        (Action::Decline, Lang::En) => "declined",
        (Action::Resubmit, Lang::Da) => "sendte forslaget igen",
        (Action::Resubmit, Lang::En) => "resubmitted",
        (Action::Complete, Lang::Da) => "markerede som gennemført",
        (Action::Complete, Lang::En) => "marked as completed",
        (Action::Archive, Lang::Da) => "arkiverede",
        (Action::Archive, Lang::En) => "archived",
    }
}

pub fn role(lang: Lang, role: Role) -> &'static str {
    match (role, lang) {
        (Role::Admin, Lang::Da) => "Kommuneadministrator",
        (Role::Admin, Lang::En) => "Municipality admin",
        (Role::Coordinator, Lang::Da) => "Koordinator",
        (Role::Coordinator, Lang::En) => "Coordinator",
    }
}

pub fn institution_kind(lang: Lang, kind: InstitutionKind) -> &'static str {
    match (kind, lang) {
        (InstitutionKind::Preschool, Lang::Da) => "Dagtilbud",
        (InstitutionKind::Preschool, Lang::En) => "Preschool",
        (InstitutionKind::School, Lang::Da) => "Skole",
        (InstitutionKind::School, Lang::En) => "School",
        (InstitutionKind::Club, Lang::Da) => "Klub",
        (InstitutionKind::Club, Lang::En) => "Club",
        (InstitutionKind::Area, Lang::Da) => "Område",
        (InstitutionKind::Area, Lang::En) => "Area",
    }
}

pub fn age_band(lang: Lang, band: AgeBand) -> &'static str {
    match (band, lang) {
        (AgeBand::Toddler, Lang::Da) => "0–2 år",
        (AgeBand::Toddler, Lang::En) => "0–2 years",
        (AgeBand::Preschool, Lang::Da) => "3–5 år",
        (AgeBand::Preschool, Lang::En) => "3–5 years",
        (AgeBand::YoungSchool, Lang::Da) => "6–9 år",
        (AgeBand::YoungSchool, Lang::En) => "6–9 years",
        (AgeBand::OlderSchool, Lang::Da) => "10–13 år",
        (AgeBand::OlderSchool, Lang::En) => "10–13 years",
        (AgeBand::Teen, Lang::Da) => "14–17 år",
        (AgeBand::Teen, Lang::En) => "14–17 years",
    }
}

pub fn weekday(lang: Lang, day: Weekday) -> &'static str {
    const DA: [&str; 7] = [
        "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag",
    ];
    const EN: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    let index = Weekday::ALL.iter().position(|d| *d == day).unwrap_or(0);
    match lang {
        Lang::Da => DA[index],
        Lang::En => EN[index],
    }
}

/// The name of the language a proposer writes in.
pub fn language_name(lang: Lang, of: Lang) -> &'static str {
    match (of, lang) {
        (Lang::Da, Lang::Da) => "dansk",
        (Lang::Da, Lang::En) => "Danish",
        (Lang::En, Lang::Da) => "engelsk",
        (Lang::En, Lang::En) => "English",
    }
}

/// How long to wait, rounded up to whole minutes past one minute.
pub fn wait(lang: Lang, seconds: u32) -> String {
    let minutes = seconds.div_ceil(60);
    match (lang, seconds < 60, minutes == 1) {
        (Lang::Da, true, _) => format!("{seconds} sekunder"),
        (Lang::En, true, _) => format!("{seconds} seconds"),
        (Lang::Da, false, true) => "1 minut".to_string(),
        (Lang::En, false, true) => "1 minute".to_string(),
        (Lang::Da, false, false) => format!("{minutes} minutter"),
        (Lang::En, false, false) => format!("{minutes} minutes"),
    }
}

/// An RFC 3339 UTC time as people in Denmark read it: in Copenhagen time,
/// formatted by the browser (Intl) so the wasm carries no time zone data.
pub fn time(lang: Lang, rfc3339: &str) -> String {
    let date = js_sys::Date::new(&rfc3339.into());
    if date.get_time().is_nan() {
        return rfc3339.to_string();
    }
    let options = js_sys::Object::new();
    for (key, value) in [
        ("timeZone", "Europe/Copenhagen"),
        ("dateStyle", "medium"),
        ("timeStyle", "short"),
    ] {
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    let locale = match lang {
        Lang::Da => "da-DK",
        Lang::En => "en-GB",
    };
    date.to_locale_string(locale, &options).into()
}
