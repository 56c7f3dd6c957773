//! Builders of request bodies: `types::CreatePayment::builder().amount(1250u64).currency("EUR")
//! .build()?`. Each setter takes anything that converts into the field's type (a `&str` for a
//! constrained string, a nested builder for a nested object, the inner value for an optional
//! field, any iterator for a list); `build` checks that the required fields are set and
//! returns the first conversion that failed, as a [`FieldError`] that names the type and the
//! field, never the value (it may be personal data).
//!
//! One macro, [`body_builder!`](crate::body_builder), writes a type's builder: the generated
//! crate lists its fields and how each is set.

use std::fmt;

/// A request body a builder could not build: the type, the field, and why. Its message never
/// holds the value given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The type being built (`CreatePayment`).
    pub type_name: &'static str,
    /// The field: its Rust name, with the index of a list's element (`tags[2]`) and the
    /// nested field where a nested builder failed (`payee.iban`).
    pub field: String,
    /// What is wrong: `required, not set`, or the conversion's message.
    pub reason: String,
}

impl FieldError {
    /// A required field that was not set.
    pub fn missing(type_name: &'static str, field: &str) -> Self {
        Self {
            type_name,
            field: field.to_owned(),
            reason: "required, not set".to_owned(),
        }
    }

    /// A value that did not convert into the field's type. A nested builder's error is taken
    /// apart, so that the field reads as a path (`customer_user.id`).
    pub fn invalid(type_name: &'static str, field: String, error: &dyn fmt::Display) -> Self {
        let reason = error.to_string();
        // A nested builder's message is "<Type>.<field>: <reason>".
        match reason.split_once(": ").and_then(|(head, rest)| {
            let (_, nested) = head.split_once('.')?;
            let simple = nested
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_.[]".contains(&b));
            simple.then(|| (nested.to_owned(), rest.to_owned()))
        }) {
            Some((nested, rest)) => Self {
                type_name,
                field: format!("{field}.{nested}"),
                reason: rest,
            },
            None => Self {
                type_name,
                field,
                reason,
            },
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}: {}", self.type_name, self.field, self.reason)
    }
}

impl std::error::Error for FieldError {}

