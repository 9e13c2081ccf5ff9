//! Administration of what requests reach: dataset and webhook connectors (their secrets
//! sealed under the connector's own key, or named environment variables), legal holds
//! (RET-03), and the webhook dead-letter list.

use jiff::Timestamp;
use serde::Serialize;
use steward_core::Caller;
use steward_core::CoreError;
use steward_errors::ErrorCode;
use steward_store::ids::{ConnectorId, DeliveryId, HoldId, ItemId, SubjectId};
use steward_store::model::audit::{AuditKind, EventRef};
use steward_store::model::request::{
    ConnectorKind, ConnectorRecord, LegalHoldRecord, NewConnector, NewLegalHold,
};
use steward_store::values::{FieldName, RecipientKey};
use steward_vault::{SecretString, Sensitive};

use crate::connectors::Dataset;
use crate::effects::WebhookUrl;
use crate::seal::Sealer;
use crate::service::{Requests, code};
use crate::views::DeliveryView;

/// A dataset connector to register.
#[derive(Debug, Clone)]
pub struct DatasetRegistration {
    /// A unique name (`shop_db`).
    pub name: String,
    /// SQLite or PostgreSQL.
    pub kind: ConnectorKind,
    /// The annotation (TOML or JSON).
    pub annotation: String,
    /// How to connect.
    pub connection: ConnectionSource,
}

/// Where a connection string (or a webhook secret) comes from.
#[derive(Clone)]
pub enum ConnectionSource {
    /// Given now: sealed under the connector's key before it is stored.
    Secret(SecretString),
    /// Read from this environment variable when used (never stored).
    Env(String),
}

impl std::fmt::Debug for ConnectionSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConnectionSource::Secret(_) => f.write_str("Secret([redacted])"),
            ConnectionSource::Env(n) => write!(f, "Env({n})"),
        }
    }
}

/// A webhook endpoint to register for a recipient (processor or third party).
#[derive(Debug, Clone)]
pub struct WebhookRegistration {
    /// A unique name.
    pub name: String,
    /// The policy's recipient id (`SP_EMAIL`, `MP1` ...).
    pub recipient: String,
    /// The endpoint URL (`https://…`).
    pub url: String,
    /// The HMAC-SHA256 signing secret shared with the recipient.
    pub secret: ConnectionSource,
}

/// A connector as shown (no secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConnectorView {
    /// Id.
    pub id: ConnectorId,
    /// Name.
    pub name: String,
    /// `sqlite`, `postgres`, `webhook`.
    pub kind: String,
    /// Recipient (webhooks).
    pub recipient: Option<String>,
    /// Tables in erasure order with their action (datasets).
    pub tables: Vec<(String, String)>,
    /// Where the secret comes from: `sealed` or `env:<NAME>`.
    pub secret: String,
    /// Disabled.
    pub disabled: bool,
}

/// The stored configuration of a connector (no secrets).
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub(crate) struct ConnectorConfig {
    #[serde(default)]
    pub(crate) dataset: Option<Dataset>,
    #[serde(default)]
    pub(crate) url: Option<String>,
    #[serde(default)]
    pub(crate) secret_env: Option<String>,
}

impl Requests {
    /// Registers (or replaces, by name) an external dataset connector. The annotation is
    /// validated; the connection string is sealed under the connector's own key, or only the
    /// environment variable's name is kept.
    ///
    /// # Errors
    /// `Invalid` with the annotation's error code and message.
    pub async fn register_dataset(
        &self,
        caller: &Caller,
        reg: DatasetRegistration,
    ) -> Result<ConnectorView, CoreError> {
        if reg.kind == ConnectorKind::Webhook {
            return Err(CoreError::invalid(
                ErrorCode::BadKind,
                "use register_webhook for webhooks",
            ));
        }
        let engine = self.steward.engine();
        let dataset = Dataset::parse(&reg.annotation, &|c| engine.category(c).is_some())
            .map_err(|e| CoreError::invalid(e.code, e.message))?;
        self.put_connector(
            caller,
            &reg.name,
            reg.kind,
            None,
            ConnectorConfig {
                dataset: Some(dataset),
                url: None,
                secret_env: None,
            },
            reg.connection,
        )
        .await
    }

