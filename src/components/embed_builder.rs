//! The embed builder, the Share dialog's content: a course author picks the mode, the
//! algorithm(s), the controls shown, the frame's size, a title and caption and a guided
//! lesson, sees the frame live at that size, and copies an iframe snippet or a plain link.
//! It lives in the on-demand bundle (`show_builder` in `src/bin/experiments.rs`), so the
//! first load does not carry it; the Share button opens the dialog and passes the query.
//!
//! [`Embed`] is the pure part (what the author chose, written as a query with the app's own
//! [`crate::url::to_query`], and the snippet with every attribute value escaped); the
//! [`EmbedBuilder`] component is the form around it. A chosen lesson ([`Chosen`]) sets each
//! step's scenario, mode and controls itself, so its link carries the lesson alone, and the
//! frame's title is the lesson's.

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use lbcore::lesson::MAX_LESSON_BYTES;
use lbcore::lesson::builtin::{self, NAMES};
use lbcore::scenario::query::encode;
use lbcore::{Algorithm, Scenario};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use crate::settings::{CAPTION_CHARS, Control, MAX_COMPARE, MIN_COMPARE, Mode, Settings, TITLE_CHARS};
use crate::url;

/// The frame's title when the author gives none.
pub const DEFAULT_TITLE: &str = "Load-balancing lab";

/// The sandbox the snippet asks for: the fewest tokens with which every part of the lab works.
/// `allow-scripts`: the lab is a wasm program. `allow-same-origin`: without it the frame has an
/// opaque origin, so the module, the wasm and the on-demand bundle load only from a server that
/// sends `Access-Control-Allow-Origin` (most do not, and the frame stays on "Loading the
/// lab…"), and the Experiments view cannot start its Web Worker; the frame still cannot reach
/// the course page, which is another origin (the two tokens together only lift the sandbox
/// when the lab is served from the course page's own origin). `allow-downloads`: the files
/// panel saves the scenario JSON and the metrics CSV. Not needed: `allow-popups` (the lab opens
/// no window), `allow-forms` (nothing is submitted); the clipboard is a permission
/// (`allow="clipboard-write"`), not a sandbox token, and the lab falls back to select-and-copy.
pub const SANDBOX: &str = "allow-scripts allow-same-origin allow-downloads";

/// How the modes read in the builder, in the order the lab's mode switch lists them.
const MODES: [(Mode, &str); 4] =
    [(Mode::Auto, "Automatic"), (Mode::Manual, "Manual"), (Mode::Compare, "Compare"), (Mode::Predict, "Predict")];

/// The frame's size: its width and height on a page wide enough for it. On a narrower page the
/// snippet's frame takes the page's width and grows taller ([`Size::box_style`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Size {
    /// 720 x 480, the size every mode is laid out to fit.
    #[default]
    Wide,
    /// The course page's full width, 480 high.
    FullWidth,
    /// 360 x 740, a phone held upright.
    Phone,
}

impl Size {
    /// Every size, in the order the builder offers them.
    pub const ALL: [Size; 3] = [Size::Wide, Size::FullWidth, Size::Phone];

    /// The iframe's `width` attribute.
    pub fn width(self) -> &'static str {
        match self {
            Size::Wide => "720",
            Size::FullWidth => "100%",
            Size::Phone => "360",
        }
    }

    /// The iframe's `height` attribute, in CSS pixels.
    pub fn height(self) -> u32 {
        match self {
            Size::Wide | Size::FullWidth => 480,
            Size::Phone => 740,
        }
    }

    /// The fixed width in CSS pixels, `None` for the full width.
    pub fn pixels(self) -> Option<u32> {
        match self {
            Size::Wide => Some(720),
            Size::FullWidth => None,
            Size::Phone => Some(360),
        }
    }

    /// The style of the box the snippet puts the frame in: at most the size's width, and a
    /// height that follows the width the course page gives it. The lab lays its controls beside
    /// the chart in a frame 600 px wide or more (365 px high then shows the chart's baseline,
    /// names and counts), and under the chart in a narrower one, which then needs 550 to 670 px
    /// (`tests/e2e/embed_height.audit.mjs` measures it from 320 to 720 px wide and holds this
    /// box to it): so the box is 1240 px less the width of the column it stands in, from the
    /// size's height up to a phone's 740 (480 at 760 and wider, 640 at 600, 740 at 500 and
    /// narrower). A padding's percentage is of the column's width, which is how the box knows
    /// it with no script; a height can only follow the window's (`vw`), which is not the
    /// column's on a course page with a sidebar. (Whole strings: formatting them cost the lab's
    /// first load 0.1 KB gzip.)
    pub fn box_style(self) -> &'static str {
        match self {
            Size::Wide => WIDE_BOX,
            Size::FullWidth => "position:relative;padding-top:clamp(480px,1240px - 100%,740px)",
            Size::Phone => "position:relative;max-width:360px;padding-top:740px",
        }
    }

    /// What the snippet's frame does on a narrower page, said under the sizes.
    pub fn note(self) -> &'static str {
        match self {
            Size::Wide | Size::FullWidth => {
                "On a page narrower than 760 px the frame grows taller, up to 740 px, and takes the page's width \
                 below 720: the lab then puts its controls under the chart."
            }
            Size::Phone => "On a page narrower than 360 px the frame takes the page's width and keeps its height.",
        }
    }

    /// The radio button's label.
    pub fn label(self) -> &'static str {
        match self {
            Size::Wide => "720 x 480",
            Size::FullWidth => "Full width x 480",
            Size::Phone => "360 x 740 (phone)",
        }
    }

    /// A short id, for element ids and the preview's CSS class.
    pub fn id(self) -> &'static str {
        match self {
            Size::Wide => "wide",
            Size::FullWidth => "full",
            Size::Phone => "phone",
        }
    }
}

/// The style of the snippet's box at the default size, 720 x 480 ([`Size::box_style`]).
pub const WIDE_BOX: &str = "position:relative;max-width:720px;padding-top:clamp(480px,1240px - 100%,740px)";

