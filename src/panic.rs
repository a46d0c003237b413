//! What a panic shows: besides the console message (console_error_panic_hook), a notice written
//! straight into the page with a reload link, so that a crash is never a blank or frozen page.
//! The link is a plain `<a href>` to the same address: it works with the wasm instance dead and
//! under a Content-Security-Policy without inline script.

use wasm_bindgen::JsCast;

/// The id of the notice element.
pub const NOTICE_ID: &str = "panic-notice";

/// Installs the panic hook.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_notice(&info.to_string());
    }));
}

/// Writes the notice into the page (once); does nothing outside a browser.
pub fn show_notice(message: &str) -> Option<()> {
    let document = web_sys::window()?.document()?;
    if document.get_element_by_id(NOTICE_ID).is_some() {
        return Some(());
    }
    let href = document.location()?.href().ok()?;
    let notice = document.create_element("div").ok()?;
    notice.set_id(NOTICE_ID);
    notice.set_class_name("panic");
    notice.set_attribute("role", "alert").ok()?;
    notice.set_attribute("data-testid", "panic").ok()?;
    let title = document.create_element("h2").ok()?;
    title.set_text_content(Some("Something went wrong and the lab stopped."));
    let text = document.create_element("p").ok()?;
    text.set_text_content(Some("Reloading starts it again with the same settings. The error was:"));
    let detail = document.create_element("pre").ok()?;
    detail.set_text_content(Some(message));
    let reload = document.create_element("a").ok()?;
    reload.set_attribute("href", &href).ok()?;
    reload.set_class_name("button primary");
    reload.set_attribute("data-testid", "panic-reload").ok()?;
    reload.set_text_content(Some("Reload"));
    for child in [&title, &text, &detail, &reload] {
        notice.append_child(child).ok()?;
    }
    let body = document.body()?;
    body.insert_before(&notice, body.first_child().as_ref()).ok()?;
    if let Ok(link) = reload.dyn_into::<web_sys::HtmlElement>() {
        let _ = link.focus();
    }
    Some(())
}
