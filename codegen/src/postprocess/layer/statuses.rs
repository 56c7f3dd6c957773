//! Names the typed layer's pieces share: a status's pattern, variant and label, and the
//! names of an operation's error and success enums.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::model::{OperationModel, StatusMatch};
use crate::names;

pub(super) fn status_pattern(statuses: &[&StatusMatch]) -> TokenStream {
    let pats = statuses.iter().map(|s| match s {
        StatusMatch::Code(c) => {
            let c = Literal::u16_unsuffixed(*c);
            quote!(#c)
        }
        StatusMatch::Range(r) => {
            let (lo, hi) = (
                Literal::u16_unsuffixed(r * 100),
                Literal::u16_unsuffixed(r * 100 + 99),
            );
            quote!(#lo..=#hi)
        }
        StatusMatch::Default => quote!(_),
    });
    quote!(#(#pats)|*)
}

pub(super) fn variant_name(status: &StatusMatch) -> syn::Ident {
    match status {
        StatusMatch::Code(c) => format_ident!("{}", names::status_variant(*c)),
        StatusMatch::Range(r) => format_ident!("Status{}xx", r),
        StatusMatch::Default => format_ident!("Default"),
    }
}

pub(super) fn status_label(status: &StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => match names::reason(*c) {
            Some(reason) => format!("`{c}` {reason}"),
            None => format!("`{c}`"),
        },
        StatusMatch::Range(r) => format!("`{r}XX`"),
        StatusMatch::Default => "Any status not otherwise documented".to_owned(),
    }
}

pub(super) fn success_enum_name(op: &OperationModel) -> syn::Ident {
    format_ident!("{}", op.success_enum())
}

pub(super) fn error_enum_name(op: &OperationModel) -> syn::Ident {
    format_ident!("{}", op.error_enum())
}
