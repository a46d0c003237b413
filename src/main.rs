//! The wasm entry point of the lab: installs the panic notice and renders the app into `#app`
//! with the page's query ([`lbviz::app::start`]).

fn main() {
    lbviz::app::start(None);
}
