//! Wire models: XML bodies and callback parameters.

pub mod callback;
pub mod json;
pub mod xml;
