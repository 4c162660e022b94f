//! The room preview screen: the demo room or a photo of the user's room, marked once (floor
//! rectangle, then optionally a wall), with true-to-size products placed by tapping, dragged,
//! moved with the arrow keys, turned, lit and removed; the picture saved at the photo's size.
//! The shell renders every frame offscreen and serves it over its `preview:` scheme.

use hearth_core::ipc::{CommandError, PreviewItem, PreviewLight, PreviewMount, PreviewState};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::api;
use crate::errors::{self, Doing};
use crate::i18n::{I18n, use_i18n};

/// What a tap on the picture does.
#[derive(Debug, Clone, PartialEq)]
enum Mode {
    /// Selects nothing (products are selected through their handles).
    Pick,
    /// Places this product.
    Place(String),
    /// Marks the floor rectangle's corners (up to four).
    Floor(Vec<[f64; 2]>),
    /// Marks the wall's foot (two points).
    Wall(Vec<[f64; 2]>),
}

/// What just happened, shown until the next thing happens (translated as the language changes).
#[derive(Debug, Clone, PartialEq)]
enum Notice {
    OpeningPhoto,
    Exporting,
    Sharing,
    Shared,
    Exported { path: String, width: u32, height: u32 },
}

impl Notice {
    fn text(&self, i18n: I18n) -> String {
        match self {
            Notice::OpeningPhoto => i18n.t("preview-loading-photo"),
            Notice::Exporting => i18n.t("preview-exporting"),
            Notice::Sharing => i18n.t("preview-sharing"),
            Notice::Shared => i18n.t("preview-shared"),
            Notice::Exported { path, width, height } => i18n.t_with(
                "preview-exported",
                &[("path", path.clone().into()), ("width", (*width).into()), ("height", (*height).into())],
            ),
        }
    }
}

/// How far one arrow key moves a product, as a share of the picture's width.
const ARROW_STEP: f64 = 0.01;

/// The screen's signals, shared by its handlers.
#[derive(Clone, Copy)]
struct Screen {
    state: RwSignal<Option<PreviewState>>,
    mode: RwSignal<Mode>,
    selected: RwSignal<Option<u32>>,
    /// A message id: the last refusal.
    error: RwSignal<Option<String>>,
    /// What just happened (saved, opening…).
    notice: RwSignal<Option<Notice>>,
    busy: RwSignal<bool>,
    /// Where a drag wants its product next, while a move is in flight.
    pending_move: StoredValue<Option<(u32, [f64; 2])>>,
    moving: RwSignal<bool>,
}

impl Screen {
    fn apply(self, result: Result<PreviewState, CommandError>) -> bool {
        match result {
            Ok(state) => {
                if let Some(id) = self.selected.get_untracked()
                    && !state.items.iter().any(|item| item.id == id)
                {
                    self.selected.set(None);
                }
                self.error.set(None);
                self.state.set(Some(state));
                true
            }
            Err(error) => {
                leptos::logging::warn!("room preview: {} ({})", error.message, error.code);
                self.error.set(Some(error_id(&error)));
                false
            }
        }
    }

    /// Runs an edit and shows its result.
    fn edit(self, edit: impl Future<Output = Result<PreviewState, CommandError>> + 'static) {
        spawn_local(async move {
            self.apply(edit.await);
        });
    }

    /// Moves `id` to `at`, keeping one move in flight and only the latest waiting.
    fn move_item(self, id: u32, at: [f64; 2]) {
        self.pending_move.set_value(Some((id, at)));
        if self.moving.get_untracked() {
            return;
        }
        self.moving.set(true);
        spawn_local(async move {
            while let Some((id, at)) = self.pending_move.try_update_value(Option::take).flatten() {
                self.apply(api::preview_move(id, at).await);
            }
            self.moving.set(false);
        });
    }

    fn size(self) -> [f64; 2] {
        self.state.with_untracked(|s| s.as_ref().map_or([1280.0, 720.0], |s| s.image_size.map(f64::from)))
    }
}

