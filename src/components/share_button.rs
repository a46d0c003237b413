//! Share: copies the lab's URL and an iframe snippet for a course page to the clipboard, and
//! shows both in a selectable text box (the only way when the clipboard is not available).

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use super::icon::Icon;

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

/// The URL of the lab with `query`, and an iframe snippet that embeds it.
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
    let iframe = format!(
        "<iframe src=\"{src}\" width=\"720\" height=\"480\" title=\"Load-balancing lab\" loading=\"lazy\" style=\"border:0;max-width:100%\"></iframe>"
    );
    (url, iframe)
}

/// Writes `text` to the clipboard; `Err` when the clipboard is missing or refuses.
async fn copy(text: &str) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let navigator = window.navigator();
    let clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))?;
    if clipboard.is_undefined() || clipboard.is_null() {
        return Err(JsValue::NULL);
    }
    JsFuture::from(navigator.clipboard().write_text(text)).await.map(|_| ())
}

/// What the last click did.
#[derive(Clone, PartialEq)]
enum Outcome {
    Copied(String),
    CopyByHand(String),
}

/// The share button and its text box.
#[function_component]
pub fn ShareButton(props: &ShareButtonProps) -> Html {
    let outcome = use_state(|| None::<Outcome>);
    let onclick = {
        let outcome = outcome.clone();
        let query = props.query.clone();
        Callback::from(move |_: MouseEvent| {
            let (url, iframe) = share_texts(&page_address(), &query);
            let text = format!("{url}\n\n{iframe}");
            let outcome = outcome.clone();
            wasm_bindgen_futures::spawn_local(async move {
                outcome.set(Some(match copy(&text).await {
                    Ok(()) => Outcome::Copied(text),
                    Err(_) => Outcome::CopyByHand(text),
                }));
            });
        })
    };
    let (message, text) = match &*outcome {
        None => (None, None),
        Some(Outcome::Copied(t)) => (Some("Copied the link and the embed code."), Some(t.clone())),
        Some(Outcome::CopyByHand(t)) => {
            (Some("The clipboard is not available here: select and copy these."), Some(t.clone()))
        }
    };
    html! {
        <div class="share">
            <button type="button" data-testid="share" {onclick}>
                <Icon name="share" />{ "Share" }
            </button>
            if let Some(m) = message {
                <p class="hint" role="status">{ m }</p>
            }
            if let Some(t) = text {
                <label class="visually-hidden" for="share-text">{ "Link and embed code" }</label>
                <textarea id="share-text" data-testid="share-text" readonly=true rows="4" value={t} />
            }
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
    }
}
