//! A generated method's arguments after `&self`, read from its signature once: what the
//! paginators, the waiters and the mocks build their own methods and calls from.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{FnArg, Pat, Signature, Type};

use crate::error::{At, Result};

/// A method's arguments after `&self`: as declared, and their names.
pub(crate) struct Args<'a> {
    at: At<'a>,
    /// `name: Type`, each as declared.
    pub(crate) params: Vec<TokenStream>,
    /// The names, in order.
    pub(crate) names: Vec<syn::Ident>,
    /// The types, in order.
    pub(crate) types: Vec<Type>,
}

impl<'a> Args<'a> {
    /// The arguments of `sig`; an error at `at` where one is not a plain name.
    pub(crate) fn of(sig: &Signature, at: At<'a>) -> Result<Self> {
        let mut args = Args {
            at,
            params: Vec::new(),
            names: Vec::new(),
            types: Vec::new(),
        };
        for input in &sig.inputs {
            let FnArg::Typed(t) = input else { continue };
            let Pat::Ident(ident) = &*t.pat else {
                return Err(at.error("an argument of the method is not a plain name"));
            };
            let ty = &*t.ty;
            let name = &ident.ident;
            args.params.push(quote!(#name: #ty));
            args.names.push(name.clone());
            args.types.push(ty.clone());
        }
        Ok(args)
    }

    /// The type of the argument `name`.
    pub(crate) fn ty(&self, name: &str) -> Result<&Type> {
        self.names
            .iter()
            .position(|n| n == name)
            .map(|i| &self.types[i])
            .ok_or_else(|| {
                self.at
                    .error(format!("the method has no argument `{name}`"))
            })
    }
}