/// The message id for a refusal.
fn error_id(error: &CommandError) -> String {
    errors::message_id(error.code, Doing::UsingPreview).to_owned()
}

/// Where the shell serves frames: a custom scheme, spelled per platform.
fn frame_base() -> &'static str {
    let agent = web_sys::window().and_then(|w| w.navigator().user_agent().ok()).unwrap_or_default();
    if agent.contains("Windows") || agent.contains("Android") {
        "http://preview.localhost"
    } else {
        "preview://localhost"
    }
}

/// A pointer position as a point of the image, in the image's pixels.
fn image_point(x: i32, y: i32, image: &web_sys::Element, size: [f64; 2]) -> Option<[f64; 2]> {
    let rect = image.get_bounding_client_rect();
    if rect.width() <= 0.0 || rect.height() <= 0.0 {
        return None;
    }
    let px = (f64::from(x) - rect.left()) / rect.width() * size[0];
    let py = (f64::from(y) - rect.top()) / rect.height() * size[1];
    Some([px.clamp(0.0, size[0]), py.clamp(0.0, size[1])])
}

fn product_name(i18n: I18n, id: &str) -> String {
    i18n.t(&format!("product-{id}"))
}

/// The room preview screen.
#[component]
pub fn RoomPreview() -> impl IntoView {
    let i18n = use_i18n();
    let screen = Screen {
        state: RwSignal::new(None),
        mode: RwSignal::new(Mode::Pick),
        selected: RwSignal::new(None),
        error: RwSignal::new(None),
        notice: RwSignal::new(None),
        busy: RwSignal::new(false),
        pending_move: StoredValue::new(None),
        moving: RwSignal::new(false),
    };
    screen.edit(api::preview_state());
    let image_ref = NodeRef::<leptos::html::Img>::new();
    let frame_width = RwSignal::new(1280u32);
    let frame_failed = RwSignal::new(false);
    // Frames as wide as the picture shows on screen, in device pixels, in steps so a resize does
    // not ask for a new frame at every pixel.
    let measure = move || {
        if let (Some(image), Some(window)) = (image_ref.get_untracked(), web_sys::window()) {
            let css = f64::from(image.client_width()).max(320.0);
            let pixels = (css * window.device_pixel_ratio()).min(2560.0);
            let stepped = ((pixels / 160.0).ceil() * 160.0) as u32;
            if stepped != frame_width.get_untracked() {
                frame_width.set(stepped);
            }
        }
    };
    Effect::new(move |_| {
        if image_ref.get().is_some() {
            measure();
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());

    let frame_src = move || {
        screen.state.with(|s| {
            s.as_ref().map(|s| format!("{}/frame?w={}&rev={}", frame_base(), frame_width.get(), s.revision))
        })
    };
    let on_picture_click = move |event: web_sys::MouseEvent| {
        let Some(image) = image_ref.get_untracked() else { return };
        let Some(at) = image_point(event.client_x(), event.client_y(), &image, screen.size()) else { return };
        match screen.mode.get_untracked() {
            Mode::Pick => screen.selected.set(None),
            Mode::Place(product) => place(screen, product, at),
            Mode::Floor(mut marks) => {
                if marks.len() < 4 {
                    marks.push(at);
                    screen.mode.set(Mode::Floor(marks));
                }
            }
            Mode::Wall(mut marks) => {
                marks.push(at);
                if let [from, to] = marks[..] {
                    screen.mode.set(Mode::Pick);
                    screen.edit(api::preview_set_wall(from, to));
                } else {
                    screen.mode.set(Mode::Wall(marks));
                }
            }
        }
    };
    let count = move || screen.state.with(|s| s.as_ref().map_or(0, |s| s.items.len()));

    view! {
        <section class="preview" aria-labelledby="preview-title">
            <h2 id="preview-title">{move || i18n.t("preview-title")}</h2>
            <p class="intro">{move || i18n.t("preview-intro")}</p>
            <Toolbar screen=screen />
            <p class="hint" aria-live="polite" data-testid="preview-hint">{move || hint(i18n, screen)}</p>
            <FloorSize screen=screen />
            <p class="problem" role="alert" data-testid="preview-error">
                {move || screen.error.get().map(|id| i18n.t(&id))}
            </p>
            <p class="preview-notice" aria-live="polite" data-testid="preview-notice">{move || screen.notice.get().map(|notice| notice.text(i18n))}</p>
            <div class="preview-layout">
                <div class="stage" class:placing=move || !matches!(screen.mode.get(), Mode::Pick)>
                    <img
                        node_ref=image_ref
                        data-testid="preview-frame"
                        src=frame_src
                        alt=move || i18n.t_with("preview-frame-alt", &[("count", count().into())])
                        on:click=on_picture_click
                        on:load=move |_| frame_failed.set(false)
                        on:error=move |_| frame_failed.set(true)
                        draggable="false"
                    />
                    <Marks screen=screen />
                    <Handles screen=screen image_ref=image_ref />
                    <Show when=move || frame_failed.get()>
                        <p class="problem frame-failed">{move || i18n.t("preview-frame-failed")}</p>
                    </Show>
                </div>
                <aside class="preview-panel">
                    <Selected screen=screen />
                    <ProductPicker screen=screen />
                    <Placed screen=screen />
                </aside>
            </div>
        </section>
    }
}

fn place(screen: Screen, product: String, at: [f64; 2]) {
    screen.mode.set(Mode::Pick);
    spawn_local(async move {
        let result = api::preview_place(product, at).await;
        let newest = result.as_ref().ok().and_then(|s| s.items.last().map(|item| item.id));
        if screen.apply(result) {
            screen.selected.set(newest);
        }
    });
}

/// What to do next, in a sentence.
fn hint(i18n: I18n, screen: Screen) -> String {
    let (calibrated, demo) =
        screen.state.with(|s| s.as_ref().map_or((true, true), |s| (s.calibrated, s.demo)));
    match screen.mode.get() {
        Mode::Place(product) => {
            i18n.t_with("preview-hint-place", &[("product", product_name(i18n, &product).into())])
        }
        Mode::Floor(marks) if marks.len() < 4 => {
            if marks.is_empty() {
                i18n.t("preview-hint-uncalibrated")
            } else {
                i18n.t_with("preview-hint-floor-marks", &[("left", (4 - marks.len()).into())])
            }
        }
        Mode::Floor(_) => i18n.t("preview-hint-size"),
        Mode::Wall(_) => i18n.t("preview-hint-wall"),
        Mode::Pick if !calibrated && !demo => i18n.t("preview-hint-uncalibrated"),
        Mode::Pick => i18n.t("preview-hint-pick"),
    }
}

/// Photo or demo room, marking, saving.
#[component]
fn Toolbar(screen: Screen) -> impl IntoView {
    let i18n = use_i18n();
    let demo = move || screen.state.with(|s| s.as_ref().is_none_or(|s| s.demo));
    let calibrated = move || screen.state.with(|s| s.as_ref().is_some_and(|s| s.calibrated));
    let on_file = move |event: web_sys::Event| {
        let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        // Let the same file be chosen again later.
        input.set_value("");
        screen.busy.set(true);
        screen.notice.set(Some(Notice::OpeningPhoto));
        spawn_local(async move {
            let bytes = match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => js_sys::Uint8Array::new(&buffer),
                Err(_) => {
                    screen.error.set(Some("preview-damaged-image".into()));
                    screen.busy.set(false);
                    screen.notice.set(None);
                    return;
                }
            };
            let result = api::preview_import_photo(bytes).await;
            screen.notice.set(None);
            if screen.apply(result) {
                screen.selected.set(None);
                screen.mode.set(Mode::Floor(Vec::new()));
            }
            screen.busy.set(false);
        });
    };
    let use_demo = move |_| {
        screen.mode.set(Mode::Pick);
        screen.selected.set(None);
        screen.edit(api::preview_use_demo());
    };
    let export = move |_| {
        screen.busy.set(true);
        screen.notice.set(Some(Notice::Exporting));
        spawn_local(async move {
            match api::preview_export().await {
                Ok(saved) => screen.notice.set(Some(Notice::Exported {
                    path: saved.path,
                    width: saved.width,
                    height: saved.height,
                })),
                Err(error) => {
                    screen.notice.set(None);
                    screen.error.set(Some(error_id(&error)));
                }
            }
            screen.busy.set(false);
        });
    };
    let shell = expect_context::<crate::state::ShellData>();
    let caption = RwSignal::new(String::new());
    let share = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        screen.busy.set(true);
        screen.notice.set(Some(Notice::Sharing));
        spawn_local(async move {
            match api::preview_share(caption.get_untracked()).await {
                Ok(_) => {
                    caption.set(String::new());
                    screen.error.set(None);
                    screen.notice.set(Some(Notice::Shared));
                }
                Err(error) => {
                    screen.notice.set(None);
                    screen.error.set(Some(error_id(&error)));
                }
            }
            screen.busy.set(false);
        });
    };
    view! {
        <div class="preview-toolbar" role="toolbar" aria-label=move || i18n.t("preview-title")>
            <label class="file-button">
                <input
                    type="file"
                    class="visually-hidden"
                    accept="image/jpeg,image/png,image/webp"
                    data-testid="preview-photo-input"
                    disabled=move || screen.busy.get()
                    on:change=on_file
                />
                <span>{move || i18n.t("preview-use-photo")}</span>
            </label>
            <button type="button" class="secondary" disabled=move || demo() || screen.busy.get() on:click=use_demo>
                {move || i18n.t("preview-use-demo")}
            </button>
            <Show when=move || !demo()>
                <button type="button" class="secondary" on:click=move |_| screen.mode.set(Mode::Floor(Vec::new()))>
                    {move || i18n.t("preview-mark-floor")}
                </button>
            </Show>
            <Show when=move || !demo() && calibrated()>
                <button type="button" class="secondary" on:click=move |_| screen.mode.set(Mode::Wall(Vec::new()))>
                    {move || i18n.t("preview-mark-wall")}
                </button>
            </Show>
            <button type="button" data-testid="preview-export" disabled=move || screen.busy.get() on:click=export>
                {move || i18n.t("preview-export")}
            </button>
        </div>
        <Show when=move || shell.account.get().is_some()>
            <form class="share" on:submit=share>
                <label>
                    <span>{move || i18n.t("preview-share-caption")}</span>
                    <input type="text" maxlength="2000" id="preview-share-caption-input" data-testid="preview-share-caption"
                        prop:value=move || caption.get() on:input=move |e| caption.set(event_target_value(&e)) />
                </label>
                <button type="submit" class="secondary" data-testid="preview-share" disabled=move || screen.busy.get()>
                    {move || i18n.t("preview-share")}
                </button>
            </form>
        </Show>
    }
}

