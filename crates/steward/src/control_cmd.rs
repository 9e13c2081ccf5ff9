//! `steward change-of-control …`: record the notice owed to a person after a change of
//! control, mark it delivered, record their answer to "stop promotions?", list a person's
//! notices (BIZ-02, BIZ-03, BIZ-04, CCPA-40). The same use cases as
//! `/v1/subjects/{id}/change-of-control`, audited as `cli:change-of-control`. A person is
//! named by subject id or e-mail address (looked up by blind index; never printed).

use std::process::ExitCode;

use clap::Subcommand;
use steward_api::control::{ChangeOfControlNoticeList, ChangeOfControlNoticeOut};
use steward_core::control::{NoticeInput, parse_notice_id};
use steward_core::{Caller, Steward};
use steward_store::ids::{NoticeId, SubjectId};

use crate::accounts_cmd::{PersonArgs, failed, json, person};
use crate::error::CliError;
use crate::runtime::{StoreArgs, start};

/// The answer to a notice.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Answer {
    /// Stop sending promotional information (sets the marketing and sharing opt-outs).
    Stop,
    /// Carry on as chosen before.
    Continue,
}

/// Change-of-control subcommands.
#[derive(Debug, Subcommand)]
pub enum ControlCommand {
    /// Record that a notice is owed to a person; their promotions are held from its effective
    /// time until it is delivered or answered. Prints the notice id.
    Notify {
        #[command(flatten)]
        store: StoreArgs,
        #[command(flatten)]
        person: PersonArgs,
        /// The change of control, as the privacy team names it (e.g. `acme-2024`).
        #[arg(long)]
        transfer: String,
        /// When it took effect for the person (RFC 3339; default: now).
        #[arg(long)]
        effective_at: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// A person's notices: delivery, answer, whether promotions are held.
    List {
        #[command(flatten)]
        store: StoreArgs,
        #[command(flatten)]
        person: PersonArgs,
        /// Print JSON (the API's `ChangeOfControlNoticeList`).
        #[arg(long)]
        json: bool,
    },
    /// Record that a notice reached the person.
    Delivered {
        #[command(flatten)]
        store: StoreArgs,
        #[command(flatten)]
        person: PersonArgs,
        /// The notice id.
        notice: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Record the person's answer (given to the privacy team, e.g. by e-mail or phone).
    Answer {
        #[command(flatten)]
        store: StoreArgs,
        #[command(flatten)]
        person: PersonArgs,
        /// The notice id.
        notice: String,
        /// `stop` or `continue`.
        #[arg(long, value_enum)]
        answer: Answer,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

const CALLER: &str = "cli:change-of-control";

async fn who(s: &Steward, caller: &Caller, p: &PersonArgs) -> Result<SubjectId, CliError> {
    person(s, caller, p)
        .await?
        .ok_or_else(|| CliError::Usage("name the person with --subject or --email".into()))
}

fn notice_id(raw: &str) -> Result<NoticeId, CliError> {
    parse_notice_id(raw).map_err(|_| CliError::Usage(format!("`{raw}` is not a notice id")))
}

fn show(n: &ChangeOfControlNoticeOut) -> String {
    let state = if n.pending {
        "PENDING: promotions held".to_string()
    } else {
        match (n.stop_promotions, &n.delivered_at) {
            (Some(true), _) => "answered: stop promotions".into(),
            (Some(false), _) => "answered: continue".into(),
            (None, Some(at)) => format!("delivered {at}"),
            (None, None) => "not yet in effect".into(),
        }
    };
    format!(
        "{}  {}  effective {}  {state}",
        n.id, n.transfer, n.effective_at
    )
}

fn print_one(n: &ChangeOfControlNoticeOut, as_json: bool) -> Result<(), CliError> {
    if as_json {
        json(n)
    } else {
        println!("{}", show(n));
        Ok(())
    }
}

/// Run a change-of-control subcommand.
pub async fn run(cmd: ControlCommand) -> Result<ExitCode, CliError> {
    let caller = Caller::Service(CALLER.into());
    match cmd {
        ControlCommand::Notify {
            store,
            person: p,
            transfer,
            effective_at,
            json: as_json,
        } => {
            let effective_at = effective_at
                .map(|t| {
                    t.parse::<jiff::Timestamp>()
                        .map_err(|_| CliError::Usage(format!("`{t}` is not an RFC 3339 time")))
                })
                .transpose()?;
            let rt = start(&store).await?;
            let s = &rt.steward;
            let result = async {
                let subject = who(s, &caller, &p).await?;
                s.record_change_of_control_notice(
                    &caller,
                    NoticeInput {
                        subject,
                        transfer,
                        effective_at,
                        delivered_at: None,
                    },
                )
                .await
                .map_err(failed)
            }
            .await;
            s.shutdown().await;
            let n = ChangeOfControlNoticeOut::from(&result?);
            if as_json {
                json(&n)?;
            } else {
                println!("{}", n.id);
            }
            Ok(ExitCode::SUCCESS)
        }
        ControlCommand::List {
            store,
            person: p,
            json: as_json,
        } => {
            let rt = start(&store).await?;
            let s = &rt.steward;
            let result = async {
                let subject = who(s, &caller, &p).await?;
                s.change_of_control_notices(subject).await.map_err(failed)
            }
            .await;
            s.shutdown().await;
            let list = ChangeOfControlNoticeList {
                notices: result?.iter().map(ChangeOfControlNoticeOut::from).collect(),
            };
            if as_json {
                json(&list)?;
            } else if list.notices.is_empty() {
                println!("no change-of-control notices");
            } else {
                for n in &list.notices {
                    println!("{}", show(n));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        ControlCommand::Delivered {
            store,
            person: p,
            notice,
            json: as_json,
        } => {
            let id = notice_id(&notice)?;
            let rt = start(&store).await?;
            let s = &rt.steward;
            let result = async {
                let subject = who(s, &caller, &p).await?;
                s.deliver_change_of_control_notice(&caller, subject, id)
                    .await
                    .map_err(failed)
            }
            .await;
            s.shutdown().await;
            print_one(&ChangeOfControlNoticeOut::from(&result?), as_json)?;
            Ok(ExitCode::SUCCESS)
        }
        ControlCommand::Answer {
            store,
            person: p,
            notice,
            answer,
            json: as_json,
        } => {
            let id = notice_id(&notice)?;
            let rt = start(&store).await?;
            let s = &rt.steward;
            let result = async {
                let subject = who(s, &caller, &p).await?;
                s.answer_change_of_control_notice(
                    &caller,
                    subject,
                    id,
                    matches!(answer, Answer::Stop),
                    None,
                )
                .await
                .map_err(failed)
            }
            .await;
            s.shutdown().await;
            print_one(&ChangeOfControlNoticeOut::from(&result?), as_json)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
