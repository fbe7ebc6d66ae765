// What the meeting pages share: the code from the address and the API.

let language = "da";
/** The languages the server words its messages in (an `Accept-Language` value). */
export function speak(acceptLanguage) {
  language = acceptLanguage;
}

export function codeFromAddress() {
  return decodeURIComponent(location.hash.slice(1)).trim().toUpperCase();
}

export async function api(path, { method = "GET", body, token, key } = {}) {
  const headers = { "Accept-Language": language };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  if (key) headers["Idempotency-Key"] = key;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await response.json().catch(() => null);
  return { status: response.status, ok: response.ok, json };
}

/** Follows the board live: `onBoard` gets every new version. */
export function follow(code, onBoard, onProblem) {
  const events = new EventSource(`/api/v1/meetings/${encodeURIComponent(code)}/live`);
  events.addEventListener("board", (e) => onBoard(JSON.parse(e.data)));
  events.onerror = () => onProblem?.();
  return events;
}
