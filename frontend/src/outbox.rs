//! Submissions of the public forms (propose, join, offer) on their way to
//! the API. Each is kept in localStorage as the exact request it is — path,
//! JSON body, idempotency key — until the API confirmed or refused it for
//! good, so one made offline is sent when the connection returns, also
//! after a reload, and a resend can never create a second one: the server
//! answers a known key with its first answer (and refuses it with any other
//! body, which is why the body is stored byte for byte).

use leptos::prelude::*;
use sammen_shared::initiative::ProposalCreated;
use wasm_bindgen::JsValue;

use crate::api::ApiFailure;
use crate::app::Ctx;
use crate::draft::discard;
use crate::fields::Fields;
use crate::i18n::Key;
use crate::idempotency::new_key;
use crate::json;
use crate::views::form::{Errors, Sending};

/// What the widget reads of a signup's or an offer's answer
/// (`SignupCreated`, `OfferCreated`).
#[derive(serde::Deserialize)]
struct Private {
    private_token: String,
}

/// Where the queue lives in storage.
const QUEUE: &str = "outbox";
/// The names of the forms' drafts (each may hold a name, an email, a phone).
pub const DRAFTS: [&str; 3] = ["propose", "join", "offer"];

/// Which form a submission comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Propose,
    Join,
    Offer,
}

impl Kind {
    /// The name of the form's draft, dropped once the API has the submission.
    pub fn draft(self) -> &'static str {
        match self {
            Kind::Propose => DRAFTS[0],
            Kind::Join => DRAFTS[1],
            Kind::Offer => DRAFTS[2],
        }
    }
}

/// A submission as it goes on the wire.
#[derive(Debug, Clone, PartialEq)]
struct Pending {
    kind: Kind,
    /// Below the municipality's API root: `initiatives`, `offers`, …
    path: String,
    /// The form's JSON object, without the abuse fields.
    body: String,
    /// The honeypot's content (empty from a person).
    website: String,
    /// How long the citizen took to fill the form in.
    fill_ms: u64,
    key: String,
}

impl Pending {
    /// What the form's draft is about: a signup's initiative, else nothing.
    fn scope(&self) -> &str {
        self.path
            .strip_prefix("initiatives/")
            .and_then(|rest| rest.strip_suffix("/signups"))
            .unwrap_or("")
    }

    /// One line per part, the body last (JSON text never holds a raw line
    /// break): stored in a map like the drafts, so the wasm needs no JSON
    /// reader of its own for the queue.
    fn encode(&self) -> String {
        let website = json::to_string(&self.website).unwrap_or_default();
        let kind = self.kind.draft();
        format!(
            "{kind}\n{}\n{}\n{website}\n{}",
            self.path, self.fill_ms, self.body
        )
    }

    fn decode(key: String, stored: &str) -> Option<Pending> {
        let mut parts = stored.splitn(5, '\n');
        let kind = match parts.next()? {
            "propose" => Kind::Propose,
            "join" => Kind::Join,
            "offer" => Kind::Offer,
            _ => return None,
        };
        let path = parts.next()?.to_string();
        let fill_ms = parts.next()?.parse().ok()?;
        let website = json::from_str(parts.next()?)?;
        let body = parts.next()?.to_string();
        Some(Pending {
            kind,
            path,
            body,
            website,
            fill_ms,
            key,
        })
    }

    /// The request body: the form's object plus the fields the server uses
    /// to tell people from bots. Rebuilt the same from the same parts.
    fn wire(&self) -> String {
        let open = self.body.trim_end().strip_suffix('}').unwrap_or("{");
        let comma = if open.trim_end().ends_with('{') {
            ""
        } else {
            ","
        };
        let website = json::to_string(&self.website).unwrap_or_else(|| "\"\"".into());
        format!(
            "{open}{comma}\"website\":{website},\"fill_ms\":{}}}",
            self.fill_ms
        )
    }
}

/// What one form shows of its submission.
#[derive(Clone, Copy)]
pub struct Slot {
    pub state: RwSignal<Sending>,
    pub errors: Errors,
    /// The secret of the latest sent signup's or offer's private page,
    /// which the consent text promises: shown once, under "sent".
    pub private: RwSignal<Option<String>>,
}

impl Slot {
    fn new() -> Slot {
        Slot {
            state: RwSignal::new(Sending::Idle),
            errors: Errors::new(),
            private: RwSignal::new(None),
        }
    }

    /// A form opened afresh does not show how an earlier submission ended
    /// (sent, refused); one still on its way keeps showing.
    pub fn forget_outcome(&self) {
        if !matches!(
            self.state.get_untracked(),
            Sending::Queued | Sending::InFlight
        ) {
            self.state.set(Sending::Idle);
            self.errors.set(Default::default());
        }
    }
}

/// The queue and what each form shows of it; provided once by the app, so a
/// queued submission is sent (and its outcome said) whatever is on screen.
#[derive(Clone, Copy)]
pub struct Outbox {
    propose: Slot,
    join: Slot,
    offer: Slot,
    /// The answer to the latest proposal: its follow token, shown once.
    pub created: RwSignal<Option<ProposalCreated>>,
    /// What became of submissions queued offline, said above every screen.
    pub note: RwSignal<Option<Key>>,
    /// Keys being sent now, so the `online` event and a resume never send
    /// one twice at the same time.
    flying: StoredValue<Vec<String>>,
}

