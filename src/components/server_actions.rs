//! The buttons under each bar: complete one connection, drain, fail or heal that server.
//! With few servers they line up under the bars; with many they wrap as small cards.

use std::rc::Rc;

use lbcore::Health;
use yew::prelude::*;

use crate::snapshot::ServerView;
use crate::state::Action;

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
    /// Where actions go.
    pub on: Callback<Action>,
}

/// Complete, drain, fail and heal for each server.
#[function_component]
pub fn ServerActions(props: &ServerActionsProps) -> Html {
    let n = props.servers.len();
    let aligned = n <= ALIGNED_MAX;
    let cards = props.servers.iter().map(|s| {
        let send = |make: fn(Rc<str>) -> Action| {
            let on = props.on.clone();
            let name = s.name.clone();
            Callback::from(move |_: MouseEvent| on.emit(make(name.clone())))
        };
        let name = &*s.name;
        html! {
            <li key={name.to_string()} class="server-card">
                <span class="card-name">{ name }</span>
                <button type="button" class={classes!("complete", props.manual.then_some("primary"))}
                        data-testid={format!("complete-{name}")} onclick={send(Action::Complete)}
                        aria-label={format!("Complete one request on {name}")}>{ "Complete" }</button>
                <div class="secondary">
                if s.health == Health::Up {
                    <button type="button" class="quiet" data-testid={format!("drain-{name}")}
                            onclick={send(Action::Drain)} aria-label={format!("Drain {name}")}>{ "Drain" }</button>
                }
                if s.health != Health::Down {
                    <button type="button" class="quiet danger" data-testid={format!("fail-{name}")}
                            onclick={send(Action::Fail)} aria-label={format!("Fail {name}")}>{ "Fail" }</button>
                }
                if s.health != Health::Up {
                    <button type="button" class="quiet" data-testid={format!("heal-{name}")}
                            onclick={send(Action::Heal)} aria-label={format!("Heal {name}")}>{ "Heal" }</button>
                }
                </div>
            </li>
        }
    });
    html! {
        <ol class={classes!("server-actions", if aligned { "aligned" } else { "wrapped" }, (n > 3).then_some("many"))}
            aria-label="Server actions">
            { for cards }
        </ol>
    }
}
