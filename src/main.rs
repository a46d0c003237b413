//! The wasm entry point of the lab: installs the panic notice and renders the app into `#app`
//! with the page's query and the lab's tools ([`lbviz::app::start`], [`lbviz::lab_tools`]).

fn main() {
    lbviz::app::start::<lbviz::app::App>();
}