/// The style of the frame inside the snippet's box: it fills the box.
pub const FRAME_STYLE: &str = "position:absolute;inset:0;width:100%;height:100%;border:0";

/// The snippet for a course page: the box ([`Size::box_style`]) and the frame of `src`, called
/// `title`, in it, `head` pixels taller for the title and caption the frame shows above the lab
/// ([`head_px`]). `src` and `title` come escaped for an attribute value ([`escape`]); the frame
/// keeps its size's `width` and `height`, which a page that drops the style still uses.
pub fn snippet_html(src: &str, title: &str, size: Size, head: u32) -> String {
    let style = match (head, size) {
        (0, _) => size.box_style().to_string(),
        (_, Size::Phone) => format!("position:relative;max-width:360px;padding-top:{}px", 740 + head),
        (_, Size::Wide) => {
            format!("position:relative;max-width:720px;padding-top:calc(clamp(480px,1240px - 100%,740px) + {head}px)")
        }
        (_, Size::FullWidth) => {
            format!("position:relative;padding-top:calc(clamp(480px,1240px - 100%,740px) + {head}px)")
        }
    };
    format!(
        "<div style=\"{style}\"><iframe src=\"{src}\" width=\"{}\" height=\"{}\" title=\"{title}\" loading=\"lazy\" sandbox=\"{SANDBOX}\" style=\"{FRAME_STYLE}\"></iframe></div>",
        size.width(),
        size.height() + head,
    )
}

/// The height, in CSS pixels, that a frame's title and caption take above the lab in the
/// narrowest frame a snippet makes (328 px, a phone's page): the snippet's box adds it, so that
/// the lab below them keeps the height that shows the bars' baseline, names and counts. Measured
/// in a 328 px frame, a title's line holds about 35 characters in 20.2 px and a caption's about
/// 43 in 21.3 px, and the head is parted from the lab by 6.4 px; counted here at 32 and 38
/// characters, 21 and 22 px, and 8 px, to be on the safe side of wider words and glyphs (an
/// 80-character title and a 280-character caption: 247 px, against 233.5 measured).
pub fn head_px(title: Option<&str>, caption: Option<&str>) -> u32 {
    let lines = |text: Option<&str>, per_line: usize| text.map_or(0, |t| t.chars().count().div_ceil(per_line)) as u32;
    let (title, caption) = (lines(title, 32), lines(caption, 38));
    if title + caption == 0 { 0 } else { 8 + 21 * title + 22 * caption }
}

/// A guided lesson chosen for the frame.
#[derive(Clone, Debug, PartialEq)]
pub enum Chosen {
    /// A built-in lesson: `lesson=NAME`.
    Builtin {
        /// Its name.
        name: &'static str,
        /// Its title.
        title: String,
    },
    /// The author's own lesson, pasted or uploaded: `lesson-data=` its JSON as given. The
    /// preview's lesson build reads it with the page's reader and says what it made of it
    /// ([`crate::host::LESSON_READ`]): its title, once read, or its problems.
    Own {
        /// The JSON, at most [`MAX_LESSON_BYTES`] bytes.
        json: Rc<str>,
        /// Its title, once the preview has read it.
        title: Option<String>,
    },
}

impl Chosen {
    /// The built-in lesson called `name`, if there is one.
    pub fn builtin(name: &str) -> Option<Chosen> {
        let name = NAMES.into_iter().find(|n| *n == name)?;
        Some(Chosen::Builtin { name, title: builtin::title(name)?.to_string() })
    }

    /// Its title, the frame's title in the snippet.
    pub fn title(&self) -> &str {
        match self {
            Chosen::Builtin { title, .. } | Chosen::Own { title: Some(title), .. } => title,
            Chosen::Own { title: None, .. } => DEFAULT_TITLE,
        }
    }

    /// The setting that carries it in a link, and its value (not yet encoded).
    fn pair(&self) -> (&'static str, &str) {
        match self {
            Chosen::Builtin { name, .. } => ("lesson", name),
            Chosen::Own { json, .. } => ("lesson-data", json),
        }
    }
}

/// What the author chose: the lab's scenario and settings (as the URL parser reads them), the
/// frame's size and a guided lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct Embed {
    /// The scenario, as the page had it.
    pub scenario: Scenario,
    /// The UI settings: mode, algorithms, controls, title, caption.
    pub settings: Settings,
    /// The guided lesson, or none.
    pub lesson: Option<Chosen>,
    /// Whether the author's own lesson is chosen (its box shows, empty or not).
    pub own: bool,
    /// Why the author's own lesson was not taken (too large), if it was not.
    pub refused: Option<String>,
    /// The frame's size.
    pub size: Size,
}

impl Embed {
    /// The choices a page with this query starts from: its experiment as it stands.
    pub fn from_query(query: &str) -> Embed {
        let parsed = url::parse(query);
        let mut settings = parsed.settings;
        settings.embed = false;
        Embed { scenario: parsed.scenario, settings, lesson: None, own: false, refused: None, size: Size::default() }
    }

    /// Switches the mode, by the lab's own rule ([`Mode::shape`]): arrivals come back when
    /// leaving a manual mode, and compare mode starts with two algorithms.
    pub fn set_mode(&mut self, mode: Mode) {
        mode.shape(&mut self.scenario, Some(Scenario::default().arrivals));
        self.settings.mode = mode;
        if mode == Mode::Compare {
            if self.settings.algos.len() < MIN_COMPARE {
                self.settings.algos = crate::settings::default_algos(self.scenario.algo);
            }
            self.scenario.algo = self.settings.algos[0];
        } else {
            self.settings.algos.clear();
        }
    }

    /// The algorithm, outside compare mode.
    pub fn set_algo(&mut self, algo: Algorithm) {
        self.scenario.algo = algo;
    }

    /// Ticks or unticks one of compare mode's algorithms, keeping 2 to 4.
    pub fn toggle_compared(&mut self, algo: Algorithm) {
        let algos = &mut self.settings.algos;
        if let Some(i) = algos.iter().position(|&a| a == algo) {
            if algos.len() > MIN_COMPARE {
                algos.remove(i);
            }
        } else if algos.len() < MAX_COMPARE {
            algos.push(algo);
        }
        if let Some(&first) = algos.first() {
            self.scenario.algo = first;
        }
    }

