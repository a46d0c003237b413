//! Play/pause, step and reset: the clock's buttons.

use yew::prelude::*;

use super::icon::icon;
use super::pure::View;
use crate::format;
use crate::settings::{Control, Mode, Settings};
use crate::state::Action;

/// Play/pause, step and reset, drawn from these inputs (a [`View`]: memoised).
#[derive(PartialEq)]
pub struct Playback {
    /// The UI settings (paused, which controls show).
    pub settings: Settings,
    /// The share of the asked-for simulated time the frames get (1: keeping up).
    pub pace: f64,
    /// Where actions go.
    pub on: Callback<Action>,
}

/// Play/pause, step and reset.
impl View for Playback {
    fn view(&self) -> Html {
        let s = &self.settings;
        let send = |a: Action| {
            let on = self.on.clone();
            Callback::from(move |_: MouseEvent| on.emit(a.clone()))
        };
        let (play_label, play_icon) = if s.paused { ("Play", "play") } else { ("Pause", "pause") };
        // Under 90% of the clock for a few frames: say how fast it really runs, not freeze.
        let behind = (!s.paused && self.pace < 0.9).then(|| {
            format!("Running at {} real time: more work than a frame can do.", format::factor(s.speed * self.pace))
        });
        html! {
            <>
            <div class="button-row playback" role="group" aria-label="Clock" data-control="play">
                // Its name says what it does (Pause while the clock runs, Play while paused), so it is
                // not also a pressed toggle: "Pause, pressed" told a screen reader the opposite.
                if s.shows(Control::Play) {
                    <button type="button" class="primary" data-testid="play-pause"
                            onclick={send(Action::TogglePause)}>
                        { icon(play_icon) }{ play_label }
                    </button>
                }
                if s.shows(Control::Step) && s.mode != Mode::Predict {
                    <button type="button" data-testid="step" onclick={send(Action::Step)}
                            title="Pause and send one request, with the decision explained">
                        { icon("step") }{ "Step" }
                    </button>
                }
                if s.shows(Control::Reset) {
                    <button type="button" data-testid="reset" onclick={send(Action::Reset)}
                            title="Back to time zero with the same scenario">
                        { icon("reset") }{ "Reset" }
                    </button>
                }
            </div>
            if let Some(text) = behind {
                <p class="hint pace" role="status" data-testid="pace">{ text }</p>
            }
            </>
        }
    }
}
