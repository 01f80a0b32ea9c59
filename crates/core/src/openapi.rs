//! OpenAPI schemas for the wire types whose JSON is not what their Rust shape suggests (only with
//! the `openapi` feature; the device build does not compile this).
//!
//! Most wire types derive `utoipa::ToSchema`, which reads their serde attributes. The ones here
//! serialise through custom code or a validating newtype, so a derived schema would describe the
//! Rust fields rather than the JSON: an [`Hlc`] is a fixed-width hex string, not an object; a
//! [`Score`] is an integer from 1 to 5, not any `u8`; a text is a bounded string. Their schemas
//! are written by hand next to the rule they restate, and the server's drift test validates the
//! golden examples ([`crate::golden`]) against them, so a change on either side fails a test.

use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{KnownFormat, RefOr, SchemaFormat};
use utoipa::{PartialSchema, ToSchema};

use crate::hlc::Hlc;
use crate::score::Score;
use crate::text::{LongText, ShortText};

/// The text form written by `Hlc`'s `Display`: 12, 8 and 16 lower-case hex digits.
pub const HLC_PATTERN: &str = "^[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{16}$";

impl PartialSchema for Hlc {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(HLC_PATTERN))
            .description(Some(
                "A version: hybrid logical clock timestamp as wall milliseconds, counter and node, \
                 fixed-width lower-case hex, so that versions compare as text.",
            ))
            .examples(["00000000019a-00000001-0000000000000002"])
            .into()
    }
}
impl ToSchema for Hlc {}

impl PartialSchema for Score {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
            .minimum(Some(Score::MIN))
            .maximum(Some(Score::MAX))
            .description(Some("A rating: a whole number from 1 to 5."))
            .into()
    }
}
impl ToSchema for Score {}

/// What the bounded texts accept, as a pattern: at least one character that is not white space,
/// and no control character other than tab, newline and carriage return (the Unicode `Cc`
/// characters `char::is_control` names).
pub const TEXT_PATTERN: &str = r"^(?=[\s\S]*\S)[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$";

fn bounded_text(max: usize, what: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(max))
        .pattern(Some(TEXT_PATTERN))
        .description(Some(format!(
            "{what}: trimmed, 1 to {max} characters (Unicode scalar values, not bytes), no control \
             characters other than newline, carriage return and tab."
        )))
        .into()
}

impl PartialSchema for LongText {
    fn schema() -> RefOr<Schema> {
        bounded_text(LongText::MAX_CHARS, "Free text")
    }
}
impl ToSchema for LongText {}

impl PartialSchema for ShortText {
    fn schema() -> RefOr<Schema> {
        bounded_text(ShortText::MAX_CHARS, "A name, label or short reason")
    }
}
impl ToSchema for ShortText {}