    /// Shows or hides one control, keeping the settings table's order.
    pub fn toggle_control(&mut self, control: Control, shown: bool) {
        let now: Vec<Control> =
            Control::ALL.into_iter().filter(|&c| if c == control { shown } else { self.settings.shows(c) }).collect();
        self.settings.controls = if now.len() == Control::ALL.len() { None } else { Some(now) };
    }

    /// Applies one form input's change: its `name` says which choice, `value` the new one,
    /// `checked` whether a checkbox is ticked. Unknown names and values change nothing.
    pub fn apply(&mut self, name: &str, value: &str, checked: bool) {
        match name {
            "mode" => {
                if let Some(m) = Mode::from_id(value) {
                    self.set_mode(m);
                }
            }
            "algo" => {
                if let Some(a) = Algorithm::from_id(value) {
                    self.set_algo(a);
                }
            }
            "compared" => {
                if let Some(a) = Algorithm::from_id(value) {
                    self.toggle_compared(a);
                }
            }
            "control" => {
                if let Some(c) = Control::from_id(value) {
                    self.toggle_control(c, checked);
                }
            }
            "size" => {
                if let Some(s) = Size::ALL.into_iter().find(|s| s.id() == value) {
                    self.size = s;
                }
            }
            "title" => self.settings.title = clean_text(value, TITLE_CHARS),
            "caption" => self.settings.caption = clean_text(value, CAPTION_CHARS),
            "lesson" => {
                self.own = value == OWN;
                self.refused = None;
                self.lesson = Chosen::builtin(value);
            }
            "own" => self.take_own(value),
            "own-refused" => {
                self.lesson = None;
                self.refused = Some(value.to_string());
            }
            "own-title" => {
                if let Some(Chosen::Own { title, .. }) = &mut self.lesson {
                    *title = clean_text(value, TITLE_CHARS);
                }
            }
            _ => {}
        }
    }

    /// Takes `json` as the author's own lesson, unless it is larger than a lesson may be
    /// (then refused, naming the limit, with no lesson chosen); empty is none.
    pub fn take_own(&mut self, json: &str) {
        self.own = true;
        self.lesson = None;
        self.refused = None;
        if json.len() > MAX_LESSON_BYTES {
            self.refused = Some(too_large("the lesson", json.len() as f64));
        } else if !json.trim().is_empty() {
            self.lesson = Some(Chosen::Own { json: json.trim().into(), title: None });
        }
    }

    /// The query (without `?`) the frame or the link opens: the app's own [`url::to_query`]
    /// of the scenario and settings; with a lesson, of the defaults and `embed` alone, then the
    /// lesson. Each step of a lesson starts its own scenario in its own mode with its own
    /// controls: the page's experiment has no part in it (a link with both gave the first step's
    /// scenario a lab's settings to override, and the frame a title the lesson did not have).
    pub fn query(&self, embed: bool) -> String {
        let Some(lesson) = &self.lesson else {
            return url::to_query(&self.scenario, &Settings { embed, ..self.settings.clone() });
        };
        let mut query = url::to_query(&Scenario::default(), &Settings { embed, ..Settings::default() });
        if !query.is_empty() {
            query.push('&');
        }
        let (key, value) = lesson.pair();
        query.push_str(key);
        query.push('=');
        query.push_str(&encode(value));
        query
    }

    /// The plain link to the lab as chosen (not the compact embed layout).
    pub fn link(&self, page: &str) -> String {
        with_query(page, &self.query(false))
    }

    /// The frame's URL: the link with `embed=1`.
    pub fn frame_url(&self, page: &str) -> String {
        with_query(page, &self.query(true))
    }

    /// The snippet for a course page ([`snippet_html`]), every attribute value escaped; the
    /// frame's title is the lesson's, or the author's, or [`DEFAULT_TITLE`].
    pub fn snippet(&self, page: &str) -> String {
        let title = match &self.lesson {
            Some(lesson) => lesson.title(),
            None => self.settings.title.as_deref().unwrap_or(DEFAULT_TITLE),
        };
        // a lesson's link carries neither the author's title nor caption (see `query`)
        let head = match &self.lesson {
            Some(_) => 0,
            None => head_px(self.settings.title.as_deref(), self.settings.caption.as_deref()),
        };
        snippet_html(&escape(&self.frame_url(page)), &escape(title), self.size, head)
    }
}

/// The lesson picker's value for the author's own lesson.
pub const OWN: &str = "own";

/// A lesson (`what`: a file's name, quoted short) of `bytes` bytes, past the limit, refused.
pub fn too_large(what: &str, bytes: f64) -> String {
    format!(
        "{what} is {} bytes; allowed: a lesson of at most {} KB (as lesson-data= and a lesson file)",
        lbcore::decimal::shortest(bytes),
        MAX_LESSON_BYTES / 1024
    )
}

/// `page?query`, or the page alone for an empty query.
fn with_query(page: &str, query: &str) -> String {
    if query.is_empty() { page.to_string() } else { format!("{page}?{query}") }
}

/// Text made safe inside a double- or single-quoted HTML attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A title or caption as the URL parser accepts it: no control, invisible or text-direction
/// characters ([`lbcore::scenario::is_hidden`]; pasted ones are dropped), at most `max`
/// characters, trimmed; empty is none.
pub fn clean_text(text: &str, max: usize) -> Option<String> {
    let kept: String = text.chars().filter(|&c| !lbcore::scenario::is_hidden(c)).take(max).collect();
    let kept = kept.trim();
    (!kept.is_empty()).then(|| kept.to_string())
}

/// One form input's change, as [`Embed::apply`] takes it: name, value, ticked.
pub struct Change(pub String, pub String, pub bool);

impl Reducible for Embed {
    type Action = Change;

    fn reduce(self: Rc<Self>, Change(name, value, checked): Change) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(&name, &value, checked);
        Rc::new(next)
    }
}

