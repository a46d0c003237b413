//! Share: opens a modal dialog whose content, the embed builder
//! ([`super::embed_builder`]), the on-demand bundle draws; while it loads the dialog says so,
//! and if it does not load the dialog says why and offers the link and an iframe snippet
//! made here ([`share_texts`]). A [`View`]: the dialog's state is the page's.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::embed_builder::{DEFAULT_TITLE, FRAME_STYLE, SANDBOX, WIDE_BOX};
use super::icon::icon;
use super::pure::View;
use crate::on_demand::{self, Failure};

/// The element the on-demand bundle draws the embed builder into.
pub const ROOT_ID: &str = "builder-root";
/// The dialog's id.
const DIALOG_ID: &str = "share-dialog";
/// The button's id: focus goes back to it when the dialog closes.
const BUTTON_ID: &str = "share-button";

/// The page's address without its query and fragment.
fn page_address() -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else { return String::new() };
    let origin = location.origin().unwrap_or_default();
    let path = location.pathname().unwrap_or_default();
    format!("{origin}{path}")
}

/// The URL of the lab with `query`, and the builder's snippet that embeds it at 720x480 (taller
/// on a narrow page): what the dialog offers when the builder does not load.
pub fn share_texts(base: &str, query: &str) -> (String, String) {
    let url = if query.is_empty() { base.to_string() } else { format!("{base}?{query}") };
    let embed_query = if query.split('&').any(|p| p.starts_with("embed=")) {
        query.to_string()
    } else if query.is_empty() {
        "embed=1".to_string()
    } else {
        format!("{query}&embed=1")
    };
    let src = format!("{base}?{embed_query}").replace('&', "&amp;");
    // written out, not by the builder's snippet_html, which cost the lab's first load 0.3 KB
    // gzip; a test holds the two to the same text
    let iframe = format!(
        "<div style=\"{WIDE_BOX}\"><iframe src=\"{src}\" width=\"720\" height=\"480\" title=\"{DEFAULT_TITLE}\" loading=\"lazy\" sandbox=\"{SANDBOX}\" style=\"{FRAME_STYLE}\"></iframe></div>"
    );
    (url, iframe)
}

/// The page's element with id `id`.
fn element<T: JsCast>(id: &str) -> Option<T> {
    web_sys::window()?.document()?.get_element_by_id(id)?.dyn_into().ok()
}

/// The fallback's id: the link and the snippet, hidden until the builder fails to load.
const FALLBACK_ID: &str = "share-fallback";
/// The fallback's text box.
const TEXT_ID: &str = "share-text";

/// Share: the button and its dialog, for the query that restores the lab (without `?`). A
/// [`View`]: what it keeps between frames is in the page (the dialog open or not, the builder
/// or the notice drawn into it), not in Yew's state, so that it needs no component of its own.
#[derive(PartialEq)]
pub struct Share {
    /// The query that restores the lab (without `?`).
    pub query: AttrValue,
}

impl View for Share {
    fn view(&self) -> Html {
        let query = self.query.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            if let Some(d) = element::<web_sys::HtmlDialogElement>(DIALOG_ID) {
                let _ = d.show_modal();
            }
            let query = query.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(Failure::NotLoaded(why) | Failure::Refused(why)) =
                    on_demand::call("show_builder", &[ROOT_ID, &query, &page_address()]).await
                {
                    on_demand::show_failure(ROOT_ID, "The embed builder", &why);
                    if let Some(text) = element::<web_sys::HtmlTextAreaElement>(TEXT_ID) {
                        let (url, iframe) = share_texts(&page_address(), &query);
                        text.set_value(&format!("{url}\n\n{iframe}"));
                    }
                    if let Some(fallback) = element::<web_sys::Element>(FALLBACK_ID) {
                        let _ = fallback.remove_attribute("hidden");
                    }
                }
            });
        });
        let close = Callback::from(|_: MouseEvent| {
            if let Some(d) = element::<web_sys::HtmlDialogElement>(DIALOG_ID) {
                d.close();
            }
        });
        // Escape and Close both end here: focus goes back to the button that opened the dialog.
        let onclose = Callback::from(|_: Event| {
            if let Some(b) = element::<web_sys::HtmlElement>(BUTTON_ID) {
                let _ = b.focus();
            }
        });
        html! {
            <div class="share">
                <button type="button" id={BUTTON_ID} data-testid="share" {onclick}>
                    { icon("share") }{ "Share" }
                </button>
                <dialog id={DIALOG_ID} class="builder-dialog" data-testid="share-dialog" aria-labelledby="builder-heading" {onclose}>
                    <div class="builder-head">
                        <h2 id="builder-heading">{ "Share and embed" }</h2>
                        <button type="button" class="quiet" data-testid="builder-close" onclick={close}>{ "Close" }</button>
                    </div>
                    <div id={ROOT_ID}>
                        <p class="loading">{ "Loading the embed builder…" }</p>
                    </div>
                    <div id={FALLBACK_ID} hidden=true>
                        <label for={TEXT_ID}>{ "Link and embed code" }</label>
                        <textarea id={TEXT_ID} data-testid="share-text" readonly=true rows="5" />
                    </div>
                </dialog>
            </div>
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embed_snippet_adds_embed_once() {
        let (url, iframe) = share_texts("http://h/lab/", "servers=4&rate=5");
        assert_eq!(url, "http://h/lab/?servers=4&rate=5");
        assert!(iframe.contains("src=\"http://h/lab/?servers=4&amp;rate=5&amp;embed=1\""), "{iframe}");
        let (_, iframe) = share_texts("http://h/", "");
        assert!(iframe.contains("?embed=1\""), "{iframe}");
        let (_, iframe) = share_texts("http://h/", "embed=1");
        assert!(!iframe.contains("embed=1&amp;embed"), "{iframe}");
        // the builder's snippet at its default size, byte for byte
        let builder = super::super::embed_builder::Embed::from_query("").snippet("http://h/");
        assert_eq!(share_texts("http://h/", "").1, builder);
    }
}
