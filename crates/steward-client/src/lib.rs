//! A typed client of Steward's HTTP API for the company's Rust services.
//!
//! Every body sent and every answer read is a type of `steward-api`, the crate the server's
//! handlers decode and answer, so the client and the server cannot disagree on a shape; the
//! decision request is the policy engine's own wire type. HTTP goes through hyper's client
//! over rustls with the ring provider and the webpki roots — the same stack as Steward's
//! webhook client, so a workspace using both still has one TLS stack and one crypto library.
//!
//! The three calls a service makes most:
//!
//! ```no_run
//! # async fn demo() -> Result<(), steward_client::ClientError> {
//! use steward_client::{Client, Gpc};
//! use steward_client::api::choices::{ChoiceIn, RecordChoices};
//! use steward_client::api::requests::SubmitIn;
//! use steward_client::wire::{Op, Request, SubjectFacts};
//!
//! let steward = Client::new("http://127.0.0.1:8080", "stw_…")?;
//! let subject: uuid::Uuid = "0190a1b2-0000-7000-8000-000000000001".parse().unwrap_or_default();
//!
//! // 1. Ask before sharing: the reason, the clause and the obligations come back.
//! let mut ask = Request {
//!     op: Some(Op::CanDisclose),
//!     categories: vec!["name".into(), "postal_address".into(), "email".into()],
//!     recipient: Some("MP1".into()),
//!     purpose: Some("third_party_promotional_mail".into()),
//!     subject: SubjectFacts {
//!         id: Some(subject.to_string()),
//!         ..SubjectFacts::default()
//!     },
//!     ..Request::default()
//! };
//! let mut d = steward.decide(&ask).await?;
//! if let Some(allowed) = d.projection() {
//!     // CATEGORY_EXCLUDED: the e-mail may not go to MP1; ask for what may.
//!     ask.categories = allowed.to_vec();
//!     d = steward.decide(&ask).await?;
//! }
//! if d.allow {
//!     // share ask.categories minus d.dropped_categories(); then, if
//!     // d.obligations.record_disclosure, record it with `record_disclosure`
//! } else {
//!     eprintln!("refused: {} ({})", d.reason, d.clause);
//! }
//!
//! // 2. Record a choice, passing the browser's `Sec-GPC` header through.
//! let choice = RecordChoices {
//!     subject_id: Some(subject),
//!     device: None,
//!     choices: vec![ChoiceIn {
//!         key: "marketing:first_party:email".into(),
//!         value: false,
//!         source: None,
//!         notice_sha256: None,
//!         channel: Some("web_form".into()),
//!     }],
//! };
//! steward.record_choices(&choice, Gpc::from_header(Some("1"))).await?;
//!
//! // 3. Submit a privacy request and follow it.
//! let answer = steward
//!     .submit_request(&SubmitIn::by_email("access", "ada@example.com"))
//!     .await?;
//! println!("{} is {}", answer.request_id, answer.state);
//! # Ok(())
//! # }
//! ```
//!
//! With the `tower` feature, [`layer::StewardLayer`] guards handlers of axum (or any tower
//! service): it asks before the handler runs, refuses with the reason, and drops the excluded
//! categories from the JSON the handler answers.

mod error;
mod http;
#[cfg(feature = "tower")]
pub mod layer;

use std::time::Duration;

pub use error::ClientError;
pub use steward_api as api;
pub use steward_api::decisions::{Decision, Obligations};
pub use steward_policy::wire;

use hyper::Method;
use steward_api::choices::{
    EffectiveChoices, RecordChoices, Recorded, UnsubscribeLink, UnsubscribeLinkRequest,
    WithdrawChoices,
};
use steward_api::decisions::DecisionRequest;
use steward_api::disclosures::{DisclosureOut, RecordDisclosure};
use steward_api::items::{ItemWritten, WriteItem};
use steward_api::requests::{
    ApproveIn, CodeAnswer, CodeIn, IntakeAnswer, ListParams, RequestOut, RequestPage, SubmitIn,
};
use steward_api::subjects::{CreateSubject, Lookup, LookupOut, SubjectOut};

use crate::http::{ApiKey, Transport};

/// The Global Privacy Control signal of the browser a call is made for (GPC-01): pass the
/// `Sec-GPC` request header of the customer's browser through, and Steward records it as an
/// opt-out of sale and sharing with the choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Gpc {
    /// No signal (the header was absent or not `1`).
    #[default]
    Absent,
    /// `Sec-GPC: 1`.
    Set,
}

impl Gpc {
    /// From the value of an incoming `Sec-GPC` header (`1` is the only valid value).
    #[must_use]
    pub fn from_header(value: Option<&str>) -> Gpc {
        match value.map(str::trim) {
            Some("1") => Gpc::Set,
            _ => Gpc::Absent,
        }
    }
}

/// A client of one Steward server (cheap to clone: it holds a connection pool).
#[derive(Clone, Debug)]
pub struct Client {
    transport: Transport,
}