/// The floor rectangle's real size, asked once its four corners are marked.
#[component]
fn FloorSize(screen: Screen) -> impl IntoView {
    let i18n = use_i18n();
    let width = RwSignal::new("2.0".to_owned());
    let depth = RwSignal::new("1.5".to_owned());
    let marks = move || match screen.mode.get() {
        Mode::Floor(marks) if marks.len() == 4 => Some([marks[0], marks[1], marks[2], marks[3]]),
        _ => None,
    };
    let submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        let Some(corners) = marks() else { return };
        let (Ok(w), Ok(d)) = (width.get_untracked().trim().parse(), depth.get_untracked().trim().parse())
        else {
            screen.error.set(Some("preview-bad-size".into()));
            return;
        };
        spawn_local(async move {
            if screen.apply(api::preview_calibrate(corners, w, d).await) {
                screen.mode.set(Mode::Pick);
            }
        });
    };
    view! {
        <Show when=move || marks().is_some()>
            <form class="floor-size" on:submit=submit>
                <label>
                    <span>{move || i18n.t("preview-width-label")}</span>
                    <input type="number" inputmode="decimal" min="0.1" max="30" step="0.01" required
                        prop:value=move || width.get() on:input=move |e| width.set(event_target_value(&e)) />
                </label>
                <label>
                    <span>{move || i18n.t("preview-depth-label")}</span>
                    <input type="number" inputmode="decimal" min="0.1" max="30" step="0.01" required
                        prop:value=move || depth.get() on:input=move |e| depth.set(event_target_value(&e)) />
                </label>
                <button type="submit">{move || i18n.t("preview-calibrate")}</button>
                <button type="button" class="secondary" on:click=move |_| screen.mode.set(Mode::Floor(Vec::new()))>
                    {move || i18n.t("preview-cancel")}
                </button>
            </form>
        </Show>
    }
}