    /// Registers (or replaces, by name) a recipient's webhook endpoint with its HMAC secret.
    ///
    /// # Errors
    /// `Invalid` for an unknown recipient or a bad URL.
    pub async fn register_webhook(
        &self,
        caller: &Caller,
        reg: WebhookRegistration,
    ) -> Result<ConnectorView, CoreError> {
        if self.steward.engine().recipient(&reg.recipient).is_none() {
            return Err(CoreError::invalid(
                ErrorCode::UnknownRecipient,
                format!("`{}` is not a recipient of the policy", reg.recipient),
            ));
        }
        reg.url
            .parse::<WebhookUrl>()
            .map_err(|e| CoreError::invalid(ErrorCode::BadUrl, e.to_string()))?;
        let recipient = RecipientKey::new(reg.recipient.clone())
            .map_err(|e| CoreError::invalid(ErrorCode::BadRecipient, e.to_string()))?;
        self.put_connector(
            caller,
            &reg.name,
            ConnectorKind::Webhook,
            Some(recipient),
            ConnectorConfig {
                dataset: None,
                url: Some(reg.url),
                secret_env: None,
            },
            reg.secret,
        )
        .await
    }

    async fn put_connector(
        &self,
        caller: &Caller,
        name: &str,
        kind: ConnectorKind,
        recipient: Option<RecipientKey>,
        mut config: ConnectorConfig,
        secret: ConnectionSource,
    ) -> Result<ConnectorView, CoreError> {
        let name_code = code(name)?;
        let store = self.steward.store();
        let existing = store
            .list_connectors()
            .await?
            .into_iter()
            .find(|c| c.name == name_code);
        let id = existing
            .as_ref()
            .map_or_else(ConnectorId::generate, |c| c.id);
        let (sealer, key) = Sealer::create(self.steward.vault(), id.as_uuid())?;
        let sealed = match &secret {
            ConnectionSource::Secret(s) => {
                Some(sealer.seal("connector.secret", s.expose().as_bytes())?)
            }
            ConnectionSource::Env(n) => {
                config.secret_env = Some(n.clone());
                None
            }
        };
        let rec = store
            .put_connector(&NewConnector {
                id,
                name: name_code,
                kind,
                recipient,
                config: serde_json::to_vec(&config)
                    .map_err(|e| CoreError::invalid(ErrorCode::BadConfig, e.to_string()))?,
                key,
                secret: sealed,
                at: self.now(),
            })
            .await?;
        let mut e = self
            .steward
            .event(AuditKind::Admin, "dsr.connector.put", caller);
        if let Ok(n) = FieldName::new("connector") {
            e.refs.push(EventRef {
                name: n,
                id: id.as_uuid(),
            });
        }
        self.steward.audit().append_one(e).await?;
        connector_view(&rec)
    }

    /// Every connector (no secrets).
    ///
    /// # Errors
    /// Store failures.
    pub async fn connectors(&self) -> Result<Vec<ConnectorView>, CoreError> {
        self.steward
            .store()
            .list_connectors()
            .await?
            .iter()
            .map(connector_view)
            .collect()
    }

    /// Disables a connector by name (new runs skip it).
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn disable_connector(
        &self,
        caller: &Caller,
        name: &str,
    ) -> Result<ConnectorView, CoreError> {
        let store = self.steward.store();
        let c = store
            .list_connectors()
            .await?
            .into_iter()
            .find(|c| c.name.as_str() == name)
            .ok_or(CoreError::NotFound("connector"))?;
        let rec = store.disable_connector(c.id, self.now()).await?;
        let mut e = self
            .steward
            .event(AuditKind::Admin, "dsr.connector.disable", caller);
        if let Ok(n) = FieldName::new("connector") {
            e.refs.push(EventRef {
                name: n,
                id: c.id.as_uuid(),
            });
        }
        self.steward.audit().append_one(e).await?;
        connector_view(&rec)
    }

