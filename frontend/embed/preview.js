// The live preview (and /follow): <sammen-widget> with the data attributes from the query
// string, then the loader, exactly as a municipality's page would embed it.
const query = new URLSearchParams(location.search);
const host = document.createElement("sammen-widget");
for (const key of ["municipality", "institution", "lang"]) {
  const value = query.get(key);
  if (value) host.dataset[key] = value;
}
document.documentElement.lang = query.get("lang") || "da";
document.getElementById("preview").append(host);
await import("/widget/sammen.js");
