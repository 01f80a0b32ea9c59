//! The agency overview (`/staff/overview`) for a chosen period of whole months: co-destruction
//! and co-creation tags by month with the factors behind them, trust by subject over time,
//! needs by category and outcome, and the median waits for a first reply and for resolution.
//! Every chart is an SVG drawn on the server with a table beside it holding the same numbers.

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Datelike, Utc};
use convivio_core::factor::Factor;
use convivio_core::need::{NeedCategory, NeedStatus};
use serde::Deserialize;

use super::{Choice, Nav, render};
use crate::api::AppState;
use crate::staff::StaffError;
use crate::staff::chart::{self, Key, Series};
use crate::staff::i18n::Tr;
use crate::staff::session::Staff;
use crate::storage::Store;
use crate::storage::dashboard::overview::{self, Month, Period, median};

/// The longest period the page draws: five years of months.
const MAX_MONTHS: u32 = 60;
/// Lines on the trust chart: the subjects rated most often (the table has them all).
const TRUST_LINES: usize = 6;

#[derive(Debug, Default, Deserialize)]
pub struct PeriodQuery {
    /// `YYYY-MM`, the first month.
    #[serde(default)]
    from: String,
    /// `YYYY-MM`, the last month (included).
    #[serde(default)]
    until: String,
}

fn label(index: i32) -> String {
    Month(index).label()
}

fn parse_month(text: &str) -> Option<i32> {
    Month::parse(text).map(|m| m.0)
}

/// A month as the member reads it: "gennaio 2026", "January 2026".
fn month_name(tr: &Tr, index: i32) -> String {
    let start = Month(index).first_day();
    format!("{} {}", tr.code("month", &start.month().to_string()), start.year())
}

/// The months a period can start or end in, oldest first: the last [`MAX_MONTHS`], and the
/// period shown when a link asked for an older one. A list in the member's language, where a
/// month input would show the browser's.
fn month_choices(tr: &Tr, this_month: i32, (from, until): (i32, i32), chosen: i32) -> Vec<Choice> {
    let first = from.min(this_month - MAX_MONTHS as i32 + 1);
    let last = until.max(this_month);
    (first..=last)
        .map(|m| Choice { value: label(m), label: month_name(tr, m), selected: m == chosen })
        .collect()
}

/// The period asked for, or the last twelve months; the problem when it is not a period.
fn period(q: &PeriodQuery, tr: &Tr, now: DateTime<Utc>) -> (i32, i32, Vec<String>) {
    let this_month = Month::of(now.date_naive()).0;
    let mut problems = Vec::new();
    let mut read = |text: &str, field: &str, default: i32| {
        if text.trim().is_empty() {
            return default;
        }
        parse_month(text).unwrap_or_else(|| {
            problems.push(format!("{}: {}", tr.t(field), tr.t("overview-rule-month")));
            default
        })
    };
    let from = read(&q.from, "overview-from", this_month - 11);
    let until = read(&q.until, "overview-until", this_month);
    if from > until {
        problems.push(format!("{}: {}", tr.t("overview-from"), tr.t("overview-rule-order")));
        return (this_month - 11, this_month, problems);
    }
    if until - from + 1 > MAX_MONTHS as i32 {
        problems.push(format!(
            "{}: {}",
            tr.t("overview-until"),
            tr.t1("overview-rule-span", "n", MAX_MONTHS)
        ));
        return (this_month - 11, this_month, problems);
    }
    (from, until, problems)
}

#[derive(Debug)]
pub struct Figure {
    pub label: String,
    pub value: String,
}

/// A chart with its key and the table that says the same.
#[derive(Debug, Default)]
pub struct Panel {
    pub svg: String,
    pub legend: Vec<Key>,
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Template)]
#[template(path = "staff/overview.html")]
struct OverviewPage {
    tr: Tr,
    nav: Nav,
    problems: Vec<String>,
    from: Vec<Choice>,
    until: Vec<Choice>,
    figures: Vec<Figure>,
    tags: Panel,
    factors: Vec<(String, String, i64)>,
    trust: Panel,
    needs: Panel,
    waits: Panel,
}