    /// The secret of a connector: unsealed, or read from its environment variable.
    pub(crate) fn connector_secret(
        &self,
        c: &ConnectorRecord,
        cfg: &ConnectorConfig,
    ) -> Result<Sensitive<String>, CoreError> {
        if let Some(name) = &cfg.secret_env {
            return self
                .effects
                .secrets
                .get(name)
                .map(|s| Sensitive::new(s.expose().to_string()))
                .ok_or_else(|| {
                    CoreError::invalid(
                        ErrorCode::SecretMissing,
                        format!("the environment variable `{name}` is not set"),
                    )
                });
        }
        let sealer = Sealer::open_key(self.steward.vault(), c.id.as_uuid(), &c.key)?;
        let ct = c.secret.as_ref().ok_or_else(|| {
            CoreError::invalid(ErrorCode::SecretMissing, "the connector has no secret")
        })?;
        let plain = sealer.open("connector.secret", ct)?;
        String::from_utf8(plain.to_vec())
            .map(Sensitive::new)
            .map_err(|_| CoreError::Unavailable("sealed secret is corrupt"))
    }

    /// Places a legal hold (RET-03): the subject's items (all, or those listed) are kept by
    /// erasure plans under the `LEGAL_HOLD` exception until it is released.
    ///
    /// # Errors
    /// `NotFound(subject)`, `Invalid`.
    pub async fn place_legal_hold(
        &self,
        caller: &Caller,
        subject: SubjectId,
        items: Vec<ItemId>,
        reason: &str,
        owner: &str,
        review_at: Timestamp,
    ) -> Result<LegalHoldRecord, CoreError> {
        let hold = self
            .steward
            .store()
            .put_legal_hold(&NewLegalHold {
                id: HoldId::generate(),
                subject,
                items,
                reason: code(reason)?,
                owner: code(owner)?,
                review_at,
                created_at: self.now(),
            })
            .await?;
        let mut e = self
            .steward
            .event(AuditKind::Admin, "dsr.hold.place", caller);
        e.subject = Some(subject);
        self.steward.audit().append_one(e).await?;
        Ok(hold)
    }

    /// Releases a legal hold.
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn release_legal_hold(
        &self,
        caller: &Caller,
        id: HoldId,
    ) -> Result<LegalHoldRecord, CoreError> {
        let hold = self
            .steward
            .store()
            .release_legal_hold(id, self.now())
            .await?;
        let mut e = self
            .steward
            .event(AuditKind::Admin, "dsr.hold.release", caller);
        e.subject = Some(hold.subject);
        self.steward.audit().append_one(e).await?;
        Ok(hold)
    }

    /// The dead-letter list.
    ///
    /// # Errors
    /// Store failures.
    pub async fn dead_letters(&self) -> Result<Vec<DeliveryView>, CoreError> {
        Ok(self
            .steward
            .store()
            .dead_letters(10_000)
            .await?
            .iter()
            .map(DeliveryView::from)
            .collect())
    }

    /// Puts a dead letter back in the delivery queue (after the endpoint was fixed).
    ///
    /// # Errors
    /// `NotFound`.
    pub async fn requeue(
        &self,
        caller: &Caller,
        id: DeliveryId,
    ) -> Result<DeliveryView, CoreError> {
        let d = self
            .steward
            .store()
            .requeue_delivery(id, self.now())
            .await?;
        let mut e = self
            .steward
            .event(AuditKind::Admin, "dsr.delivery.requeue", caller);
        if let Ok(n) = FieldName::new("delivery") {
            e.refs.push(EventRef {
                name: n,
                id: id.as_uuid(),
            });
        }
        self.steward.audit().append_one(e).await?;
        Ok(DeliveryView::from(&d))
    }
}

fn connector_view(c: &ConnectorRecord) -> Result<ConnectorView, CoreError> {
    let cfg: ConnectorConfig = serde_json::from_slice(&c.config)
        .map_err(|_| CoreError::Unavailable("stored connector configuration is corrupt"))?;
    Ok(ConnectorView {
        id: c.id,
        name: c.name.to_string(),
        kind: c.kind.as_str().to_string(),
        recipient: c.recipient.as_ref().map(ToString::to_string),
        tables: cfg.dataset.as_ref().map(Dataset::plan).unwrap_or_default(),
        secret: match &cfg.secret_env {
            Some(n) => format!("env:{n}"),
            None => "sealed".to_string(),
        },
        disabled: c.disabled_at.is_some(),
    })
}