/// The corners (or wall points) marked so far, numbered on the picture.
#[component]
fn Marks(screen: Screen) -> impl IntoView {
    let i18n = use_i18n();
    let marks = move || match screen.mode.get() {
        Mode::Floor(marks) | Mode::Wall(marks) => marks,
        _ => Vec::new(),
    };
    view! {
        {move || {
            let [w, h] = screen.size();
            marks()
                .into_iter()
                .enumerate()
                .map(|(i, [x, y])| {
                    view! {
                        <span
                            class="mark"
                            role="img"
                            aria-label=move || i18n.t_with("preview-mark-number", &[("number", (i + 1).into())])
                            style:left=format!("{:.3}%", x / w * 100.0)
                            style:top=format!("{:.3}%", y / h * 100.0)
                        >
                            {i + 1}
                        </span>
                    }
                })
                .collect_view()
        }}
    }
}

/// One button per placed product, over it on the picture: select, drag, or arrow keys.
#[component]
fn Handles(screen: Screen, image_ref: NodeRef<leptos::html::Img>) -> impl IntoView {
    let i18n = use_i18n();
    let dragging = RwSignal::new(None::<u32>);
    let handle = move |item: PreviewItem| {
        let [w, h] = screen.size();
        let [x, y] = item.at?;
        let id = item.id;
        let product = item.product.clone();
        let pointer_at = move |event: &web_sys::PointerEvent| {
            let image = image_ref.get_untracked()?;
            image_point(event.client_x(), event.client_y(), &image, screen.size())
        };
        let on_key = move |event: web_sys::KeyboardEvent| {
            let step = ARROW_STEP * screen.size()[0];
            let (dx, dy) = match event.key().as_str() {
                "ArrowLeft" => (-step, 0.0),
                "ArrowRight" => (step, 0.0),
                "ArrowUp" => (0.0, -step),
                "ArrowDown" => (0.0, step),
                _ => return,
            };
            event.prevent_default();
            screen.selected.set(Some(id));
            let [w, h] = screen.size();
            screen.move_item(id, [(x + dx).clamp(0.0, w), (y + dy).clamp(0.0, h)]);
        };
        Some(view! {
            <button
                type="button"
                class="handle"
                data-testid=format!("preview-handle-{}", item.product)
                aria-pressed=move || (screen.selected.get() == Some(id)).to_string()
                aria-label=move || i18n.t_with("preview-item-handle", &[("product", product_name(i18n, &product).into())])
                style:left=format!("{:.3}%", x / w * 100.0)
                style:top=format!("{:.3}%", y / h * 100.0)
                on:click=move |_| screen.selected.set(Some(id))
                on:keydown=on_key
                on:pointerdown=move |event: web_sys::PointerEvent| {
                    if let Some(target) = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                        let _ = target.set_pointer_capture(event.pointer_id());
                    }
                    screen.selected.set(Some(id));
                    dragging.set(Some(id));
                }
                on:pointermove=move |event: web_sys::PointerEvent| {
                    if dragging.get_untracked() == Some(id)
                        && let Some(at) = pointer_at(&event)
                    {
                        screen.move_item(id, at);
                    }
                }
                on:pointerup=move |event: web_sys::PointerEvent| {
                    if dragging.get_untracked() == Some(id) {
                        dragging.set(None);
                        if let Some(at) = pointer_at(&event) {
                            screen.move_item(id, at);
                        }
                    }
                }
                on:pointercancel=move |_| dragging.set(None)
            >
                <span aria-hidden="true"></span>
            </button>
        })
    };
    view! {
        {move || {
            screen.state.get().map(|s| s.items.into_iter().filter_map(handle).collect_view())
        }}
    }
}

