//! Dashboard charts as inline SVG: no script, no third-party library, no inline style (the
//! Content-Security-Policy forbids it; SVG presentation attributes are not styles). Each
//! chart is an `<svg role="img">` with a title and a description, and the page shows the same
//! figures in a table beside it, so nothing is conveyed by the picture alone.
//!
//! Every text that reaches the SVG is escaped here ([`esc`]); the page inserts the result
//! unescaped.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use steward_policy::render::escape as esc;
use steward_requests::selfservice::WeekFigures;

/// Colours distinguishable with common colour-vision deficiencies (Okabe–Ito).
const PALETTE: [&str; 8] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#6B6B00", "#000000",
];

const W: f64 = 560.0;
const H: f64 = 260.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;

fn open(out: &mut String, id: &str, title: &str, desc: &str, height: f64) {
    let _ = write!(
        out,
        r#"<svg class="chart" viewBox="0 0 {W} {height}" width="100%" role="img" aria-labelledby="{id}-t {id}-d" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        esc(title),
        esc(desc)
    );
}

/// A round step for an axis reaching `max` in about four steps (whole numbers for counts).
fn nice_step(max: f64, counts: bool) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let raw = max / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let n = raw / mag;
    let m = if n <= 1.0 {
        1.0
    } else if n <= 2.0 {
        2.0
    } else if n <= 5.0 {
        5.0
    } else {
        10.0
    };
    let step = (m * mag).max(f64::EPSILON);
    if counts { step.max(1.0) } else { step }
}

fn fmt_num(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// Horizontal grid lines and y labels; returns the axis maximum.
fn y_axis(out: &mut String, max: f64, height: f64, suffix: &str, counts: bool) -> f64 {
    let step = nice_step(max, counts);
    let top = (max / step).ceil().max(1.0) * step;
    let plot_h = height - TOP - BOTTOM;
    let mut v = 0.0;
    while v <= top + step / 2.0 {
        let y = TOP + plot_h - v / top * plot_h;
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#d0d4da" stroke-width="1"/><text x="{}" y="{:.1}" text-anchor="end" font-size="13" fill="#33383f">{}{}</text>"##,
            W - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            fmt_num(v),
            esc(suffix)
        );
        v += step;
    }
    top
}

fn week_label(w: &WeekFigures) -> String {
    w.start.strftime("%b %d").to_string()
}

fn x_labels(out: &mut String, weeks: &[WeekFigures], slot: f64, height: f64) {
    let every = weeks.len().div_ceil(6).max(1);
    for (i, w) in weeks.iter().enumerate() {
        if i % every != 0 {
            continue;
        }
        let x = LEFT + slot * (i as f64 + 0.5);
        let _ = write!(
            out,
            r##"<text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="13" fill="#33383f">{}</text>"##,
            height - BOTTOM + 16.0,
            esc(&week_label(w))
        );
    }
}

/// The request kinds present, in a stable order.
#[must_use]
pub fn kinds(weeks: &[WeekFigures]) -> Vec<String> {
    let set: BTreeSet<&String> = weeks.iter().flat_map(|w| w.received.keys()).collect();
    set.into_iter().cloned().collect()
}