// === impl EmbedBuilder ===

/// The builder's inputs.
#[derive(Properties, PartialEq)]
pub struct EmbedBuilderProps {
    /// The page's query as it stands (without `?`).
    pub query: AttrValue,
    /// The page's address without query or fragment: the links point there.
    pub page: AttrValue,
}

/// Which text a Copy button copied, and how.
#[derive(Clone, Copy, PartialEq)]
enum Copied {
    Done(&'static str),
    ByHand(&'static str),
}

/// Writes `text` to the clipboard; `false` when it is missing or refuses.
async fn to_clipboard(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let navigator = window.navigator();
    let has = js_sys::Reflect::get(&navigator, &"clipboard".into()).is_ok_and(|c| !c.is_undefined() && !c.is_null());
    has && JsFuture::from(navigator.clipboard().write_text(text)).await.is_ok()
}

/// A radio button or a checkbox.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Radio,
    Check,
}

/// One radio button or checkbox of the form, in its label: the input is named
/// `builder-NAME` ([`Embed::apply`] reads the name) and its test id is `builder-NAME-VALUE`.
/// One function for every such input keeps the bundle small (each `html!` is code of its own).
#[inline(never)]
fn choice(kind: Kind, name: &'static str, value: &'static str, label: &'static str, on: bool, locked: bool) -> Html {
    let id = format!("builder-{name}-{value}");
    let (type_, class) = match kind {
        Kind::Radio => ("radio", classes!("segment", on.then_some("on"))),
        Kind::Check => ("checkbox", classes!("check")),
    };
    html! {
        <label for={id.clone()} {class}>
            <input type={type_} name={format!("builder-{name}")} id={id.clone()} value={value} checked={on}
                disabled={locked} data-testid={id} />
            { label }
        </label>
    }
}

/// How many milliseconds after the last change the preview reloads.
const PREVIEW_DELAY_MS: u32 = 400;

/// Sets the preview's scale (`--scale`) so that a fixed-size frame fits the dialog's width.
fn fit_preview(boxed: &NodeRef, size: Size) {
    let Some(element) = boxed.cast::<web_sys::HtmlElement>() else { return };
    // The room is the section's width: the box itself takes the scaled size.
    let room = f64::from(element.parent_element().map_or(0, |p| p.client_width()));
    let scale = match size.pixels().map(f64::from) {
        Some(width) if room > 0.0 && room < width => room / width,
        _ => 1.0,
    };
    let _ = element.style().set_property("--scale", &lbcore::decimal::Fixed(scale, 4).to_string());
}

/// The form, the live preview, and the two texts to copy.
#[function_component]
pub fn EmbedBuilder(props: &EmbedBuilderProps) -> Html {
    let embed = use_reducer(|| Embed::from_query(&props.query));
    let page = props.page.to_string();
    let frame_url = embed.frame_url(&page);
    let preview = use_state_eq(|| frame_url.clone());
    // What the preview's lesson build made of the author's own lesson.
    let read = use_state_eq(|| None::<Read>);
    let frame = use_node_ref();
    let own_ref = use_node_ref();
    let copied = use_state_eq(|| None::<Copied>);
    let boxed = use_node_ref();
    let (title_ref, caption_ref) = (use_node_ref(), use_node_ref());

    {
        let (preview, read) = (preview.clone(), read.clone());
        use_effect_with(frame_url.clone(), move |url| {
            let url = url.clone();
            let timer = Timeout::new(PREVIEW_DELAY_MS, move || {
                read.set(None);
                preview.set(url);
            });
            move || drop(timer)
        });
    }
    {
        let (read, frame, embed) = (read.clone(), frame.clone(), embed.clone());
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                gloo::events::EventListener::new(&w, "message", move |e| {
                    let Some(heard) = lesson_read(e, &frame) else { return };
                    if let Read::Title(title, _) = &heard {
                        embed.dispatch(Change("own-title".into(), title.clone(), false));
                    }
                    read.set(Some(heard));
                })
            });
            move || drop(listener)
        });
    }
    {
        let boxed = boxed.clone();
        use_effect_with(embed.size, move |&size| {
            fit_preview(&boxed, size);
            let listener = web_sys::window()
                .map(|w| gloo::events::EventListener::new(&w, "resize", move |_| fit_preview(&boxed, size)));
            move || drop(listener)
        });
    }

    // One handler for the whole form (change events bubble): each input's name and value say
    // what changed ([`Embed::apply`]), so the form needs no closure per input. The names start
    // with `builder-`: radio groups are page-wide, and the lab's own mode switch is `mode`.
    // One handler for the whole form (input and change events bubble): each input's name and
    // value say what changed ([`Embed::apply`]), so the form needs no closure per input. The
    // names start with `builder-`: radio groups are page-wide, and the lab's mode switch is
    // `mode`. The text boxes are read as they are typed in and never written back (a redraw
    // would put the cleaned text under the cursor); their first text is set once, below.
    let handle = {
        let (embed, copied) = (embed.clone(), copied.clone());
        Rc::new(move |e: &Event, typing: bool| {
            let target = e.target();
            let (name, value, checked) =
                if let Some(i) = target.as_ref().and_then(|t| t.dyn_ref::<web_sys::HtmlInputElement>()) {
                    (i.name(), i.value(), i.checked())
                } else if let Some(s) = target.and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
                    (s.name(), s.value(), false)
                } else {
                    return;
                };
            let text = name.ends_with("title") || name.ends_with("caption");
            if typing && !text {
                return; // a ticked box sends input and change: one is enough
            }
            embed.dispatch(Change(name.trim_start_matches("builder-").to_string(), value, checked));
            copied.set(None);
        })
    };
    let onchange = {
        let handle = handle.clone();
        Callback::from(move |e: Event| handle(&e, false))
    };
    let oninput = Callback::from(move |e: InputEvent| handle(&e, true));
    {
        let (title, caption) = (title_ref.clone(), caption_ref.clone());
        let first = (embed.settings.title.clone(), embed.settings.caption.clone());
        use_effect_with((), move |_| {
            for (field, text) in [(title, first.0), (caption, first.1)] {
                if let Some(input) = field.cast::<web_sys::HtmlInputElement>() {
                    input.set_value(text.as_deref().unwrap_or_default());
                }
            }
        });
    }
    let link = embed.link(&page);
    let snippet = embed.snippet(&page);
    let copy = |what: &'static str, id: &'static str, text: String| {
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            let copied = copied.clone();
            let text = text.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if to_clipboard(&text).await {
                    copied.set(Some(Copied::Done(what)));
                } else {
                    let area = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.get_element_by_id(id))
                        .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok());
                    if let Some(area) = area {
                        let _ = area.focus();
                        area.select();
                    }
                    copied.set(Some(Copied::ByHand(what)));
                }
            });
        })
    };
    let said = match *copied {
        Some(Copied::Done(what)) => format!("Copied the {what}."),
        Some(Copied::ByHand(what)) => format!("The clipboard is not available here: select and copy the {what}."),
        None => String::new(),
    };

    let mode = embed.settings.mode;
    let compare = mode == Mode::Compare;
    // A lesson sets each step's scenario, mode and controls, and its title is the frame's.
    let by_lesson = embed.lesson.is_some() || embed.own;
    let own_input = {
        let embed = embed.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(area) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) {
                embed.dispatch(Change("own".into(), area.value(), false));
            }
        })
    };
    let own_file = {
        let (embed, own_ref) = (embed.clone(), own_ref.clone());
        Callback::from(move |e: Event| {
            let input = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
            let Some(file) = input.as_ref().and_then(|i| i.files()).and_then(|f| f.get(0)) else { return };
            let (embed, own_ref) = (embed.clone(), own_ref.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let name = format!("\"{}\"", lbcore::scenario::quoted(&file.name()));
                if file.size() > MAX_LESSON_BYTES as f64 {
                    // refused unread, by its size
                    embed.dispatch(Change("own-refused".into(), too_large(&name, file.size()), false));
                    return;
                }
                match JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string()) {
                    Some(text) => {
                        if let Some(area) = own_ref.cast::<web_sys::HtmlTextAreaElement>() {
                            area.set_value(&text);
                        }
                        embed.dispatch(Change("own".into(), text, false));
                    }
                    None => {
                        embed.dispatch(Change("own-refused".into(), format!("{name} could not be read as text"), false))
                    }
                }
            });
            if let Some(input) = input {
                input.set_value("");
            }
        })
    };
    html! {
        <div class="builder" data-testid="builder">
            <p class="hint">{ "Starts from the experiment as it stands. The frame opens in the compact embed layout." }</p>
            <div class="builder-form" {onchange} {oninput}>
                <fieldset class="builder-modes" disabled={by_lesson}>
                    <legend>{ "Mode" }</legend>
                    { for MODES.iter().map(|&(m, label)| choice(Kind::Radio, "mode", m.id(), label, m == mode, false)) }
                </fieldset>
                if compare {
                    <fieldset class="builder-algos" data-testid="builder-algos" disabled={by_lesson}>
                        <legend>{ format!("Algorithms to compare ({MIN_COMPARE} to {MAX_COMPARE})") }</legend>
                        { for Algorithm::ALL.iter().map(|&a| {
                            let on = embed.settings.algos.contains(&a);
                            let n = embed.settings.algos.len();
                            let locked = (on && n <= MIN_COMPARE) || (!on && n >= MAX_COMPARE);
                            choice(Kind::Check, "compared", a.id(), a.id(), on, locked)
                        }) }
                    </fieldset>
                } else {
                    <label class="builder-field">
                        <span>{ "Algorithm" }</span>
                        <select name="builder-algo" data-testid="builder-algo" disabled={by_lesson}>
                            { for Algorithm::ALL.iter().map(|&a| html! {
                                <option value={a.id()} selected={a == embed.scenario.algo}>{ a.id() }</option>
                            }) }
                        </select>
                    </label>
                }
                <fieldset class="builder-controls" data-testid="builder-controls" disabled={by_lesson}>
                    <legend>{ "Controls shown" }</legend>
                    { for Control::ALL.iter().map(|&c| choice(Kind::Check, "control", c.id(), crate::settings::label(c), embed.settings.shows(c), false)) }
                </fieldset>
                <fieldset class="builder-sizes" aria-describedby="builder-size-note">
                    <legend>{ "Size" }</legend>
                    { for Size::ALL.iter().map(|&s| choice(Kind::Radio, "size", s.id(), s.label(), s == embed.size, false)) }
                </fieldset>
                <p class="hint" id="builder-size-note" data-testid="builder-size-note">{ embed.size.note() }</p>
                <label class="builder-field">
                    <span>{ format!("Title (at most {TITLE_CHARS} characters)") }</span>
                    <input type="text" name="builder-title" data-testid="builder-title" maxlength={TITLE_CHARS.to_string()}
                        ref={title_ref} disabled={by_lesson} />
                </label>
                <label class="builder-field">
                    <span>{ format!("Caption (at most {CAPTION_CHARS} characters)") }</span>
                    <input type="text" name="builder-caption" data-testid="builder-caption" maxlength={CAPTION_CHARS.to_string()}
                        ref={caption_ref} disabled={by_lesson} />
                </label>
                <label class="builder-field">
                    <span>{ "Guided lesson" }</span>
                    <select name="builder-lesson" data-testid="builder-lesson">
                        <option value="" selected={embed.lesson.is_none() && !embed.own}>{ "None" }</option>
                        { for NAMES.iter().map(|&n| html! {
                            <option value={n} selected={matches!(&embed.lesson, Some(Chosen::Builtin { name, .. }) if *name == n)}>{ n }</option>
                        }) }
                        <option value={OWN} selected={embed.own}>{ "Your own lesson (paste or upload)" }</option>
                    </select>
                </label>
                if embed.own {
                    { own_box(&embed, (*read).as_ref(), &own_ref, own_input, own_file) }
                }
                if let Some(lesson) = &embed.lesson {
                    <p class="hint builder-by-lesson" data-testid="builder-by-lesson">
                        { format!("\u{201c}{}\u{201d} sets each step's scenario, mode and controls: the link carries the \
                                   lesson alone, and the frame's title is the lesson's.", lesson.title()) }
                    </p>
                }
            </div>
            <section class="builder-preview" aria-label="Preview">
                <h3>{ format!("Preview, {}", embed.size.label()) }</h3>
                <div ref={boxed} class={classes!("preview-box", embed.size.id())}>
                    <iframe ref={frame} src={(*preview).clone()} title="Preview of the embedded lab" data-testid="builder-preview"
                        sandbox={SANDBOX} />
                </div>
            </section>
            <div class="builder-outputs">
                <label for="builder-link">{ "Link" }</label>
                <textarea id="builder-link" data-testid="builder-link" readonly=true rows="2" value={link.clone()} />
                <button type="button" data-testid="builder-copy-link" onclick={copy("link", "builder-link", link)}>
                    { "Copy the link" }</button>
                <label for="builder-snippet">{ "Embed code" }</label>
                <textarea id="builder-snippet" data-testid="builder-snippet" readonly=true rows="4" value={snippet.clone()} />
                <button type="button" data-testid="builder-copy-snippet"
                    onclick={copy("embed code", "builder-snippet", snippet)}>{ "Copy the embed code" }</button>
                <p class="hint" role="status" data-testid="builder-copied">{ said }</p>
            </div>
        </div>
    }
}

