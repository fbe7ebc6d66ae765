//! The console's side of the admin API: one function per endpoint, each
//! returning the typed answer or a [`Failure`] the views can word.
//!
//! Requests are same-origin, so the browser sends the HttpOnly session cookie
//! by itself; the console only has to add the CSRF token to every change.
//! The token lives here, not in the views, so no view can forget it.

use std::cell::RefCell;
use std::collections::BTreeMap;

use gloo_net::http::{Request, RequestBuilder, Response};
use sammen_engine::console::{
    ComposeRequest, CompositionView, GroupsDraft, InvitationAnswer, InvitationStatus,
    InvitationView, NeedMatches, NewInvitations, ReissuedLink, SavedGroups,
};
use sammen_shared::admin::{
    AdminInitiative, AuditEntry, CoordinatorView, Decision, NewCategory, NewCoordinatorInput,
    NewInstitution, OfferView, Origin, Queue, QueueQuery, RefusedOrigin, SessionView, SignIn,
};
use sammen_shared::admin::{ChangePassword, CoordinatorChange, InstitutionPlace, InstitutionPoint};
use sammen_shared::follow::NewMessage;
use sammen_shared::group::CheckInView;
use sammen_shared::initiative::{NeedView, ProposalDetails};
use sammen_shared::meeting::{CloseMeeting, MeetingLock, MeetingView, NewMeeting};
use sammen_shared::municipality::{CategoryView, InstitutionView, MunicipalityView};
use sammen_shared::stats::Stats;
use sammen_shared::week::NeedSlots;
use sammen_shared::{Current, ErrorBody, ErrorCode, Lang, MunicipalityChoice};
use serde::de::DeserializeOwned;
use serde::Serialize;
use uuid::Uuid;

thread_local! {
    // The session's CSRF token; wasm has one thread, so this is global state
    // of the page, set on sign-in and on reload, cleared on sign-out.
    static CSRF: RefCell<Option<String>> = const { RefCell::new(None) };
    // The language the server words its error messages in.
    static LANG: RefCell<Lang> = const { RefCell::new(Lang::Da) };
}

/// Why a call did not give its answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// No answer at all: offline or the server is down.
    Unreachable,
    /// The server refused, with its typed error when it sent one.
    Refused {
        status: u16,
        code: Option<ErrorCode>,
        message: Option<String>,
        /// With a 409: the state the initiative is in now.
        current: Option<Current>,
        /// With a 429: seconds to wait (`Retry-After`).
        retry_after: Option<u32>,
        /// With a 422: field → what to fix, in the requested language.
        fields: BTreeMap<String, String>,
        /// With `choose_municipality`: the municipalities to sign in to.
        choices: Vec<MunicipalityChoice>,
    },
    /// An answer we could not read.
    Garbled,
}

/// Remembers the CSRF token of the session (or forgets it with `None`).
pub fn set_csrf(token: Option<String>) {
    CSRF.with(|csrf| *csrf.borrow_mut() = token);
}

/// Asks the server for its messages in `lang`.
pub fn set_lang(lang: Lang) {
    LANG.with(|l| *l.borrow_mut() = lang);
}

/// Signs in; on success the cookie is set and the token remembered.
pub async fn sign_in(
    email: &str,
    password: &str,
    municipality: Option<String>,
) -> Result<SessionView, Failure> {
    let body = SignIn {
        email: email.to_string(),
        password: password.to_string(),
        municipality,
    };
    let session: SessionView = read(send(with_body(post(SESSION), &body)).await?).await?;
    set_csrf(Some(session.csrf_token.clone()));
    Ok(session)
}

/// The current session after a reload; 401 when signed out.
pub async fn session() -> Result<SessionView, Failure> {
    let session: SessionView = read(send(get(SESSION).build()).await?).await?;
    set_csrf(Some(session.csrf_token.clone()));
    Ok(session)
}

/// Ends the session on the server. The token is forgotten either way.
pub async fn sign_out() -> Result<(), Failure> {
    let answer = send(change(Request::delete(SESSION)).build()).await;
    set_csrf(None);
    answer.map(drop)
}