impl Outbox {
    pub fn new() -> Outbox {
        Outbox {
            propose: Slot::new(),
            join: Slot::new(),
            offer: Slot::new(),
            created: RwSignal::new(None),
            note: RwSignal::new(None),
            flying: StoredValue::new(Vec::new()),
        }
    }

    pub fn slot(&self, kind: Kind) -> Slot {
        match kind {
            Kind::Propose => self.propose,
            Kind::Join => self.join,
            Kind::Offer => self.offer,
        }
    }

    /// Sends what an earlier visit left queued, now or when the connection
    /// returns; and from now on sends the queue whenever it returns.
    ///
    /// The sending itself is fetched on demand (`on_demand::resend`): most
    /// visits have nothing queued, and the first card should not wait for it.
    pub fn start(self, ctx: &Ctx) {
        let online = ctx.clone();
        let _ = window_event_listener_untyped("online", move |_| {
            if !load(&online).is_empty() {
                crate::on_demand::resend(online.clone(), self);
            }
        });
        let queue = load(ctx);
        for pending in &queue {
            self.slot(pending.kind).state.set(Sending::Queued);
        }
        if queue.is_empty() {
            return;
        }
        if window().navigator().on_line() {
            crate::on_demand::resend(ctx.clone(), self);
        } else {
            self.note.set(Some(Key::Queued));
        }
    }

    /// Sends a form's JSON object to `path`. Sending the same again while
    /// the first is not confirmed reuses its key and its first body; a
    /// changed form is a new submission with a new key.
    pub fn submit(
        self,
        ctx: &Ctx,
        kind: Kind,
        path: String,
        body: Option<String>,
        website: String,
        fill_ms: u64,
    ) {
        let Some(body) = body else {
            self.slot(kind)
                .state
                .set(Sending::Failed(ApiFailure::Garbled));
            return;
        };
        let mut queue = load(ctx);
        let earlier = queue.iter().position(|p| p.kind == kind && p.path == path);
        let pending = match earlier.map(|i| queue.remove(i)) {
            Some(earlier) if earlier.body == body && earlier.website == website => earlier,
            _ => Pending {
                kind,
                path,
                body,
                website,
                fill_ms,
                key: new_key(),
            },
        };
        queue.push(pending.clone());
        save(ctx, &queue);
        self.slot(kind).errors.set(Default::default());
        self.send(ctx, pending, false);
    }

    pub fn send_queue(self, ctx: &Ctx, queued: bool) {
        for pending in load(ctx) {
            self.send(ctx, pending, queued);
        }
    }

    /// Sends one submission. `queued`: it waited for a connection, so its
    /// outcome is also said above the screens.
    fn send(self, ctx: &Ctx, pending: Pending, queued: bool) {
        if self.flying.with_value(|keys| keys.contains(&pending.key)) {
            return;
        }
        self.flying
            .update_value(|keys| keys.push(pending.key.clone()));
        let slot = self.slot(pending.kind);
        slot.state.set(Sending::InFlight);
        let api = ctx.api();
        let ctx = ctx.clone();
        let (path, wire, key) = (pending.path.clone(), pending.wire(), pending.key.clone());
        let done = move |answer: Result<JsValue, ApiFailure>| {
            self.flying
                .update_value(|keys| keys.retain(|k| *k != pending.key));
            let dequeue = |ctx: &Ctx| {
                let mut queue = load(ctx);
                queue.retain(|p| p.key != pending.key);
                save(ctx, &queue);
            };
            match answer {
                Ok(answer) => {
                    dequeue(&ctx);
                    discard(&ctx.drafts, pending.kind.draft(), pending.scope());
                    if pending.kind == Kind::Propose {
                        if let Some(created) = json::from_js::<ProposalCreated>(answer) {
                            ctx.drafts.keep_follow(&created.follow_token, false);
                            ctx.follow_token.set(Some(created.follow_token.clone()));
                            self.created.set(Some(created));
                        }
                    } else if let Some(created) = json::from_js::<Private>(answer) {
                        slot.private.set(Some(created.private_token));
                    }
                    slot.state.set(Sending::Sent);
                    if queued {
                        self.note.set(Some(Key::QueuedSent));
                    }
                }
                // Kept with its key: the server may have stored the first try.
                Err(ApiFailure::Unreachable) => {
                    slot.state.set(Sending::Queued);
                    if queued {
                        self.note.set(Some(Key::Queued));
                    }
                }
                Err(failure) if failure.is_retryable() => slot.state.set(Sending::Failed(failure)),
                Err(failure) => {
                    // Refused for good: the next try is a new request.
                    dequeue(&ctx);
                    slot.errors.set(failure.fields());
                    slot.state.set(Sending::Failed(failure));
                    if queued {
                        self.note.set(Some(Key::QueuedRefused));
                    }
                }
            }
        };
        api.submit(&path, wire, key, Box::new(done));
    }
}

fn load(ctx: &Ctx) -> Vec<Pending> {
    let stored: Fields = ctx.drafts.load(QUEUE).unwrap_or_default();
    stored
        .into_iter()
        .filter_map(|(key, value)| Pending::decode(key, &value))
        .collect()
}

fn save(ctx: &Ctx, queue: &[Pending]) {
    let mut stored = Fields::new();
    for pending in queue {
        stored.insert(pending.key.clone(), pending.encode());
    }
    ctx.drafts.save(QUEUE, &stored);
}