/// What the preview's lesson build made of the author's own lesson.
#[derive(Clone, Debug, PartialEq)]
enum Read {
    /// Read: its title and number of steps.
    Title(String, usize),
    /// Not usable: the card's lines.
    Problems(Vec<String>),
}

/// The [`crate::host::LESSON_READ`] message `event` carries, when it comes from the preview
/// in `frame`.
fn lesson_read(event: &Event, frame: &NodeRef) -> Option<Read> {
    use js_sys::Reflect;
    let event = event.dyn_ref::<web_sys::MessageEvent>()?;
    // (the frame's window by reflection: web-sys's iframe type is a feature the app does not build)
    let preview = Reflect::get(&frame.get()?.into(), &"contentWindow".into()).ok()?;
    if !js_sys::Object::is(&event.source()?.into(), &preview) {
        return None;
    }
    let data = event.data();
    let field = |k: &str| Reflect::get(&data, &k.into()).ok();
    let ours = field(crate::host::KEY).and_then(|v| v.as_f64()) == Some(f64::from(crate::host::VERSION));
    if !ours || field("type")?.as_string()? != crate::host::LESSON_READ {
        return None;
    }
    if let Some(title) = field("title").and_then(|t| t.as_string()) {
        let steps = field("steps").and_then(|n| n.as_f64()).unwrap_or(0.0);
        return Some(Read::Title(title, steps as usize));
    }
    let problems: js_sys::Array = field("problems")?.dyn_into().ok()?;
    Some(Read::Problems(problems.iter().filter_map(|p| p.as_string()).collect()))
}

