//! The lesson build's entry point: the lab with the guided-lesson player above it
//! ([`lbviz::lesson_player`]) and without the lab's tools ([`lbviz::lab_tools`]).
//! `static/loader.js` loads this build instead of the lab's when the URL names a lesson
//! (`lesson=` or `lesson-data=`), so the lab's own first load carries neither the player nor
//! the lessons' JSON reader, and a lesson's carries neither the files, Share nor Experiments.

use lbviz::app::LessonApp;

fn main() {
    lbviz::app::start::<LessonApp>();
}
