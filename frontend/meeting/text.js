// The meeting pages' words: the phone's, the projector's and the
// categories', `{ da: {...}, en: {...} }` each, the same keys in every
// language (tests/browser/texts.test.mjs checks it).

export const PHONE = {
  da: {
    pageTitle: "Mødet – Sammen", meeting: "Mødet", code: "Mødets kode", join: "Deltag",
    proposeHeading: "Foreslå noget, du selv vil stå for", what: "Hvad vil du sætte i gang?",
    more: "Fortæl lidt mere (valgfrit)", post: "Sæt på tavlen", board: "Tavlen",
    over: "Mødet er slut. Tak for jeres forslag!", dotsLeft: (n) => `Du har ${n} ${n === 1 ? "prik" : "prikker"} tilbage.`,
    giveDot: "Giv en prik", giveDotTo: (title) => `Giv en prik til ${title}`, dotFailed: "Prikken kom ikke med. Prøv igen.",
    proposeFailed: "Forslaget kom ikke med. Prøv igen.", posted: "Dit forslag er på tavlen.",
    notFound: "Vi kunne ikke finde mødet.",
    topic: "Emne", chooseTopic: "Vælg et emne (valgfrit)", runIt: "Vil du selv stå for det? (valgfrit)",
    runItHint: "Skriv dit navn og din e-mail eller dit telefonnummer. Bliver forslaget valgt, får du et link på e-mail, så du kan følge det og svare kommunen.",
    name: "Dit navn", email: "E-mail", phone: "Telefon",
    whoSees: "Kun kommunens koordinator ser dit navn og din kontakt – ikke tavlen. Vælges forslaget ikke, slettes din kontakt, når mødet slutter.",
    chosen: "Valgt og sendt til kommunen", chosenMine: "Dit forslag er valgt. Har du skrevet din e-mail, får du et link til at følge det.",
  },
  en: {
    pageTitle: "The meeting – Sammen", meeting: "The meeting", code: "The meeting's code", join: "Join",
    proposeHeading: "Propose something you will run yourself", what: "What do you want to start?",
    more: "Tell a little more (optional)", post: "Put it on the board", board: "The board",
    over: "The meeting is over. Thank you for your proposals!", dotsLeft: (n) => `You have ${n} ${n === 1 ? "dot" : "dots"} left.`,
    giveDot: "Give a dot", giveDotTo: (title) => `Give a dot to ${title}`, dotFailed: "The dot did not go through. Please try again.",
    proposeFailed: "The proposal did not go through. Please try again.", posted: "Your proposal is on the board.",
    notFound: "We could not find the meeting.",
    topic: "Topic", chooseTopic: "Choose a topic (optional)", runIt: "Will you run it yourself? (optional)",
    runItHint: "Write your name and your email or phone number. If the proposal is chosen, you get a link by email to follow it and answer the municipality.",
    name: "Your name", email: "Email", phone: "Phone",
    whoSees: "Only the municipality's coordinator sees your name and contact – not the board. If the proposal is not chosen, your contact is deleted when the meeting ends.",
    chosen: "Chosen and sent to the municipality", chosenMine: "Your proposal was chosen. If you gave your email, you get a link to follow it.",
  },
};

export const PROJECTOR = {
  da: {
    pageTitle: "Tavlen – Sammen", board: "Tavlen", joinAt: "Deltag på", withCode: "med koden", qr: "QR-kode til mødet",
    ranked: "Forslag, flest prikker først",
    counts: (people, proposals, dots) => `${people} deltagere · ${proposals} forslag · ${dots} prikker`,
    over: " · mødet er slut", locked: " · lukket for nye deltagere", dots: (n) => `${n} ${n === 1 ? "prik" : "prikker"}`, noCode: "Adressen mangler mødets kode.",
  },
  en: {
    pageTitle: "The board – Sammen", board: "The board", joinAt: "Join at", withCode: "with the code", qr: "QR code for the meeting",
    ranked: "Proposals, most dots first",
    counts: (people, proposals, dots) => `${people} participants · ${proposals} proposals · ${dots} dots`,
    over: " · the meeting is over", locked: " · locked to new participants", dots: (n) => `${n} ${n === 1 ? "dot" : "dots"}`, noCode: "The address is missing the meeting's code.",
  },
};

export const CATEGORY = {
  da: {
    playdate_group: "Legegrupper", snow_clearing: "Snerydning", playground_build: "Legepladsbyg",
    walking_group: "Gå-grupper", bathing_area: "Badeområder", other: "Andet",
  },
  en: {
    playdate_group: "Playdate groups", snow_clearing: "Snow clearing", playground_build: "Playground building",
    walking_group: "Walking groups", bathing_area: "Bathing areas", other: "Other",
  },
};
