// Idempotency keys for the pages' writes: a UUID v7 per write, so a retry
// after a dropped connection returns the first answer instead of writing
// twice. Version 7 starts with the time: the server's index of keys then
// grows at its end instead of taking each write on a random page of it
// (backend/src/idempotency.rs). The widget makes the same (frontend/src/idempotency.rs).

export function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let time = Date.now();
  for (let i = 5; i >= 0; i--) {
    bytes[i] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 9562 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