/// Requests received per week, stacked by kind, with a legend.
#[must_use]
pub fn requests_per_week(weeks: &[WeekFigures]) -> String {
    let kinds = kinds(weeks);
    let legend_rows = kinds.len().div_ceil(4);
    let height = H + 20.0 * legend_rows as f64;
    let mut out = String::with_capacity(4096);
    let total: u64 = weeks.iter().flat_map(|w| w.received.values()).sum();
    open(
        &mut out,
        "chart-requests",
        "Requests received per week, by kind",
        &format!(
            "{total} requests over {} weeks; the table below gives each week's figures",
            weeks.len()
        ),
        height,
    );
    let max = weeks
        .iter()
        .map(|w| w.received.values().sum::<u64>())
        .max()
        .unwrap_or(0) as f64;
    let plot_h = H - TOP - BOTTOM;
    let top = y_axis(&mut out, max, H, "", true);
    let slot = (W - LEFT - RIGHT) / weeks.len().max(1) as f64;
    let bar = (slot * 0.7).max(2.0);
    for (i, w) in weeks.iter().enumerate() {
        let x = LEFT + slot * i as f64 + (slot - bar) / 2.0;
        let mut base = 0.0;
        for (k, kind) in kinds.iter().enumerate() {
            let n = w.received.get(kind).copied().unwrap_or(0) as f64;
            if n == 0.0 {
                continue;
            }
            let y0 = TOP + plot_h - (base + n) / top * plot_h;
            let h = n / top * plot_h;
            let _ = write!(
                out,
                r#"<rect x="{x:.1}" y="{y0:.1}" width="{bar:.1}" height="{h:.1}" fill="{}"><title>{}: {} {}</title></rect>"#,
                PALETTE[k % PALETTE.len()],
                esc(&week_label(w)),
                fmt_num(n),
                esc(kind)
            );
            base += n;
        }
    }
    x_labels(&mut out, weeks, slot, H);
    for (k, kind) in kinds.iter().enumerate() {
        let col = (k % 4) as f64;
        let row = (k / 4) as f64;
        let x = LEFT + col * 125.0;
        let y = H + row * 20.0;
        let _ = write!(
            out,
            r##"<rect x="{x:.1}" y="{:.1}" width="12" height="12" fill="{}"/><text x="{:.1}" y="{:.1}" font-size="13" fill="#1d2127">{}</text>"##,
            y - 10.0,
            PALETTE[k % PALETTE.len()],
            x + 16.0,
            y,
            esc(&kind.replace('_', " "))
        );
    }
    out.push_str("</svg>");
    out
}