/// The moderation queue: counts per state and the chosen state's items.
pub async fn queue(query: &QueueQuery) -> Result<Queue, Failure> {
    let mut url = String::from("/api/v1/admin/initiatives");
    let mut params = Vec::new();
    if let Some(status) = query.status {
        params.push(("status", status.as_str().to_string()));
    }
    if let Some(institution) = &query.institution {
        params.push(("institution", institution.clone()));
    }
    if let Some(category) = &query.category {
        params.push(("category", category.clone()));
    }
    for (i, (key, value)) in params.iter().enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        url.push_str(key);
        url.push('=');
        url.push_str(&String::from(js_sys::encode_uri_component(value)));
    }
    read(send(get(&url).build()).await?).await
}

/// One initiative with its dialogue, allowed actions and signups.
pub async fn initiative(id: Uuid) -> Result<AdminInitiative, Failure> {
    read(send(get(&format!("/api/v1/admin/initiatives/{id}")).build()).await?).await
}

/// Decides on an initiative, against the version the coordinator saw.
pub async fn decide(id: Uuid, decision: &Decision) -> Result<AdminInitiative, Failure> {
    let url = format!("/api/v1/admin/initiatives/{id}/decisions");
    read(send(with_body(change(Request::post(&url)), decision)).await?).await
}

/// Puts a proposal right before publishing: category, institution, needs.
pub async fn put_right(id: Uuid, details: &ProposalDetails) -> Result<AdminInitiative, Failure> {
    let url = format!("/api/v1/admin/initiatives/{id}/details");
    read(send(with_body(change(Request::put(&url)), details)).await?).await
}

/// Writes to the proposer without deciding.
pub async fn write(id: Uuid, body: &str) -> Result<AdminInitiative, Failure> {
    let url = format!("/api/v1/admin/initiatives/{id}/messages");
    let message = NewMessage {
        body: body.to_string(),
    };
    read(send(with_body(change(Request::post(&url)), &message)).await?).await
}

/// One page of the audit log, newest first (admins only).
pub async fn audit(page: u32, per_page: u32) -> Result<Vec<AuditEntry>, Failure> {
    let url = format!("/api/v1/admin/audit?page={page}&per_page={per_page}");
    read(send(get(&url).build()).await?).await
}

/// The municipality's institutions and categories, for filters and names.
pub async fn municipality(slug: &str) -> Result<MunicipalityView, Failure> {
    let slug = String::from(js_sys::encode_uri_component(slug));
    read(send(get(&format!("/api/v1/municipalities/{slug}")).build()).await?).await
}

/// Offers of help, newest first; the server scopes them to the coordinator.
pub async fn offers() -> Result<Vec<OfferView>, Failure> {
    read(send(get("/api/v1/admin/offers").build()).await?).await
}

/// The municipality's coordinators (admins only).
pub async fn coordinators() -> Result<Vec<CoordinatorView>, Failure> {
    read(send(get(COORDINATORS).build()).await?).await
}

/// Creates a coordinator (admins only); 422 names the fields to fix.
pub async fn add_coordinator(input: &NewCoordinatorInput) -> Result<CoordinatorView, Failure> {
    read(send(with_body(change(Request::post(COORDINATORS)), input)).await?).await
}

/// Adds an institution (admins only).
pub async fn add_institution(input: &NewInstitution) -> Result<InstitutionView, Failure> {
    let url = "/api/v1/admin/institutions";
    read(send(with_body(change(Request::post(url)), input)).await?).await
}

/// The institutions and areas with their points.
pub async fn places() -> Result<Vec<InstitutionPlace>, Failure> {
    read(send(get("/api/v1/admin/institutions").build()).await?).await
}

/// Sets (or with both `None` removes) an institution's point (admins only).
pub async fn set_point(slug: &str, point: &InstitutionPoint) -> Result<InstitutionPlace, Failure> {
    let url = format!("/api/v1/admin/institutions/{slug}/point");
    read(send(with_body(change(Request::put(&url)), point)).await?).await
}

/// Adds a category of initiatives (admins only).
pub async fn add_category(input: &NewCategory) -> Result<CategoryView, Failure> {
    let url = "/api/v1/admin/categories";
    read(send(with_body(change(Request::post(url)), input)).await?).await
}

/// The web sites allowed to embed the widget (admins only).
pub async fn origins() -> Result<Vec<Origin>, Failure> {
    read(send(get(ORIGINS).build()).await?).await
}

