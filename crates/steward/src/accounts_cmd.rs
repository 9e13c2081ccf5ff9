//! `steward accounts …`: open an account, give or take away administrator access to it
//! (ADMIN-01, ADMIN-03, ADMIN-05, ADMIN-09: a grant needs the policy's warning acknowledged),
//! and record or show the agreements the policy declares for it (`[[agreement]]`: a Customer's data-protection undertaking, the USPS
//! Privacy Act Statement, the carrier notice — CUST-01, USPSPA-01, CARRIER-02), and the
//! carriers its holder selected (CARRIER-01). The same use cases as `POST/GET
//! /v1/accounts/{id}/agreements` and `…/carriers`, audited as `cli:accounts`.
//! A person is named by subject id or by e-mail address (looked up by blind index; the
//! address is never printed or logged).

use std::process::ExitCode;
use std::str::FromStr;

use clap::{Args, Subcommand};
use steward_api::accounts::{
    AcceptanceOut, AccountOut, AgreementList, CarrierList, CarrierSelectionOut, GrantList, GrantOut,
};
use steward_core::agreements::AgreementInput;
use steward_core::carriers::CarrierInput;
use steward_core::{Caller, CoreError, Steward};
use steward_store::ids::{AccountId, GrantId, SelectionId, SubjectId};
use steward_store::model::account::{AdminPermission, AdminPermissions};
use steward_store::model::subject::IdentityKind;

use crate::error::CliError;
use crate::runtime::{StoreArgs, start};

/// A person: `--subject ID` or `--email ADDRESS`.
#[derive(Debug, Args)]
pub struct PersonArgs {
    /// The person's subject id.
    #[arg(long, conflicts_with = "email")]
    pub(crate) subject: Option<String>,
    /// The person's e-mail address (found by blind index).
    #[arg(long)]
    pub(crate) email: Option<String>,
}

