//! JSON for the widget, in as few wasm bytes as we could manage.
//!
//! Reading: the browser parses (`Response.json()`, `JSON.parse`) and
//! [`from_js`] walks the resulting JS value with serde. Writing: [`to_string`]
//! writes JSON text directly. Both have one error without a message: the
//! widget never shows why JSON did not fit (it says "something went wrong"),
//! and dropping serde's error texts also drops the float formatting they
//! pull in. serde_json cost ~70 KB of wasm, serde-wasm-bindgen ~45 KB
//! (with its messages); this costs a few.

use std::fmt::{self, Display, Write as _};

use js_sys::{Array, Object};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
use serde::ser::{self, Serialize};
use wasm_bindgen::{JsCast, JsValue};

/// JSON that did not fit the type (reading) or a value JSON cannot hold
/// (writing).
#[derive(Debug)]
pub struct Error;

impl Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("json")
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: Display>(_: T) -> Error {
        Error
    }
}

impl ser::Error for Error {
    fn custom<T: Display>(_: T) -> Error {
        Error
    }
}

/// Reads a value the browser parsed from JSON into `T`.
pub fn from_js<T: DeserializeOwned>(value: JsValue) -> Option<T> {
    T::deserialize(Js(value)).ok()
}

/// Parses JSON text into `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    from_js(js_sys::JSON::parse(text).ok()?)
}

/// Writes `value` as JSON text: `None` as `null`, maps as objects.
pub fn to_string(value: &impl Serialize) -> Option<String> {
    let mut writer = Writer(String::new());
    value.serialize(&mut writer).ok()?;
    Some(writer.0)
}

/// A JS value being read.
struct Js(JsValue);

/// The largest integer a JS number holds exactly.
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

/// What a JS value is, found once outside the generic code: each
/// `deserialize_*` below is instantiated per type read, so they only pick
/// the one branch they need from this.
enum Kind {
    Unit,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Text(String),
    Items(Items),
    Entries(Entries),
}

impl Kind {
    #[inline(never)]
    fn of(value: JsValue) -> Kind {
        if value.is_null() || value.is_undefined() {
            Kind::Unit
        } else if let Some(flag) = value.as_bool() {
            Kind::Bool(flag)
        } else if let Some(number) = value.as_f64() {
            // Integers go as integers, so that u32 and i64 fields accept them.
            if number.fract() == 0.0 && number.abs() <= MAX_SAFE {
                if number < 0.0 {
                    Kind::Signed(number as i64)
                } else {
                    Kind::Unsigned(number as u64)
                }
            } else {
                Kind::Float(number)
            }
        } else if let Some(text) = value.as_string() {
            Kind::Text(text)
        } else if Array::is_array(&value) {
            let items: Array = value.unchecked_into();
            Kind::Items(Items {
                len: items.length(),
                items,
                next: 0,
            })
        } else {
            let entries = Object::entries(value.unchecked_ref());
            Kind::Entries(Entries {
                len: entries.length(),
                entries,
                next: 0,
                value: None,
            })
        }
    }
}

impl<'de> de::Deserializer<'de> for Js {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match Kind::of(self.0) {
            Kind::Unit => visitor.visit_unit(),
            Kind::Bool(flag) => visitor.visit_bool(flag),
            Kind::Unsigned(n) => visitor.visit_u64(n),
            Kind::Signed(n) => visitor.visit_i64(n),
            Kind::Float(n) => visitor.visit_f64(n),
            Kind::Text(text) => visitor.visit_string(text),
            Kind::Items(items) => visitor.visit_seq(items),
            Kind::Entries(entries) => visitor.visit_map(entries),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_bool(self.0.as_bool().ok_or(Error)?)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_f64(self.0.as_f64().ok_or(Error)?)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_string(self.0.as_string().ok_or(Error)?)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match Kind::of(self.0) {
            Kind::Items(items) => visitor.visit_seq(items),
            _ => Err(Error),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match Kind::of(self.0) {
            Kind::Entries(entries) => visitor.visit_map(entries),
            _ => Err(Error),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    /// Unknown fields are skipped without looking at them.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.0.is_null() || self.0.is_undefined() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    /// Only unit variants (`"submitted"`): the API has no others.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let variant = self.0.as_string().ok_or(Error)?;
        visitor.visit_enum(IntoDeserializer::<Error>::into_deserializer(variant))
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 char
        bytes byte_buf unit unit_struct tuple tuple_struct
    }
}

struct Items {
    items: Array,
    len: u32,
    next: u32,
}

impl<'de> de::SeqAccess<'de> for Items {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        if self.next >= self.len {
            return Ok(None);
        }
        let item = self.items.get(self.next);
        self.next += 1;
        seed.deserialize(Js(item)).map(Some)
    }
}

/// An object's `[key, value]` pairs.
struct Entries {
    entries: Array,
    len: u32,
    next: u32,
    value: Option<JsValue>,
}

impl<'de> de::MapAccess<'de> for Entries {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.next >= self.len {
            return Ok(None);
        }
        let pair: Array = self.entries.get(self.next).unchecked_into();
        self.next += 1;
        self.value = Some(pair.get(1));
        seed.deserialize(Js(pair.get(0))).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        seed.deserialize(Js(self.value.take().ok_or(Error)?))
    }
}

/// Writes JSON text.
struct Writer(String);

