//! Play/pause, step and reset: the clock's buttons.

use yew::prelude::*;

use super::icon::Icon;
use crate::settings::{Control, Mode, Settings};
use crate::state::Action;

/// The buttons' inputs.
#[derive(Properties, PartialEq)]
pub struct PlaybackProps {
    /// The UI settings (paused, which controls show).
    pub settings: Settings,
    /// Where actions go.
    pub on: Callback<Action>,
}

/// Play/pause, step and reset.
#[function_component]
pub fn Playback(props: &PlaybackProps) -> Html {
    let s = &props.settings;
    let send = |a: Action| {
        let on = props.on.clone();
        Callback::from(move |_: MouseEvent| on.emit(a.clone()))
    };
    let (play_label, play_icon) = if s.paused { ("Play", "play") } else { ("Pause", "pause") };
    html! {
        <div class="button-row playback" role="group" aria-label="Clock">
            if s.shows(Control::Play) {
                <button type="button" class="primary" data-testid="play-pause" aria-pressed={(!s.paused).to_string()}
                        onclick={send(Action::TogglePause)}>
                    <Icon name={play_icon} />{ play_label }
                </button>
            }
            if s.shows(Control::Step) && s.mode != Mode::Predict {
                <button type="button" data-testid="step" onclick={send(Action::Step)}
                        title="Pause and send one request, with the decision explained">
                    <Icon name="step" />{ "Step" }
                </button>
            }
            if s.shows(Control::Reset) {
                <button type="button" data-testid="reset" onclick={send(Action::Reset)}
                        title="Back to time zero with the same scenario">
                    <Icon name="reset" />{ "Reset" }
                </button>
            }
        </div>
    }
}
