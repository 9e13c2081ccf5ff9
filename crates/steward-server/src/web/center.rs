//! The privacy center under `/privacy`.

use std::collections::HashMap;
use std::sync::Mutex;

use askama::Template;
use axum::Extension;
use axum::Router;
use axum::response::Response;
use axum::routing::get;
use std::sync::Arc;

use crate::AppState;
use crate::web::Web;
use crate::web::layout::{self, Chrome, NavLink, WebError};
use crate::web::security::Browser;

/// Wrong sign-in codes per browser.
#[derive(Debug, Default)]
pub struct Throttle {
    wrong: Mutex<HashMap<String, (u32, u64)>>,
}

/// The navigation of the privacy center.
fn nav() -> Vec<NavLink> {
    [
        ("/privacy", "Overview"),
        ("/privacy/notice", "Privacy notice"),
        ("/privacy/do-not-sell", "Do Not Sell or Share"),
        ("/privacy/preferences", "Preferences"),
        ("/privacy/my-data", "My data"),
    ]
    .into_iter()
    .map(|(href, label)| NavLink {
        href,
        label,
        current: false,
    })
    .collect()
}

/// The frame of a privacy center page.
fn chrome(web: &Web, browser: &Browser, title: &str, current: &str) -> Result<Chrome, WebError> {
    let mut c = Chrome::bare(title);
    c.nav = nav();
    c.csrf = web.keys.csrf_token(browser)?;
    Ok(c.with_current(current))
}

#[derive(Template)]
#[template(path = "center/home.html")]
struct Home {
    chrome: Chrome,
}

async fn home(Extension(web): Extension<Arc<Web>>, browser: Browser) -> Result<Response, WebError> {
    Ok(layout::page(&Home {
        chrome: chrome(&web, &browser, "Your privacy", "/privacy")?,
    }))
}

/// The routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/privacy", get(home))
}
