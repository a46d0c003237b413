//! The buttons under each bar: complete one connection, drain, fail or heal that server. They
//! line up under the bars only where they fit ([`crate::components::bar_chart::fits`] names
//! the widths); elsewhere a server's actions are in its own panel
//! ([`crate::components::ServerPanel`]), opened by clicking its bar or name. After Drain the
//! pressed button becomes the server's Stop draining, after Fail its Heal, so keyboard focus
//! stays on it.

use std::rc::Rc;

use lbcore::Health;
use yew::prelude::*;

use super::bar_chart::fits;
use super::pure::{View, pure_keyed};
use crate::snapshot::ServerView;

/// The row's inputs: [`server_actions`] draws it each frame, and each server's card is
/// memoised.
#[derive(PartialEq)]
pub struct ServerActions {
    /// The servers in order.
    pub servers: Rc<Vec<ServerView>>,
    /// Manual mode: completing is the main action.
    pub manual: bool,
    /// What the buttons do, each given the server's name.
    pub on: ServerCallbacks,
    /// Each card names its server: where the cards are not under the bars (compare mode).
    pub named: bool,
}

/// What a server's buttons ask for, each given the server's name. Keep one (a memo) for
/// the page's life: the cards redraw when it changes.
#[derive(Clone, PartialEq)]
pub struct ServerCallbacks {
    /// Complete the oldest request it serves.
    pub complete: Callback<Rc<str>>,
    /// Drain it.
    pub drain: Callback<Rc<str>>,
    /// Fail it.
    pub fail: Callback<Rc<str>>,
    /// Bring it back up.
    pub heal: Callback<Rc<str>>,
}

/// Drain, fail and their undoing as the server's health allows, in two places: Drain becomes
/// Stop draining in the first, Fail becomes Heal in the second, so that the button a keyboard
/// pressed stays where it was (focused, not dropped to `<body>`) as the one that undoes it.
/// Both undo through the heal callback (lbcore's heal puts a draining server back in
/// rotation at once); a draining server is not broken, so its button does not say Heal. The
/// row under the bars and the server's panel both draw them with this.
pub fn health_buttons(name: &Rc<str>, health: Health, on: &ServerCallbacks) -> Html {
    let send = |to: &Callback<Rc<str>>| {
        let name = name.clone();
        to.reform(move |_: MouseEvent| name.clone())
    };
    html! {
        <div class="secondary">
        if health == Health::Up {
            <button type="button" class="quiet" data-testid={format!("drain-{name}")}
                    onclick={send(&on.drain)} aria-label={format!("Drain {name}")}>{ "Drain" }</button>
        } else if health == Health::Draining {
            <button type="button" class="quiet" data-testid={format!("heal-{name}")}
                    onclick={send(&on.heal)} aria-label={format!("Stop draining {name}")}>{ "Stop draining" }</button>
        }
        if health != Health::Down {
            <button type="button" class="quiet danger" data-testid={format!("fail-{name}")}
                    onclick={send(&on.fail)} aria-label={format!("Fail {name}")}>{ "Fail" }</button>
        } else {
            <button type="button" class="quiet" data-testid={format!("heal-{name}")}
                    onclick={send(&on.heal)} aria-label={format!("Heal {name}")}>{ "Heal" }</button>
        }
        </div>
    }
}

/// One server's buttons: the same until its name, health or the mode changes, so that a frame
/// with 64 servers redraws none of them (the frame-time budget, issue 5).
#[derive(PartialEq)]
struct ServerCard {
    name: Rc<str>,
    health: Health,
    manual: bool,
    on: ServerCallbacks,
    named: bool,
}

impl View for ServerCard {
    fn view(&self) -> Html {
        let name = self.name.clone();
        let health = health_buttons(&name, self.health, &self.on);
        let complete = self.on.complete.reform(move |_: MouseEvent| name.clone());
        let name = &*self.name;
        html! {
            <li class="server-card">
                if self.named {
                    <span class="card-name">{ name }</span>
                }
                <button type="button" class={classes!("complete", self.manual.then_some("primary"))}
                        data-testid={format!("complete-{name}")} onclick={complete}
                        aria-label={format!("Complete one request on {name}")}>{ "Complete" }</button>
                { health }
            </li>
        }
    }
}

/// Complete, drain, fail and heal for each server, under its bar (where they fit).
pub fn server_actions(props: &ServerActions) -> Html {
    let cards = props.servers.iter().map(|s| {
        let card = ServerCard {
            name: s.name.clone(),
            health: s.health,
            manual: props.manual,
            on: props.on.clone(),
            named: props.named,
        };
        pure_keyed(&s.name, card)
    });
    html! {
        <ol class={classes!("server-actions", fits(props.servers.len()))} aria-label="Server actions" data-control="server-actions">
            { for cards }
        </ol>
    }
}
