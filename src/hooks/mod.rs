//! Custom hooks: the animation clock, the scenario and link a frame draws, and the URL that
//! follows the state; and the watch on whether an element is near the viewport they share.

pub mod intersection;
pub mod use_animation_frame;
pub mod use_drawn;
pub mod use_url_sync;

pub use use_animation_frame::use_animation_frame;
pub use use_drawn::use_drawn;
pub use use_url_sync::use_url_sync;