impl Client {
    /// A client of the server at `base_url` (`http://127.0.0.1:8080`, `https://steward.internal`)
    /// authenticating with the API key `api_key` (`stw_…`), trusting the webpki roots, each call
    /// within 30 s.
    ///
    /// # Errors
    /// [`ClientError::Url`] for a base URL that is not `http(s)://host[:port][/prefix]`,
    /// [`ClientError::Tls`] when the TLS configuration cannot be built.
    pub fn new(base_url: &str, api_key: impl Into<String>) -> Result<Client, ClientError> {
        Client::builder(base_url).api_key(api_key).build()
    }

    /// A builder, for a client without a key (the public intake), other roots or timeout.
    #[must_use]
    pub fn builder(base_url: &str) -> Builder {
        Builder {
            base_url: base_url.to_string(),
            api_key: None,
            timeout: Duration::from_secs(30),
            roots: None,
        }
    }

    /// `POST /v1/decisions`: may this be collected, used, disclosed, sent, set? The answer
    /// carries the reason code, the policy clause, the requirement ids and, with an allow, the
    /// obligations (categories to drop, a disclosure to record …). A denial is an answer, not
    /// an error.
    ///
    /// # Errors
    /// A problem document (an unknown category, a missing key …) or a transport failure.
    pub async fn decide(&self, request: &wire::Request) -> Result<Decision, ClientError> {
        self.transport
            .call(
                Method::POST,
                "/v1/decisions",
                Some(&DecisionRequest(request.clone())),
                &[],
            )
            .await
    }

    /// `POST /v1/choices`: record consents and opt-outs (an append-only ledger entry each),
    /// with the browser's GPC signal passed through as `Sec-GPC`.
    ///
    /// # Errors
    /// A problem document or a transport failure.
    pub async fn record_choices(
        &self,
        choices: &RecordChoices,
        gpc: Gpc,
    ) -> Result<Recorded, ClientError> {
        self.transport
            .call(Method::POST, "/v1/choices", Some(choices), &gpc_header(gpc))
            .await
    }

    /// `POST /v1/choices/withdraw`: set consents or opt-outs back to `false`.
    ///
    /// # Errors
    /// A problem document or a transport failure.
    pub async fn withdraw_choices(
        &self,
        withdraw: &WithdrawChoices,
        gpc: Gpc,
    ) -> Result<Recorded, ClientError> {
        self.transport
            .call(
                Method::POST,
                "/v1/choices/withdraw",
                Some(withdraw),
                &gpc_header(gpc),
            )
            .await
    }

    /// `GET /v1/subjects/{id}/choices`: the subject's effective choices, each with where it
    /// comes from.
    ///
    /// # Errors
    /// A problem document (404 for an unknown subject) or a transport failure.
    pub async fn effective_choices(
        &self,
        subject: uuid::Uuid,
    ) -> Result<EffectiveChoices, ClientError> {
        self.transport
            .get(&format!("/v1/subjects/{subject}/choices"))
            .await
    }

    /// `POST /v1/subjects/{id}/unsubscribe-link` (scope `mail`): a one-click unsubscribe link
    /// for a marketing e-mail to the subject, with the `List-Unsubscribe` and
    /// `List-Unsubscribe-Post` header values to put on the message (MKT-03, RFC 8058).
    ///
    /// # Errors
    /// A problem document (404 for an unknown subject) or a transport failure.
    pub async fn unsubscribe_link(
        &self,
        subject: uuid::Uuid,
        request: &UnsubscribeLinkRequest,
    ) -> Result<UnsubscribeLink, ClientError> {
        self.transport
            .call(
                Method::POST,
                &format!("/v1/subjects/{subject}/unsubscribe-link"),
                Some(request),
                &[],
            )
            .await
    }

    /// `POST /v1/requests`: submit a privacy request (access, deletion, opt-out …). Without a
    /// key this is the public form (the answer never says whether the address has an account);
    /// with a `dsr` key, staff may submit on someone's behalf.
    ///
    /// # Errors
    /// A problem document or a transport failure.
    pub async fn submit_request(&self, request: &SubmitIn) -> Result<IntakeAnswer, ClientError> {
        self.transport
            .call(Method::POST, "/v1/requests", Some(request), &[])
            .await
    }

    /// `POST /v1/requests/{id}/verify`: the six-digit code e-mailed to the requester.
    ///
    /// # Errors
    /// A problem document (a wrong or expired code) or a transport failure.
    pub async fn verify_request(
        &self,
        request: uuid::Uuid,
        code: &str,
    ) -> Result<CodeAnswer, ClientError> {
        let body = CodeIn {
            code: code.to_string(),
        };
        self.transport
            .call(
                Method::POST,
                &format!("/v1/requests/{request}/verify"),
                Some(&body),
                &[],
            )
            .await
    }

