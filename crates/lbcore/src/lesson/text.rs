//! A lesson's words: plain text with two marks, `*emphasis*` and `` `code` ``, split into
//! spans that a front end renders as text (never as markup), each span in its style.
//! Inside code, `*` is an asterisk. A mark left open is a problem the lesson reports.

use serde::Serialize;

/// How a span of text is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Style {
    /// Ordinary text.
    Plain,
    /// Between `*` marks.
    Emphasis,
    /// Between `` ` `` marks: a setting, a value, a server's name.
    Code,
}

/// A run of text in one style.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Span {
    /// Its style.
    pub style: Style,
    /// Its characters, marks removed.
    pub text: String,
}

/// Text with its marks, as the author wrote it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Text(pub String);

impl Text {
    /// The spans, marks removed, in order; empty spans are left out. A mark left open is
    /// closed at the end (validation refuses such text, see [`Text::open_mark`]).
    pub fn spans(&self) -> Vec<Span> {
        let mut spans = Vec::new();
        let mut style = Style::Plain;
        let mut run = String::new();
        let flush = |style: Style, run: &mut String, spans: &mut Vec<Span>| {
            if !run.is_empty() {
                spans.push(Span { style, text: std::mem::take(run) });
            }
        };
        for c in self.0.chars() {
            let next = match (c, style) {
                ('`', Style::Code) => Some(Style::Plain),
                ('`', _) => Some(Style::Code),
                ('*', Style::Plain) => Some(Style::Emphasis),
                ('*', Style::Emphasis) => Some(Style::Plain),
                _ => None,
            };
            match next {
                Some(n) => {
                    flush(style, &mut run, &mut spans);
                    style = n;
                }
                None => run.push(c),
            }
        }
        flush(style, &mut run, &mut spans);
        spans
    }

    /// The text without marks.
    pub fn plain(&self) -> String {
        self.spans().into_iter().map(|s| s.text).collect()
    }

    /// The mark left open at the end, if any: `` ` `` or `*`.
    pub fn open_mark(&self) -> Option<char> {
        let mut code = false;
        let mut emphasis = false;
        for c in self.0.chars() {
            match c {
                '`' => code = !code,
                '*' if !code => emphasis = !emphasis,
                _ => {}
            }
        }
        if code {
            Some('`')
        } else if emphasis {
            Some('*')
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_become_spans_and_markup_stays_text() {
        let t = Text("Fire *ten* requests at `server1*` <b>now</b>".into());
        let spans = t.spans();
        let styles: Vec<Style> = spans.iter().map(|s| s.style).collect();
        assert_eq!(styles, [Style::Plain, Style::Emphasis, Style::Plain, Style::Code, Style::Plain]);
        assert_eq!(spans[3].text, "server1*", "an asterisk inside code is an asterisk");
        assert_eq!(spans[4].text, " <b>now</b>", "markup is text");
        assert_eq!(t.open_mark(), None);
        assert_eq!(t.plain(), "Fire ten requests at server1* <b>now</b>");
    }

    #[test]
    fn an_open_mark_is_found() {
        assert_eq!(Text("a *b".into()).open_mark(), Some('*'));
        assert_eq!(Text("a `b *c".into()).open_mark(), Some('`'));
    }
}