/// The builder of a request body type: `$builder` (a struct in the generated `builders`
/// module), `$ty::builder()`, a setter per field, `build()`, and `TryFrom<$builder> for $ty`
/// (so that a nested builder is given to a setter as it is). Each field is
/// `name: required | optional | default | default(expr)` and `one(Type)` (set from anything that
/// converts into it) or `list(Type)` (set from any iterator of what converts into `Type`).
/// `Debug` names the type only: a body may hold personal data.
#[doc(hidden)]
#[macro_export]
macro_rules! body_builder {
    (
        $(#[$meta:meta])*
        $ty:path => $builder:ident {
            $($field:ident: $presence:ident $(($default:expr))? $kind:ident($fty:ty)),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[doc = concat!("The builder of [`", stringify!($builder), "`](", stringify!($ty), "): `", stringify!($builder), "::builder()`, a setter per field, then `build()`.")]
        #[derive(Clone, Default)]
        #[must_use]
        pub struct $builder {
            $($field: ::std::option::Option<$crate::__field_type!($kind $fty)>,)*
            error: ::std::option::Option<$crate::FieldError>,
        }

        $(#[$meta])*
        impl $ty {
            /// A builder of this type: a setter per field, then `build()`.
            pub fn builder() -> $builder {
                ::std::default::Default::default()
            }
        }

        $(#[$meta])*
        impl ::std::fmt::Debug for $builder {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($builder)).finish_non_exhaustive()
            }
        }

        $(#[$meta])*
        impl $builder {
            /// The type it builds, as errors name it.
            const TYPE_NAME: &'static str = stringify!($builder);

            $($crate::__field_setter!($field $kind $fty);)*

            /// The value, or the first field that was not set though required or did not
            /// convert.
            pub fn build(self) -> ::std::result::Result<$ty, $crate::FieldError> {
                if let ::std::option::Option::Some(error) = self.error {
                    return ::std::result::Result::Err(error);
                }
                // A path cannot name a struct literal; an alias can.
                type Built = $ty;
                ::std::result::Result::Ok(Built {
                    $($field: $crate::__field_value!(self, $builder, $field, $presence $(($default))?),)*
                })
            }
        }

        $(#[$meta])*
        impl ::std::convert::TryFrom<$builder> for $ty {
            type Error = $crate::FieldError;
            fn try_from(builder: $builder) -> ::std::result::Result<Self, $crate::FieldError> {
                builder.build()
            }
        }
    };
}

/// The type a builder keeps for a field.
#[doc(hidden)]
#[macro_export]
macro_rules! __field_type {
    (one $fty:ty) => { $fty };
    (list $fty:ty) => { ::std::vec::Vec<$fty> };
}

/// A field's setter: a line that hands the value to [`set`] or [`set_list`], which every
/// setter of a crate shares.
#[doc(hidden)]
#[macro_export]
macro_rules! __field_setter {
    ($field:ident one $fty:ty) => {
        #[doc = concat!("Sets `", stringify!($field), "` from anything that converts into its type.")]
        pub fn $field<V>(mut self, value: V) -> Self
        where
            V: ::std::convert::TryInto<$fty>,
            V::Error: ::std::fmt::Display,
        {
            $crate::__builder::set(
                &mut self.$field,
                &mut self.error,
                (Self::TYPE_NAME, stringify!($field)),
                value,
            );
            self
        }
    };
    ($field:ident list $fty:ty) => {
        #[doc = concat!("Sets `", stringify!($field), "` from the items of a list, an array or an iterator, each converted.")]
        pub fn $field<I>(mut self, values: I) -> Self
        where
            I: ::std::iter::IntoIterator,
            I::Item: ::std::convert::TryInto<$fty>,
            <I::Item as ::std::convert::TryInto<$fty>>::Error: ::std::fmt::Display,
        {
            $crate::__builder::set_list(
                &mut self.$field,
                &mut self.error,
                (Self::TYPE_NAME, stringify!($field)),
                values,
            );
            self
        }
    };
}

/// What a setter does with its value: converted, it is the field's (`slot`); a conversion
/// that fails is the builder's `error`, unless an earlier one is (`at`: the type and the
/// field). Used by [`body_builder!`](crate::body_builder).
#[doc(hidden)]
pub fn set<V, T>(
    slot: &mut Option<T>,
    error: &mut Option<FieldError>,
    at: (&'static str, &'static str),
    value: V,
) where
    V: TryInto<T>,
    V::Error: fmt::Display,
{
    match value.try_into() {
        Ok(value) => *slot = Some(value),
        Err(e) => {
            if error.is_none() {
                *error = Some(FieldError::invalid(at.0, at.1.to_owned(), &e));
            }
        }
    }
}

/// [`set`] for a list: each item converted; the first that fails is the `error` (its field
/// `name[i]`), and the field stays as it was.
#[doc(hidden)]
pub fn set_list<I, T>(
    slot: &mut Option<Vec<T>>,
    error: &mut Option<FieldError>,
    at: (&'static str, &'static str),
    values: I,
) where
    I: IntoIterator,
    I::Item: TryInto<T>,
    <I::Item as TryInto<T>>::Error: fmt::Display,
{
    let mut items = Vec::new();
    for (i, value) in values.into_iter().enumerate() {
        match value.try_into() {
            Ok(value) => items.push(value),
            Err(e) => {
                if error.is_none() {
                    *error = Some(FieldError::invalid(at.0, format!("{}[{i}]", at.1), &e));
                }
                return;
            }
        }
    }
    *slot = Some(items);
}

/// A field's value in `build`.
#[doc(hidden)]
#[macro_export]
macro_rules! __field_value {
    ($self:ident, $builder:ident, $field:ident, required) => {
        match $self.$field {
            ::std::option::Option::Some(value) => value,
            ::std::option::Option::None => {
                return ::std::result::Result::Err($crate::FieldError::missing(
                    $builder::TYPE_NAME,
                    stringify!($field),
                ))
            }
        }
    };
    ($self:ident, $builder:ident, $field:ident, optional) => {
        $self.$field
    };
    ($self:ident, $builder:ident, $field:ident, default) => {
        $self.$field.unwrap_or_default()
    };
    ($self:ident, $builder:ident, $field:ident, default($default:expr)) => {
        $self.$field.unwrap_or_else($default)
    };
}

#[cfg(test)]
mod tests {
    use super::FieldError;

    #[derive(Debug, Clone, PartialEq)]
    struct Code(String);

    impl TryFrom<&str> for Code {
        type Error = &'static str;
        fn try_from(value: &str) -> Result<Self, Self::Error> {
            if value.len() == 3 {
                Ok(Self(value.to_owned()))
            } else {
                Err("not three characters")
            }
        }
    }

    #[derive(Debug, Clone, PartialEq)]
    struct Inner {
        code: Code,
    }

    #[derive(Debug, Clone, PartialEq)]
    struct Outer {
        amount: std::num::NonZeroU64,
        inner: Inner,
        memo: Option<String>,
        tags: Vec<Code>,
        limit: i64,
    }

    fn ten() -> i64 {
        10
    }

    mod builders {
        crate::body_builder!(super::Inner => Inner { code: required one(super::Code) });
        crate::body_builder!(super::Outer => Outer {
            amount: required one(::std::num::NonZeroU64),
            inner: required one(super::Inner),
            memo: optional one(String),
            tags: default list(super::Code),
            limit: default(super::ten) one(i64),
        });
    }

    #[test]
    fn a_builder_sets_fields_from_what_converts_into_them_and_defaults_the_rest() {
        let built = Outer::builder()
            .amount(1250u64)
            .inner(Inner::builder().code("EUR"))
            .memo("rent")
            .build()
            .expect("built");
        assert_eq!(
            built,
            Outer {
                amount: std::num::NonZeroU64::new(1250).expect("non-zero"),
                inner: Inner {
                    code: Code("EUR".into())
                },
                memo: Some("rent".into()),
                tags: Vec::new(),
                limit: 10,
            }
        );
        let tagged = Outer::builder()
            .amount(1u64)
            .inner(Inner::builder().code("USD"))
            .tags(["abc", "def"])
            .limit(3)
            .build()
            .expect("built");
        assert_eq!(tagged.tags.len(), 2);
        assert_eq!(tagged.limit, 3);
    }

    #[test]
    fn errors_name_the_type_and_the_field_never_the_value() {
        let missing = Outer::builder().amount(1u64).build().expect_err("inner");
        assert_eq!(missing.to_string(), "Outer.inner: required, not set");

        let nested = Outer::builder()
            .amount(1u64)
            .inner(Inner::builder().code("personal-value"))
            .build()
            .expect_err("code");
        assert_eq!(nested.field, "inner.code");
        assert_eq!(nested.to_string(), "Outer.inner.code: not three characters");
        assert!(!nested.to_string().contains("personal"));

        let listed = Outer::builder()
            .amount(1u64)
            .inner(Inner::builder().code("EUR"))
            .tags(["abc", "toolong"])
            .build()
            .expect_err("tags[1]");
        assert_eq!(listed.to_string(), "Outer.tags[1]: not three characters");

        let zero = Outer::builder()
            .amount(0u64)
            .inner(Inner::builder().code("EUR"))
            .build()
            .expect_err("zero");
        assert_eq!(zero.field, "amount");

        // The first failure is kept; Debug shows no field.
        let builder = Outer::builder().amount(0u64).tags(["x"]);
        assert_eq!(format!("{builder:?}"), "Outer { .. }");
        assert_eq!(builder.build().expect_err("first").field, "amount");
        let _ = FieldError::missing("T", "f");
    }
}
