//! Serialisation details of the JavaScript boundary that the core's own types need (compiled for
//! wasm32 only; the binding in `wasm/` does the rest).

/// A number, or `null` where it is NaN or infinite (a bound that bounds nothing).
pub(crate) fn finite_or_null<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.is_finite() {
        s.serialize_f64(*v)
    } else {
        s.serialize_none()
    }
}
