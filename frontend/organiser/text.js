// The organiser's page's words: `{ da: {...}, en: {...} }`, the same keys in
// every language (tests/browser/texts.test.mjs checks it).

export const ORGANISER = {
  da: {
    pageTitle: "Dem, der er med – Sammen", loading: "Henter initiativet …", yourInitiative: "Dit initiativ",
    notYet: "Når koordinatoren har offentliggjort initiativet, kan folk melde sig, og du ser dem her.",
    privacy: "Du ser hver persons navn og kun den e-mail eller det telefonnummer, de selv har valgt at vise dig. Del det ikke med andre.",
    count: (joined, wanted) => `${joined} af ${wanted} er med`,
    otherPeople: "Med uden et bestemt behov", nobody: "Ingen endnu.",
    invited: "inviteret, har ikke svaret", accepted: "har sagt ja", declined: "har sagt nej",
    noKey: "Linket mangler sin nøgle. Brug hele linket fra mailen.",
    deadLink: "Linket virker ikke (længere).", failed: "Siden kunne ikke hentes. Prøv igen om lidt.",
    writeHeading: "Skriv til dem, der er med", writeTo: "Til", everyone: "Alle, der er med", message: "Besked",
    writeHint: "Hver får en e-mail fra Sammen. Du ser ikke deres adresser, og de ser ikke din, medmindre du skriver den.",
    send: "Send", sent: (n) => `Beskeden er sendt til ${n} ${n === 1 ? "person" : "personer"}.`,
    notSent: "Beskeden kom ikke afsted.", helpers: (need) => `Dem, der hjælper med «${need}»`,
    doneHeading: "Er initiativet gennemført?", outcome: "Hvad kom der ud af det? (alle kan læse det blandt resultaterne)",
    markDone: "Markér som gennemført", notDone: "Det lykkedes ikke. Prøv igen.",
    doneWith: (outcome) => `Gennemført. Det kom der ud af det: ${outcome}`,
  },
  en: {
    pageTitle: "People who joined – Sammen", loading: "Loading the initiative …", yourInitiative: "Your initiative",
    notYet: "Once the coordinator has published the initiative, people can join, and you see them here.",
    privacy: "You see each person's name and only the email or phone number they chose to show you. Do not share it.",
    count: (joined, wanted) => `${joined} of ${wanted} have joined`,
    otherPeople: "Joined without a particular need", nobody: "Nobody yet.",
    invited: "invited, no answer yet", accepted: "said yes", declined: "said no",
    noKey: "The link is missing its key. Use the whole link from the email.",
    deadLink: "The link does not work (any more).", failed: "The page could not be loaded. Try again in a moment.",
    writeHeading: "Write to the people who joined", writeTo: "To", everyone: "Everyone who joined", message: "Message",
    writeHint: "Each gets an email from Sammen. You do not see their addresses, and they do not see yours unless you write it.",
    send: "Send", sent: (n) => `The message went to ${n} ${n === 1 ? "person" : "people"}.`,
    notSent: "The message was not sent.", helpers: (need) => `Those helping with “${need}”`,
    doneHeading: "Is the initiative done?", outcome: "What came of it? (everyone can read it among the results)",
    markDone: "Mark as done", notDone: "That did not work. Please try again.",
    doneWith: (outcome) => `Done. This is what came of it: ${outcome}`,
  },
};