/// Allows a web site to embed the widget (admins only).
pub async fn allow_origin(origin: &str) -> Result<Origin, Failure> {
    let body = Origin {
        origin: origin.to_string(),
    };
    read(send(with_body(change(Request::post(ORIGINS)), &body)).await?).await
}

/// Changes one's own password; one's other sessions end.
pub async fn change_password(input: &ChangePassword) -> Result<(), Failure> {
    let url = format!("{SESSION}/password");
    send(with_body(change(Request::put(&url)), input))
        .await
        .map(drop)
}

/// Changes a coordinator's role or activity (admins only).
pub async fn change_coordinator(id: Uuid, input: &CoordinatorChange) -> Result<(), Failure> {
    let url = format!("{COORDINATORS}/{id}");
    send(with_body(change(Request::patch(&url)), input))
        .await
        .map(drop)
}

/// Removes a coordinator (admins only).
pub async fn remove_coordinator(id: Uuid) -> Result<(), Failure> {
    let url = format!("{COORDINATORS}/{id}");
    send(change(Request::delete(&url)).build()).await.map(drop)
}

/// Signs a coordinator out everywhere (admins; or oneself).
pub async fn end_sessions(id: Uuid) -> Result<(), Failure> {
    let url = format!("{COORDINATORS}/{id}/sessions");
    send(change(Request::delete(&url)).build()).await.map(drop)
}

/// Pages refused recently because their site is not allowed (admins only).
pub async fn refused_origins() -> Result<Vec<RefusedOrigin>, Failure> {
    read(send(get("/api/v1/admin/origins/refused").build()).await?).await
}

/// Stops a web site from embedding the widget (admins only).
pub async fn disallow_origin(origin: &str) -> Result<(), Failure> {
    let url = format!(
        "{ORIGINS}?origin={}",
        String::from(js_sys::encode_uri_component(origin))
    );
    send(change(Request::delete(&url)).build()).await.map(drop)
}

/// The ranked volunteers for one need, with reasons and invitations.
pub async fn matches(id: Uuid, need: Uuid) -> Result<NeedMatches, Failure> {
    let url = format!("/api/v1/admin/initiatives/{id}/needs/{need}/matches?limit=30");
    read(send(get(&url).build()).await?).await
}

/// Invites volunteers to a need; answers with all of its invitations.
pub async fn invite(
    id: Uuid,
    need: Uuid,
    invitations: &NewInvitations,
) -> Result<Vec<InvitationView>, Failure> {
    let url = format!("/api/v1/admin/initiatives/{id}/needs/{need}/invitations");
    read(send(with_body(change(Request::post(&url)), invitations)).await?).await
}

/// Sets when a need's help is wanted; answers with the need.
pub async fn set_need_slots(id: Uuid, need: Uuid, slots: &NeedSlots) -> Result<NeedView, Failure> {
    let url = format!("/api/v1/admin/initiatives/{id}/needs/{need}/slots");
    read(send(with_body(change(Request::put(&url)), slots)).await?).await
}

/// Marks what an invited volunteer answered.
pub async fn answer(invitation: Uuid, status: InvitationStatus) -> Result<InvitationView, Failure> {
    let url = format!("/api/v1/admin/invitations/{invitation}");
    let body = InvitationAnswer { status };
    read(send(with_body(change(Request::put(&url)), &body)).await?).await
}

/// Runs the composer over the families that joined (nothing is saved).
pub async fn compose(id: Uuid, request: &ComposeRequest) -> Result<CompositionView, Failure> {
    let url = format!("/api/v1/admin/initiatives/{id}/compose");
    read(send(with_body(change(Request::post(&url)), request)).await?).await
}

/// Scores groups arranged by hand.
pub async fn describe(id: Uuid, draft: &GroupsDraft) -> Result<CompositionView, Failure> {
    let url = format!("/api/v1/admin/initiatives/{id}/compose/describe");
    read(send(with_body(change(Request::post(&url)), draft)).await?).await
}

/// The saved groups of an initiative.
pub async fn saved_groups(id: Uuid) -> Result<SavedGroups, Failure> {
    read(send(get(&format!("/api/v1/admin/initiatives/{id}/groups")).build()).await?).await
}

