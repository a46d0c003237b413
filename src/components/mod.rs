//! The app's components, a file per part of the page: each draws a snapshot of the state
//! and sends [`Action`](crate::state::Action)s, or, where it reads better, narrow callbacks
//! ([`ServerActions`] a server's name to complete, drain, fail or heal; [`PoolButtons`] add
//! and remove). A part is one of three kinds, by what it needs:
//! - a function component, where it keeps state of its own (hooks: the history's observer,
//!   the algorithm card's fetch, the chart's scene);
//! - a [`View`](pure::View), a struct of its inputs drawn with [`pure`](pure::pure), where it
//!   draws from its inputs alone and most frames leave them as they were (the controls, the
//!   clock's buttons, each bar and label): memoised as a component is, through one component
//!   type for them all, since each type of its own cost the first load about 0.6 KB gzip;
//! - a plain function, where its inputs change every frame a run is running (the metrics, the
//!   decision log, compare mode's panels) or its caller is memoised already (a slider inside
//!   the controls).
//!
//! [`setting_slider`](setting_slider::setting_slider) and
//! [`setting_select`](setting_select::setting_select) draw any setting from its row of the
//! settings table, and every control panel is built from them.

pub mod algorithm_card;
pub mod algorithm_picker;
pub mod bar_chart;
pub mod cache_panel;
pub mod compare;
pub mod controls;
pub mod decision_log;
pub mod embed_builder;
pub mod experiments;
pub mod experiments_slot;
pub mod explanation;
pub mod failures_panel;
pub mod files_panel;
pub mod fire_buttons;
pub mod hashing_slot;
pub mod hashing_view;
pub mod icon;
pub mod lesson_problems;
pub mod metrics_panel;
pub mod mode_switch;
pub mod on_demand_slot;
pub mod param_notice;
pub mod playback;
pub mod pool_buttons;
pub mod predict;
pub mod problem_list;
pub mod pure;
pub mod resilience;
pub mod scene;
pub mod server_actions;
pub mod server_panel;
pub mod setting_select;
pub mod setting_slider;
pub mod share_button;
pub mod slider;
pub mod sweep_chart;
pub mod time_series;

pub use algorithm_card::AlgorithmCard;
pub use algorithm_picker::AlgorithmPicker;
pub use bar_chart::BarChart;
pub use cache_panel::CachePanel;
pub use compare::{ComparePanels, PanelView, RaceRow};
pub use controls::Controls;
pub use decision_log::DecisionLog;
pub use experiments_slot::ExperimentsSlot;
pub use explanation::Explanation;
pub use failures_panel::FailuresPanel;
pub use files_panel::FilesPanel;
pub use fire_buttons::FireButtons;
pub use hashing_view::HashingView;
pub use icon::icon;
pub use metrics_panel::MetricsPanel;
pub use mode_switch::ModeSwitch;
pub use on_demand_slot::OnDemandSlot;
pub use playback::Playback;
pub use pool_buttons::PoolButtons;
pub use problem_list::ProblemList;
pub use server_actions::{ServerActions, ServerCallbacks};
pub use server_panel::ServerPanel;
pub use share_button::Share;
pub use time_series::TimeSeries;
