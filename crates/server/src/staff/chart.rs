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

const PALETTE: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
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
    let mut chart = ChartBuilder::on(root)
        .margin(12)
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