/// The author's own lesson: a box to paste it in, a file to upload, and what the preview read.
fn own_box(
    embed: &Embed,
    read: Option<&Read>,
    own_ref: &NodeRef,
    oninput: Callback<InputEvent>,
    onchange: Callback<Event>,
) -> Html {
    use crate::components::problem_list::{ProblemList, first_lines};
    let said = match (&embed.refused, &embed.lesson, read) {
        (Some(why), _, _) => html! { <p class="notice warning">{ why }</p> },
        (None, None, _) => html! {
            <p>{ "Paste a lesson's JSON or upload its file: the preview reads it as the page will, and what it finds shows here." }</p>
        },
        (None, Some(_), None) => html! { <p>{ "Reading it as the page will…" }</p> },
        (None, Some(_), Some(Read::Title(title, steps))) => html! {
            <p>{ format!("Read: \u{201c}{title}\u{201d}, {steps} step{}. The link carries it as lesson-data=.", if *steps == 1 { "" } else { "s" }) }</p>
        },
        (None, Some(_), Some(Read::Problems(problems))) => html! {
            <div class="notice warning">
                <p>{ format!("The page cannot use this lesson: {} problem{}.", problems.len(), if problems.len() == 1 { "" } else { "s" }) }</p>
                <ProblemList lines={first_lines(problems, |p| html! { { p } })} total={problems.len()} />
            </div>
        },
    };
    html! {
        <div class="builder-own builder-field" data-testid="builder-own-box">
            <label for="builder-own">{ "Your lesson's JSON" }</label>
            <textarea id="builder-own" data-testid="builder-own" rows="6" spellcheck="false" ref={own_ref.clone()} {oninput}
                placeholder="{\"title\": \"…\", \"steps\": [ … ]}" />
            <label for="builder-own-file">{ "or upload a lesson file (.json, at most 1024 KB)" }</label>
            <input type="file" id="builder-own-file" data-testid="builder-own-file" accept=".json,application/json" {onchange} />
            <div role="status" data-testid="builder-own-read">{ said }</div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://lab.example/lbviz/";

    #[test]
    fn any_title_survives_the_url_and_the_app_reads_back_every_choice() {
        let mut e = Embed::from_query("servers=5&rate=30");
        e.set_mode(Mode::Compare);
        e.toggle_compared(Algorithm::PowerOfTwo);
        e.toggle_control(Control::Share, false);
        e.toggle_control(Control::Files, false);
        e.settings.title = clean_text("Tom & Jerry's \"fair\" #1 <b>x</b> 🚦 50%+1?a=b", TITLE_CHARS);
        e.settings.caption = clean_text("Fire ten: which server gets the tenth? & why", CAPTION_CHARS);
        let back = url::parse(&e.query(true));
        assert!(back.problems.is_empty(), "{:?}", back.problems);
        assert_eq!(back.settings.title.as_deref(), Some("Tom & Jerry's \"fair\" #1 <b>x</b> 🚦 50%+1?a=b"));
        assert_eq!(back.settings.caption, e.settings.caption);
        assert_eq!(back.settings.mode, Mode::Compare);
        assert_eq!(back.settings.algos, [Algorithm::RoundRobin, Algorithm::LeastConnections, Algorithm::PowerOfTwo]);
        let shown = back.settings.controls.expect("a controls= list");
        assert_eq!(shown.len(), Control::ALL.len() - 2);
        assert!(!shown.contains(&Control::Share) && !shown.contains(&Control::Files));
        assert!(back.settings.embed, "the frame's URL has embed=1");
        assert_eq!((back.scenario.servers, back.scenario.rate), (5, 30.0));
        assert!(!e.query(false).contains("embed="), "the plain link opens the full lab");
    }

    #[test]
    fn leaving_manual_mode_brings_arrivals_back() {
        let mut e = Embed::from_query("mode=manual&algo=least-connections");
        e.set_mode(Mode::Auto);
        let back = url::parse(&e.query(false));
        assert_eq!(back.settings.mode, Mode::Auto);
        assert_eq!(back.scenario.arrivals, Scenario::default().arrivals);
        assert_eq!(back.scenario.algo, Algorithm::LeastConnections);
        e.set_mode(Mode::Predict);
        assert_eq!(url::parse(&e.query(false)).settings.mode, Mode::Predict);
    }

    #[test]
    fn compare_keeps_two_to_four_algorithms() {
        let mut e = Embed::from_query("");
        e.set_mode(Mode::Compare);
        e.toggle_compared(Algorithm::RoundRobin);
        assert_eq!(e.settings.algos.len(), MIN_COMPARE, "the last two cannot be unticked");
        for a in [Algorithm::Random, Algorithm::Maglev, Algorithm::PeakEwma] {
            e.toggle_compared(a);
        }
        assert_eq!(e.settings.algos.len(), MAX_COMPARE);
        e.set_mode(Mode::Auto);
        assert!(!e.query(false).contains("algos="));
    }

    #[test]
    fn every_control_ticked_is_no_controls_list() {
        let mut e = Embed::from_query("controls=rate");
        for c in Control::ALL {
            e.toggle_control(c, true);
        }
        assert_eq!(e.settings.controls, None);
        e.toggle_control(Control::Rate, false);
        e.toggle_control(Control::ServerActions, false);
        assert!(e.query(false).contains("controls=play,step,reset,fire,servers,algo,cost"), "{}", e.query(false));
    }

    #[test]
    fn the_snippet_escapes_every_attribute_value() {
        let mut e = Embed::from_query("servers=4");
        e.settings.title = Some("A \"quoted\" <title> & 'more'".to_string());
        let snippet = e.snippet("https://lab.example/a'b\"c/");
        assert!(snippet.contains("title=\"A &quot;quoted&quot; &lt;title&gt; &amp; &#39;more&#39;\""), "{snippet}");
        assert!(
            snippet.contains("src=\"https://lab.example/a&#39;b&quot;c/?servers=4&amp;embed=1&amp;title=A%20"),
            "{snippet}"
        );
        assert!(snippet.contains(" width=\"720\" height=\"509\" "), "480, and 29 for the title's line: {snippet}");
        assert!(snippet.contains(" loading=\"lazy\" sandbox=\"allow-scripts allow-same-origin allow-downloads\" "));
        // Inside the tags, no quote but the attributes' own and no raw & or <.
        let (head, frame) = snippet.split_once("><iframe").expect("a box, then the frame");
        assert!(head.starts_with("<div style=\"") && snippet.ends_with("></iframe></div>"), "{snippet}");
        assert_eq!(head.matches('"').count(), 2, "the box has one attribute: {snippet}");
        let inner = frame.trim_end_matches("></iframe></div>");
        assert_eq!(inner.matches('"').count(), 14, "seven attributes, two quotes each: {snippet}");
        assert!(!inner.contains('<') && !inner.contains('\''), "{snippet}");
        assert!(
            inner.split('&').skip(1).all(|s| s.starts_with("amp;")
                || s.starts_with("quot;")
                || s.starts_with("lt;")
                || s.starts_with("gt;")
                || s.starts_with("#39;")),
            "{snippet}"
        );
    }

    #[test]
    fn the_snippet_has_the_chosen_size_and_a_default_title() {
        let mut e = Embed::from_query("");
        let s = e.snippet(PAGE);
        // 720 wide at most; 1240 px less the column's width high, from 480 to 740: 480 in a
        // column of 760 or more, 740 in one of 500 or less (a phone's 328).
        assert!(
            s.starts_with(
                "<div style=\"position:relative;max-width:720px;padding-top:clamp(480px,1240px - 100%,740px)\"><iframe "
            ),
            "{s}"
        );
        assert!(
            s.ends_with(" style=\"position:absolute;inset:0;width:100%;height:100%;border:0\"></iframe></div>"),
            "{s}"
        );
        e.size = Size::FullWidth;
        let s = e.snippet(PAGE);
        assert!(
            s.contains(
                "src=\"https://lab.example/lbviz/?embed=1\" width=\"100%\" height=\"480\" title=\"Load-balancing lab\""
            ),
            "{s}"
        );
        assert!(s.starts_with("<div style=\"position:relative;padding-top:clamp(480px,1240px - 100%,740px)\">"), "{s}");
        e.size = Size::Phone;
        let s = e.snippet(PAGE);
        assert!(s.contains(" width=\"360\" height=\"740\" "), "{s}");
        assert!(s.starts_with("<div style=\"position:relative;max-width:360px;padding-top:740px\">"), "{s}");
        assert_eq!(e.link(PAGE), PAGE);
    }

    #[test]
    fn a_title_and_caption_make_the_snippet_taller_by_their_lines() {
        // a 40-character title is 2 lines, a 100-character caption 3 (at 32 and 38 a line)
        assert_eq!(head_px(None, None), 0);
        assert_eq!(head_px(Some(&"t".repeat(40)), None), 8 + 2 * 21);
        assert_eq!(head_px(None, Some(&"c".repeat(100))), 8 + 3 * 22);
        assert_eq!(head_px(Some(&"t".repeat(80)), Some(&"c".repeat(280))), 247, "the longest the URL takes");
        let mut e = Embed::from_query("title=Round%20robin&caption=Fire%20ten");
        let s = e.snippet(PAGE);
        assert!(
            s.starts_with(
                "<div style=\"position:relative;max-width:720px;padding-top:calc(clamp(480px,1240px - 100%,740px) + 51px)\"><iframe "
            ),
            "{s}"
        );
        assert!(s.contains(" width=\"720\" height=\"531\" "), "{s}");
        e.size = Size::Phone;
        let s = e.snippet(PAGE);
        assert!(s.starts_with("<div style=\"position:relative;max-width:360px;padding-top:791px\">"), "{s}");
        // a lesson's link carries neither
        e.lesson = Chosen::builtin("course");
        assert!(e.snippet(PAGE).contains(" height=\"740\" "));
    }

    #[test]
    fn each_form_input_names_its_choice() {
        let mut e = Embed::from_query("");
        e.apply("mode", "compare", true);
        e.apply("compared", "maglev", true);
        e.apply("control", "share", false);
        e.apply("size", "phone", true);
        e.apply("title", " A & B ", false);
        e.apply("lesson", "caches", false);
        e.apply("lesson", "no-such-lesson", false);
        assert_eq!(e.settings.mode, Mode::Compare);
        assert_eq!(e.settings.algos, [Algorithm::RoundRobin, Algorithm::LeastConnections, Algorithm::Maglev]);
        assert!(!e.settings.shows(Control::Share));
        assert_eq!((e.size, e.settings.title.as_deref(), &e.lesson), (Size::Phone, Some("A & B"), &None));
        e.apply("lesson", "caches", false);
        assert_eq!(e.query(false), "lesson=caches");
        e.apply("lesson", "", false);
        e.apply("mode", "auto", true);
        e.apply("algo", "peak-ewma", false);
        assert_eq!(e.scenario.algo, Algorithm::PeakEwma);
    }

    #[test]
    fn a_chosen_lesson_is_linked_alone_and_titles_the_frame() {
        // A page far from any lesson's first step: compare mode over five servers, a title.
        let mut e =
            Embed::from_query("servers=5&algo=maglev&mode=compare&algos=maglev,random&title=Mine&controls=rate");
        e.apply("lesson", "slow-server", false);
        assert_eq!(e.query(true), "embed=1&lesson=slow-server");
        assert_eq!(e.link(PAGE), format!("{PAGE}?lesson=slow-server"));
        let title = lbcore::lesson::builtin::lesson("slow-server").expect("built in").title;
        assert_eq!(title, "A slow server");
        let snippet = e.snippet(PAGE);
        assert!(
            snippet.contains(&format!(
                "src=\"{PAGE}?embed=1&amp;lesson=slow-server\" width=\"720\" height=\"480\" title=\"{title}\""
            )),
            "{snippet}"
        );
        // The page reads back the lesson and nothing of the lab's experiment.
        let back = url::parse(&e.query(true));
        assert!(back.problems.is_empty(), "{:?}", back.problems);
        assert_eq!(back.settings.lesson, Some(crate::settings::LessonSource::Named("slow-server".into())));
        assert_eq!((back.scenario, back.settings.mode, back.settings.title), (Scenario::default(), Mode::Auto, None));
        // None again: the experiment as it was.
        e.apply("lesson", "", false);
        assert!(e.query(false).contains("servers=5") && e.snippet(PAGE).contains("title=\"Mine\""));
    }

    #[test]
    fn an_authors_own_lesson_is_linked_as_lesson_data_and_titled_once_read() {
        let mut e = Embed::from_query("servers=5&title=Mine");
        e.apply("lesson", OWN, false);
        assert!(e.own && e.lesson.is_none(), "an empty box is no lesson yet");
        let json =
            "{\"title\": \"Tom & Jerry #1\",\n \"steps\": [{\"text\": \"Watch.\", \"scenario\": \"servers=2\"}]}";
        e.apply("own", &format!("  {json}\n"), false);
        assert_eq!(e.query(true), format!("embed=1&lesson-data={}", encode(json)));
        let back = url::parse(&e.query(true));
        assert_eq!(back.settings.lesson, Some(crate::settings::LessonSource::Data(json.into())), "read back whole");
        assert!(e.snippet(PAGE).contains(&format!("title=\"{DEFAULT_TITLE}\"")), "not read yet");
        e.apply("own-title", "Tom & Jerry #1", false);
        assert!(e.snippet(PAGE).contains("title=\"Tom &amp; Jerry #1\""), "{}", e.snippet(PAGE));
        // Larger than a lesson may be: refused, naming the limit, and no lesson.
        e.apply("own", &" ".repeat(MAX_LESSON_BYTES + 1).replacen(' ', "{", 1), false);
        assert_eq!(e.lesson, None);
        let why = e.refused.clone().expect("refused");
        assert!(why.starts_with("the lesson is 1048577 bytes; allowed: a lesson of at most 1024 KB"), "{why}");
        // A built-in again: the box goes.
        e.apply("lesson", "course", false);
        assert!(!e.own && e.refused.is_none() && e.query(false) == "lesson=course");
    }

    #[test]
    fn titles_are_cut_to_what_the_parser_accepts() {
        assert_eq!(clean_text("  a\u{202e}b\tc  ", TITLE_CHARS).as_deref(), Some("abc"));
        // invisible ones too, which the parser refuses as it does in names
        let pasted = "a\u{200b}b\u{2060}c\u{ad}d\u{3164}e\u{e0041}";
        assert_eq!(clean_text(pasted, TITLE_CHARS).as_deref(), Some("abcde"));
        assert!(!url::parse(&format!("title={}", encode(pasted))).problems.is_empty());
        assert_eq!(clean_text("   ", TITLE_CHARS), None);
        let long = "é".repeat(TITLE_CHARS + 5);
        let cut = clean_text(&long, TITLE_CHARS).expect("kept");
        assert_eq!(cut.chars().count(), TITLE_CHARS);
        assert!(url::parse(&format!("title={}", encode(&cut))).problems.is_empty());
    }
}
