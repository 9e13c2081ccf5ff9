//! SQL for each business area: async functions over a pooled client or a transaction.

pub(crate) mod account;
pub(crate) mod apikey;
pub(crate) mod audit;
pub(crate) mod case;
pub(crate) mod choice;
pub(crate) mod control;
pub(crate) mod disclosure;
pub(crate) mod facts;
pub(crate) mod incident;
pub(crate) mod item;
pub(crate) mod key;
pub(crate) mod policy_version;
pub(crate) mod session;
pub(crate) mod subject;
