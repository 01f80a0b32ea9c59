//! Signing in as a browser would and timing dashboard pages over loopback HTTP.

use std::time::{Duration, Instant};

use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};

/// A signed-in staff member's client: the session cookie, no redirects followed.
pub struct Session {
    base: String,
    http: reqwest::Client,
    cookie: String,
}

impl Session {
    /// Opens the sign-in page for its CSRF token and posts the form.
    pub async fn sign_in(base: &str, username: &str, password: &str) -> Session {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let form = http.get(format!("{base}/staff/sign-in")).send().await.unwrap();
        let cookie = cookie_of(&form).unwrap_or_default();
        let body = form.text().await.unwrap();
        let token = hidden(&body, "csrf").expect("the sign-in form has a CSRF token");
        let answer = http
            .post(format!("{base}/staff/sign-in"))
            .header(COOKIE, &cookie)
            .form(&[("username", username), ("password", password), ("csrf", token.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 303, "{username} signs in");
        let cookie = cookie_of(&answer).expect("a session cookie");
        Session { base: base.to_owned(), http, cookie }
    }

    /// GETs `path` and returns its body; panics unless it answers 200.
    pub async fn get(&self, path: &str) -> String {
        let response =
            self.http.get(format!("{}{path}", self.base)).header(COOKIE, &self.cookie).send().await.unwrap();
        let status = response.status();
        let location = response.headers().get(LOCATION).map(|l| l.to_str().unwrap_or("").to_owned());
        let body = response.text().await.unwrap();
        assert_eq!(status, 200, "GET {path} (to {location:?}): {}", &body[..body.len().min(400)]);
        body
    }

    /// Times `samples` requests for `path` (after a few untimed ones that warm the caches) and
    /// returns them sorted, with the last body.
    pub async fn time(&self, path: &str, samples: usize) -> (Vec<Duration>, String) {
        let mut body = String::new();
        for _ in 0..3 {
            body = self.get(path).await;
        }
        let mut times = Vec::with_capacity(samples);
        for _ in 0..samples {
            let started = Instant::now();
            body = self.get(path).await;
            times.push(started.elapsed());
        }
        times.sort();
        (times, body)
    }
}

fn cookie_of(response: &reqwest::Response) -> Option<String> {
    let set = response.headers().get(SET_COOKIE)?.to_str().ok()?;
    set.split(';').next().map(str::to_owned)
}

/// The value of the first `name="NAME" value="..."` in `html`.
pub fn hidden(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let rest = &html[html.find(&marker)? + marker.len()..];
    Some(rest[..rest.find('"')?].to_owned())
}

/// The first link in `html` whose address starts with `prefix`.
pub fn link(html: &str, prefix: &str) -> Option<String> {
    href_at(html, html.find(&format!("href=\"{prefix}"))?)
}

/// The link marked `rel="next"` (the queue's next page).
pub fn next_page(html: &str) -> Option<String> {
    href_at(html, html[..html.find("rel=\"next\"")?].rfind("href=\"")?)
}

/// The address of the `href="..."` starting at byte `at` of `html`, HTML-unescaped.
fn href_at(html: &str, at: usize) -> Option<String> {
    let rest = &html[at + "href=\"".len()..];
    Some(rest[..rest.find('"')?].replace("&amp;", "&"))
}

/// The `q`-th quantile (0 to 1) of sorted `times`, nearest rank.
pub fn quantile(times: &[Duration], q: f64) -> Duration {
    let rank = ((q * times.len() as f64).ceil() as usize).clamp(1, times.len());
    times[rank - 1]
}
