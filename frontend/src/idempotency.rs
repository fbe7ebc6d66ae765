//! Idempotency keys: a UUID v7 per submission, made in the browser, so a
//! retry after a dropped connection returns the first result instead of
//! creating a duplicate. Version 7 starts with the time: the server's index
//! of keys then grows at its end instead of taking each write on a random
//! page of it (`backend/src/idempotency.rs`).

/// A fresh UUID v7 from the time and the browser's crypto, without pulling
/// `getrandom` into the wasm.
pub fn new_key() -> String {
    let mut bytes = [0u8; 10];
    let random = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !random {
        // Without any crypto (very old browsers): Math.random. Uniqueness
        // per device is all a key needs.
        for byte in &mut bytes {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    uuid::Builder::from_unix_timestamp_millis(js_sys::Date::now() as u64, &bytes)
        .into_uuid()
        .to_string()
}
