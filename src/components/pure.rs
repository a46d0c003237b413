//! One memoised component for every view of the page that draws from its inputs alone. Such a
//! view is a struct of its inputs that implements [`View`], drawn with [`pure`]: a frame that
//! leaves its inputs as they were does not draw it again, as a component of its own would not.
//!
//! Why not a component each: Yew builds its component machinery (mounting, scheduling, the
//! comparison of props) once for every component type, about 0.6 KB gzip of the first load each
//! (`Icon` alone was 538 bytes); through `Pure` the page's stateless views share one. A view
//! whose inputs change every frame, or that is drawn only inside a memoised one, is a plain
//! function instead.

use std::any::Any;
use std::rc::Rc;

use yew::prelude::*;

/// A view drawn from its inputs alone: the struct is its inputs.
pub trait View: PartialEq + 'static {
    /// The markup for these inputs.
    fn view(&self) -> Html;
}

/// A [`View`] behind a pointer, which can be compared with one of another type (never equal).
trait Erased {
    fn view(&self) -> Html;
    fn same(&self, other: &dyn Any) -> bool;
    fn any(&self) -> &dyn Any;
}

impl<V: View> Erased for V {
    fn view(&self) -> Html {
        View::view(self)
    }

    fn same(&self, other: &dyn Any) -> bool {
        other.downcast_ref::<V>() == Some(self)
    }

    fn any(&self) -> &dyn Any {
        self
    }
}

#[derive(Properties, Clone)]
struct PureProps {
    view: Rc<dyn Erased>,
}

impl PartialEq for PureProps {
    fn eq(&self, other: &Self) -> bool {
        self.view.same(other.view.any())
    }
}

#[function_component]
fn Pure(props: &PureProps) -> Html {
    props.view.view()
}

/// Draws `view`, memoised: drawn again only when its inputs differ from the last frame's.
pub fn pure<V: View>(view: V) -> Html {
    html! { <Pure view={Rc::new(view) as Rc<dyn Erased>} /> }
}

/// Draws `view` as [`pure`] does, as an item of a list that Yew tells apart by `key`.
pub fn pure_keyed<V: View>(key: &str, view: V) -> Html {
    html! { <Pure key={key} view={Rc::new(view) as Rc<dyn Erased>} /> }
}
