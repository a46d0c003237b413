//! The lesson build's entry point: the lab with the guided-lesson player above it
//! ([`lbviz::lesson_player`]). `static/loader.js` loads this build instead of the lab's when
//! the URL names a lesson (`lesson=` or `lesson-data=`), so the lab's own first load carries
//! neither the player nor the lessons' JSON reader.

use lbviz::app::Extra;

fn main() {
    lbviz::app::start(Some(Extra(lbviz::lesson_player::view)));
}
