//! A list operation's pagination as its spec (`x-pagination`) or its settings (`pagination`)
//! declare it, typed ([`PaginationSettings`]): the style is an enum, every other key a name
//! of the operation's, checked by `check.rs`.
//!
//! ```yaml
//! x-pagination:
//!   style: cursor          # cursor | page | offset
//!   items: items           # the response's list of items (dotted path; "" the body itself)
//!   cursor: nextPage       # cursor: the query parameter that takes the cursor
//!   next: nextPage         # cursor: where the response gives the next one (dotted path)
//!   # next_from_last_item: token   # or: the last item's field is the next cursor
//!   has_more: has_more     # optional: a boolean that says whether more pages follow
//!   # page: page  first: 1  size: size  default_size: 50  total: total  total_pages: pages
//!   # offset: skip  size: count  total: total
//! ```

use serde::Deserialize;

/// How a list operation's pages follow each other, as a spec or settings file declares it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaginationSettings {
    /// How the next page is asked for.
    pub style: PagingStyle,
    /// The dotted path of the list of items in a page (`""`: the body is the list). Without
    /// it there is no item stream, only the pages.
    #[serde(default)]
    pub items: Option<String>,
    /// Cursor style: the query parameter that takes the cursor.
    #[serde(default)]
    pub cursor: Option<String>,
    /// Cursor style: the dotted path of the next page's cursor in a page.
    #[serde(default)]
    pub next: Option<String>,
    /// Cursor style: the field of a page's last item that is the next cursor.
    #[serde(default)]
    pub next_from_last_item: Option<String>,
    /// The dotted path of a boolean that says whether more pages follow.
    #[serde(default)]
    pub has_more: Option<String>,
    /// Page style: the query parameter that takes the page number.
    #[serde(default)]
    pub page: Option<String>,
    /// Page style: the API's first page number (default: the parameter's `default`, else its
    /// `minimum`, else 1).
    #[serde(default)]
    pub first: Option<u64>,
    /// Page and offset styles: the query parameter that takes the page size.
    #[serde(default)]
    pub size: Option<String>,
    /// The page size when the caller gives none (default: the size parameter's `default`).
    #[serde(default)]
    pub default_size: Option<u64>,
    /// Offset style: the query parameter that takes the number of items to skip.
    #[serde(default)]
    pub offset: Option<String>,
    /// The dotted path of the total number of items in a page.
    #[serde(default)]
    pub total: Option<String>,
    /// The dotted path of the total number of pages in a page.
    #[serde(default)]
    pub total_pages: Option<String>,
}

/// How the next page is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PagingStyle {
    /// An opaque cursor from the previous page.
    Cursor,
    /// Page numbers.
    Page,
    /// Offsets (skip / count).
    Offset,
}
