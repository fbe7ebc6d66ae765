// The invitation page's words: `{ da: {...}, en: {...} }`, the same keys in
// every language (tests/browser/texts.test.mjs checks it).

export const INVITATION = {
  da: {
    pageTitle: "Vil du hjælpe? – Sammen", loading: "Henter invitationen …", heading: "Vil du hjælpe?",
    need: "Det drejer sig om", where: "Sted", yes: "Ja, jeg hjælper", no: "Nej tak",
    whoSees: "Arrangøren af initiativet ser dit fornavn og dit svar; kommunens koordinator ser dit tilbud. Du kan ændre dit svar her, så længe initiativet kører.",
    invited: "Du har ikke svaret endnu.", accepted: "Du har sagt ja. Tak! Arrangøren kan se det nu.",
    declined: "Du har sagt nej tak. Arrangøren kan se det nu.",
    closed: "Initiativet er afsluttet, så invitationen kan ikke længere besvares.",
    from: (municipality) => `Fra ${municipality} gennem Sammen`,
    noKey: "Linket mangler sin nøgle. Brug hele linket fra mailen.",
    deadLink: "Linket virker ikke (længere). Skriv til koordinatoren, der inviterede dig.",
    failed: "Det lykkedes ikke. Prøv igen om lidt.",
  },
  en: {
    pageTitle: "Would you help? – Sammen", loading: "Loading the invitation …", heading: "Would you help?",
    need: "What it is about", where: "Place", yes: "Yes, I will help", no: "No, thank you",
    whoSees: "The initiative's organiser sees your first name and your answer; the municipality's coordinator sees your offer. You can change your answer here while the initiative runs.",
    invited: "You have not answered yet.", accepted: "You said yes. Thank you! The organiser can see it now.",
    declined: "You said no, thank you. The organiser can see it now.",
    closed: "The initiative has ended, so the invitation can no longer be answered.",
    from: (municipality) => `From ${municipality} through Sammen`,
    noKey: "The link is missing its key. Use the whole link from the email.",
    deadLink: "The link does not work (any more). Write to the coordinator who invited you.",
    failed: "That did not work. Try again in a moment.",
  },
};
