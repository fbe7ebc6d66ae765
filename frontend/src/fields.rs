//! Field name → text pairs: field errors, drafts, the outbox's queue.
//!
//! A `Vec` searched in order rather than a `BTreeMap`: these hold a few
//! dozen entries at most, and the B-tree's insert, search, clone and drop
//! code cost the wasm ~4 KB brotli. In JSON they are an object, as before.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, Serializer};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn new() -> Fields {
        Fields(Vec::new())
    }

    pub fn get(&self, field: &str) -> Option<&String> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, text)| text)
    }

    /// Sets `field`, replacing what it held.
    pub fn insert(&mut self, field: String, text: String) {
        match self.0.iter_mut().find(|(f, _)| *f == field) {
            Some((_, old)) => *old = text,
            None => self.0.push((field, text)),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &(String, String)> {
        self.0.iter()
    }
}

impl IntoIterator for Fields {
    type Item = (String, String);
    type IntoIter = std::vec::IntoIter<(String, String)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl Serialize for Fields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(f, text)| (f, text)))
    }
}

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Fields, D::Error> {
        deserializer.deserialize_map(FieldsVisitor)
    }
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of texts")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
        let mut fields = Fields::new();
        while let Some((field, text)) = map.next_entry::<String, String>()? {
            fields.insert(field, text);
        }
        Ok(fields)
    }
}
