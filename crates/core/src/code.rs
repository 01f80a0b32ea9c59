//! Closed vocabularies with stable codes (need categories, urgency, trust targets, bands...).
//!
//! One macro writes the enum, its code table, parsing with a field-naming error that lists the
//! choices, and serde by code, so each vocabulary is declared once as data.

/// Declares a closed vocabulary: `coded!(Name, "what", { Variant => "code", ... })`.
///
/// The codes are matched as `tt`, not `literal`: a `literal` fragment reaches derive macros
/// wrapped in an invisible group, which serde reads but utoipa's `ToSchema` derive skipped,
/// publishing the Rust variant names (`Entry`) instead of the codes (`entry`). The server's
/// OpenAPI drift test catches that.
macro_rules! coded {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $code:tt),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $(#[serde(rename = $code)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored, synced and exported.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// Parses a code typed at an edge; the error lists every valid code.
            pub fn parse(field: &str, raw: &str) -> Result<Self, $crate::Invalid> {
                let raw = raw.trim();
                if raw.is_empty() {
                    return Err($crate::Invalid::new(field, $crate::Rule::Empty, "must not be empty"));
                }
                Self::from_code(raw).ok_or_else(|| {
                    let codes: Vec<&str> = Self::ALL.iter().map(|v| v.code()).collect();
                    $crate::Invalid::new(field, $crate::Rule::UnknownChoice, format!("must be one of {}", codes.join(", ")))
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

pub(crate) use coded;