/// The products that can be added.
#[component]
fn ProductPicker(screen: Screen) -> impl IntoView {
    let i18n = use_i18n();
    let choose = move |product: String, mount: PreviewMount| {
        let (calibrated, has_wall) = screen
            .state
            .with_untracked(|s| s.as_ref().map_or((false, false), |s| (s.calibrated, s.has_wall)));
        if !calibrated {
            screen.error.set(Some("preview-not-calibrated".into()));
        } else if mount == PreviewMount::Wall && !has_wall {
            screen.error.set(Some("preview-no-wall".into()));
        } else {
            screen.error.set(None);
            screen.mode.set(Mode::Place(product));
        }
    };
    view! {
        <h3>{move || i18n.t("preview-products-heading")}</h3>
        <ul class="product-picker">
            {move || {
                screen
                    .state
                    .get()
                    .map(|s| {
                        s.products
                            .into_iter()
                            .map(|product| {
                                let id = product.id.clone();
                                let chosen = {
                                    let id = id.clone();
                                    move || (screen.mode.get() == Mode::Place(id.clone())).to_string()
                                };
                                let [w, h, d] = product.size_m.map(|m| format!("{:.1}", m * 100.0));
                                let name_id = id.clone();
                                let mount = product.mount;
                                view! {
                                    <li>
                                        <button
                                            type="button"
                                            class="product"
                                            data-testid=format!("preview-product-{id}")
                                            aria-pressed=chosen
                                            on:click=move |_| choose(id.clone(), mount)
                                        >
                                            <span class="name">{move || product_name(i18n, &name_id)}</span>
                                            <span class="size">
                                                {move || i18n.t_with(
                                                    "preview-size",
                                                    &[("width", w.clone().into()), ("height", h.clone().into()), ("depth", d.clone().into())],
                                                )}
                                            </span>
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    })
            }}
        </ul>
        <Show when=move || matches!(screen.mode.get(), Mode::Place(_))>
            <button
                type="button"
                class="secondary"
                data-testid="preview-place-centre"
                on:click=move |_| {
                    if let Mode::Place(product) = screen.mode.get_untracked() {
                        let [w, h] = screen.size();
                        place(screen, product, [w / 2.0, h * 0.9]);
                    }
                }
            >
                {move || i18n.t("preview-place-centre")}
            </button>
            <button type="button" class="secondary" on:click=move |_| screen.mode.set(Mode::Pick)>
                {move || i18n.t("preview-cancel")}
            </button>
        </Show>
    }
}

/// The products in the room, as a list (another way to select them).
#[component]
fn Placed(screen: Screen) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h3>{move || i18n.t("preview-placed-heading")}</h3>
        {move || {
            let items = screen.state.get().map(|s| s.items).unwrap_or_default();
            if items.is_empty() {
                return view! { <p class="muted">{move || i18n.t("preview-nothing-placed")}</p> }.into_any();
            }
            view! {
                <ul class="placed">
                    {items
                        .into_iter()
                        .map(|item| {
                            let id = item.id;
                            let product = item.product.clone();
                            view! {
                                <li>
                                    <button
                                        type="button"
                                        class="secondary"
                                        aria-pressed=move || (screen.selected.get() == Some(id)).to_string()
                                        on:click=move |_| screen.selected.set(Some(id))
                                    >
                                        {move || product_name(i18n, &product)}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }}
    }
}

/// The selected product's controls: turn, light, remove.
#[component]
fn Selected(screen: Screen) -> impl IntoView {
    let i18n = use_i18n();
    let item = move || {
        let id = screen.selected.get()?;
        screen.state.with(|s| s.as_ref()?.items.iter().find(|item| item.id == id).cloned())
    };
    view! {
        {move || {
            item().map(|item| {
                let id = item.id;
                let yaw = f64::from(item.yaw_degrees);
                let light = item.light.clone();
                let set_light = move |light: Option<PreviewLight>| screen.edit(api::preview_set_light(id, light));
                let colour = light.as_ref().map_or_else(|| "#ffd9a0".to_owned(), |l| l.colour.clone());
                let brightness = light.as_ref().map_or(0.8, |l| l.brightness);
                let on = light.is_some();
                let product = item.product.clone();
                view! {
                    <section class="selected" aria-labelledby="selected-title" data-testid="preview-selected">
                        <h3 id="selected-title">
                            {move || i18n.t_with("preview-selected-heading", &[("product", product_name(i18n, &product).into())])}
                        </h3>
                        <p class="muted">{move || i18n.t("preview-move-hint")}</p>
                        {if item.mount == PreviewMount::Floor {
                            view! {
                                <div class="turn">
                                    <label>
                                        <span>{move || i18n.t("preview-turn-label")}</span>
                                        <input
                                            type="range" min="0" max="359" step="1"
                                            data-testid="preview-turn"
                                            prop:value=yaw.round().to_string()
                                            on:change=move |e| {
                                                if let Ok(degrees) = event_target_value(&e).parse::<f64>() {
                                                    screen.edit(api::preview_rotate(id, degrees));
                                                }
                                            }
                                        />
                                    </label>
                                    <button type="button" class="secondary" on:click=move |_| screen.edit(api::preview_rotate(id, yaw - 15.0))>
                                        {move || i18n.t("preview-turn-left")}
                                    </button>
                                    <button type="button" class="secondary" on:click=move |_| screen.edit(api::preview_rotate(id, yaw + 15.0))>
                                        {move || i18n.t("preview-turn-right")}
                                    </button>
                                </div>
                            }
                            .into_any()
                        } else {
                            view! { <p class="muted">{move || i18n.t("preview-wall-mounted")}</p> }.into_any()
                        }}
                        {item.gives_light.then(|| {
                            let colour_for_brightness = colour.clone();
                            let colour_for_switch = colour.clone();
                            view! {
                                <fieldset class="light">
                                    <legend>{move || i18n.t("preview-light-colour")}</legend>
                                    <label class="check">
                                        <input
                                            type="checkbox"
                                            data-testid="preview-light-on"
                                            prop:checked=on
                                            on:change=move |e| {
                                                let checked = event_target_checked(&e);
                                                set_light(checked.then(|| PreviewLight { colour: colour_for_switch.clone(), brightness }));
                                            }
                                        />
                                        <span>{move || i18n.t("preview-light-on")}</span>
                                    </label>
                                    <label>
                                        <span>{move || i18n.t("preview-light-colour")}</span>
                                        <input
                                            type="color"
                                            data-testid="preview-light-colour"
                                            prop:value=colour.clone()
                                            on:change=move |e| set_light(Some(PreviewLight { colour: event_target_value(&e), brightness }))
                                        />
                                    </label>
                                    <label>
                                        <span>{move || i18n.t("preview-light-brightness")}</span>
                                        <input
                                            type="range" min="0" max="100" step="5"
                                            data-testid="preview-light-brightness"
                                            prop:value=(brightness * 100.0).round().to_string()
                                            on:change=move |e| {
                                                if let Ok(percent) = event_target_value(&e).parse::<f32>() {
                                                    set_light(Some(PreviewLight { colour: colour_for_brightness.clone(), brightness: percent / 100.0 }));
                                                }
                                            }
                                        />
                                    </label>
                                </fieldset>
                            }
                        })}
                        <button type="button" class="danger" data-testid="preview-remove" on:click=move |_| screen.edit(api::preview_remove(id))>
                            {move || i18n.t("preview-remove")}
                        </button>
                    </section>
                }
            })
        }}
    }
}