pub async fn show<S: Store>(
    State(state): State<Arc<AppState<S>>>,
    staff: Staff,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, StaffError> {
    let tr = staff.tr();
    let now = Utc::now();
    let (from, until, problems) = period(&q, &tr, now);
    let this_month = Month::of(now.date_naive()).0;
    let window = Period { first: Month(from), last: Month(until) };
    let agency = staff.member.agency_id;
    let store = &state.store;
    let (counts, waits) =
        tokio::try_join!(overview::counts(store, agency, window), overview::waits(store, agency, window))?;
    let overview::Counts { tags, trust, needs } = counts;
    let months: Vec<i32> = (from..=until).collect();
    let lang = tr.lang.domain();
    let factor_rows = tags
        .factors
        .iter()
        .map(|f| {
            let name =
                Factor::from_code(&f.factor).map_or_else(|| f.factor.clone(), |f| f.label(lang).to_owned());
            let polarity =
                tr.t(if f.co_destruction { "overview-co-destruction" } else { "overview-co-creation" });
            (name, polarity, f.count)
        })
        .collect();
    let (waits_panel, first_all, resolution_all) = waits_panel(&tr, &months, &waits);
    let needs_total: i64 = needs.iter().map(|n| n.count).sum();
    let destruction: i64 = tags.by_month.iter().map(|t| t.co_destruction).sum();
    let creation: i64 = tags.by_month.iter().map(|t| t.co_creation).sum();
    let figures = vec![
        Figure { label: tr.t("overview-needs-recorded"), value: needs_total.to_string() },
        Figure { label: tr.t("overview-median-first-reply"), value: duration(&tr, first_all) },
        Figure { label: tr.t("overview-median-resolution"), value: duration(&tr, resolution_all) },
        Figure { label: tr.t("overview-co-destruction-tags"), value: destruction.to_string() },
        Figure { label: tr.t("overview-co-creation-tags"), value: creation.to_string() },
    ];
    let page = OverviewPage {
        nav: Nav::new(&staff, "overview", None),
        from: month_choices(&tr, this_month, (from, until), from),
        until: month_choices(&tr, this_month, (from, until), until),
        figures,
        tags: tags_panel(&tr, &months, &tags.by_month),
        factors: factor_rows,
        trust: trust_panel(&tr, &months, &trust),
        needs: needs_panel(&tr, &needs),
        waits: waits_panel,
        problems: problems.clone(),
        tr,
    };
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, render(page)).into_response())
}

/// x positions and labels of the months, thinned to at most 12 labels.
fn month_axis(months: &[i32]) -> Vec<(f64, String)> {
    let step = months.len().div_ceil(12).max(1);
    months.iter().enumerate().step_by(step).map(|(i, m)| (i as f64, label(*m))).collect()
}

fn position(months: &[i32], month: &str) -> Option<usize> {
    parse_month(month).and_then(|m| months.iter().position(|x| *x == m))
}

fn tags_panel(tr: &Tr, months: &[i32], tags: &[overview::TagMonth]) -> Panel {
    let mut counts = vec![(0i64, 0i64); months.len()];
    for t in tags {
        if let Some(i) = position(months, &t.month) {
            counts[i] = (t.co_destruction, t.co_creation);
        }
    }
    let names = [tr.t("overview-co-destruction"), tr.t("overview-co-creation")];
    let series = vec![
        Series {
            name: names[0].clone(),
            points: counts.iter().enumerate().map(|(i, c)| (i as f64, c.0 as f64)).collect(),
        },
        Series {
            name: names[1].clone(),
            points: counts.iter().enumerate().map(|(i, c)| (i as f64, c.1 as f64)).collect(),
        },
    ];
    let top = counts.iter().map(|c| c.0.max(c.1)).max().unwrap_or(0).max(4) as f64;
    let x1 = (months.len().max(2) - 1) as f64;
    Panel {
        svg: chart::lines(&series, (0.0, x1), (0.0, top * 1.1), &month_axis(months), 640, 280),
        legend: chart::key(names.iter().map(String::as_str)),
        head: vec![tr.t("overview-month"), names[0].clone(), names[1].clone()],
        rows: months
            .iter()
            .zip(&counts)
            .map(|(m, c)| vec![label(*m), c.0.to_string(), c.1.to_string()])
            .collect(),
    }
}