/// A line over the weeks (gaps where a week has no value), with a dot per value.
#[must_use]
pub fn weekly_line(
    id: &str,
    title: &str,
    weeks: &[WeekFigures],
    values: &[Option<f64>],
    suffix: &str,
) -> String {
    let mut out = String::with_capacity(2048);
    let known = values.iter().flatten().count();
    open(
        &mut out,
        id,
        title,
        &format!(
            "{known} of {} weeks have a value; the table below gives each week's figure",
            weeks.len()
        ),
        H,
    );
    let max = values.iter().flatten().copied().fold(0.0_f64, f64::max);
    let top = y_axis(&mut out, max, H, suffix, false);
    let plot_h = H - TOP - BOTTOM;
    let slot = (W - LEFT - RIGHT) / weeks.len().max(1) as f64;
    let mut path = String::new();
    let mut pen_down = false;
    for (i, v) in values.iter().enumerate() {
        let x = LEFT + slot * (i as f64 + 0.5);
        match v {
            Some(v) => {
                let y = TOP + plot_h - v / top * plot_h;
                let _ = write!(path, "{}{x:.1},{y:.1} ", if pen_down { "L" } else { "M" });
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    if !path.is_empty() {
        let _ = write!(
            out,
            r##"<path d="{}" fill="none" stroke="#0072B2" stroke-width="2"/>"##,
            path.trim_end()
        );
    }
    for (i, v) in values.iter().enumerate() {
        if let Some(v) = v {
            let x = LEFT + slot * (i as f64 + 0.5);
            let y = TOP + plot_h - v / top * plot_h;
            let _ = write!(
                out,
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="3.5" fill="#0072B2"><title>{}: {}{}</title></circle>"##,
                esc(&week_label(&weeks[i])),
                fmt_num(*v),
                esc(suffix)
            );
        }
    }
    if known == 0 {
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" text-anchor="middle" font-size="13" fill="#33383f">No data in this period</text>"##,
            W / 2.0,
            H / 2.0
        );
    }
    x_labels(&mut out, weeks, slot, H);
    out.push_str("</svg>");
    out
}

/// Decisions by reason: one horizontal bar per `(reason, allow)` under its label, allow in
/// blue, deny in vermilion (and said in words).
#[must_use]
pub fn decisions_by_reason(rows: &[(String, bool, u64)]) -> String {
    let rows = &rows[..rows.len().min(10)];
    let row_h = 40.0;
    let left = 8.0;
    let height = TOP + row_h * rows.len().max(1) as f64;
    let mut out = String::with_capacity(2048);
    let total: u64 = rows.iter().map(|r| r.2).sum();
    open(
        &mut out,
        "chart-decisions",
        "Decisions by reason",
        &format!(
            "{total} decisions in the {} most frequent outcomes; the table below lists them",
            rows.len()
        ),
        height,
    );
    let max = rows.iter().map(|r| r.2).max().unwrap_or(0).max(1) as f64;
    let plot_w = W - left - RIGHT - 56.0;
    for (i, (reason, allow, n)) in rows.iter().enumerate() {
        let y = TOP + row_h * i as f64;
        let w = (*n as f64 / max * plot_w).max(1.0);
        let (colour, word) = if *allow {
            ("#0072B2", "allow")
        } else {
            ("#D55E00", "deny")
        };
        let _ = write!(
            out,
            r##"<text x="{left}" y="{:.1}" font-size="13" fill="#1d2127">{} · {}</text><rect x="{left}" y="{:.1}" width="{w:.1}" height="14" fill="{colour}"><title>{}: {} {}</title></rect><text x="{:.1}" y="{:.1}" font-size="13" fill="#1d2127">{}</text>"##,
            y + 4.0,
            word,
            esc(&reason.replace('_', " ")),
            y + 10.0,
            esc(reason),
            n,
            word,
            left + w + 6.0,
            y + 22.0,
            n
        );
    }
    if rows.is_empty() {
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" text-anchor="middle" font-size="13" fill="#33383f">No decisions in this period</text>"##,
            W / 2.0,
            TOP + 14.0
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn week(d: &str, kinds: &[(&str, u64)]) -> WeekFigures {
        WeekFigures {
            start: d.parse().unwrap(),
            received: kinds
                .iter()
                .map(|(k, n)| ((*k).to_string(), *n))
                .collect::<BTreeMap<_, _>>(),
            closed: 0,
            median_days_to_close: None,
            sale_share_choices: 0,
            opt_outs: 0,
        }
    }

    #[test]
    fn charts_are_svg_with_titles_and_escaped_labels() {
        let weeks = vec![
            week("2024-02-26", &[("deletion", 2), ("access", 1)]),
            week("2024-03-04", &[("<script>", 1)]),
        ];
        let s = requests_per_week(&weeks);
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"));
        assert!(s.contains("role=\"img\"") && s.contains("<title id=\"chart-requests-t\">"));
        assert!(!s.contains("<script>") && s.contains("&lt;script&gt;"));
        assert_eq!(
            s.matches("<rect").count(),
            3 + 3,
            "3 bars and 3 legend keys"
        );
        assert!(!s.contains("style="), "no inline style under the CSP");
        let l = weekly_line("x", "t", &weeks, &[Some(2.5), None], " d");
        assert_eq!(l.matches("<circle").count(), 1);
        let d = decisions_by_reason(&[("no_rule".into(), false, 5), ("ok".into(), true, 9)]);
        assert!(d.contains("deny · no rule") && d.contains("allow · ok"));
    }

    #[test]
    fn axis_steps_are_round() {
        assert_eq!(nice_step(10.0, true), 5.0);
        assert_eq!(nice_step(3.0, true), 1.0);
        assert_eq!(nice_step(1.0, true), 1.0, "no half requests");
        assert_eq!(nice_step(1.0, false), 0.5);
        assert_eq!(nice_step(100.0, false), 50.0);
        assert!(nice_step(0.0, false) > 0.0);
    }
}