/// Saves groups, replacing the draft saved before.
pub async fn save_groups(id: Uuid, draft: &GroupsDraft) -> Result<SavedGroups, Failure> {
    let url = format!("/api/v1/admin/initiatives/{id}/groups");
    read(send(with_body(change(Request::put(&url)), draft)).await?).await
}

/// Hands the saved groups over to their members.
pub async fn hand_over(id: Uuid) -> Result<SavedGroups, Failure> {
    let url = format!("/api/v1/admin/initiatives/{id}/groups/hand-over");
    read(send(change(Request::post(&url)).build()).await?).await
}

/// Makes a member's group link again (the old one stops).
pub async fn reissue_link(member: Uuid) -> Result<ReissuedLink, Failure> {
    let url = format!("/api/v1/admin/group-members/{member}/link");
    read(send(change(Request::post(&url)).build()).await?).await
}

/// The figures per institution and category.
/// `period` is the query, `?from=…&to=…` or empty.
pub async fn stats(period: String) -> Result<Stats, Failure> {
    read(send(get(&format!("/api/v1/admin/stats{period}")).build()).await?).await
}

/// Opens a meeting.
pub async fn open_meeting(request: &NewMeeting) -> Result<MeetingView, Failure> {
    read(
        send(with_body(
            change(Request::post("/api/v1/admin/meetings")),
            request,
        ))
        .await?,
    )
    .await
}

/// A meeting with its board.
pub async fn meeting(id: Uuid) -> Result<MeetingView, Failure> {
    read(send(get(&format!("/api/v1/admin/meetings/{id}")).build()).await?).await
}

/// Locks a meeting to new phones, or opens it again.
pub async fn lock_meeting(id: Uuid, locked: bool) -> Result<MeetingView, Failure> {
    let url = format!("/api/v1/admin/meetings/{id}/lock");
    let body = MeetingLock { locked };
    read(send(with_body(change(Request::put(&url)), &body)).await?).await
}

/// Closes a meeting, sending the chosen proposals to the queue.
pub async fn close_meeting(id: Uuid, request: &CloseMeeting) -> Result<MeetingView, Failure> {
    let url = format!("/api/v1/admin/meetings/{id}/close");
    read(send(with_body(change(Request::post(&url)), request)).await?).await
}

/// The members' check-ins after held dates.
pub async fn check_ins(id: Uuid) -> Result<Vec<CheckInView>, Failure> {
    read(send(get(&format!("/api/v1/admin/initiatives/{id}/check-ins")).build()).await?).await
}

const SESSION: &str = "/api/v1/admin/session";
const COORDINATORS: &str = "/api/v1/admin/coordinators";
const ORIGINS: &str = "/api/v1/admin/origins";

fn get(url: &str) -> RequestBuilder {
    language(Request::get(url))
}

fn post(url: &str) -> RequestBuilder {
    language(Request::post(url))
}

fn language(builder: RequestBuilder) -> RequestBuilder {
    let lang = LANG.with(|l| *l.borrow());
    builder.header("Accept-Language", lang.code())
}

/// A state-changing request: carries the CSRF token the server checks.
fn change(builder: RequestBuilder) -> RequestBuilder {
    let builder = language(builder);
    match CSRF.with(|csrf| csrf.borrow().clone()) {
        Some(token) => builder.header("X-CSRF-Token", &token),
        None => builder,
    }
}

fn with_body(builder: RequestBuilder, body: &impl Serialize) -> Result<Request, gloo_net::Error> {
    builder.json(body)
}

async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, Failure> {
    let request = request.map_err(|_| Failure::Garbled)?;
    let response = request.send().await.map_err(|_| Failure::Unreachable)?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let retry_after = response
        .headers()
        .get("Retry-After")
        .and_then(|value| value.trim().parse().ok());
    let body = response.json::<ErrorBody>().await.ok();
    Err(Failure::Refused {
        status,
        code: body.as_ref().map(|b| b.error.code),
        message: body.as_ref().map(|b| b.error.message.clone()),
        current: body.as_ref().and_then(|b| b.error.current),
        retry_after,
        choices: body
            .as_ref()
            .map(|b| b.error.choices.clone())
            .unwrap_or_default(),
        fields: body.map(|b| b.error.fields).unwrap_or_default(),
    })
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, Failure> {
    response.json().await.map_err(|_| Failure::Garbled)
}
