//! Share: opens a modal dialog whose content, the embed builder
//! ([`super::embed_builder`]), the on-demand bundle draws; while it loads the dialog says so,
//! and if it does not load the dialog says why and offers the link and an iframe snippet
//! made here ([`share_texts`]).

use yew::prelude::*;

use super::embed_builder::{DEFAULT_TITLE, FRAME_STYLE, SANDBOX, WIDE_BOX};
use super::icon::icon;
use crate::on_demand::{self, Failure};

/// The button's inputs.
#[derive(Properties, PartialEq)]
pub struct ShareButtonProps {
    /// The query that restores the lab (without `?`).
    pub query: AttrValue,
}

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

/// The element the on-demand bundle draws the embed builder into.
pub const ROOT_ID: &str = "builder-root";

/// The share button and its dialog.
#[function_component]
pub fn ShareButton(props: &ShareButtonProps) -> Html {
    let dialog = use_node_ref();
    let button = use_node_ref();
    let failed = use_state(|| false);
    let onclick = {
        let (dialog, failed) = (dialog.clone(), failed.clone());
        let query = props.query.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(d) = dialog.cast::<web_sys::HtmlDialogElement>() {
                let _ = d.show_modal();
            }
            let (failed, query) = (failed.clone(), query.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(Failure::NotLoaded(why) | Failure::Refused(why)) =
                    on_demand::call("show_builder", &[ROOT_ID, &query, &page_address()]).await
                {
                    on_demand::show_failure(ROOT_ID, "The embed builder", &why);
                    failed.set(true);
                }
            });
        })
    };
    let close = {
        let dialog = dialog.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(d) = dialog.cast::<web_sys::HtmlDialogElement>() {
                d.close();
            }
        })
    };
    // Escape and Close both end here: focus goes back to the button that opened the dialog.
    let onclose = {
        let button = button.clone();
        Callback::from(move |_: Event| {
            if let Some(b) = button.cast::<web_sys::HtmlElement>() {
                let _ = b.focus();
            }
        })
    };
    let fallback = failed.then(|| {
        let (url, iframe) = share_texts(&page_address(), &props.query);
        format!("{url}\n\n{iframe}")
    });
    html! {
        <div class="share">
            <button type="button" data-testid="share" ref={button} {onclick}>
                { icon("share") }{ "Share" }
            </button>
            <dialog ref={dialog} class="builder-dialog" data-testid="share-dialog" aria-labelledby="builder-heading" {onclose}>
                <div class="builder-head">
                    <h2 id="builder-heading">{ "Share and embed" }</h2>
                    <button type="button" class="quiet" data-testid="builder-close" onclick={close}>{ "Close" }</button>
                </div>
                <div id={ROOT_ID}>
                    <p class="loading">{ "Loading the embed builder…" }</p>
                </div>
                if let Some(t) = fallback {
                    <label for="share-text">{ "Link and embed code" }</label>
                    <textarea id="share-text" data-testid="share-text" readonly=true rows="5" value={t} />
                }
            </dialog>
        </div>
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
