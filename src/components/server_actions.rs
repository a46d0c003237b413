//! The buttons under each bar: complete one connection, drain, fail or heal that server.
//! With few servers they line up under the bars; with many they wrap as small cards.

use std::rc::Rc;

use lbcore::Health;
use yew::prelude::*;

use crate::snapshot::ServerView;

/// Up to this many servers, the buttons line up under the bars.
pub const ALIGNED_MAX: usize = 8;

/// The buttons' inputs.
#[derive(Properties, PartialEq)]
pub struct ServerActionsProps {
    /// The servers in order.
    pub servers: Rc<Vec<ServerView>>,
    /// Manual mode: completing is the main action.
    #[prop_or_default]
    pub manual: bool,
    /// What the buttons do, each given the server's name.
    pub on: ServerCallbacks,
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

/// One server's buttons: the same until its name, health or the mode changes, so that a frame
/// with 64 servers redraws none of them (the frame-time budget, issue 5).
#[derive(Properties, PartialEq)]
struct ServerCardProps {
    name: Rc<str>,
    health: Health,
    manual: bool,
    on: ServerCallbacks,
}

#[function_component]
fn ServerCard(props: &ServerCardProps) -> Html {
    let send = |to: &Callback<Rc<str>>| {
        let name = props.name.clone();
        to.reform(move |_: MouseEvent| name.clone())
    };
    let on = &props.on;
    let name = &*props.name;
    html! {
        <li class="server-card">
            <span class="card-name">{ name }</span>
            <button type="button" class={classes!("complete", props.manual.then_some("primary"))}
                    data-testid={format!("complete-{name}")} onclick={send(&on.complete)}
                    aria-label={format!("Complete one request on {name}")}>{ "Complete" }</button>
            <div class="secondary">
            if props.health == Health::Up {
                <button type="button" class="quiet" data-testid={format!("drain-{name}")}
                        onclick={send(&on.drain)} aria-label={format!("Drain {name}")}>{ "Drain" }</button>
            }
            if props.health != Health::Down {
                <button type="button" class="quiet danger" data-testid={format!("fail-{name}")}
                        onclick={send(&on.fail)} aria-label={format!("Fail {name}")}>{ "Fail" }</button>
            }
            if props.health != Health::Up {
                <button type="button" class="quiet" data-testid={format!("heal-{name}")}
                        onclick={send(&on.heal)} aria-label={format!("Heal {name}")}>{ "Heal" }</button>
            }
            </div>
        </li>
    }
}

/// Complete, drain, fail and heal for each server.
#[function_component]
pub fn ServerActions(props: &ServerActionsProps) -> Html {
    let n = props.servers.len();
    let aligned = n <= ALIGNED_MAX;
    let cards = props.servers.iter().map(|s| {
        html! {
            <ServerCard key={&*s.name} name={s.name.clone()} health={s.health} manual={props.manual} on={props.on.clone()} />
        }
    });
    html! {
        <ol class={classes!("server-actions", if aligned { "aligned" } else { "wrapped" }, (n > 3).then_some("many"))}
            aria-label="Server actions">
            { for cards }
        </ol>
    }
}
