//! The app's components: one small function component per file, each drawing a snapshot of
//! the state and sending [`Action`](crate::state::Action)s.

pub mod algorithm_card;
pub mod algorithm_picker;
pub mod bar_chart;
pub mod cache_panel;
pub mod compare;
pub mod controls;
pub mod decision_log;
pub mod explanation;
pub mod failures_panel;
pub mod files_panel;
pub mod fire_buttons;
pub mod icon;
pub mod metrics_panel;
pub mod mode_switch;
pub mod param_notice;
pub mod playback;
pub mod pool_buttons;
pub mod predict;
pub mod server_actions;
pub mod share_button;
pub mod slider;
pub mod time_series;

pub use algorithm_card::AlgorithmCard;
pub use algorithm_picker::AlgorithmPicker;
pub use bar_chart::BarChart;
pub use cache_panel::CachePanel;
pub use compare::{AlgosPicker, ComparePanels, CompareTable, PanelView};
pub use controls::Controls;
pub use decision_log::DecisionLog;
pub use explanation::Explanation;
pub use failures_panel::FailuresPanel;
pub use files_panel::FilesPanel;
pub use fire_buttons::FireButtons;
pub use icon::Icon;
pub use metrics_panel::MetricsPanel;
pub use mode_switch::ModeSwitch;
pub use param_notice::ParamNotice;
pub use playback::Playback;
pub use pool_buttons::PoolButtons;
pub use predict::Predict;
pub use server_actions::ServerActions;
pub use share_button::ShareButton;
pub use slider::Slider;
pub use time_series::TimeSeries;
