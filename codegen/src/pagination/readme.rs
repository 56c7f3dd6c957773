//! The README section of pagination: what the streams do, with the runtime's bounds
//! (`runtime_bounds.rs`) in the prose, and a row per paginated operation.

use std::fmt::Write as _;

use super::render::describe;
use crate::model::Model;
use crate::runtime_bounds::MAX_EMPTY_PAGES;

/// The streams section, where operations declare pagination.
pub(crate) fn readme(out: &mut String, model: &Model) {
    let paginated: Vec<_> = model
        .operations
        .iter()
        .filter_map(|op| Some((op, op.pagination.as_ref()?)))
        .collect();
    if paginated.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "\n## Streams\n\n\
         List operations that page also walk every page for you. `<method>_stream` yields every\n\
         item of every page and `<method>_pages` every page (a `Response`, for pages that hold\n\
         more than one list); both take the method's arguments, start where they say, ask for\n\
         one page at a time, end after the first error (the method's own, typed) and never ask\n\
         for a page twice: a cursor the provider repeats ends the stream with\n\
         `Error::Pagination`, and so do {MAX_EMPTY_PAGES} empty pages in a row that still name a next one\n\
         (`.max_empty_pages(n)` sets the bound). Once a stream has ended, or yielded an error,\n\
         it yields `Ok(None)` however often it is asked (it is a `FusedStream`).\n\
         `stream.try_next().await?` needs no trait; every stream is also a `futures` `Stream`.\n\n\
         | Method | Pages | Items | Paging |\n|---|---|---|---|\n",
    );
    for (op, p) in paginated {
        let items = p
            .stream_method
            .as_ref()
            .map_or_else(|| "(pages only)".to_owned(), |s| format!("`{s}`"));
        let _ = writeln!(
            out,
            "| `{}` | `{}` | {items} | {} |",
            op.fn_name,
            p.pages_method,
            describe(&p.paging)
        );
    }
}
