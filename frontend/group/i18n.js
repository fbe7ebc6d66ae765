// The group pages' language: `?lang=da|en` wins, then the first of the
// browser's languages that is Danish or English, then Danish. A button
// (where the page has one: the projector has none) switches at once; elements with `data-t` (and `data-t-placeholder`) take
// their text from the page's table.

function chooseLang() {
  const asked = new URLSearchParams(location.search).get("lang");
  if (asked === "da" || asked === "en") return asked;
  for (const tag of navigator.languages ?? []) {
    if (tag.startsWith("da")) return "da";
    if (tag.startsWith("en")) return "en";
  }
  return "da";
}

/** `table` is `{ da: {...}, en: {...} }`; a value may be a function of arguments. */
export function translator(table, onSwitch) {
  let lang = chooseLang();
  const t = (key, ...args) => {
    const text = table[lang][key] ?? table.da[key];
    return typeof text === "function" ? text(...args) : text;
  };
  const apply = () => {
    document.documentElement.lang = lang;
    document.title = t("pageTitle");
    for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
    for (const node of document.querySelectorAll("[data-t-placeholder]")) node.placeholder = t(node.dataset.tPlaceholder);
    for (const node of document.querySelectorAll("[data-t-alt]")) node.alt = t(node.dataset.tAlt);
    const button = document.getElementById("lang");
    if (!button) return;
    const other = lang === "da" ? "en" : "da";
    button.textContent = other === "en" ? "English" : "Dansk";
    button.setAttribute("aria-label", other === "en" ? "Read in English" : "Læs på dansk");
    button.lang = other;
  };
  document.getElementById("lang")?.addEventListener("click", () => {
    lang = lang === "da" ? "en" : "da";
    apply();
    onSwitch?.();
  });
  apply();
  return {
    t,
    lang: () => lang,
    locale: () => (lang === "da" ? "da-DK" : "en-GB"),
  };
}
