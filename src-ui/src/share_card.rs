//! The picture shared with a completion: a square card drawn on a canvas in the app's own font
//! stack (the system's fonts, Chinese included), so that a post in the community feed says at a
//! glance what was done and what it earned. The shell checks and re-encodes it like any photo.

use hearth_core::text::wrap_to_width;
use wasm_bindgen::{JsCast as _, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// Side of the card in pixels (a square, as feeds show best).
pub const SIDE: u32 = 1080;
/// The app's font stack (`style.css`).
const FONT: &str = "system-ui, -apple-system, \"Segoe UI\", Roboto, \"Noto Sans CJK SC\", \"Noto Sans SC\", \
                    \"PingFang SC\", \"Microsoft YaHei\", sans-serif";
/// Colours of `style.css`: paper, brand, ink, muted ink, success.
const PAPER: &str = "#fff8f1";
const BRAND_SOFT: &str = "#fbe3d6";
const BRAND: &str = "#a3401f";
const INK: &str = "#2b1d14";
const MUTED: &str = "#5c4a3d";
const SUCCESS: &str = "#1e6b3a";
/// Room left and right of the text.
const MARGIN: f64 = 96.0;

/// What the card says, already in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// "Challenge completed".
    pub heading: String,
    /// The challenge's title.
    pub title: String,
    /// "+20 points".
    pub points: String,
    /// One line per badge the completion earned.
    pub badges: Vec<String>,
    /// The brand and the date.
    pub footer: String,
}

/// The card as a PNG: its bytes (for the shell) and a `data:` URL (to show before posting).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The PNG file.
    pub png: Vec<u8>,
    /// The same, as a `data:image/png;base64,...` URL.
    pub url: String,
}

/// Draws `card`.
pub fn render(card: &Card) -> Result<Rendered, JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let canvas: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
    canvas.set_width(SIDE);
    canvas.set_height(SIDE);
    let cx: CanvasRenderingContext2d = canvas.get_context("2d")?.ok_or("no 2d context")?.dyn_into()?;
    draw(&cx, card)?;
    let url = canvas.to_data_url_with_type("image/png")?;
    let base64 = url.split_once(',').map(|(_, data)| data).ok_or("not a data URL")?;
    // `atob` answers one char per byte.
    let png = window.atob(base64)?.chars().map(|c| u8::try_from(u32::from(c)).unwrap_or(0)).collect();
    Ok(Rendered { png, url })
}

fn draw(cx: &CanvasRenderingContext2d, card: &Card) -> Result<(), JsValue> {
    let side = f64::from(SIDE);
    let middle = side / 2.0;
    let paper = cx.create_linear_gradient(0.0, 0.0, 0.0, side);
    paper.add_color_stop(0.0, PAPER)?;
    paper.add_color_stop(1.0, BRAND_SOFT)?;
    cx.set_fill_style_canvas_gradient(&paper);
    cx.fill_rect(0.0, 0.0, side, side);

    // The same mark as the completion dialog: a green disc with a tick.
    cx.begin_path();
    cx.arc(middle, 210.0, 104.0, 0.0, std::f64::consts::TAU)?;
    cx.set_fill_style_str(SUCCESS);
    cx.fill();
    cx.begin_path();
    cx.move_to(middle - 48.0, 214.0);
    cx.line_to(middle - 12.0, 250.0);
    cx.line_to(middle + 52.0, 172.0);
    cx.set_stroke_style_str("#ffffff");
    cx.set_line_width(22.0);
    cx.set_line_cap("round");
    cx.set_line_join("round");
    cx.stroke();

    cx.set_text_align("center");
    cx.set_text_baseline("alphabetic");
    let mut y = 400.0;
    y = paragraph(cx, &card.heading, &Style { size: 48.0, weight: 600, colour: MUTED, max_lines: 1 }, y)?;
    y = paragraph(cx, &card.title, &Style { size: 72.0, weight: 700, colour: INK, max_lines: 3 }, y + 28.0)?;
    y = paragraph(
        cx,
        &card.points,
        &Style { size: 88.0, weight: 800, colour: SUCCESS, max_lines: 1 },
        y + 36.0,
    )?;
    for badge in card.badges.iter().take(2) {
        y = paragraph(cx, badge, &Style { size: 44.0, weight: 600, colour: BRAND, max_lines: 1 }, y + 16.0)?;
    }

    // The footer band: the brand and the date.
    cx.set_fill_style_str(BRAND);
    cx.fill_rect(0.0, side - 120.0, side, 120.0);
    paragraph(
        cx,
        &card.footer,
        &Style { size: 40.0, weight: 600, colour: "#ffffff", max_lines: 1 },
        side - 96.0,
    )?;
    Ok(())
}

/// How a paragraph is set.
struct Style {
    size: f64,
    weight: u16,
    colour: &'static str,
    max_lines: usize,
}

/// Sets `text` centred from `top`, wrapped to the card's width; answers where it ends.
fn paragraph(cx: &CanvasRenderingContext2d, text: &str, style: &Style, top: f64) -> Result<f64, JsValue> {
    cx.set_font(&format!("{} {}px {FONT}", style.weight, style.size));
    cx.set_fill_style_str(style.colour);
    let width = f64::from(SIDE) - 2.0 * MARGIN;
    let measure = |s: &str| cx.measure_text(s).map(|m| m.width()).unwrap_or(f64::MAX);
    let line_height = style.size * 1.25;
    let mut y = top;
    for line in wrap_to_width(text, width, style.max_lines, measure) {
        y += line_height;
        // A word wider than the card is squeezed to fit rather than cut.
        cx.fill_text_with_max_width(&line, f64::from(SIDE) / 2.0, y - style.size * 0.25, width)?;
    }
    Ok(y)
}