/// The name of a rated subject: the service's or professional's own, or the target's label.
fn subject_name(tr: &Tr, subject: &str, written: &str) -> String {
    if written.is_empty() {
        tr.code("target", subject.split(':').next().unwrap_or("agency"))
    } else {
        written.to_owned()
    }
}

fn trust_panel(tr: &Tr, months: &[i32], trust: &[overview::TrustMonth]) -> Panel {
    // Subjects by how often they were rated, most first.
    let mut totals: BTreeMap<&str, (i64, String)> = BTreeMap::new();
    for t in trust {
        let e = totals.entry(&t.subject).or_insert((0, subject_name(tr, &t.subject, &t.label)));
        e.0 += t.ratings;
    }
    let mut order: Vec<(&str, i64, String)> = totals.into_iter().map(|(k, (n, name))| (k, n, name)).collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.2.cmp(&b.2)));
    let series: Vec<Series> = order
        .iter()
        .take(TRUST_LINES)
        .map(|(subject, _, name)| Series {
            name: name.clone(),
            points: trust
                .iter()
                .filter(|t| t.subject == *subject)
                .filter_map(|t| position(months, &t.month).map(|i| (i as f64, t.mean)))
                .collect(),
        })
        .collect();
    let x1 = (months.len().max(2) - 1) as f64;
    let rows = order
        .iter()
        .flat_map(|(subject, _, name)| {
            trust.iter().filter(move |t| t.subject == *subject).map(move |t| {
                vec![name.clone(), t.month.clone(), format_mean(tr, t.mean), t.ratings.to_string()]
            })
        })
        .collect();
    Panel {
        svg: if series.is_empty() {
            String::new()
        } else {
            chart::lines(&series, (0.0, x1), (1.0, 5.0), &month_axis(months), 640, 280)
        },
        legend: chart::key(series.iter().map(|s| s.name.as_str())),
        head: vec![
            tr.t("column-about"),
            tr.t("overview-month"),
            tr.t("overview-mean-trust"),
            tr.t("overview-ratings"),
        ],
        rows,
    }
}

fn format_mean(tr: &Tr, mean: f64) -> String {
    let text = format!("{mean:.1}");
    if tr.lang == crate::staff::i18n::UiLang::It { text.replace('.', ",") } else { text }
}

fn needs_panel(tr: &Tr, needs: &[overview::NeedCount]) -> Panel {
    let lang = tr.lang.domain();
    let categories: Vec<NeedCategory> =
        NeedCategory::ALL.iter().copied().filter(|c| needs.iter().any(|n| n.category == c.code())).collect();
    let statuses = NeedStatus::ALL;
    let values: Vec<Vec<f64>> = categories
        .iter()
        .map(|c| {
            statuses
                .iter()
                .map(|s| {
                    needs
                        .iter()
                        .filter(|n| n.category == c.code() && n.status == s.code())
                        .map(|n| n.count as f64)
                        .sum()
                })
                .collect()
        })
        .collect();
    let names: Vec<String> = statuses.iter().map(|s| tr.code("status", s.code())).collect();
    let groups: Vec<String> = categories.iter().map(|c| c.label(lang).to_owned()).collect();
    let mut head = vec![tr.t("entry-category")];
    head.extend(names.iter().cloned());
    head.push(tr.t("overview-total"));
    let rows = groups
        .iter()
        .zip(&values)
        .map(|(g, v)| {
            let mut row = vec![g.clone()];
            row.extend(v.iter().map(|x| format!("{x:.0}")));
            row.push(format!("{:.0}", v.iter().sum::<f64>()));
            row
        })
        .collect();
    Panel {
        svg: if groups.is_empty() {
            String::new()
        } else {
            chart::stacked_bars(&groups, statuses.len(), &values, 720, 300)
        },
        legend: chart::bar_key(names.iter().map(String::as_str)),
        head,
        rows,
    }
}

