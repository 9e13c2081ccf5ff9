//! A writer process for the crash test (`tests/crash.rs`): not part of Steward's interface.
//!
//! Opens the store at the path given as first argument and writes forever from 16 concurrent
//! tasks: subjects, choices, items, audit events and disclosures. After each write is
//! acknowledged it prints one line naming it, so the test knows exactly which writes were
//! acknowledged before it killed the process with SIGKILL:
//!
//! ```text
//! subject <subject id>
//! choice <subject id> <choice id>
//! item <item id>
//! audit <seq> <event id>
//! disclosure <subject id> <disclosure id>
//! ```
//!
//! Item values are derived from the item id (SHA-256 of its bytes), so the test can check the
//! stored bytes too. Any store error ends the process with a message and exit code 1.

#![expect(
    clippy::disallowed_methods,
    reason = "a test fixture process: it stamps its writes with the real time"
)]

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use jiff::Timestamp;
use steward_store::{
    ActionKey, Actor, AuditEvent, AuditKind, CategoryKey, ChoiceEntry, ChoiceId, ChoiceKey,
    ChoiceSource, Ciphertext, ControllerRole, DecisionId, Digest, DisclosureId, DisclosureRecord,
    EntityKey, ItemId, NewItem, NewSubject, Party, PolicyVersion, PurposeKey, RecipientKey,
    SourceKey, Store, StoreError, SubjectFacts, SubjectId, SubjectKind,
};
use steward_store_sqlite::{SqliteOptions, SqliteStore};

/// The value stored for an item: SHA-256 of its id.
fn value_of(id: ItemId) -> Result<Ciphertext, StoreError> {
    Ok(Ciphertext::new(Digest::sha256(&id.to_bytes()).0.to_vec())?)
}

fn say(line: String) {
    let mut out = std::io::stdout().lock();
    // A closed pipe means the test is gone; nothing useful is left to do.
    if writeln!(out, "{line}").and_then(|()| out.flush()).is_err() {
        std::process::exit(0);
    }
}

async fn worker(store: Arc<dyn Store>, task: u64) -> Result<(), StoreError> {
    let controller = EntityKey::new("stamps_com_inc")?;
    let subject = SubjectId::generate();
    store
        .create_subject(&NewSubject {
            id: subject,
            controller: controller.clone(),
            facts: SubjectFacts::of_kind(SubjectKind::CustomerAccountHolder),
            created_at: Timestamp::now(),
        })
        .await?;
    say(format!("subject {subject}"));
    let keys = [
        "marketing:email",
        "sale_opt_out",
        "share_opt_out",
        "cookie:analytics",
    ];
    for i in 0u64.. {
        let now = Timestamp::now();
        match (i + task) % 4 {
            0 => {
                let c = ChoiceEntry {
                    id: ChoiceId::generate(),
                    party: Party::Subject(subject),
                    key: ChoiceKey::new(keys[(i % 4) as usize])?,
                    value: i % 2 == 0,
                    source: ChoiceSource::User,
                    channel: None,
                    actor: Actor::Subject(subject),
                    policy_version: PolicyVersion::new("2020-01-17")?,
                    notice_hash: Some(Digest::sha256(b"notice")),
                    at: now,
                };
                store.append_choice(&c).await?;
                say(format!("choice {subject} {}", c.id));
            }
            1 => {
                let id = ItemId::generate();
                store
                    .put_item(&NewItem {
                        id,
                        subject,
                        category: CategoryKey::new("postal_address")?,
                        value: value_of(id)?,
                        source: SourceKey::new("user")?,
                        collected_at: now,
                        purpose: PurposeKey::new("service_provision")?,
                        controller: controller.clone(),
                        controller_role: ControllerRole::Controller,
                        retain_until: None,
                        policy_version: None,
                    })
                    .await?;
                say(format!("item {id}"));
            }
            2 => {
                let n = 1 + (i % 3) as usize;
                let events: Vec<AuditEvent> = (0..n)
                    .map(|_| {
                        let mut e = AuditEvent::new(
                            AuditKind::Decision,
                            ActionKey::new("can_use")?,
                            Actor::System,
                            now,
                        );
                        e.subject = Some(subject);
                        Ok(e)
                    })
                    .collect::<Result<_, StoreError>>()?;
                let seqs = store.append_audit(&events).await?;
                for (e, s) in events.iter().zip(seqs) {
                    say(format!("audit {s} {}", e.id));
                }
            }
            _ => {
                let d = DisclosureRecord {
                    id: DisclosureId::generate(),
                    subject,
                    recipient: RecipientKey::new("sp_email")?,
                    categories: vec![CategoryKey::new("email")?],
                    items: Vec::new(),
                    purpose: PurposeKey::new("service_provision")?,
                    decision: DecisionId::generate(),
                    payload_hash: None,
                    disclosed_at: now,
                };
                store.record_disclosure(&d).await?;
                say(format!("disclosure {subject} {}", d.id));
            }
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: steward-store-crash-writer <database path>");
        return ExitCode::from(2);
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("crash writer: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result: Result<(), StoreError> = runtime.block_on(async {
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&path, SqliteOptions::default())?);
        let tasks: Vec<_> = (0..16)
            .map(|t| tokio::spawn(worker(Arc::clone(&store), t)))
            .collect();
        for t in tasks {
            t.await.map_err(StoreError::backend)??;
        }
        Ok(())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("crash writer: {e}");
            ExitCode::FAILURE
        }
    }
}