/// Account subcommands.
#[derive(Debug, Subcommand)]
pub enum AccountsCommand {
    /// Open an account held by a person; prints its id.
    Open {
        #[command(flatten)]
        store: StoreArgs,
        /// The account holder.
        #[command(flatten)]
        owner: PersonArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// The agreements of the policy and where the account stands with each.
    Agreements {
        #[command(flatten)]
        store: StoreArgs,
        /// The account id.
        account: String,
        /// Print JSON (the API's `AgreementList`).
        #[arg(long)]
        json: bool,
    },
    /// Record that a member accepted an agreement in its current text version.
    Accept {
        #[command(flatten)]
        store: StoreArgs,
        /// The account id.
        account: String,
        /// The agreement's id in the policy (e.g. `customer_undertaking`).
        agreement: String,
        /// The text version the person was shown (must be the current one).
        #[arg(long, value_name = "VERSION")]
        text_version: Option<String>,
        /// Who accepted (default: the account holder).
        #[command(flatten)]
        by: PersonArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// The carriers the account holder selected, withdrawn ones included (CARRIER-01).
    Carriers {
        #[command(flatten)]
        store: StoreArgs,
        /// The account id.
        account: String,
        /// Print JSON (the API's `CarrierList`).
        #[arg(long)]
        json: bool,
    },
    /// Record that a member selected a carrier (a recipient of the policy that requires a
    /// carrier selection); refused until the account accepted the agreements the policy
    /// requires for it (CARRIER-02).
    SelectCarrier {
        #[command(flatten)]
        store: StoreArgs,
        /// The account id.
        account: String,
        /// The carrier's recipient id in the policy (e.g. `CAR_UPS`).
        carrier: String,
        /// The shipment it is selected for (an order or label number).
        #[arg(long)]
        shipment: Option<String>,
        /// The version of the carrier's own terms the holder agreed to (CARRIER-06).
        #[arg(long, value_name = "VERSION")]
        terms_version: Option<String>,
        /// Who selected it (default: the account holder).
        #[command(flatten)]
        by: PersonArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Withdraw a carrier selection (kept, with who and when).
    WithdrawCarrier {
        #[command(flatten)]
        store: StoreArgs,
        /// The account id.
        account: String,
        /// The selection id.
        selection: String,
        /// Who withdrew it (default: the account holder).
        #[command(flatten)]
        by: PersonArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Give a person administrator access to the account, as its holder (ADMIN-01). The
    /// person becomes a member if they are not one. Refused unless the holder acknowledged
    /// the policy's warning (ADMIN-03), which is printed.
    Grant {
        #[command(flatten)]
        store: StoreArgs,
        /// The account id.
        account: String,
        /// Who receives the access.
        #[command(flatten)]
        grantee: PersonArgs,
        /// What they may do: `view_pi`, `change_pi`, `delete_pi` (comma-separated).
        #[arg(
            long,
            value_delimiter = ',',
            default_value = "view_pi,change_pi,delete_pi"
        )]
        permissions: Vec<String>,
        /// The account holder acknowledged the warning.
        #[arg(long)]
        warning_acknowledged: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Take administrator access away at once (ADMIN-05), as the account holder.
    Revoke {
        #[command(flatten)]
        store: StoreArgs,
        /// The account id.
        account: String,
        /// The grant id.
        grant: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Every administrator grant of the account, current and revoked (ADMIN-09).
    Grants {
        #[command(flatten)]
        store: StoreArgs,
        /// The account id.
        account: String,
        /// Print JSON (the API's `GrantList`).
        #[arg(long)]
        json: bool,
    },
}

const CALLER: &str = "cli:accounts";

fn usage(msg: String) -> CliError {
    CliError::Usage(msg)
}

/// Failures of the use case: a refusal of the input is a usage error (exit 2), anything else
/// (not found, closed, the store) a runtime failure (exit 1).
pub(crate) fn failed(e: CoreError) -> CliError {
    match e {
        CoreError::Invalid { code, message } => usage(format!("{code}: {message}")),
        other => CliError::core("", other),
    }
}

fn account_id(s: &str) -> Result<AccountId, CliError> {
    AccountId::from_str(s).map_err(|_| usage(format!("`{s}` is not an account id")))
}

pub(crate) async fn person(
    s: &Steward,
    caller: &Caller,
    p: &PersonArgs,
) -> Result<Option<SubjectId>, CliError> {
    match (&p.subject, &p.email) {
        (Some(id), _) => SubjectId::from_str(id)
            .map(Some)
            .map_err(|_| usage(format!("`{id}` is not a subject id"))),
        (None, Some(email)) => {
            let found = s
                .find_subjects(caller, IdentityKind::Email, email)
                .await
                .map_err(failed)?;
            match found.as_slice() {
                [one] => Ok(Some(*one)),
                [] => Err(CliError::Usage("no subject has that e-mail address".into())),
                _ => Err(CliError::Usage(
                    "several subjects have that e-mail address: name one with --subject".into(),
                )),
            }
        }
        (None, None) => Ok(None),
    }
}

pub(crate) fn json<T: serde::Serialize>(v: &T) -> Result<(), CliError> {
    println!(
        "{}",
        serde_json::to_string_pretty(v).map_err(|e| CliError::runtime("cannot write JSON", e))?
    );
    Ok(())
}

/// Prints `v` as JSON, or as the one line `text` makes of it; success.
fn emit<T: serde::Serialize>(
    as_json: bool,
    v: &T,
    text: impl FnOnce(&T) -> String,
) -> Result<ExitCode, CliError> {
    if as_json {
        json(v)?;
    } else {
        println!("{}", text(v));
    }
    Ok(ExitCode::SUCCESS)
}

/// Run an accounts subcommand.
pub async fn run(cmd: AccountsCommand) -> Result<ExitCode, CliError> {
    let caller = Caller::Service(CALLER.into());
    match cmd {
        AccountsCommand::Open {
            store,
            owner,
            json: as_json,
        } => {
            let rt = start(&store).await?;
            let s = &rt.steward;
            let result = async {
                let owner = person(s, &caller, &owner).await?.ok_or_else(|| {
                    usage("name the account holder with --subject or --email".into())
                })?;
                s.create_account(&caller, owner).await.map_err(failed)
            }
            .await;
            s.shutdown().await;
            let a = result?;
            if as_json {
                json(&AccountOut::from(&a))?;
            } else {
                println!("{}", a.id);
            }
            Ok(ExitCode::SUCCESS)
        }
        AccountsCommand::Agreements {
            store,
            account,
            json: as_json,
        } => {
            let id = account_id(&account)?;
            let rt = start(&store).await?;
            let result = rt.steward.account_agreements(id).await.map_err(failed);
            rt.steward.shutdown().await;
            let list = AgreementList::from(&result?);
            if as_json {
                json(&list)?;
            } else {
                print!("{}", render(&list));
            }
            Ok(ExitCode::SUCCESS)
        }
        AccountsCommand::Accept {
            store,
            account,
            agreement,
            text_version,
            by,
            json: as_json,
        } => {
            let id = account_id(&account)?;
            let rt = start(&store).await?;
            let s = &rt.steward;
            let result = async {
                let accepted_by = match person(s, &caller, &by).await? {
                    Some(p) => p,
                    None => s.get_account(id).await.map_err(failed)?.owner,
                };
                s.accept_agreement(
                    &caller,
                    AgreementInput {
                        account: id,
                        agreement,
                        version: text_version,
                        accepted_by,
                    },
                )
                .await
                .map_err(failed)
            }
            .await;
            s.shutdown().await;
            let a = AcceptanceOut::from(&result?);
            if as_json {
                json(&a)?;
            } else {
                println!(
                    "accepted `{}` version {} for account {} (by {}, {}; acceptance {})",
                    a.agreement, a.version, a.account_id, a.accepted_by, a.accepted_at, a.id
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        AccountsCommand::Carriers {
            store,
            account,
            json: as_json,
        } => {
            let id = account_id(&account)?;
            let rt = start(&store).await?;
            let result = rt.steward.account_carriers(id).await.map_err(failed);
            rt.steward.shutdown().await;
            let list = CarrierList::from(&result?);
            if as_json {
                json(&list)?;
            } else if list.carriers.is_empty() {
                println!("account {}: no carrier selected", list.account_id);
            } else {
                for c in &list.carriers {
                    println!("{}", show_carrier(c));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        AccountsCommand::SelectCarrier {
            store,
            account,
            carrier,
            shipment,
            terms_version,
            by,
            json: as_json,
        } => {
            let id = account_id(&account)?;
            let rt = start(&store).await?;
            let s = &rt.steward;
            let result = async {
                let selected_by = match person(s, &caller, &by).await? {
                    Some(p) => p,
                    None => s.get_account(id).await.map_err(failed)?.owner,
                };
                s.select_carrier(
                    &caller,
                    CarrierInput {
                        account: id,
                        carrier,
                        shipment,
                        terms_version,
                        selected_by,
                    },
                )
                .await
                .map_err(failed)
            }
            .await;
            s.shutdown().await;
            let c = CarrierSelectionOut::from(&result?);
            emit(as_json, &c, show_carrier)
        }
        AccountsCommand::WithdrawCarrier {
            store,
            account,
            selection,
            by,
            json: as_json,
        } => {
            let id = account_id(&account)?;
            let selection = SelectionId::from_str(&selection)
                .map_err(|_| usage(format!("`{selection}` is not a carrier selection id")))?;
            let rt = start(&store).await?;
            let s = &rt.steward;
            let result = async {
                let by = match person(s, &caller, &by).await? {
                    Some(p) => p,
                    None => s.get_account(id).await.map_err(failed)?.owner,
                };
                s.withdraw_carrier(&caller, id, selection, by)
                    .await
                    .map_err(failed)
            }
            .await;
            s.shutdown().await;
            let c = CarrierSelectionOut::from(&result?);
            emit(as_json, &c, show_carrier)
        }
        AccountsCommand::Grant {
            store,
            account,
            grantee,
            permissions,
            warning_acknowledged,
            json: as_json,
        } => {
            let id = account_id(&account)?;
            let perms = permissions
                .iter()
                .map(|p| {
                    p.trim().parse::<AdminPermission>().map_err(|_| {
                        usage(format!(
                            "`{p}` is not a permission (view_pi, change_pi, delete_pi)"
                        ))
                    })
                })
                .collect::<Result<AdminPermissions, _>>()?;
            let rt = start(&store).await?;
            let s = &rt.steward;
            if !warning_acknowledged {
                let warning = s.administrator_warning().join(" ");
                s.shutdown().await;
                return Err(usage(format!(
                    "WARNING_NOT_ACKNOWLEDGED: show the account holder the warning and pass --warning-acknowledged once they accept it: {warning}"
                )));
            }
            let result = async {
                let who = person(s, &caller, &grantee).await?.ok_or_else(|| {
                    usage("name who receives the access with --subject or --email".into())
                })?;
                let owner = s.get_account(id).await.map_err(failed)?.owner;
                if who != owner {
                    s.add_member(&caller, id, who).await.map_err(failed)?;
                }
                s.grant_admin(&caller, id, owner, who, perms, true)
                    .await
                    .map_err(failed)
            }
            .await;
            s.shutdown().await;
            let g = GrantOut::from(&result?);
            emit(as_json, &g, show_grant)
        }
        AccountsCommand::Revoke {
            store,
            account,
            grant,
            json: as_json,
        } => {
            let id = account_id(&account)?;
            let grant = GrantId::from_str(&grant)
                .map_err(|_| usage(format!("`{grant}` is not a grant id")))?;
            let rt = start(&store).await?;
            let s = &rt.steward;
            let result = async {
                let owner = s.get_account(id).await.map_err(failed)?.owner;
                s.revoke_admin(&caller, id, grant, owner)
                    .await
                    .map_err(failed)
            }
            .await;
            s.shutdown().await;
            let g = GrantOut::from(&result?);
            emit(as_json, &g, show_grant)
        }
        AccountsCommand::Grants {
            store,
            account,
            json: as_json,
        } => {
            let id = account_id(&account)?;
            let rt = start(&store).await?;
            let s = &rt.steward;
            let result = async {
                s.get_account(id).await.map_err(failed)?;
                s.admin_grants(id).await.map_err(failed)
            }
            .await;
            s.shutdown().await;
            let list = GrantList {
                grants: result?.iter().map(GrantOut::from).collect(),
            };
            if as_json {
                json(&list)?;
            } else if list.grants.is_empty() {
                println!("no administrator grants");
            } else {
                for g in &list.grants {
                    println!("{}", show_grant(g));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn show_grant(g: &GrantOut) -> String {
    let state = match &g.revoked_at {
        Some(at) => format!("revoked {at}"),
        None => "active".into(),
    };
    format!(
        "{}  grantee {}  {}  granted {}  {state}",
        g.id,
        g.grantee_id,
        g.permissions.join(","),
        g.granted_at
    )
}

fn show_carrier(c: &CarrierSelectionOut) -> String {
    let state = match &c.withdrawn_at {
        Some(at) => format!("withdrawn {at}"),
        None => "active".into(),
    };
    let shipment = c
        .shipment
        .as_deref()
        .map(|s| format!("  shipment {s}"))
        .unwrap_or_default();
    format!(
        "{}  {}  selected {} by {}{shipment}  {state}",
        c.id, c.carrier, c.selected_at, c.selected_by
    )
}

fn render(l: &AgreementList) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(s, "account {}", l.account_id);
    if l.agreements.is_empty() {
        let _ = writeln!(s, "  the policy declares no agreements");
    }
    for a in &l.agreements {
        let state = match &a.acceptance {
            Some(r) => format!(
                "accepted (version {}, {} by {})",
                r.version, r.accepted_at, r.accepted_by
            ),
            None => "NOT ACCEPTED".to_string(),
        };
        let _ = writeln!(
            s,
            "  {:<28} current {:<10} {state}",
            a.agreement, a.current_version
        );
    }
    let _ = writeln!(s, "{} acceptance(s) recorded", l.acceptances.len());
    s
}
