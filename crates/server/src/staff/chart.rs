//! Charts as SVG drawn on the server with plotters: no script, nothing from another host, and
//! every chart has a table beside it carrying the same numbers for screen readers (the SVG
//! itself is `aria-hidden`).

use plotters::prelude::*;

/// One line of a chart: a name and its points (x as a position along the axis, y the value).
#[derive(Debug, Clone)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

/// A line chart of `series` over x from `x0` to `x1` and y from `y0` to `y1`, with `x_labels`
/// naming positions on the x axis. Colour-blind-safe colours, each line also with its own
/// marker so it does not depend on colour alone.
pub fn lines(
    series: &[Series],
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
    x_labels: &[(f64, String)],
    width: u32,
    height: u32,
) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        if draw(&root, series, (x0, x1), (y0, y1), x_labels).is_err() {
            return String::new();
        }
        if root.present().is_err() {
            return String::new();
        }
    }
    // Decorative for assistive technology: the table beside it says the same.
    svg.replacen("<svg ", "<svg aria-hidden=\"true\" focusable=\"false\" class=\"chart\" ", 1)
}

/// A chart's key, drawn in HTML beside the SVG: the marker and colour of each line or segment
/// (`swatch s<i> m<j>` in staff.css: the colours of [`PALETTE`] and the markers' shapes, circle,
/// triangle, cross) with its name. Okabe-Ito colours, the light ones darkened to 3:1 on white.
#[derive(Debug, Clone)]
pub struct Key {
    /// `swatch s<colour> m<marker>`.
    pub class: String,
    pub name: String,
}

/// The key of `names`, in drawing order.
pub fn key<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<Key> {
    names
        .into_iter()
        .enumerate()
        .map(|(i, name)| Key {
            class: format!("swatch s{} m{}", i % PALETTE.len(), i % 3),
            name: name.to_owned(),
        })
        .collect()
}

/// The key of a bar chart's segments: square swatches of the same colours.
pub fn bar_key<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<Key> {
    names
        .into_iter()
        .enumerate()
        .map(|(i, name)| Key { class: format!("swatch s{}", i % PALETTE.len()), name: name.to_owned() })
        .collect()
}

/// Stacked bars: one bar per `groups` label, made of one segment per `segments` name, heights
/// `values[group][segment]`. Each segment has its colour and, for readers who cannot tell the
/// colours apart, the table beside the chart.
pub fn stacked_bars(
    groups: &[String],
    segments: usize,
    values: &[Vec<f64>],
    width: u32,
    height: u32,
) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        if draw_bars(&root, groups, segments, values).is_err() || root.present().is_err() {
            return String::new();
        }
    }
    svg.replacen("<svg ", "<svg aria-hidden=\"true\" focusable=\"false\" class=\"chart\" ", 1)
}

fn draw_bars(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    groups: &[String],
    segments: usize,
    values: &[Vec<f64>],
) -> Result<(), Fail> {
    root.fill(&WHITE)?;
    let top = values.iter().map(|v| v.iter().sum::<f64>()).fold(0.0, f64::max).max(1.0);
    let n = groups.len().max(1);
    let mut chart = ChartBuilder::on(root)
        .margin(12)
        .x_label_area_size(28)
        .y_label_area_size(40)
        .build_cartesian_2d(0.0..n as f64, 0.0..top * 1.05)?;
    let labels = groups.to_vec();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n * 2 + 1)
        .x_label_formatter(&|x| {
            // Labels sit at the middle of each bar; other positions stay empty.
            let i = x.floor();
            if (x - i - 0.5).abs() < 0.01 {
                labels.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_labels(6)
        .y_label_formatter(&|y| format!("{y:.0}"))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()?;
    for (g, row) in values.iter().enumerate() {
        let mut base = 0.0;
        for (s, v) in row.iter().take(segments).enumerate() {
            let colour = PALETTE[s % PALETTE.len()];
            let (x0, x1) = (g as f64 + 0.15, g as f64 + 0.85);
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x0, base), (x1, base + v)],
                colour.filled(),
            )))?;
            base += v;
        }
    }
    Ok(())
}

const PALETTE: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(170, 51, 119),
    RGBColor(68, 68, 68),
    RGBColor(117, 112, 179),
];

type Fail = Box<dyn std::error::Error>;

fn draw(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    series: &[Series],
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
    x_labels: &[(f64, String)],
) -> Result<(), Fail> {
    root.fill(&WHITE)?;
    // The last month's label is centred on the right edge: room for its second half.
    let mut chart = ChartBuilder::on(root)
        .margin(12)
        .margin_right(32)
        .x_label_area_size(28)
        .y_label_area_size(32)
        .build_cartesian_2d(x0..x1.max(x0 + 1.0), y0..y1)?;
    let labels = x_labels.to_vec();
    chart
        .configure_mesh()
        .x_labels(x_labels.len().max(2))
        .x_label_formatter(&|x| {
            labels
                .iter()
                .min_by(|a, b| (a.0 - x).abs().total_cmp(&(b.0 - x).abs()))
                .map(|l| l.1.clone())
                .unwrap_or_default()
        })
        .y_labels(((y1 - y0) as usize + 1).min(11))
        .y_label_formatter(&|y| if y.fract().abs() < 1e-9 { format!("{y:.0}") } else { format!("{y:.1}") })
        .light_line_style(RGBColor(235, 235, 235))
        .draw()?;
    for (i, s) in series.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        chart.draw_series(LineSeries::new(s.points.iter().copied(), colour.stroke_width(2)))?;
        match i % 3 {
            0 => chart.draw_series(s.points.iter().map(|p| Circle::new(*p, 4, colour.filled())))?,
            1 => chart.draw_series(s.points.iter().map(|p| TriangleMarker::new(*p, 5, colour.filled())))?,
            _ => chart.draw_series(s.points.iter().map(|p| Cross::new(*p, 4, colour.stroke_width(2))))?,
        };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_is_an_svg_hidden_from_screen_readers() {
        let s = Series { name: "Pasti".into(), points: vec![(0.0, 4.0), (1.0, 2.0)] };
        let svg = lines(
            &[s],
            (0.0, 1.0),
            (1.0, 5.0),
            &[(0.0, "2026-10".into()), (1.0, "2026-11".into())],
            480,
            240,
        );
        assert!(svg.starts_with("<svg aria-hidden=\"true\""), "{}", &svg[..svg.len().min(200)]);
        assert!(svg.contains("<polyline") || svg.contains("<path"), "a line is drawn");
    }
}
