// Languages by their own name, for pickers that store ISO 639 codes: what
// a newcomer recognises, not a code to type. `also` holds the names people
// search with in Danish and English ("arabisk", "Arabic").

export const LANGUAGES = [
  { code: "da", name: "Dansk", also: ["danish"] },
  { code: "en", name: "English", also: ["engelsk"] },
  { code: "ar", name: "العربية", also: ["arabisk", "arabic"] },
  { code: "uk", name: "Українська", also: ["ukrainsk", "ukrainian"] },
  { code: "pl", name: "Polski", also: ["polsk", "polish"] },
  { code: "de", name: "Deutsch", also: ["tysk", "german"] },
  { code: "so", name: "Soomaali", also: ["somali", "somalisk"] },
  { code: "tr", name: "Türkçe", also: ["tyrkisk", "turkish"] },
  { code: "fa", name: "فارسی", also: ["persisk", "farsi", "persian"] },
  { code: "prs", name: "دری", also: ["dari"] },
  { code: "ps", name: "پښتو", also: ["pashto", "pashtu"] },
  { code: "ur", name: "اردو", also: ["urdu"] },
  { code: "ku", name: "Kurdî", also: ["kurdisk", "kurdish"] },
  { code: "ti", name: "ትግርኛ", also: ["tigrinya", "tigrinsk"] },
  { code: "ro", name: "Română", also: ["rumænsk", "romanian"] },
  { code: "lt", name: "Lietuvių", also: ["litauisk", "lithuanian"] },
  { code: "lv", name: "Latviešu", also: ["lettisk", "latvian"] },
  { code: "bg", name: "Български", also: ["bulgarsk", "bulgarian"] },
  { code: "ru", name: "Русский", also: ["russisk", "russian"] },
  { code: "bs", name: "Bosanski", also: ["bosnisk", "bosnian"] },
  { code: "sr", name: "Српски", also: ["serbisk", "serbian"] },
  { code: "hr", name: "Hrvatski", also: ["kroatisk", "croatian"] },
  { code: "sq", name: "Shqip", also: ["albansk", "albanian"] },
  { code: "es", name: "Español", also: ["spansk", "spanish"] },
  { code: "fr", name: "Français", also: ["fransk", "french"] },
  { code: "it", name: "Italiano", also: ["italiensk", "italian"] },
  { code: "pt", name: "Português", also: ["portugisisk", "portuguese"] },
  { code: "sv", name: "Svenska", also: ["svensk", "swedish"] },
  { code: "no", name: "Norsk", also: ["norwegian"] },
  { code: "vi", name: "Tiếng Việt", also: ["vietnamesisk", "vietnamese"] },
  { code: "th", name: "ไทย", also: ["thai", "thailandsk"] },
  { code: "tl", name: "Tagalog", also: ["filipino", "filippinsk"] },
  { code: "ta", name: "தமிழ்", also: ["tamil", "tamilsk"] },
  { code: "zh", name: "中文", also: ["kinesisk", "chinese", "mandarin"] },
  { code: "hi", name: "हिन्दी", also: ["hindi"] },
  { code: "am", name: "አማርኛ", also: ["amharisk", "amharic"] },
];

const fold = (text) => text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();

/** The languages whose code, own name or other names start with or contain `query`. */
export function findLanguages(query) {
  const q = fold(query.trim());
  if (!q) return LANGUAGES;
  return LANGUAGES.filter((l) => [l.code, l.name, ...l.also].some((name) => fold(name).includes(q)));
}

/**
 * A picker in `container`: a search field and a checkbox per language,
 * filtered as one types; `chosen()` gives the ticked codes. `label(key)`
 * words the field in the page's language.
 */
export function languagePicker(container, label) {
  const chosen = new Set();
  const search = document.createElement("input");
  search.type = "search";
  search.id = "language-search";
  const searchLabel = document.createElement("label");
  searchLabel.htmlFor = search.id;
  const list = document.createElement("div");
  list.className = "languages";
  const render = () => {
    searchLabel.textContent = label("searchLanguage");
    list.replaceChildren(...findLanguages(search.value).map((l) => {
      const box = document.createElement("input");
      box.type = "checkbox";
      box.id = `language-${l.code}`;
      box.value = l.code;
      box.checked = chosen.has(l.code);
      box.addEventListener("change", () => (box.checked ? chosen.add(l.code) : chosen.delete(l.code)));
      const name = document.createElement("label");
      name.className = "inline";
      name.htmlFor = box.id;
      name.lang = l.code;
      name.dir = "auto";
      name.textContent = l.name;
      const row = document.createElement("div");
      row.append(box, name);
      return row;
    }));
  };
  search.addEventListener("input", render);
  container.replaceChildren(searchLabel, search, list);
  render();
  return { chosen: () => [...chosen], render };
}