impl Writer {
    fn string(&mut self, text: &str) {
        self.0.push('"');
        for c in text.chars() {
            match c {
                '"' => self.0.push_str("\\\""),
                '\\' => self.0.push_str("\\\\"),
                '\n' => self.0.push_str("\\n"),
                c if (c as u32) < 0x20 => {
                    let _ = write!(self.0, "\\u{:04x}", c as u32);
                }
                c => self.0.push(c),
            }
        }
        self.0.push('"');
    }

    fn integer(&mut self, value: impl Display) -> Result<(), Error> {
        write!(self.0, "{value}").map_err(|_| Error)
    }
}

/// An array or object being written: whether a comma comes first.
struct Compound<'a> {
    writer: &'a mut Writer,
    first: bool,
    close: &'static str,
}

impl Compound<'_> {
    fn comma(&mut self) {
        if !self.first {
            self.writer.0.push(',');
        }
        self.first = false;
    }

    fn field(&mut self, key: &str, value: &(impl Serialize + ?Sized)) -> Result<(), Error> {
        self.comma();
        self.writer.string(key);
        self.writer.0.push(':');
        value.serialize(&mut *self.writer)
    }

    fn element(&mut self, value: &(impl Serialize + ?Sized)) -> Result<(), Error> {
        self.comma();
        value.serialize(&mut *self.writer)
    }

    fn finish(self) -> Result<(), Error> {
        self.writer.0.push_str(self.close);
        Ok(())
    }
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.0.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.integer(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(v.into())
    }
    /// JS writes the number: Rust's float formatting is ~20 KB of wasm.
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        if !v.is_finite() {
            return Err(Error);
        }
        let text: String = js_sys::Number::from(v)
            .to_string_with_radix(10)
            .map_err(|_| Error)?
            .into();
        self.0.push_str(&text);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(Error)
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.0.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let mut object = self.serialize_map(Some(1))?;
        object.field(variant, value)?;
        object.finish()
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Error> {
        self.0.push('[');
        Ok(Compound {
            writer: self,
            first: true,
            close: "]",
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(Error)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Error> {
        self.0.push('{');
        Ok(Compound {
            writer: self,
            first: true,
            close: "}",
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(Error)
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;
    /// Keys are strings in every map the widget sends.
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.comma();
        key.serialize(&mut *self.writer)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.writer.0.push(':');
        value.serialize(&mut *self.writer)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

// Run in node by `cargo xtask test` (wasm-bindgen-test-runner): the reader
// needs a JS engine, and the writer's text is checked against `JSON.parse`.
#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Serialize};
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::{from_str, to_string};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Sample {
        text: String,
        note: Option<String>,
        count: u32,
        signed: i64,
        ratio: f64,
        flags: Vec<bool>,
        named: BTreeMap<String, String>,
    }

    fn sample(text: &str) -> Sample {
        Sample {
            text: text.to_string(),
            note: None,
            count: 7,
            signed: -9_007_199_254_740_991,
            ratio: 0.25,
            flags: vec![true, false],
            named: [(text.to_string(), "værdi".to_string())].into(),
        }
    }

    /// What the browser makes of our text, written back by the browser.
    fn reparsed(json: &str) -> String {
        let value = js_sys::JSON::parse(json).expect("JSON.parse accepts it");
        js_sys::JSON::stringify(&value)
            .unwrap()
            .as_string()
            .unwrap()
    }

    #[wasm_bindgen_test]
    fn hostile_and_foreign_text_survives_writing_and_reading() {
        for text in [
            "quotes \" and \\ backslashes",
            "lines\nand\r\ntabs\tand \u{1} control \u{1f}",
            "مرحبا بكم في مجموعة اللعب",
            "line\u{2028}and paragraph\u{2029}separators",
            "emoji 👩‍👧 and combining e\u{301}",
            "",
        ] {
            let value = sample(text);
            let json = to_string(&value).expect("written");
            assert_eq!(from_str::<Sample>(&json), Some(value), "{text:?} as {json}");
            // The browser reads exactly what we meant: its own text of it
            // parses to the same value.
            assert_eq!(from_str::<Sample>(&reparsed(&json)), Some(sample(text)));
        }
        assert_eq!(
            to_string(&"a\"b\\c\nd\u{1}").unwrap(),
            "\"a\\\"b\\\\c\\nd\\u0001\""
        );
    }

    #[wasm_bindgen_test]
    fn big_integers_are_exact_or_refused_never_rounded() {
        assert_eq!(to_string(&u64::MAX).unwrap(), "18446744073709551615");
        assert_eq!(to_string(&i64::MIN).unwrap(), "-9223372036854775808");
        assert_eq!(
            from_str::<u64>("9007199254740991"),
            Some(9_007_199_254_740_991)
        );
        assert_eq!(
            from_str::<i64>("-9007199254740991"),
            Some(-9_007_199_254_740_991)
        );
        // Beyond 2^53 a JS number is no longer exact: refused, not rounded.
        assert_eq!(from_str::<u64>("9007199254740993"), None);
        assert_eq!(from_str::<u32>("4294967296"), None);
        assert_eq!(from_str::<u32>("1.5"), None);
    }

    #[wasm_bindgen_test]
    fn shapes_that_do_not_fit_are_refused() {
        assert_eq!(from_str::<Sample>("{\"text\": 3}"), None);
        assert_eq!(from_str::<Vec<u32>>("{\"a\": 1}"), None);
        assert_eq!(from_str::<u32>("not json"), None);
        assert_eq!(from_str::<Option<String>>("null"), Some(None));
        assert_eq!(to_string(&f64::NAN), None);
    }
}