    /// `GET /v1/requests/{id}`: a request in full (state, clocks, steps), to follow it.
    ///
    /// # Errors
    /// A problem document or a transport failure.
    pub async fn request(&self, request: uuid::Uuid) -> Result<RequestOut, ClientError> {
        self.transport.get(&format!("/v1/requests/{request}")).await
    }

    /// `GET /v1/requests`: the queue by due date.
    ///
    /// # Errors
    /// A problem document or a transport failure.
    pub async fn list_requests(&self, params: &ListParams) -> Result<RequestPage, ClientError> {
        let mut query = Vec::new();
        if let Some(s) = &params.state {
            query.push(format!("state={}", http::encode(s)));
        }
        if let Some(all) = params.all {
            query.push(format!("all={all}"));
        }
        if let Some(s) = &params.subject_id {
            query.push(format!("subject_id={}", http::encode(s)));
        }
        if let Some(s) = &params.after_due {
            query.push(format!("after_due={}", http::encode(s)));
        }
        if let Some(s) = &params.after_id {
            query.push(format!("after_id={}", http::encode(s)));
        }
        if let Some(l) = params.limit {
            query.push(format!("limit={l}"));
        }
        let path = if query.is_empty() {
            "/v1/requests".to_string()
        } else {
            format!("/v1/requests?{}", query.join("&"))
        };
        self.transport.get(&path).await
    }

    /// `POST /v1/requests/{id}/approve`: the privacy team's approval of a verified request.
    ///
    /// # Errors
    /// A problem document or a transport failure.
    pub async fn approve_request(
        &self,
        request: uuid::Uuid,
        approval: &ApproveIn,
    ) -> Result<RequestOut, ClientError> {
        self.transport
            .call(
                Method::POST,
                &format!("/v1/requests/{request}/approve"),
                Some(approval),
                &[],
            )
            .await
    }

    /// `POST /v1/subjects`: create a subject (identities are blind-indexed, never stored in
    /// clear).
    ///
    /// # Errors
    /// A problem document or a transport failure.
    pub async fn create_subject(&self, subject: &CreateSubject) -> Result<SubjectOut, ClientError> {
        self.transport
            .call(Method::POST, "/v1/subjects", Some(subject), &[])
            .await
    }

    /// `POST /v1/subjects/lookup`: the subjects holding an identity (sent in the body, never
    /// in a URL).
    ///
    /// # Errors
    /// A problem document or a transport failure.
    pub async fn lookup(&self, identity: &Lookup) -> Result<LookupOut, ClientError> {
        self.transport
            .call(Method::POST, "/v1/subjects/lookup", Some(identity), &[])
            .await
    }

    /// `POST /v1/items`: store a piece of personal data, encrypted under the subject's key
    /// (the policy decides first whether it may be collected).
    ///
    /// # Errors
    /// A problem document (`DENIED` with the decision) or a transport failure.
    pub async fn write_item(&self, item: &WriteItem) -> Result<ItemWritten, ClientError> {
        self.transport
            .call(Method::POST, "/v1/items", Some(item), &[])
            .await
    }

    /// `POST /v1/disclosures`: record a disclosure an allow decision obliged you to record.
    ///
    /// # Errors
    /// A problem document or a transport failure.
    pub async fn record_disclosure(
        &self,
        disclosure: &RecordDisclosure,
    ) -> Result<DisclosureOut, ClientError> {
        self.transport
            .call(Method::POST, "/v1/disclosures", Some(disclosure), &[])
            .await
    }
}

fn gpc_header(gpc: Gpc) -> Vec<(&'static str, &'static str)> {
    match gpc {
        Gpc::Set => vec![("sec-gpc", "1")],
        Gpc::Absent => vec![],
    }
}

/// Builds a [`Client`].
#[derive(Debug)]
pub struct Builder {
    base_url: String,
    api_key: Option<ApiKey>,
    timeout: Duration,
    roots: Option<rustls::RootCertStore>,
}

impl Builder {
    /// Authenticate with this API key (`Authorization: Bearer …`).
    #[must_use]
    pub fn api_key(mut self, key: impl Into<String>) -> Builder {
        self.api_key = Some(ApiKey::new(key.into()));
        self
    }

    /// Each call (connect, TLS, request and answer) within `timeout`.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Builder {
        self.timeout = timeout;
        self
    }

    /// Trust these roots only (a private certificate authority) instead of the webpki roots.
    #[must_use]
    pub fn roots(mut self, roots: rustls::RootCertStore) -> Builder {
        self.roots = Some(roots);
        self
    }

    /// The client.
    ///
    /// # Errors
    /// [`ClientError::Url`] or [`ClientError::Tls`].
    pub fn build(self) -> Result<Client, ClientError> {
        let roots = self.roots.unwrap_or_else(|| rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        });
        Ok(Client {
            transport: Transport::new(&self.base_url, self.api_key, self.timeout, roots)?,
        })
    }
}
