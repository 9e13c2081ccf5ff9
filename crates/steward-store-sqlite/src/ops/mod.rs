//! SQL for each business area: plain functions over a `Connection`, called inside a writer
//! transaction (writes) or on a pooled read connection (reads).

pub(crate) mod account;
pub(crate) mod apikey;
pub(crate) mod audit;
pub(crate) mod case;
pub(crate) mod choice;
pub(crate) mod control;
pub(crate) mod disclosure;
pub(crate) mod event;
pub(crate) mod facts;
pub(crate) mod incident;
pub(crate) mod item;
pub(crate) mod key;
pub(crate) mod policy_version;
pub(crate) mod request;
pub(crate) mod session;
pub(crate) mod subject;
