//! The screens whose code arrives when first opened: an initiative's page
//! (fetched as soon as the cards are shown), the three forms and the follow
//! link. `cargo xtask build-widget` cuts each `#[wasm_split]`
//! function, with what only it uses, into a wasm module of its own, so the
//! list a citizen sees first loads without them (issue 17: at most 100 KB
//! before the first card). Off wasm (host tests, clippy) they are plain calls.

use std::future::Future;

use leptos::prelude::*;
use leptos::reactive::computed::ScopedFuture;
use leptos::task::spawn_local;
use leptos::wasm_split::SplitLoaderError;
use sammen_shared::initiative::InitiativeView;
use uuid::Uuid;

use crate::api::{ApiFailure, Retry};
use crate::app::Ctx;
use crate::i18n;
use crate::outbox::Outbox;
use crate::views;
use crate::views::notice::{Failure, Loading};

/// A module that could not be fetched is, to the citizen, a server out of
/// reach: the same words, the same retry.
impl From<SplitLoaderError> for ApiFailure {
    fn from(_: SplitLoaderError) -> Self {
        ApiFailure::Unreachable
    }
}

/// A screen's entry, split off into its module by `#[wasm_split]`. The
/// widget's own wasm unit tests run without the split (wasm-bindgen's test
/// runner cannot link its imports), so there it is a plain `async fn`.
macro_rules! split {
    (
        $module:ident $(, preload($preload:ident))?;
        $vis:vis fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty $body:block
    ) => {
        #[cfg(not(test))]
        #[::leptos::wasm_split::wasm_split(
            $module,
            wasm_split_path = ::leptos::wasm_split,
            fallible
            $(, preload($preload))?
        )]
        $vis fn $name($($arg: $ty),*) -> $ret $body

        #[cfg(test)]
        $vis async fn $name($($arg: $ty),*) -> $ret $body

        $(
            #[cfg(test)]
            async fn $preload() -> Result<(), SplitLoaderError> {
                Ok(())
            }
        )?
    };
}

split! { detail, preload(preload_detail);
pub fn detail(id: Uuid, joining: bool) -> Result<AnyView, ApiFailure> {
    Ok(views::detail::Detail(views::detail::DetailProps { id, joining }).into_any())
}}

/// Fetches the initiative's page in the background (once the cards are
/// shown), so a tap on a card does not wait for it.
pub fn prefetch_detail() {
    spawn_local(async {
        // A failure here is retried when the card is tapped.
        let _ = preload_detail().await;
    });
}

split! { propose;
pub fn propose() -> Result<AnyView, ApiFailure> {
    i18n::hand_over(i18n::later::forms());
    i18n::hand_over(i18n::later::propose());
    Ok(views::propose::Propose().into_any())
}}

split! { offer;
pub fn offer() -> Result<AnyView, ApiFailure> {
    i18n::hand_over(i18n::later::forms());
    i18n::hand_over(i18n::later::offer());
    Ok(views::offer::Offer().into_any())
}}

split! { join;
pub fn join(item: InitiativeView) -> Result<AnyView, ApiFailure> {
    i18n::hand_over(i18n::later::forms());
    i18n::hand_over(i18n::later::join());
    Ok(views::join::JoinForm(views::join::JoinFormProps { item }).into_any())
}}

split! { follow;
pub fn follow(token: String) -> Result<AnyView, ApiFailure> {
    i18n::hand_over(i18n::later::forms());
    i18n::hand_over(i18n::later::follow());
    Ok(views::follow::Follow(views::follow::FollowProps { token }).into_any())
}}

split! { outbox;
fn send_queue(ctx: Ctx, outbox: Outbox) -> Result<(), ApiFailure> {
    outbox.send_queue(&ctx, true);
    Ok(())
}}

/// Sends what is queued (`outbox.rs`). A module that cannot be fetched now
/// leaves the queue as it is, for the next time the connection returns.
pub fn resend(ctx: Ctx, outbox: Outbox) {
    spawn_local(async move {
        let _ = send_queue(ctx, outbox).await;
    });
}

split! { pack;
fn pack_reader(lang: i18n::Lang) -> Result<std::pin::Pin<Box<dyn Future<Output = bool>>>, ApiFailure> {
    Ok(Box::pin(i18n::fetch_pack(lang)))
}}

/// Fetches a language pack's texts: the code that reads packs comes in a
/// module of its own, as only readers of those languages need it. `false`
/// when either cannot be fetched now.
pub async fn language_pack(lang: i18n::Lang) -> bool {
    if lang.ready() {
        return true;
    }
    match pack_reader(lang).await {
        Ok(reading) => reading.await,
        Err(_) => false,
    }
}

/// The view `load` makes once its module is here: "Loading …" until then,
/// and a failure with a retry when the module cannot be fetched (offline).
pub fn later<F>(load: impl Fn() -> F + 'static) -> AnyView
where
    F: Future<Output = Result<AnyView, ApiFailure>> + 'static,
{
    let loaded = RwSignal::new(None::<Result<(), ApiFailure>>);
    let made = StoredValue::new_local(None::<AnyView>);
    let tries = RwSignal::new(0u32);
    let owner = Owner::current().unwrap_or_default();
    Effect::new(move |_| {
        tries.track();
        loaded.set(None);
        // The view is made when the module arrives, under this screen's
        // owner (for its context) but outside any reactive closure, so the
        // signals its making reads do not redraw the screen.
        let making = load();
        let task = owner.with(|| {
            ScopedFuture::new_untracked(async move {
                let outcome = making.await.map(|view| made.set_value(Some(view)));
                loaded.try_set(Some(outcome));
            })
        });
        spawn_local(task);
    });
    (move || match loaded.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(failure)) => view! { <Failure failure=failure retry=Retry(tries)/> }.into_any(),
        Some(Ok(())) => made
            .try_update_value(Option::take)
            .flatten()
            .unwrap_or_else(|| ().into_any()),
    })
    .into_any()
}