/// Median waits by month (a chart in days, a table in readable durations), and over the period.
fn waits_panel(tr: &Tr, months: &[i32], waits: &[overview::Waits]) -> (Panel, Option<i64>, Option<i64>) {
    let mut by_month: Vec<(Vec<i64>, Vec<i64>)> = vec![(Vec::new(), Vec::new()); months.len()];
    let (mut first_all, mut resolution_all) = (Vec::new(), Vec::new());
    for w in waits {
        let Some(i) = months.iter().position(|m| *m == w.month.0) else { continue };
        if let Some(s) = w.first_reply.filter(|s| *s >= 0) {
            by_month[i].0.push(s);
            first_all.push(s);
        }
        if let Some(s) = w.resolution.filter(|s| *s >= 0) {
            by_month[i].1.push(s);
            resolution_all.push(s);
        }
    }
    let medians: Vec<(Option<i64>, Option<i64>)> =
        by_month.iter_mut().map(|(f, r)| (median(f), median(r))).collect();
    let names = [tr.t("overview-first-reply"), tr.t("overview-resolution")];
    let days = |s: i64| s as f64 / 86_400.0;
    let series = vec![
        Series {
            name: names[0].clone(),
            points: medians
                .iter()
                .enumerate()
                .filter_map(|(i, m)| m.0.map(|s| (i as f64, days(s))))
                .collect(),
        },
        Series {
            name: names[1].clone(),
            points: medians
                .iter()
                .enumerate()
                .filter_map(|(i, m)| m.1.map(|s| (i as f64, days(s))))
                .collect(),
        },
    ];
    let top = medians.iter().flat_map(|m| [m.0, m.1]).flatten().map(days).fold(1.0, f64::max);
    let x1 = (months.len().max(2) - 1) as f64;
    let any = series.iter().any(|s| !s.points.is_empty());
    let panel = Panel {
        svg: if any {
            chart::lines(&series, (0.0, x1), (0.0, top * 1.1), &month_axis(months), 640, 280)
        } else {
            String::new()
        },
        legend: chart::key(names.iter().map(String::as_str)),
        head: vec![
            tr.t("overview-month"),
            names[0].clone(),
            names[1].clone(),
            tr.t("overview-needs-measured"),
        ],
        rows: months
            .iter()
            .zip(medians.iter().zip(&by_month))
            .map(|(m, ((f, r), (fs, rs)))| {
                vec![label(*m), duration(tr, *f), duration(tr, *r), fs.len().max(rs.len()).to_string()]
            })
            .collect(),
    };
    (panel, median(&mut first_all), median(&mut resolution_all))
}

/// A wait as staff say it: hours under two days, days after; a dash for none.
fn duration(tr: &Tr, seconds: Option<i64>) -> String {
    match seconds {
        None => "–".to_owned(),
        Some(s) if s < 2 * 86_400 => tr.t1("duration-hours", "n", (s + 1_800) / 3_600),
        Some(s) => {
            let text = format!("{:.1}", s as f64 / 86_400.0);
            let text = if tr.lang == crate::staff::i18n::UiLang::It { text.replace('.', ",") } else { text };
            tr.t1("duration-days", "n", text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staff::i18n::UiLang;
    use chrono::TimeZone;

    #[test]
    fn a_period_is_whole_months_and_refuses_what_is_not_one() {
        let tr = Tr::new(UiLang::En);
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap();
        let (from, until, problems) = period(&PeriodQuery::default(), &tr, now);
        assert_eq!((label(from), label(until), problems.len()), ("2026-01".into(), "2026-12".into(), 0));
        let q = PeriodQuery { from: "2026-05".into(), until: "2026-03".into() };
        assert_eq!(period(&q, &tr, now).2.len(), 1, "from after until");
        let q = PeriodQuery { from: "2020-01".into(), until: "2026-03".into() };
        assert_eq!(period(&q, &tr, now).2.len(), 1, "more than five years");
        let q = PeriodQuery { from: "maggio".into(), until: String::new() };
        assert!(period(&q, &tr, now).2[0].starts_with("From"), "{:?}", period(&q, &tr, now).2);
        assert_eq!(
            Month::parse("2026-03").unwrap().start(),
            Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap()
        );
    }

    #[test]
    fn waits_read_in_hours_then_days() {
        let tr = Tr::new(UiLang::It);
        assert_eq!(duration(&tr, None), "–");
        assert_eq!(duration(&tr, Some(5 * 3_600)), "5 ore");
        assert_eq!(duration(&tr, Some(3 * 86_400 + 43_200)), "3,5 giorni");
    }
}
